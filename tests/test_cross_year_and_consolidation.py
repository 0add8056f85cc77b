"""Checks across documents (issue 29): a budget's statements on last year against last year's
budget in the store, and a department budget against its units' budgets (单位预算).

On the shared Shanghai documents (tests/fixtures/real/):

* The Wanli street office's 2024 budget states six figures on the 2023 budget (比上年预算). Three
  restate 财政拨款收入/支出预算 and 一般公共预算拨款支出预算: 15621.11万元, 减少876.75万元, so 16497.86,
  which 2023 states for each (2023, page 6, lines 48-49). Three are the 三公 expenses (page 32):
  “三公”经费47.91万元 and 公务用车购置及运行费46.56万元, each 增加25万元, and 公务用车购置费25万元, 增加25万元:
  22.91, 21.56 and 0, which is what the 2023 三公 table prints (page 30, lines 367, 372, 370).
  No difference: the rules find nothing, and all six are counted as checked.
* The district office's 2025 部门预算 lists two units: 本部, and 上海市普陀区交流服务中心, printed as
  不单列预算，并入本部 (page 3, lines 39-40). So the department budget is the 本部's 单位预算, which is
  the other document: every cell the department prints equals the unit budget's (the 206 cells of
  the consolidation query), and the rule finds nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from budgetkg.audit.coverage import coverage
from budgetkg.audit.validate import (LoadValidation, document_graphs, load_shapes, related, shared_graphs,
                                     validate_store)
from budgetkg.build import build
from budgetkg.store.embedded import EmbeddedStore, ensure_ontology
from budgetkg.store.query import canned_queries, run
from budgetkg.synth.corpus import write_years
from budgetkg.synth.score import score
from conftest import FIXTURES, extracted, store_of

BKG = Namespace("https://w3id.org/budgetkg/ontology#")
REAL = FIXTURES / "real"
CROSS_YEAR = {"AChangeOnLastYearSBudgetAgreesWithLastYearSBudget", "AThreePublicChangeOnLastYearSBudgetAgreesWithLastYearSTable"}
CONSOLIDATION = "ADepartmentSTablesEqualTheSumOfItsUnitsTables"
WANLI = "https://w3id.org/budgetkg/id/disclosure/上海市普陀区人民政府万里街道办事处/"
OFFICE = "https://w3id.org/budgetkg/id/disclosure/上海市普陀区人民政府办公室/2025"


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def _graph(name: str) -> Graph:
    return extracted(REAL / f"{name}.pdf")[1]


def _copy(g: Graph) -> Graph:
    out = Graph(identifier=g.identifier)
    for t in g:
        out.add(t)
    return out


def _set(g: Graph, node, prop, value: str) -> None:
    g.remove((node, prop, None))
    g.add((node, prop, Literal(Decimal(value), datatype=XSD.decimal)))


def _ours(findings, names) -> list:
    names = {names} if isinstance(names, str) else names
    return [f for f in findings if f.code.rsplit("#", 1)[-1] in names]


def test_wanli_2024_s_statements_on_2023_are_checked_and_agree(shapes):
    store = store_of(_graph("putuo_wanli_2023"), _graph("putuo_wanli_2024"))
    assert related(store) == {WANLI + "2024": [WANLI + "2023"]}
    assert _ours(validate_store(store, shapes), CROSS_YEAR) == []
    c = coverage(store)
    # 2024's six; 2023's four have no 2022 in the store; the 60 others compare with 上年执行数
    assert (c.checked, c.not_stated_last_year, c.without_last_year) == (6, 0, 4)
    assert c.other_basis == 60 and any("6 条与上年预算比较的说明已与库中上年预算核对" in line for line in c.lines())


def test_a_statement_that_disagrees_with_last_year_s_budget_is_found(shapes):
    g23, g24 = _graph("putuo_wanli_2023"), _copy(_graph("putuo_wanli_2024"))
    statement = next(s for s, t in g24.subject_objects(BKG.subjectText) if str(t) == "财政拨款收入")
    _set(g24, statement, BKG.change, "-800.00")            # 15621.11 + 800 = 16421.11, not 16497.86
    found = _ours(validate_store(store_of(g23, g24), shapes), CROSS_YEAR)
    assert [(f.document, f.value) for f in found] == [(WANLI + "2024", str(statement))]
    assert "16421.11" in found[0].message and "16497.86万元（第48行）" in found[0].message
    assert "上海市普陀区人民政府万里街道办事处2023年部门预算公开" in found[0].message and "76.75" in found[0].message
    # without last year's budget in the store: nothing to compare with, nothing said
    assert _ours(validate_store(store_of(g24), shapes), CROSS_YEAR) == []
    assert coverage(store_of(g24)).without_last_year == 6


def test_a_three_public_change_that_disagrees_with_last_year_s_table_is_found(shapes):
    g23, g24 = _copy(_graph("putuo_wanli_2023")), _graph("putuo_wanli_2024")
    table = next(t for t, k in g23.subject_objects(BKG.tableKind) if str(k).endswith("/three-public"))
    total = next(r for r in g23.subjects(BKG.inTable, table) if str(g23.value(r, BKG.rowItem)) == "total")
    cell = next(o for o in g23.subjects(BKG.sourceRow, total))
    _set(g23, cell, BKG.amount, "20.00")                   # 2024: 47.91 − 25 = 22.91
    found = _ours(validate_store(store_of(g23, g24), shapes), CROSS_YEAR)
    assert len(found) == 1 and found[0].document == WANLI + "2024"
    assert "22.91" in found[0].message and "20" in found[0].message and "第367行" in found[0].message


def test_the_office_s_department_budget_is_its_unit_budget(shapes):
    dept, unit = _graph("putuo_zfb_2025_dept"), _graph("putuo_zfb_2025_unit")
    merged = list(dept.objects(URIRef(OFFICE), BKG.mergedUnit))
    assert [str(u).rsplit("/", 1)[-1] for u in merged] == ["上海市普陀区交流服务中心"]
    store = store_of(dept, unit)
    assert related(store) == {OFFICE: [OFFICE + "/unit"]}
    assert _ours(validate_store(store, shapes), CONSOLIDATION) == []
    c = coverage(store)
    assert c.consolidated == [OFFICE] and c.missing_units == {}
    rows = list(run(store, canned_queries()["consolidation"]).values())
    assert len(rows) == 206 and {r["difference"] for r in rows} == {"0.00"}
    assert {r["complete"] for r in rows} == {"true"} and {r["units"] for r in rows} == {"1"}


def _unit_cell(unit: Graph, code: str):
    q = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
    SELECT ?o ?a WHERE { ?t bkg:tableKind <https://w3id.org/budgetkg/table-kind/general-budget> .
      ?r bkg:inTable ?t ; bkg:functionCode ?c . ?o bkg:sourceRow ?r ; bkg:column ?col ; bkg:amount ?a .
      FILTER(STRENDS(STR(?c), ?code)) FILTER(STRENDS(STR(?col), "/total")) }"""
    return next(iter(unit.query(q, initBindings={"code": Literal("/" + code)})))


