"""emit: a tiny record set, typed by hand, to the triples a reader expects: one named graph per
disclosure, amounts as xsd:decimal exactly as printed, no observation for an empty cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from budgetkg.extract.emit import to_dataset, to_graph, to_ntriples
from budgetkg.extract.records import Disclosure, Overview, Row, Staffing, Table
from budgetkg.vocab import BKG, QB

BASE = "https://w3id.org/budgetkg/id/"
DOC = URIRef(BASE + "disclosure/测试局/2024")
DEPT = URIRef(BASE + "org/测试局")
TABLE = URIRef(f"{DOC}/table/expenditure")
FUNCTION_2010301 = URIRef("https://w3id.org/budgetkg/code/function/2024/2010301")


def _disclosure(**changes) -> Disclosure:
    rows = [
        Row(1, 31, "一般公共服务支出", "201", "class",
            cells={"total": D("300.00"), "basic": D("200.00"), "project": D("100.00")}),
        Row(2, 33, "行政运行", "2010301", "item", cells={"total": D("200.00"), "basic": D("200.00")}),
        Row(3, 35, "合计", None, "total", cells={"total": D("300.00"), "basic": D("200.00"), "project": D("100.00")}),
    ]
    table = Table("expenditure", "部门支出总体情况表", "present", 26, rows, number=3,
                  columns=["total", "basic", "project"])
    fields = dict(path="docs/测试局.txt", sha256="ab" * 32, rendering="tsv", department="测试局", department_names=[],
                  year=2024, date_signed=date(2024, 2, 20),
                  overview=Overview(staffing=Staffing(authorized=10, actual=12, active=8, active_change=-1)),
                  tables={"expenditure": table})
    fields.update(changes)
    return Disclosure(**fields)


def test_one_named_graph_per_disclosure_named_by_department_and_year():
    g = to_graph(_disclosure())
    assert g.identifier == DOC
    assert (DOC, RDF.type, BKG.Disclosure) in g
    assert (DOC, BKG.department, DEPT) in g
    assert (DOC, BKG.fiscalYear, Literal("2024", datatype=XSD.gYear)) in g
    assert (DOC, BKG.dateSigned, Literal("2024-02-20", datatype=XSD.date)) in g
    assert (DOC, DCTERMS.title, Literal("测试局2024年部门预算公开", lang="zh")) in g
    ds = to_dataset([g])
    assert [c.identifier for c in ds.graphs() if len(c)] == [DOC]


def test_the_table_its_rows_and_codes():
    g = to_graph(_disclosure())
    assert (DOC, BKG.table, TABLE) in g
    assert (TABLE, BKG.tableNumber, Literal(3)) in g
    assert (TABLE, BKG.tableKind, URIRef("https://w3id.org/budgetkg/table-kind/expenditure")) in g
    row2 = URIRef(f"{TABLE}/row/2")
    assert (row2, BKG.inTable, TABLE) in g
    assert (row2, BKG.rowLabel, Literal("行政运行", lang="zh")) in g
    assert (row2, BKG.sourceLine, Literal(33)) in g
    assert (row2, BKG.functionCode, FUNCTION_2010301) in g
    assert (row2, BKG.isAggregate, Literal(False)) in g
    assert (URIRef(f"{TABLE}/row/1"), BKG.isAggregate, Literal(True)) in g


def test_each_printed_amount_is_one_observation_with_an_xsd_decimal():
    g = to_graph(_disclosure())
    obs = URIRef(f"{TABLE}/row/2/basic")
    [amount] = list(g.objects(obs, BKG.amount))
    assert (str(amount), amount.datatype) == ("200.00", XSD.decimal)
    assert (obs, RDF.type, QB.Observation) in g
    assert (obs, QB.dataSet, TABLE) in g
    assert (obs, BKG.column, URIRef("https://w3id.org/budgetkg/column/expenditure/basic")) in g
    assert (obs, BKG.expenditureType, URIRef("https://w3id.org/budgetkg/expenditure/basic")) in g
    assert (obs, BKG.classificationCode, FUNCTION_2010301) in g
    assert (obs, BKG.department, DEPT) in g
    # eight amounts printed (3 + 2 + 3): eight observations; 行政运行 has no project cell, so no observation
    assert len(set(g.subjects(RDF.type, BKG.BudgetObservation))) == 8
    assert not list(g.triples((URIRef(f"{TABLE}/row/2/project"), None, None)))


def test_a_converted_amount_keeps_its_printed_figure_and_unit():
    row = Row(1, 40, "合计", None, "total", cells={"total": D("1202.950184")})
    table = Table("expenditure", "部门支出总体情况表", "present", 38, [row], number=3, unit="元",
                  printed={(1, "total"): "12029501.84"}, columns=["total", "basic", "project"])
    g = to_graph(_disclosure(tables={"expenditure": table}))
    obs = URIRef(f"{TABLE}/row/1/total")
    assert (obs, BKG.amount, Literal("1202.950184", datatype=XSD.decimal)) in g
    assert (obs, BKG.printedAmount, Literal("12029501.84")) in g
    assert (TABLE, BKG.printedUnit, Literal("元")) in g


def test_staffing_as_integers():
    g = to_graph(_disclosure())
    node = URIRef(f"{DOC}/staffing")
    assert (DOC, BKG.staffing, node) in g
    assert (node, BKG.authorizedPositions, Literal(10)) in g
    assert (node, BKG.actualHeadcount, Literal(12)) in g
    assert (node, BKG.activeStaffChange, Literal(-1)) in g
    assert not list(g.objects(node, BKG.retiredStaff))          # not stated: no triple


def test_the_build_s_ntriples_are_the_graph_s():
    d = _disclosure()
    g = to_graph(d)
    iri, nt = to_ntriples(d)
    assert iri == str(DOC)
    assert sorted(nt.splitlines()) == sorted(g.serialize(format="nt").splitlines())
    assert (f"<{TABLE}/row/2/basic> <{BKG.amount}> "
            f"\"200.00\"^^<http://www.w3.org/2001/XMLSchema#decimal> .") in nt.splitlines()
