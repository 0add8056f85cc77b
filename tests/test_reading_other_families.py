"""What reading other provinces' disclosures needed, each fault met on the way kept by a test."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from conftest import FIXTURES, SAMPLES, query_rows, store_of
from budgetkg.extract.emit import to_graph
from budgetkg.errors import TruncatedDisclosure
from budgetkg.extract.pdf import read_pdf
from budgetkg.extract.pdf.grid import Cell
from budgetkg.extract.pdf.layout import Column, _row
from budgetkg.extract.pipeline import extract_file, read_source
from budgetkg.extract.template import kind

REAL = FIXTURES / "real"


def _pdf(name: str):
    return extract_file(REAL / f"{name}.pdf")


def test_a_department_budget_and_a_unit_budget_of_one_body_and_year_are_two_disclosures():
    dept, unit = _pdf("putuo_zfb_2025_dept"), _pdf("putuo_zfb_2025_unit")
    g1, g2 = to_graph(dept), to_graph(unit)
    assert g1.identifier != g2.identifier and str(g2.identifier).endswith("/2025/unit")
    rows = query_rows(store_of(g1, g2), "departments", drop=("department",))
    assert [(r["name"], r["year"], r["scope"]) for r in rows] == [
        ("上海市普陀区人民政府办公室", "2025", "department"), ("上海市普陀区人民政府办公室", "2025", "unit")]


def test_yuan_are_stored_as_wan_yuan_exactly_with_the_printed_figure_kept():
    d = _pdf("putuo_zfb_2025_dept")
    t = d.tables["expenditure"]
    assert t.unit == "元"
    row = next(r for r in t.rows if r.code == "2010301")
    assert row.cells["total"] == Decimal("1202.950184")                 # printed 12,029,501.84 元
    assert t.printed[(row.index, "total")] == "12029501.84"
    assert d.tables["three-public"].unit == "万元"                        # the same document's 三公 table
    graph = to_graph(d)
    rows = query_rows(store_of(graph), "table-cells", params={"kind": "expenditure"})
    cell = next(r for r in rows if r["code"] == "2010301" and r["column"] == "total")
    assert (cell["amount"], cell["printedUnit"]) == ("1202.950184", "元")


def test_whole_yuan_tables_and_a_total_row_alone_on_the_next_page():
    """Whole 元 (no decimal point) is read as figures, not as header; the 合计 row printed alone
    on the next page (ruled with merged cells) is the table's total row."""
    t = _pdf("putuo_wanli_2024").tables["revenue"]
    total = next(r for r in t.rows if r.level == "total")
    assert total.cells["total"] == Decimal("15621.1123") and total.cells["fiscal-subtotal"] == Decimal("15621.1123")


def test_economic_codes_printed_without_their_zero():
    """`301 | 2` is 30102 (津贴补贴), `301 | 7` is 30107."""
    rows = {r.code: r for r in _pdf("putuo_wanli_2024").tables["general-budget-basic"].rows if r.code}
    assert rows["30102"].label == "津贴补贴" and rows["30107"].label == "绩效工资"


def test_a_kuan_row_that_leaves_its_class_blank():
    rows = {r.code: r for r in _pdf("hunan_changsha_xfj_2026_dept_budget").tables["expenditure"].rows if r.code}
    assert rows["20140"].label == "信访事务" and rows["20140"].cells["total"] == Decimal("1935.36")


def test_a_three_public_table_printed_as_one_row_of_figures_under_its_items():
    t = _pdf("chongqing_zfbgt_2026_dept_budget").tables["three-public"]
    got = {(r.label, k): v for r in t.rows for k, v in r.cells.items()}
    assert got[("合计", "total")] == Decimal("394.49") and got[("合计", "prior-total")] == Decimal("396.97")
    assert got[("公务用车运行费", "total")] == Decimal("200.00")


def test_a_paragraph_does_not_swallow_the_heading_or_title_on_the_next_page():
    shanghai = [ln.text for ln in read_pdf(REAL / "putuo_zfb_2025_dept.pdf").lines]
    assert "2025年部门预算编制说明" in shanghai
    changsha = [ln.text for ln in read_pdf(REAL / "hunan_changsha_xfj_2026_dept_budget.pdf").lines]
    assert "2026年部门收支总体情况表" in changsha and "第二部分 2026年部门预算表" in changsha