def test_a_unit_cell_that_does_not_add_up_is_found_and_not_when_a_unit_is_missing(shapes):
    dept, unit = _graph("putuo_zfb_2025_dept"), _copy(_graph("putuo_zfb_2025_unit"))
    cell, amount = _unit_cell(unit, "2010301")
    _set(unit, cell, BKG.amount, str(amount.toPython() + Decimal("1.00")))
    found = _ours(validate_store(store_of(dept, unit), shapes), CONSOLIDATION)
    assert [(f.document, f.object.rsplit("/", 1)[-1]) for f in found] == [(OFFICE, "general-budget")]
    assert "2010301" in found[0].message and "1202.950184" in found[0].message and "1203.950184" in found[0].message
    # were the 交流服务中心 budgeted apart (its note removed), its 单位预算 would be missing: not checked
    apart = _copy(dept)
    apart.remove((URIRef(OFFICE), BKG.mergedUnit, None))
    store = store_of(apart, unit)
    assert _ours(validate_store(store, shapes), CONSOLIDATION) == []
    assert coverage(store).missing_units == {OFFICE: ["上海市普陀区交流服务中心"]}


@pytest.mark.parametrize("name, units", [
    ("putuo_zfb_2025_dept", [("上海市普陀区人民政府办公室本部", True, False), ("上海市普陀区交流服务中心", False, True)]),
    ("putuo_czj_2024_final", [("上海市普陀区财政局本级", True, False), ("上海市普陀区财政局财政所", False, True),
                              ("上海市普陀区国库收付中心", False, True)]),
    ("putuo_wanli_2024", [("上海市普陀区人民政府万里街道办事处本部", True, False)] +
     [(f"上海市普陀区万里街道{u}", False, False) for u in ("社区事务受理服务中心", "社区党群服务中心", "城市运行管理中心",
                                                        "经济发展服务中心", "综合行政执法队")]),
])
def test_part_one_s_units_are_read_with_their_head_and_merged_units(name, units):
    """zfb p3 lines 38-40 (1.…本部。2.下属事业单位…不单列预算，并入本部。); czj p3 lines 47-51 (a table:
    序号 单位名称 备注, 预算不单列，并入本级); wanli p3 lines 33-39 (1. …（本部）。 … 6. …综合行政执法队。)."""
    disclosure = extracted(REAL / f"{name}.pdf")[0]
    assert [(u.name, u.is_head, u.merged) for u in disclosure.overview.units] == units


