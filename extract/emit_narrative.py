"""Records → RDF for projects and the policy documents they cite (第三部分 七, 表7, 特定目标)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from .identity import iri_segment
from .normalize import squash
from .vocab import BKG, ELI


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

    def _unit_iri(self, unit: str | None) -> URIRef:
        if not unit or unit == self.d.department:
            return self.em.dept
        return URIRef(self.em.m.unit(self.d.department, unit))

    def project(self, name: str, unit: str | None) -> URIRef:
        key = (unit or "", squash(name))
        if key not in self.by_key:
            unit_segment = iri_segment(unit) if unit and unit != self.d.department else "本级"
            iri = URIRef(f"{self.em.doc}/project/{unit_segment}/{iri_segment(squash(name))}")
            self.em.add(iri, RDF.type, BKG.Project)
            self.em.add(iri, SKOS.prefLabel, Literal(squash(name), lang="zh"))
            self.em.add(iri, BKG.department, self.em.dept)
            self.em.add(iri, BKG.executingUnit, self._unit_iri(unit))
            self.em.add(iri, DCTERMS.isPartOf, self.em.doc)
            self.by_key[key] = iri
        return self.by_key[key]

    def emit(self) -> None:
        em, d = self.em, self.d
        described = {}
        for p in d.projects:
            iri = self.project(p.name, p.unit)
            described.setdefault(squash(p.name), []).append((p.unit, iri))
            em.add(iri, BKG.sourceLine, _int(p.line))
            em.add(iri, BKG.budgetAmount, _dec(p.amount))
            for prop, text in ((BKG.policyBasisText, p.basis), (BKG.allocationText, p.allocation),
                               (BKG.executionPeriodText, p.period)):
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
            for citation in p.citations:
                em.add(iri, BKG.cites, emit_document(em, citation))
        t7 = d.tables.get(7)
        for row in (t7.rows if t7 else []):
            if not row.project:
                continue
            candidates = described.get(squash(row.project), [])
            match = [iri for unit, iri in candidates if unit == row.unit or row.unit is None]
            iri = match[0] if len(match) == 1 else self.project(row.project, row.unit)
            em.add(URIRef(f"{em.doc}/table/7/row/{row.index}"), BKG.project, iri)
        for c in d.confidential:
            iri = URIRef(f"{em.doc}/project/confidential/{iri_segment(c.code)}")
            em.add(iri, RDF.type, BKG.Project)
            em.add(iri, SKOS.prefLabel, Literal(f"特定目标 {c.code}", lang="zh"))
            em.add(iri, BKG.projectCode, Literal(c.code))
            em.add(iri, BKG.confidential, Literal(True))
            em.add(iri, BKG.budgetAmount, _dec(c.amount))
            em.add(iri, BKG.department, em.dept)
            em.add(iri, BKG.sourceLine, _int(c.line))
            em.add(iri, DCTERMS.isPartOf, em.doc)
        for citation in d.citations:
            em.add(em.doc, BKG.cites, emit_document(em, citation))