def test_figures_under_a_label_column_are_kept_apart_not_glued_into_the_label():
    """A cell of a label column holding a figure (a header the reader misread, a shifted column)
    is kept as text of its own, never concatenated into the name (37.9101.35…)."""
    cols = [Column("code"), Column("name"), Column("name"), Column("amount", "total")]
    cells = [(0, Cell(0, 0, (0, 0, 10, 10), "201")), (1, Cell(0, 1, (10, 0, 20, 10), "一般公共服务支出")),
             (2, Cell(0, 2, (20, 0, 30, 10), "37.91")), (3, Cell(0, 3, (30, 0, 40, 10), "1.35"))]
    line, _ = _row(kind("expenditure"), 3, cols, ["total"], cells)
    assert line[:5] == ["201", "", "", "一般公共服务支出", "1.35"] and line[5:] == ["37.91"]


def test_debug_stage_segments_shows_what_was_found_when_extraction_fails(tmp_path):
    # a final account's text cut after its second table: extraction refuses it
    source = read_source(REAL / "swu_2023_final.pdf")
    cut = tmp_path / "swu_2023_final_cut.txt"
    cut.write_text("\n".join(ln.text for ln in source.lines[:75]) + "\n", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "budgetkg", "extract", str(cut)], capture_output=True, text=True)
    assert refused.returncode != 0 and "recognised" in refused.stderr
    proc = subprocess.run([sys.executable, "-m", "budgetkg", "extract", "--debug-stage", "segments", str(cut)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert found["template"] == "central-university-final" and found["department"] == "西南大学"
    assert set(found["tables"]) == {"summary", "revenue"}


def test_the_tables_published_alone_are_read(tmp_path):
    """A disclosure published as two attachments: the tables file alone extracts, with a warning."""
    lines = (SAMPLES / "kashgar-city-government-office-2024.txt").read_text(encoding="utf-8").splitlines()
    start = lines.index("第二部分 2024 年部门预算公开表", 20)
    end = lines.index("第三部分 2024 年部门预算情况说明", start)
    path = tmp_path / "tables-only.txt"
    path.write_text("\n".join(lines[start:end]), encoding="utf-8")
    d = extract_file(path)
    assert d.department == "新疆维吾尔自治区喀什地区喀什市人民政府办公室" and d.year == 2024
    assert d.tables["expenditure"].status == "present"
    assert any("tables alone" in i.message for i in d.issues)
    # cut short instead (the template's later tables missing), it is truncated, as before
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(lines[start:lines.index("表 5", start)]), encoding="utf-8")
    with pytest.raises(TruncatedDisclosure):
        extract_file(cut)


def test_validate_says_when_there_is_nothing_to_validate(tmp_path):
    import gc
    from budgetkg.store import open_store
    from budgetkg.store.embedded import ensure_ontology
    location = tmp_path / "empty-store"
    store = open_store(location, writable=True)
    ensure_ontology(store)
    del store
    gc.collect()                                  # the embedded store is locked while open
    proc = subprocess.run([sys.executable, "-m", "budgetkg", "validate", "--store", str(location)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "nothing was validated" in proc.stderr


def test_an_unknown_kind_of_table_is_kept_as_text_and_reported(tmp_path):
    text = (SAMPLES / "kashgar-city-government-office-2024.txt").read_text(encoding="utf-8")
    at = text.rindex("第三部分 2024 年部门预算情况说明")            # the part's heading, not the contents' entry
    text = text[:at] + ("表 12\n部门资产配置明细表\n编制部门：喀什市人民政府办公室\t单位：万元\n资产名称\t数量\n"
                        "办公桌\t12\n") + text[at:]
    path = tmp_path / "extra-table.txt"
    path.write_text(text, encoding="utf-8")
    d = extract_file(path)
    other = [t for k, t in d.tables.items() if k.startswith("other-")]
    assert len(other) == 1 and other[0].status == "unparsed" and "办公桌" in other[0].raw_text
    assert any("not a kind of table budgetkg knows" in i.message for i in d.issues)
    graph = to_graph(d)
    rows = query_rows(store_of(graph), "tables", drop=("department",))
    assert any(r["title"].endswith("资产配置明细表") and r["status"] == "unparsed" and r["kind"] == "" for r in rows)