def test_a_build_checks_a_budget_again_when_last_year_s_loads_after_it(shapes):
    g23, g24 = _graph("putuo_wanli_2023"), _copy(_graph("putuo_wanli_2024"))
    statement = next(s for s, t in g24.subject_objects(BKG.subjectText) if str(t) == "财政拨款收入")
    _set(g24, statement, BKG.change, "-800.00")
    store = EmbeddedStore(None)
    ensure_ontology(store)
    for graphs in ([g24], [g23]):                   # two builds: 2024 first, then 2023
        for g in graphs:
            store.replace_graph(str(g.identifier), g.serialize(format="nt"), "test")
        validation = LoadValidation(shapes, shared_graphs(store, set(document_graphs(store))))
        for g in graphs:
            validation.add(str(g.identifier), g.serialize(format="nt"))
        found = validation.finish(store)
        if graphs == [g24]:
            assert _ours(found, CROSS_YEAR) == []
    assert [(f.document, f.value) for f in _ours(found, CROSS_YEAR)] == [(WANLI + "2024", str(statement))]
    assert found == validate_store(store, shapes)


def _validated(tmp_path, share: float):
    out = tmp_path / "corpus"
    manifest = write_years(out, 4, 2024, 3, seed=3, defect_share=share, styles=("tsv", "wrapped"), unit_share=1.0,
                           report=lambda _: None)
    store = EmbeddedStore(None)
    ensure_ontology(store)
    summary = build([out], store, jobs=2, report=lambda _: None)
    assert summary.failed == 0 and summary.loaded == len(manifest["documents"])
    return manifest, store


def test_a_consistent_three_year_corpus_with_unit_budgets_has_no_finding(tmp_path, shapes):
    manifest, store = _validated(tmp_path, 0.0)
    assert sum(e["scope"] == "unit" for e in manifest["documents"]) >= 4
    findings = validate_store(store, shapes, jobs=2)
    assert [f for f in findings if f.severity != "info"] == []
    c = coverage(store)
    assert c.checked > 100 and c.consolidated and not c.missing_units


