"""The command line's query tables: a name beside each column of IRIs, amounts and counts
right-aligned (amounts with separators), and cut to a terminal's width with … (csv and json keep
every value whole)."""

from __future__ import annotations

from budgetkg.store.query import canned_queries, render, run
from budgetkg.store.table import table, with_names
from budgetkg.store.table import _width as shown_width
from conftest import SAMPLES, SAMPLE_NAMES, extracted, store_of

OFFICE = "https://w3id.org/budgetkg/id/org/新疆维吾尔自治区人民政府办公厅"


def _store():
    return store_of(*(extracted(SAMPLES / f"{name}.txt")[1] for name in SAMPLE_NAMES))


def test_a_column_of_department_iris_gets_their_names_beside_it():
    store = _store()
    result = with_names(run(store, canned_queries()["three-public-expenses"]), store)
    assert result.columns[:3] == ["department", "departmentName", "year"]
    rows = {r[0].value: r[1].value for r in result.rows}
    assert rows[OFFICE] == "新疆维吾尔自治区人民政府办公厅" and len(rows) == 3
    # a query that names its departments itself gets no second name column
    named = with_names(run(store, canned_queries()["departments"]), store)
    assert named.columns == run(store, canned_queries()["departments"]).columns
    # csv is the query's own columns, whole
    assert render(run(store, canned_queries()["three-public-expenses"]), "csv").splitlines()[0].startswith(
        "department,year,")


def test_amounts_and_counts_are_right_aligned_and_codes_are_not():
    out = table(["code", "name", "vehicles", "amount"], [["201", "一般公共服务支出", "102", "1234567.50"],
                                                         ["20101", "人大事务", "7", "3.00"]]).splitlines()
    assert out[2].endswith("   102 | 1,234,567.50") and out[3].endswith("     7 |         3.00")
    assert out[2].startswith("201   | ") and out[3].startswith("20101 | ")


def test_a_table_wider_than_the_terminal_is_cut_to_it():
    store = _store()
    result = with_names(run(store, canned_queries()["three-public-expenses"]), store)
    rows = [[("" if v is None else v) for v in r.values()] for r in result.values()]
    whole = table(result.columns, rows)
    assert max(shown_width(line) for line in whole.splitlines()) > 150
    cut = table(result.columns, rows, width=140)
    lines = cut.splitlines()
    assert max(shown_width(line) for line in lines[:-1]) <= 140
    assert "…" in lines[2] and "320.81" in cut and "313.61" in cut      # amounts are never cut
