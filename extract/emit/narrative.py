"""Records → RDF for projects and the policy documents they cite (第三部分 七, 表7, 特定目标)."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from budgetkg.extract.identity import iri_segment
from budgetkg.extract.normalize import squash
from budgetkg.resources import data_dir
from budgetkg.vocab import BKG, ELI


def _dec(value):
    return None if value is None else Literal(value, datatype=XSD.decimal)


def _int(value: int | None):
    return None if value is None else Literal(value, datatype=XSD.integer)


def emit_document(em, citation) -> URIRef:
    """One entity per cited document, keyed on its normalized number (or title)."""
    iri = URIRef(em.m.document(citation.key, citation.kind))
    em.add(iri, RDF.type, ELI.LegalResource)
    em.add(iri, BKG.citationKind, Literal(citation.kind))
    if citation.kind != "title":
        em.add(iri, ELI.id_local, Literal(citation.key))
        em.add(iri, SKOS.notation, Literal(citation.key))
        em.add(iri, BKG.issuerCode, Literal(citation.issuer))
        em.add(iri, BKG.documentYear, _int(citation.year))
        em.add(iri, BKG.serialNumber, _int(citation.serial))
    if citation.title:
        em.add(iri, DCTERMS.title, Literal(citation.title, lang="zh"))
    return iri


class ProjectEmitter:
    """Mint one project per (executing unit, name) of a disclosure and link its table-7 rows."""

    def __init__(self, em):
        self.em = em
        self.d = em.d
        self.by_key: dict[tuple[str, str], URIRef] = {}
        # the department itself and its 本级 unit execute the same projects
        # (X（本级） is X's own unit whether or not part one lists its units)
        self.own = {None, "", em.d.department, em.d.department + "本级"} | \
            {u.name for u in em.d.overview.units if u.is_head}

    def _unit_iri(self, unit: str | None) -> URIRef:
        if not unit or unit == self.d.department:
            return self.em.dept
        return URIRef(self.em.m.unit(self.d.department, unit))

    def project(self, name: str, unit: str | None, unit_known: bool = True) -> URIRef:
        key = self._key(name, unit)
        if key not in self.by_key:
            unit_segment = iri_segment(unit) if unit and unit != self.d.department else "本级"
            iri = URIRef(f"{self.em.doc}/project/{unit_segment}/{iri_segment(squash(name))}")
            self.em.add(iri, RDF.type, BKG.Project)
            self.em.add(iri, SKOS.prefLabel, Literal(squash(name), lang="zh"))
            self.em.add(iri, BKG.department, self.em.dept)
            if unit_known:
                self.em.add(iri, BKG.executingUnit, self._unit_iri(unit))
            self.em.add(iri, DCTERMS.isPartOf, self.em.doc)
            self.by_key[key] = iri
        return self.by_key[key]

    def candidates(self) -> list:
        """The projects table 7 and part three print, for pairing with performance tables."""
        from budgetkg.extract.narrative.pairing import Candidate
        amounts: dict[tuple[str, str], tuple] = {}
        for p in self.d.projects:
            amounts.setdefault(self._key(p.name, p.unit), (p.name, p.unit, p.amount))
        t7 = self.d.tables.get("general-budget-projects")
        for row in (t7.rows if t7 else []):
            if row.project:
                amounts.setdefault(self._key(row.project, row.unit), (row.project, row.unit, row.cells.get("total")))
        return [Candidate(squash(name), key[0], unit, amount) for key, (name, unit, amount) in amounts.items()]

    def _key(self, name: str, unit: str | None) -> tuple[str, str]:
        return ("" if unit in self.own else unit, squash(name))

    def unit_key(self, unit: str | None) -> str:
        return "" if unit in self.own else unit

    def confidential(self, code: str) -> URIRef:
        """A confidential project (特定目标 CODE), disclosed only by its code and amounts."""
        iri = URIRef(f"{self.em.doc}/project/confidential/{iri_segment(code)}")
        self.em.add(iri, RDF.type, BKG.Project)
        self.em.add(iri, SKOS.prefLabel, Literal(f"特定目标 {code}", lang="zh"))
        self.em.add(iri, BKG.projectCode, Literal(code))
        self.em.add(iri, BKG.confidential, Literal(True))
        self.em.add(iri, BKG.department, self.em.dept)
        self.em.add(iri, DCTERMS.isPartOf, self.em.doc)
        return iri

    def named(self, name: str, confidential: str | None) -> URIRef:
        """The project a name printed without its unit (表11, 第三部分 十一) refers to: a confidential
        project by its code, else the one project of that name, else a new project of the department."""
        if confidential:
            return self.confidential(confidential)
        hits = [iri for (_, n), iri in self.by_key.items() if n == squash(name)]
        return hits[0] if len(hits) == 1 else self.project(name, None, unit_known=False)

    def emit_carryover(self) -> None:
        """表11 rows and the carry-over list of 第三部分 十一, linked to the projects they name.
        Runs after the performance tables so that a project they mint under its unit is found."""
        em, d = self.em, self.d
        t11 = d.tables.get("carryover")
        for row in (t11.rows if t11 else []):
            if row.project:
                em.add(URIRef(f"{em.doc}/table/carryover/row/{row.index}"), BKG.project, self.named(row.project, row.confidential))
        ex = d.explanation
        for i, item in enumerate(ex.carryover_items if ex else [], start=1):
            iri = self.named(item.name, item.confidential)
            node = URIRef(f"{em.doc}/carryover/{i}")
            em.add(em.doc, BKG.carryOverItem, node)
            em.add(node, RDF.type, BKG.CarryOverItem)
            em.add(node, BKG.aboutProject, iri)
            em.add(node, BKG.amount, _dec(item.amount))
            em.add(node, BKG.sourceLine, _int(item.line))
            em.add(node, BKG.listPosition, _int(i))
            if item.purpose:
                em.add(node, BKG.purposeText, Literal(item.purpose, lang="zh"))
            if item.withheld:
                em.add(node, BKG.withheld, Literal(True))

    def emit(self) -> None:
        em, d = self.em, self.d
        described = {}
        for p in d.projects:
            iri = self.project(p.name, p.unit)
            described.setdefault(squash(p.name), []).append((p.unit, iri))
            em.add(iri, BKG.sourceLine, _int(p.line))
            em.add(iri, BKG.budgetAmount, _dec(p.amount))
            for prop, text in ((BKG.policyBasisText, p.basis), (BKG.allocationText, p.allocation),
                               (BKG.executionPeriodText, p.period), (BKG.budgetAmountText, p.amount_text)):
                if text:
                    em.add(iri, prop, Literal(text, lang="zh"))
            if p.period_start:
                em.add(iri, BKG.periodStart, Literal(p.period_start.isoformat(), datatype=XSD.date))
                em.add(iri, BKG.periodEnd, Literal(p.period_end.isoformat(), datatype=XSD.date))
            for i, item in enumerate(p.items, start=1):
                node = URIRef(f"{iri}/allocation/{i}")
                em.add(iri, BKG.allocationItem, node)
                em.add(node, RDF.type, BKG.AllocationItem)
                em.add(node, SKOS.prefLabel, Literal(item.label, lang="zh"))
                em.add(node, BKG.amount, _dec(item.amount))
                em.add(node, BKG.listPosition, _int(i))
                if item.within is not None:
                    em.add(node, BKG.withinItem, URIRef(f"{iri}/allocation/{item.within + 1}"))
            if p.items:
                em.add(iri, BKG.allocationsComplete, Literal(p.items_complete))
            for citation in p.citations:
                em.add(iri, BKG.cites, emit_document(em, citation))
        t7 = d.tables.get("general-budget-projects")
        for row in (t7.rows if t7 else []):
            if not row.project:
                continue
            candidates = described.get(squash(row.project), [])
            match = [iri for unit, iri in candidates if unit == row.unit or row.unit is None]
            iri = match[0] if len(match) == 1 else self.project(row.project, row.unit)
            em.add(URIRef(f"{em.doc}/table/general-budget-projects/row/{row.index}"), BKG.project, iri)
        for c in d.confidential:
            iri = self.confidential(c.code)
            em.add(iri, BKG.budgetAmount, _dec(c.amount))
            em.add(iri, BKG.sourceLine, _int(c.line))
        for citation in d.citations:
            em.add(em.doc, BKG.cites, emit_document(em, citation))


LEVEL_SCHEME = "https://w3id.org/budgetkg/indicator-level"
_VALUE_TYPES = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}


def _level(em, label: str | None, broader: URIRef | None = None) -> URIRef | None:
    """一级/二级指标 as SKOS concepts. Each document's graph has its own concept (so a union of
    graphs never repeats a label), matched by skos:exactMatch to one shared concept per label
    for comparisons across documents."""
    if not label:
        return None
    segment = iri_segment(label)
    iri = URIRef(f"{em.doc}/indicator-level/{segment}")
    em.add(iri, RDF.type, SKOS.Concept)
    em.add(iri, SKOS.prefLabel, Literal(label, lang="zh"))
    em.add(iri, SKOS.inScheme, URIRef(LEVEL_SCHEME))
    shared = f"{LEVEL_SCHEME}/{segment}"
    if shared in _shared_levels():
        em.add(iri, SKOS.exactMatch, URIRef(shared))
    if broader is not None and broader != iri:   # 满意度指标 printed at both levels is one concept
        em.add(iri, SKOS.broader, broader)
    return iri


@lru_cache(maxsize=1)
def _shared_levels() -> frozenset[str]:
    """The shared level concepts of ontology/indicator-levels.ttl."""
    from rdflib import Graph
    g = Graph().parse(data_dir("ontology") / "indicator-levels.ttl", format="turtle")
    return frozenset(str(c) for c in g.subjects(RDF.type, SKOS.Concept))


def _value(em, node, value, text_p, kind_p=None, cmp_p=None, number_p=None, unit_p=None, date_p=None) -> None:
    em.add(node, text_p, Literal(value.text))
    if kind_p:
        em.add(node, kind_p, Literal(value.kind))
    if cmp_p and value.comparator:
        em.add(node, cmp_p, Literal(value.comparator))
    em.add(node, number_p, _dec(value.target))
    if unit_p and value.unit:
        em.add(node, unit_p, Literal(value.unit))
    if date_p and value.target_date:
        em.add(node, date_p, Literal(value.target_date, datatype=_VALUE_TYPES[len(value.target_date)]))


def emit_performance(em, projects: ProjectEmitter) -> None:
    """Performance-target tables: header fields, indicator rows, and the rows kept as text."""
    from budgetkg.extract.narrative.pairing import pair
    d = em.d
    pairs = pair([t for t in d.performance if t.kind == "project"], projects.candidates(), projects.unit_key)
    for t in d.performance:
        node = URIRef(f"{em.doc}/performance/{t.position}")
        em.add(em.doc, BKG.performanceTable, node)
        em.add(node, RDF.type, BKG.PerformanceTable)
        em.add(node, RDF.type, BKG.DepartmentPerformanceTable if t.kind == "department"
               else BKG.ProjectPerformanceTable)
        em.add(node, DCTERMS.isPartOf, em.doc)
        em.add(node, BKG.sourceLine, _int(t.line))
        em.add(node, BKG.listPosition, _int(t.position))
        if t.unit:
            em.add(node, BKG.reportingUnit, projects._unit_iri(t.unit))
        if t.kind == "project" and t.project:
            paired = pairs.get(t.position)
            if paired is None:
                em.add(node, BKG.aboutProject, projects.project(t.project, t.unit))
            else:
                em.add(node, BKG.aboutProject, projects.project(paired.project.name, paired.project.unit))
                em.add(node, BKG.nameMatch, Literal(paired.match))
            em.add(node, BKG.printedProjectName, Literal(squash(t.project), lang="zh"))
        for prop, text in ((BKG.responsiblePerson, t.manager), (BKG.contactPhone, t.contact)):
            if text:
                em.add(node, prop, Literal(text))
        if t.goal:
            em.add(node, BKG.goalText, Literal(t.goal, lang="zh"))
        for key, prop in (("total", BKG.fundTotal), ("fiscal", BKG.fundFiscal), ("other", BKG.fundOther),
                          ("upper", BKG.fundUpperLevel), ("own", BKG.fundOwnLevel)):
            em.add(node, prop, _dec(t.funds.get(key)))
        for line, text in t.unparsed:
            em.add(node, BKG.unparsedRowText, Literal(f"line {line}: {text}", lang="zh"))
        for ind in t.indicators:
            row = URIRef(f"{node}/indicator/{ind.position}")
            em.add(node, BKG.indicator, row)
            em.add(row, RDF.type, BKG.Indicator)
            em.add(row, SKOS.prefLabel, Literal(ind.name, lang="zh"))
            em.add(row, BKG.listPosition, _int(ind.position))
            em.add(row, BKG.sourceLine, _int(ind.line))
            top = _level(em, ind.level1)
            em.add(row, BKG.level1, top)
            em.add(row, BKG.level2, _level(em, ind.level2, top))
            _value(em, row, ind.value, BKG.targetText, BKG.targetKind, BKG.comparator, BKG.targetValue,
                   BKG.targetUnit, BKG.targetDate)
            if ind.previous is not None:
                _value(em, row, ind.previous, BKG.previousText, number_p=BKG.previousValue,
                       unit_p=BKG.previousUnit)
            em.add(row, BKG.weight, _dec(ind.weight))
            for prop, text in ((BKG.basisText, ind.basis), (BKG.scoringRule, ind.scoring),
                               (BKG.evidenceText, ind.evidence)):
                if text:
                    em.add(row, prop, Literal(text, lang="zh"))
