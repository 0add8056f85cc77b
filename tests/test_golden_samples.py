"""Golden tests: every canned query on every sample returns what the document prints.

Expected values live in fixtures/expected/<sample>/<query>.csv; fixtures/README.md says
how each file was made (typed from the documents, or written from budgetkg's output and
checked row by row against them).
"""

import csv
from decimal import Decimal

import pytest

from conftest import EXPECTED, SAMPLE_NAMES, SAMPLES, extracted, query_rows, store_of

QUERIES = ["departments", "subordinate-units", "tables", "expenditure-by-function", "general-budget-by-function",
           "basic-expenditure-by-economic", "project-expenditure", "three-public-expenses", "revenue-by-source",
           "indicators", "change-statements", "procurement", "assets", "projects", "policy-citations"]
DROP = {"indicators": ("department", "subject"),      # subject IRIs are checked in test_performance
        "projects": ("department", "project"), "policy-citations": ("citedBy",)}


def expected_rows(sample: str, query: str) -> list[dict]:
    with open(EXPECTED / sample / f"{query}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_query_returns_what_the_document_prints(sample, query):
    _, graph = extracted(SAMPLES / f"{sample}.txt")
    got = query_rows(store_of(graph), query, drop=DROP.get(query, ("department", "unit")))
    assert got == expected_rows(sample, query)


def test_queries_work_over_the_union_of_all_samples():
    graphs = [extracted(SAMPLES / f"{s}.txt")[1] for s in SAMPLE_NAMES]
    store = store_of(*graphs)
    names = [r["name"] for r in query_rows(store, "departments")]
    assert names == sorted(names) and len(names) == 3
    projects = query_rows(store, "project-expenditure")
    assert len(projects) == sum(len(expected_rows(s, "project-expenditure")) for s in SAMPLE_NAMES)


def test_same_project_name_under_two_units_stays_two_rows():
    _, graph = extracted(SAMPLES / "xinjiang-government-office-2024.txt")
    rows = [r for r in query_rows(store_of(graph), "project-expenditure") if r["projectName"] == "驻外办事处业务工作经费"]
    assert {r["unitName"] for r in rows} == {"新疆维吾尔自治区人民政府驻上海办事处", "新疆维吾尔自治区人民政府驻西安办事处"}


def test_short_department_name_expanded_and_kept_as_alt_label(sample_graphs):
    disclosure, _ = sample_graphs["xinjiang-finance-department-2024"]
    assert disclosure.department == "新疆维吾尔自治区财政厅"
    assert "自治区财政厅" in disclosure.department_names


def test_staffing_changes_are_signed(sample_graphs):
    s = sample_graphs["kashgar-city-government-office-2024"][0].overview.staffing
    assert (s.active_change, s.retired_change, s.retired_veterans_change) == (-7, 1, -3)
    s = sample_graphs["xinjiang-finance-department-2024"][0].overview.staffing
    assert (s.active_change, s.retired_change, s.retired_veterans_change) == (-20, 13, 0)


def test_divisions_are_listed(sample_graphs):
    ov = sample_graphs["xinjiang-government-office-2024"][0].overview
    assert ov.division_count == 24 and len(ov.divisions) == 24
    assert ov.divisions[10] == "综合一室（保密办）" and ov.divisions[-1] == "政府电子政务办公室"


def test_signing_dates(sample_graphs):
    dates = {name: d.date_signed.isoformat() for name, (d, _) in sample_graphs.items()}
    assert dates == {"kashgar-city-government-office-2024": "2024-02-20",
                     "xinjiang-finance-department-2024": "2024-02-28",
                     "xinjiang-government-office-2024": "2024-02-29"}


def test_empty_table_keeps_its_note(sample_graphs):
    t = sample_graphs["kashgar-city-government-office-2024"][0].tables["three-public"]
    assert t.status == "empty"
    assert t.note.endswith("财政拨款“三公”经费支出情况表为空表。")


def test_subtotal_rows_are_marked_aggregate(sample_graphs):
    rows = sample_graphs["xinjiang-government-office-2024"][0].tables["expenditure"].rows
    by_code = {r.code: r for r in rows if r.code}
    assert by_code["201"].is_aggregate and by_code["20103"].is_aggregate
    assert not by_code["2010301"].is_aggregate
    assert rows[0].level == "total" and rows[0].is_aggregate
    # 表11 prints unlabelled subtotal rows; they are aggregates, not projects.
    t11 = sample_graphs["xinjiang-government-office-2024"][0].tables["carryover"].rows
    unlabelled = [r for r in t11 if not r.label]
    assert [str(r.cells["total"]) for r in unlabelled] == ["211.25", "29.33"]
    assert all(r.is_aggregate and r.project is None for r in unlabelled)


def test_raw_text_columns_that_arithmetic_cannot_decide_are_kept_not_guessed(sample_graphs):
    disclosure = sample_graphs["xinjiang-finance-department-2024"][0]
    total = disclosure.tables["general-budget-projects"].rows[0]
    # 表7 prints four economic-class amounts in a ten-column split; nothing else in the
    # document says which classes they are, so only the total is placed.
    assert total.cells == {"total": Decimal("9678.31")}
    assert total.unplaced == "569.00 8,735.97 230.00 143.34"
    assert any("表7" in i.message and "cannot be told" in i.message for i in disclosure.issues)


def test_raw_text_columns_placed_from_other_tables(sample_graphs):
    t2 = sample_graphs["xinjiang-finance-department-2024"][0].tables["revenue"]
    total = t2.rows[0]
    # 426.76 could be 财政专户, 单位资金 or a carry-over column; 表1 says it is 单位资金.
    assert {k: str(v) for k, v in total.cells.items()} == {
        "total": "17690.90", "fiscal-subtotal": "17264.14", "general-budget": "17264.14", "unit-funds": "426.76"}
