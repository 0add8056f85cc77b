"""Stream dumps for the tests and the benchmark: fixture and synthetic PDFs dumped by pdfminer and
pdftotext (Debian's poppler-utils, installed here when missing), and their table facts set
against the PDF path's."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from budgetkg.extract.pipeline import extract_records, read_source
from budgetkg.synth.dumps import PDFTOTEXT, TOOLS, write_dumps

ROOT = Path(__file__).resolve().parent
PDFS = sorted((ROOT / "fixtures" / "pdf").glob("*.pdf")) + sorted((ROOT / "fixtures" / "real").glob("*.pdf"))
NEEDED = {"poppler-utils": PDFTOTEXT}


def install_pdftotext() -> None:
    """Debian's poppler-utils, installed when /usr/bin/pdftotext is missing (as root, with apt-get)."""
    missing = [package for package, path in NEEDED.items() if not os.path.exists(path)]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError(f"missing {missing}; install them from Debian's packages "
                           f"(apt-get install {' '.join(missing)})")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")


def dumps_of(pdf: Path, out: Path) -> dict[str, Path]:
    install_pdftotext()
    return write_dumps(pdf, out, TOOLS)


Fact = tuple[str, str, str, str]          # (table kind, side, row: code or total, column)


def table_facts(disclosure) -> dict[Fact, Decimal]:
    """The figures of the coded tables' rows (by code) and total rows, by table kind and column."""
    facts: dict[Fact, Decimal] = {}
    for kind, table in disclosure.tables.items():
        if table.status != "present":
            continue
        for row in table.rows:
            if row.code:
                name = row.code
            elif row.level == "total":
                name = "total"
            else:
                continue
            for key, value in row.cells.items():
                facts.setdefault((kind, row.side or "", name, key), value)
    return facts


def coded_kinds(disclosure) -> set[str]:
    from budgetkg.extract.tables.stream import READ_KINDS
    return {k for k in disclosure.tables if k in READ_KINDS}


def compare(pdf_disclosure, dump_disclosure) -> dict:
    """How the dump's table facts stand against the PDF path's: right, wrong (another figure, or a
    figure where the PDF path has none), and how many of the PDF path's facts in the tables this
    reader reads are recovered."""
    expected = table_facts(pdf_disclosure)
    got = table_facts(dump_disclosure)
    wrong = {f: (v, expected.get(f)) for f, v in got.items() if expected.get(f) != v}
    kinds = coded_kinds(pdf_disclosure)
    in_scope = {f: v for f, v in expected.items() if f[0] in kinds}
    right = [f for f in in_scope if got.get(f) == in_scope[f]]
    return {"right": len(right), "scope": len(in_scope), "all": len(expected), "wrong": wrong,
            "all_right": sum(1 for f in expected if got.get(f) == expected[f])}


def extract(path: Path):
    return extract_records(read_source(path))[0]
