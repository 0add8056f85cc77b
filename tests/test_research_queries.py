"""The cross-department queries agree with the hand-typed golden files of each sample.

Each expectation is computed from tests/fixtures/expected/<sample>/*.csv, which were
typed from the documents; none is taken from budgetkg's own output.
"""

from collections import defaultdict
from decimal import Decimal

import pytest

from conftest import SAMPLE_NAMES, SAMPLES, extracted, query_rows, store_of
from test_golden_samples import expected_rows


@pytest.fixture(scope="module")
def union():
    return store_of(*(extracted(SAMPLES / f"{s}.txt")[1] for s in SAMPLE_NAMES))


def test_largest_three_public_expenses_ranks_the_table_10_totals(union):
    expected = sorted((Decimal(r["total"]) for s in SAMPLE_NAMES for r in expected_rows(s, "three-public-expenses")
                       if r["total"]), reverse=True)
    got = query_rows(union, "largest-three-public-expenses")
    assert [Decimal(r["total"]) for r in got] == expected
    assert [r["name"] for r in got] == ["新疆维吾尔自治区人民政府办公厅", "新疆维吾尔自治区财政厅"]


def test_spending_by_function_class_is_every_departments_class_rows_of_table_3(union):
    expected = sorted(((r["code"], Decimal(r["total"])) for s in SAMPLE_NAMES
                       for r in expected_rows(s, "expenditure-by-function") if len(r["code"]) == 3),
                      key=lambda x: (x[0], -x[1]))
    got = query_rows(union, "spending-by-function-class")
    assert [(r["classCode"], Decimal(r["amount"])) for r in got] == expected
    assert {r["className"] for r in got if r["classCode"] == "201"} == {"一般公共服务支出"}


@pytest.mark.parametrize("minimum", ["0", "100", "998", "1,400.00", "99999"])
def test_projects_above_amount_filters_table_7_totals(union, minimum):
    floor = Decimal(minimum.replace(",", ""))
    expected = sorted((Decimal(r["total"]) for s in SAMPLE_NAMES for r in expected_rows(s, "project-expenditure")
                       if r["total"] and Decimal(r["total"]) >= floor), reverse=True)
    got = query_rows(union, "projects-above-amount", params={"min": minimum})
    assert [Decimal(r["amount"]) for r in got] == expected


def test_unit_project_totals_groups_table_7_by_executing_unit(union):
    for sample, needle in (("xinjiang-government-office-2024", "人民政府办公厅"),
                           ("xinjiang-finance-department-2024", "财政厅")):
        totals, counts = defaultdict(Decimal), defaultdict(int)
        for r in expected_rows(sample, "project-expenditure"):
            totals[r["unitName"]] += Decimal(r["total"])
            counts[r["unitName"]] += 1
        got = query_rows(union, "unit-project-totals", drop=("department", "unit"), params={"name": needle})
        with_projects = {r["unitName"]: (int(r["projects"]), Decimal(r["total"])) for r in got if r["total"]}
        assert with_projects == {u: (counts[u], totals[u]) for u in totals}
        # Units listed in 第一部分 with no 表7 project are still listed, with no total.
        listed = {r["unitName"] for r in expected_rows(sample, "subordinate-units")}
        assert listed <= {r["unitName"] for r in got}
