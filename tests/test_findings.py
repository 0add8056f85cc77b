"""One finding type: what extraction could not read and what validation found are both
budgetkg.extract.findings.Finding, with a severity, a code, a message, the file, its page or
line, and the object it is about; extraction's codes are the entries of
ontology/extraction-findings.toml (zh and en titles), each used, none made up."""

from __future__ import annotations

import re
from pathlib import Path

from budgetkg.audit.validate import load_shapes, validate_store
from budgetkg.extract.findings import Finding, extraction_codes
from budgetkg.extract.pipeline import extract_file
from conftest import SAMPLES, extracted, store_of

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(__file__).resolve().parent / "fixtures" / "real"


def test_every_extraction_code_is_listed_with_titles_and_used():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "extract").rglob("*.py"))
    used = set(re.findall(r'Finding\(\s*"(?:warning|info|violation)",\s*"([a-z-]+)"', source))
    codes = extraction_codes()
    assert used and used == set(codes), (used - set(codes), set(codes) - used)
    assert all(zh and en and zh != en for zh, en in codes.values())


def test_extraction_findings_are_located_in_their_file():
    """The Changsha budget's findings (each a Finding with its code, the file, and the page of
    its line)."""
    path = REAL / "hunan_changsha_xfj_2026_dept_budget.pdf"
    d = extract_file(path)
    assert d.issues and all(isinstance(f, Finding) for f in d.issues)
    for f in d.issues:
        assert f.code in extraction_codes() and f.file == str(path)
        assert f.located().startswith(str(path))
        if f.line is not None:
            assert f.page is not None


def test_validation_findings_are_the_same_type():
    d, g = extracted(SAMPLES / "kashgar-city-government-office-2024.txt")
    found = validate_store(store_of(g), load_shapes())
    assert found and all(isinstance(f, Finding) for f in found)
    assert all(f.code.startswith("https://w3id.org/budgetkg/shapes#") and f.object and f.document for f in found)
