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


def test_a_code_printed_under_another_name_in_one_document_is_listed_against_the_others():
    """The consensus check of the code lists: 2010301 is 行政运行 in Kashgar's and the government
    office's tables; the office's copy, renamed 行政运作 in every table, stands out."""
    from rdflib import Graph
    kashgar = extracted(SAMPLES / "kashgar-city-government-office-2024.txt")[1]
    gov = extracted(SAMPLES / "xinjiang-government-office-2024.txt")[1]
    assert not query_rows(store_of(kashgar, gov), "codes-printed-with-different-names", drop=())
    renamed = Graph(identifier=gov.identifier)
    renamed += gov
    renamed.update('PREFIX bkg: <https://w3id.org/budgetkg/ontology#> DELETE { ?r bkg:rowLabel ?l } '
                   'INSERT { ?r bkg:rowLabel "行政运作"@zh } WHERE { ?r bkg:functionCode '
                   '<https://w3id.org/budgetkg/code/function/2024/2010301> ; bkg:rowLabel ?l }')
    rows = query_rows(store_of(kashgar, renamed), "codes-printed-with-different-names", drop=())
    assert sorted((r["code"], r["name"], r["documents"], r["example"]) for r in rows) == [
        ("function/2024/2010301", "行政运作", "1", "xinjiang-government-office-2024.txt"),
        ("function/2024/2010301", "行政运行", "1", "kashgar-city-government-office-2024.txt")]
