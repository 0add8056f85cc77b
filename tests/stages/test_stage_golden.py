"""Golden files per stage for the three samples: tests/fixtures/stages/<sample>.<stage>.txt.

Each file is a compact dump of one stage (stage_dumps.py: segments, tables, narrative, emit).
A difference fails with its unified diff. ``pytest --update-golden tests/stages`` rewrites the
files and prints the same diffs (add ``-s`` to see them as they run, or read ``git diff
tests/fixtures/stages``); read every changed line against the sample before accepting it, and
note what was checked in tests/fixtures/stages/README.md.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from stage_dumps import DUMPS, STAGES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLES = FIXTURES / "samples"
GOLDEN = FIXTURES / "stages"
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.txt"))


def _diff(expected: str, actual: str, name: str) -> str:
    return "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                        f"{name} (golden)", f"{name} (now)"))


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_stage_matches_its_golden_file(sample, stage, request):
    actual = DUMPS[stage](SAMPLES / f"{sample}.txt")
    golden = GOLDEN / f"{sample}.{stage}.txt"
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    if request.config.getoption("--update-golden"):
        if actual != expected:
            print(f"\n--- rewriting {golden.relative_to(FIXTURES.parent.parent)}:\n{_diff(expected, actual, golden.name)}")
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden tests/stages, then read it"
    if actual != expected:
        pytest.fail(f"{golden.name} differs from what the {stage} stage gives now "
                    f"(pytest --update-golden rewrites it; read the diff first):\n{_diff(expected, actual, golden.name)}",
                    pytrace=False)


def test_golden_files_are_compact():
    """Readable by a person: no golden file runs to hundreds of lines."""
    for golden in GOLDEN.glob("*.txt"):
        assert len(golden.read_text(encoding="utf-8").splitlines()) < 150, golden.name


def test_the_cli_segments_dump_agrees_with_the_golden_file():
    """``budgetkg extract --debug-stage segments`` shows the same tables, title lines and headings
    as the golden file of the segments stage (read against the sample, README.md)."""
    import json

    from click.testing import CliRunner

    from budgetkg.cli import main

    sample = "kashgar-city-government-office-2024"
    result = CliRunner().invoke(main, ["extract", "--debug-stage", "segments", str(SAMPLES / f"{sample}.txt")])
    assert result.exit_code == 0, result.output
    dumped = json.loads(result.output)
    golden = (GOLDEN / f"{sample}.segments.txt").read_text(encoding="utf-8")
    for kind, t in dumped["tables"].items():
        assert f"  {kind}: 表{t['number']} {t['title']} | unit {t['unit']} | title line {t['title_line']} |" in golden
    for number, role, text in dumped["headings"]:
        assert f"  line {number} {role}: {text.strip()}" in golden
    assert f"template: {dumped['template']}\ndepartment: {dumped['department']}\n" in golden
