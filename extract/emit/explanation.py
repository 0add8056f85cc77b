"""Records → RDF for the facts of 第三部分's prose: change statements (linked to what they
restate) and the 三公, 机关运行经费, 政府采购, 国有资产 and 预算绩效 figures."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from budgetkg.extract.codes import code_iri
from budgetkg.extract.columns import VEHICLES, column_iri, kind_iri
from budgetkg.extract.emit.narrative import _dec, _int
from budgetkg.vocab import BKG, EXPENDITURE, FUND, PHASE, QB

def _restated(em, target: tuple[str, str] | None) -> URIRef | None:
    """The IRI of what a statement restates (resolved in the records: narrative.subjects)."""
    if target is None:
        return None
    scheme, key = target
    if scheme == "fund":
        return FUND[key]
    if scheme == "expenditure":
        return EXPENDITURE[key]
    if scheme == "three-public":
        return column_iri("three-public", key)
    return URIRef(code_iri("function", em.d.year, key))


def _execution(em, ex) -> None:
    """A final account's budget-execution statements: what each is about (the general budget's
    spending, or the function item its names resolve to), 年初预算, 支出决算, the rate printed."""
    for i, st in enumerate(ex.execution, start=1):
        node = URIRef(f"{em.doc}/execution/{i}")
        em.add(em.doc, BKG.executionStatement, node)
        em.add(node, RDF.type, BKG.ExecutionStatement)
        em.add(node, BKG.subjectText, Literal(st.subject, lang="zh"))
        em.add(node, BKG.restates, _restated(em, st.restates))
        em.add(node, BKG.initialBudget, _dec(st.budget))
        em.add(node, BKG.finalAmount, _dec(st.final))
        em.add(node, BKG.completionRate, _dec(st.rate))
        if st.rate is not None:        # the printed precision, which the decimal value loses in a store
            em.add(node, BKG.rateDecimals, _int(max(0, -st.rate.as_tuple().exponent)))
        if st.reason:
            em.add(node, BKG.reason, Literal(st.reason, lang="zh"))
        em.add(node, BKG.sourceLine, _int(st.line))


def emit_slips(em) -> None:
    """The wording slips found in the document (ontology/wording-slips.toml), one node per kind."""
    for slip in em.d.slips:
        node = URIRef(f"{em.doc}/wording/{slip.id}")
        em.add(em.doc, BKG.wordingSlip, node)
        em.add(node, RDF.type, BKG.WordingSlip)
        em.add(node, DCTERMS.title, Literal(slip.title, lang="zh"))
        em.add(node, DCTERMS.title, Literal(slip.title_en, lang="en"))
        em.add(node, BKG.printedWording, Literal(slip.printed, lang="zh"))
        em.add(node, BKG.expectedWording, Literal(slip.expected, lang="zh"))
        em.add(node, BKG.sourceLine, _int(slip.line))
        em.add(node, BKG.occurrenceLines, Literal("、".join(str(n) for n in slip.lines)))


def emit_explanation(em) -> None:
    emit_slips(em)
    ex = em.d.explanation
    if ex is None:
        return
    for i, st in enumerate(ex.statements, start=1):
        _change_statement(em, ex, i, st)
    _execution(em, ex)
    _empty_claims(em, ex)
    for segment, fig, link, cls, props in _figures(ex):
        if fig is not None:
            _figure(em, segment, fig, link, cls, props)
    if ex.operating is not None:
        em.add(em.doc, BKG.operatingExpenseAmount, _dec(ex.operating.values.get("total")))


def _change_statement(em, ex, i: int, st) -> None:
    """The *i*-th change statement: its subject and what it restates, its figures (an amount the
    sentence before states), the reason given and its direction, where it is printed."""
    node = URIRef(f"{em.doc}/statement/{i}")
    em.add(em.doc, BKG.changeStatement, node)
    em.add(node, RDF.type, BKG.ChangeStatement)
    em.add(node, BKG.subjectText, Literal(st.subject, lang="zh"))
    em.add(node, BKG.restates, _restated(em, st.restates))
    if st.before is not None:
        em.add(node, BKG.amountInPreviousSentence, _dec(st.before[0]))
        em.add(node, BKG.amountLine, _int(st.before[1]))
    for prop, value in ((BKG.amount, st.amount), (BKG.share, st.share), (BKG.change, st.change),
                        (BKG.changePercent, st.percent), (BKG.priorAmount, st.prior),
                        (BKG.headingAmount, st.heading)):
        em.add(node, prop, _dec(value))
    if st.share is not None:        # the printed precision, which the decimal value loses in a store
        em.add(node, BKG.shareDecimals, _int(max(0, -st.share.as_tuple().exponent)))
    if st.reason:
        em.add(node, BKG.reason, Literal(st.reason, lang="zh"))
        if st.direction:
            em.add(node, BKG.reasonDirection, Literal(st.direction[0]))
            em.add(node, BKG.reasonWord, Literal(st.direction[1], lang="zh"))
    if st.basis:
        em.add(node, BKG.changeBasis, Literal(st.basis))
    if st.section:
        em.add(node, BKG.section, Literal(st.section))
    if st.role:
        em.add(node, BKG.sectionRole, Literal(st.role))
    em.add(node, BKG.sourceLine, _int(st.line))
    em.add(node, BKG.listPosition, _int(i))


def _empty_claims(em, ex) -> None:
    """The statements that a kind of table is empty (没有…支出, 为空表)."""
    for i, claim in enumerate(ex.empty_claims, start=1):
        node = URIRef(f"{em.doc}/empty-claim/{i}")
        em.add(em.doc, BKG.emptyClaim, node)
        em.add(node, RDF.type, BKG.EmptyClaim)
        em.add(node, BKG.claimsEmpty, kind_iri(claim.kind))
        em.add(node, BKG.claimText, Literal(claim.text, lang="zh"))
        em.add(node, BKG.sourceLine, _int(claim.line))


def _figures(ex) -> tuple:
    """(IRI segment, figures or None, link from the document, class, property of each value's key)
    of every kind of figure statement the explanation may print."""
    return (
        ("three-public", ex.three_public, BKG.threePublicStatement, BKG.ThreePublicStatement,
         {"total": BKG.amount, "abroad": BKG.abroadAmount, "vehicle-purchase": BKG.vehiclePurchaseAmount,
          "vehicle-operation": BKG.vehicleOperationAmount, "reception": BKG.receptionAmount}),
        ("procurement", ex.procurement, BKG.procurementStatement, BKG.ProcurementStatement,
         {"total": BKG.amount, "goods": BKG.goodsAmount, "works": BKG.worksAmount, "services": BKG.servicesAmount,
          "sme": BKG.smeReservedAmount, "micro-small": BKG.microSmallReservedAmount}),
        ("assets", ex.assets, BKG.assetStatement, BKG.AssetStatement,
         {"building-area": BKG.buildingArea, "building-value": BKG.buildingValue, "vehicle-count": BKG.vehicleCount,
          "vehicle-value": BKG.vehicleValue, "furniture-value": BKG.furnitureValue,
          "other-value": BKG.otherAssetValue, "equipment-50": BKG.largeEquipment50Count,
          "equipment-100": BKG.largeEquipment100Count}),
        ("performance-summary", ex.performance, BKG.performanceSummary, BKG.PerformanceSummary,
         {"department-targets": BKG.departmentTargetCount, "department-amount": BKG.departmentTargetAmount,
          "fiscal-projects": BKG.fiscalProjectCount, "fiscal-amount": BKG.fiscalProjectAmount,
          "nonfiscal-projects": BKG.nonfiscalProjectCount, "nonfiscal-amount": BKG.nonfiscalProjectAmount}),
        ("carryover", ex.carryover, BKG.carryOverStatement, BKG.CarryOverStatement,
         {"total": BKG.amount, "fiscal": BKG.fiscalCarryOver, "nonfiscal": BKG.nonfiscalCarryOver}),
        ("fiscal-total", ex.fiscal, BKG.fiscalTotalStatement, BKG.FiscalTotalStatement, {"total": BKG.amount}),
        ("basic-spending", ex.basic, BKG.basicSpendingStatement, BKG.BasicSpendingStatement,
         {"total": BKG.amount, "personnel": BKG.personnelAmount, "public": BKG.publicAmount}),
    ) + tuple((f"fund-statement/{kind}", fig, BKG.fundStatement, BKG.FundStatement,
               {"opening": BKG.openingBalance, "income": BKG.incomeAmount, "spending": BKG.spendingAmount,
                "closing": BKG.closingBalance}) for kind, fig in ex.funds.items())


def _figure(em, segment: str, fig, link: URIRef, cls: URIRef, props: dict) -> None:
    """One figure statement: its values, the table a fund statement states, the vehicles it counts."""
    node = URIRef(f"{em.doc}/{segment}")
    em.add(em.doc, link, node)
    em.add(node, RDF.type, cls)
    em.add(node, BKG.sourceLine, _int(fig.line))
    for key, value in fig.values.items():
        em.add(node, props[key], _dec(value))
    if segment.startswith("fund-statement/"):
        em.add(node, BKG.statesTable, kind_iri(segment.rsplit("/", 1)[1]))
    if fig.vehicles:
        _vehicles(em, node, fig.vehicles)


def _vehicles(em, node: URIRef, vehicles) -> None:
    """The vehicles an assets paragraph counts, by type. Those printed with both their count and
    their value are the observations of a Data Cube data set (structure vehicle-holdings)."""
    dataset = URIRef(f"{node}/vehicles")
    for k, (kind, count, value) in enumerate(vehicles, start=1):
        holding = URIRef(f"{dataset}/{k}")
        em.add(node, BKG.vehicleHolding, holding)
        em.add(holding, RDF.type, BKG.VehicleHolding)
        em.add(holding, SKOS.prefLabel, Literal(kind, lang="zh"))
        em.add(holding, BKG.vehicleCount, _dec(count))
        em.add(holding, BKG.vehicleValue, _dec(value))
        if count is not None and value is not None:
            em.add(holding, RDF.type, QB.Observation)
            em.add(holding, QB.dataSet, dataset)
            em.add(holding, BKG.vehicleType, Literal(kind, lang="zh"))
    em.add(dataset, RDF.type, QB.DataSet)
    em.add(dataset, QB.structure, VEHICLES)
    em.add(dataset, DCTERMS.title, Literal("车辆保有情况", lang="zh"))
    em.add(dataset, DCTERMS.isPartOf, em.doc)
    em.add(dataset, BKG.department, em.dept)
    em.add(dataset, BKG.fiscalYear, Literal(str(em.d.year), datatype=XSD.gYear))
    em.add(dataset, BKG.budgetPhase, PHASE[em.d.phase])
