"""Bad inputs get one clear error naming the file; the rest of the batch goes on."""

import subprocess
import sys

import pytest

from budgetkg.errors import UnreadablePdf, EmptyInput, NotADisclosure, TruncatedDisclosure
from budgetkg.extract.pipeline import extract_file
from conftest import SAMPLES

GOOD = SAMPLES / "kashgar-city-government-office-2024.txt"


@pytest.fixture
def bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n", encoding="utf-8")
    prose = tmp_path / "news.txt"
    prose.write_text("喀什市召开经济工作会议\n\n会议强调，要坚持稳中求进工作总基调，推动高质量发展。\n"
                     "与会人员就2024年重点工作进行了讨论。\n" * 5, encoding="utf-8")
    truncated = tmp_path / "truncated.txt"
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    cut = next(i for i, ln in enumerate(lines) if ln.startswith("表 5"))
    truncated.write_text("\n".join(lines[:cut + 12]), encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02\xff\xfe" * 40)
    return {"empty": empty, "prose": prose, "truncated": truncated, "binary": binary}


def test_empty_file(bad_files):
    with pytest.raises(EmptyInput, match="empty.txt.*empty"):
        extract_file(bad_files["empty"])


def test_chinese_text_that_is_not_a_disclosure(bad_files):
    with pytest.raises(NotADisclosure, match="news.txt.*not a department budget disclosure"):
        extract_file(bad_files["prose"])


def test_truncated_document(bad_files):
    with pytest.raises(TruncatedDisclosure, match=r"truncated.txt, line \d+: truncated: the text stops after 表5"):
        extract_file(bad_files["truncated"])


def test_binary_file(bad_files):
    # It starts with %PDF-, so it is read as a PDF whatever its name, and refused as a corrupt one.
    with pytest.raises(UnreadablePdf, match=r"scan.txt: corrupt PDF"):
        extract_file(bad_files["binary"])


def test_binary_text_file(tmp_path):
    binary = tmp_path / "dump.txt"
    binary.write_bytes(b"\x00\x01\x02\xff\xfe" * 40)
    with pytest.raises(NotADisclosure, match="dump.txt.*NUL bytes|dump.txt.*neither UTF-8"):
        extract_file(binary)


def test_cli_reports_each_bad_file_and_extracts_the_good_one(bad_files, tmp_path):
    out = tmp_path / "out.trig"
    files = [str(bad_files["empty"]), str(GOOD), str(bad_files["prose"]), str(bad_files["truncated"])]
    proc = subprocess.run([sys.executable, "-m", "budgetkg", "extract", *files, "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 3
    assert any("empty.txt" in e for e in errors) and any("news.txt" in e for e in errors)
    assert any("truncated.txt" in e for e in errors)
    assert "extracted 1 of 4 file(s), 3 failed" in proc.stderr
    assert "新疆维吾尔自治区喀什地区喀什市人民政府办公室" in out.read_text(encoding="utf-8")


def test_query_unknown_name_is_an_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "budgetkg", "query", "no-such-query", "--data", str(GOOD)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "no canned query 'no-such-query'" in proc.stderr