def test_planted_cross_year_and_consolidation_defects_are_all_found_and_nothing_else(tmp_path, shapes):
    manifest, store = _validated(tmp_path, 1.0)
    planted = {d["kind"] for e in manifest["documents"] for d in e["defects"]}
    assert planted == {"last-year-item-misstated", "last-year-three-public-misstated", "unit-item-moved"}
    result = score(manifest, validate_store(store, shapes, jobs=2), shapes)
    assert result.found == result.planted > 0 and result.missed == []
    assert result.unexpected == []


def test_a_renamed_department_s_former_name_is_mapped_by_the_alias_file(tmp_path, monkeypatch):
    """An alias file (BUDGETKG_ALIASES, beside ontology/department-aliases.toml) maps the name the
    2023 budget prints to a current one: the disclosure falls under the current department and
    keeps the printed name as an alternative label; without the file nothing is renamed."""
    from budgetkg.extract.emit import to_graph
    from budgetkg.extract.pipeline import extract_file
    from rdflib.namespace import SKOS
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[aliases]\n"上海市普陀区人民政府万里街道办事处" = "上海市普陀区万里街道办事处"\n', encoding="utf-8")
    monkeypatch.setenv("BUDGETKG_ALIASES", str(aliases))
    renamed = extract_file(REAL / "putuo_wanli_2023.pdf")
    assert renamed.department == "上海市普陀区万里街道办事处"
    assert "上海市普陀区人民政府万里街道办事处" in renamed.department_names
    g = to_graph(renamed)
    org = URIRef("https://w3id.org/budgetkg/id/org/上海市普陀区万里街道办事处")
    assert Literal("上海市普陀区人民政府万里街道办事处", lang="zh") in set(g.objects(org, SKOS.altLabel))
    monkeypatch.delenv("BUDGETKG_ALIASES")
    assert extract_file(REAL / "putuo_wanli_2023.pdf").department == "上海市普陀区人民政府万里街道办事处"
    aliases.write_text('[aliases]\n"甲" = 1\n', encoding="utf-8")
    monkeypatch.setenv("BUDGETKG_ALIASES", str(aliases))
    with pytest.raises(Exception, match="aliases"):
        extract_file(REAL / "putuo_wanli_2023.pdf")


def _next_year(g: Graph) -> Graph:
    """*g* (a 2024 final account) as the same body's 2025 one: its IRIs and year moved on."""
    text = g.serialize(format="nt").replace("/2024/final", "/2025/final").replace(
        '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>', '"2025"^^<http://www.w3.org/2001/XMLSchema#gYear>')
    out = Graph(identifier=URIRef(str(g.identifier).replace("/2024/final", "/2025/final")))
    out.parse(data=text, format="nt")
    return out


def test_a_final_account_carries_in_what_last_year_s_carried_out(shapes):
    """The 财政局's 2024 final account (putuo_czj_2024_final.pdf, page 5, line 84) carries 55.34万元
    out (年末结转和结余) and, in its 财政拨款 summary (line 162), 21.63. Read as 2025's, it carries in
    49.14 and 21.63: the first differs, the second agrees."""
    g24 = _graph("putuo_czj_2024_final")
    g25 = _next_year(g24)
    found = _ours(validate_store(store_of(g24, g25), shapes), "FinalOpeningBalanceEqualsLastYearSClosingBalance")
    assert [(f.document, f.value.rsplit("/table/", 1)[-1].split("/row/")[0]) for f in found] == [
        (str(g25.identifier), "summary")]
    assert "49.14" in found[0].message and "55.34" in found[0].message and "第84行" in found[0].message
    # the 2025 account carrying in 55.34: nothing; without 2024's in the store: nothing
    row = URIRef(found[0].value)
    cell = next(g25.subjects(BKG.sourceRow, row))
    _set(g25, cell, BKG.amount, "55.34")
    assert _ours(validate_store(store_of(g24, g25), shapes), "FinalOpeningBalanceEqualsLastYearSClosingBalance") == []
    assert _ours(validate_store(store_of(_next_year(g24)), shapes), "FinalOpeningBalanceEqualsLastYearSClosingBalance") == []
