"""The year-over-year query (issue 29's first part): what a budget says of last year's budget,
against the budget of the year before in the store. On the Wanli street office's 2023 and 2024
budgets (tests/fixtures/real/), the 2024 budget's three statements on the 2023 budget (财政拨款收入,
财政拨款支出预算, 一般公共预算拨款支出预算: 15621.11万元, 比2023年预算减少876.75万元) each imply
16497.86, which is what the 2023 budget states for each (2023, page 3: 财政拨款收入16,497.86万元)."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import XSD

from budgetkg.store.query import canned_queries, run
from conftest import FIXTURES, extracted, store_of

BKG = Namespace("https://w3id.org/budgetkg/ontology#")
REAL = FIXTURES / "real"


def _rows(store):
    result = run(store, canned_queries()["year-over-year"])
    return [{k: v for k, v in row.items()} for row in result.values()]


def test_a_budget_s_statements_on_last_year_agree_with_last_year_s_budget():
    g23, g24 = extracted(REAL / "putuo_wanli_2023.pdf")[1], extracted(REAL / "putuo_wanli_2024.pdf")[1]
    rows = _rows(store_of(g23, g24))
    assert sorted((r["name"], r["year"], r["priorYear"], r["amount"], r["change"], r["stated"], r["priorAmount"],
                   r["difference"]) for r in rows) == [
        (name, "2024", "2023", "15621.11", "-876.75", "16497.86", "16497.86", "0.00")
        for name in ("一般公共预算拨款支出预算", "财政拨款支出预算", "财政拨款收入")]
    assert _rows(store_of(g24)) == []                     # last year not in the store: no row


def test_a_disagreement_with_last_year_is_shown():
    """Last year's budget printing 16400.00 for 财政拨款收入: that row is 97.86 apart."""
    g23, g24 = extracted(REAL / "putuo_wanli_2023.pdf")[1], extracted(REAL / "putuo_wanli_2024.pdf")[1]
    changed = Graph(identifier=g23.identifier)
    for t in g23:
        changed.add(t)
    statement = next(s for s, text in g23.subject_objects(BKG.subjectText) if str(text) == "财政拨款收入")
    changed.remove((statement, BKG.amount, None))
    changed.add((statement, BKG.amount, Literal(Decimal("16400.00"), datatype=XSD.decimal)))
    rows = _rows(store_of(changed, g24))
    assert [(r["name"], r["difference"]) for r in rows if r["difference"] != "0.00"] == [("财政拨款收入", "97.86")]
