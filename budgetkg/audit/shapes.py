"""The audit's rules: shapes/*.ttl, one rule per file, read and checked for what the engines support."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

from budgetkg.errors import BudgetKGError
from budgetkg.resources import data_dir, ontology_files

SEVERITIES = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}

@dataclass(frozen=True)
class Constraint:
    shape: str                  # IRI of the node shape (a property shape is told apart by its path)
    file: str
    target: str                 # sh:targetClass
    severity: str               # violation | warning | info
    message: str
    select: str | None = None   # SHACL-SPARQL SELECT, with $this
    path: str | None = None     # sh:minCount 1 on this path
    title_zh: str = ""
    title_en: str = ""


@dataclass
class Shapes:
    graph: Graph
    constraints: list[Constraint] = field(default_factory=list)

    def titles(self) -> dict[str, tuple[str, str, str]]:
        return {c.shape: (c.title_zh, c.title_en, c.file) for c in self.constraints}


def _text(g: Graph, node, prop, lang: str | None = None) -> str | None:
    values = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
    if lang:
        values = [o for o in values if o.language == lang] or values
    return str(values[0]) if values else None


def load_shapes(directory: Path | None = None) -> Shapes:
    """Every ``*.ttl`` of shapes/ (one rule per file), checked for what the engines support."""
    root = directory or data_dir("shapes")
    g = Graph()
    out = Shapes(g)
    for path in sorted(root.glob("*.ttl")):
        one = Graph().parse(path, format="turtle")
        g += one
        shapes = list(one.subjects(RDF.type, SH.NodeShape))
        if len(shapes) != 1:
            raise BudgetKGError(f"{path}: one node shape per file expected, found {len(shapes)}")
        (shape,) = shapes
        target = one.value(shape, SH.targetClass)
        title_zh, title_en = _text(one, shape, DCTERMS.title, "zh"), _text(one, shape, DCTERMS.title, "en")
        if target is None or not title_zh or not title_en or \
                not _text(one, shape, DCTERMS.description, "zh") or not _text(one, shape, DCTERMS.description, "en"):
            raise BudgetKGError(f"{path}: a shape needs sh:targetClass and a zh and en dcterms:title and "
                                "dcterms:description")
        severity = SEVERITIES.get(str(one.value(shape, SH.severity) or str(SH.Violation)))
        for constraint in one.objects(shape, SH.sparql):
            select, message = one.value(constraint, SH.select), one.value(constraint, SH.message)
            if select is None or message is None or not re.search(r"SELECT\s+(DISTINCT\s+)?\$this\b", str(select)):
                raise BudgetKGError(f"{path}: each sh:sparql needs sh:message and a sh:select projecting $this")
            code = re.sub(r"(^|\s)#[^\n]*", " ", str(select))
            forbidden = re.search(r"(?<![\w?$:])(MINUS|VALUES|SERVICE)\b", code, re.IGNORECASE)
            if forbidden:          # SHACL 5.3.1; pySHACL refuses the whole shapes graph
                raise BudgetKGError(f"{path}: a SPARQL constraint may not use {forbidden.group(1).upper()}")
            out.constraints.append(Constraint(str(shape), path.name, str(target), severity, str(message),
                                              select=str(select), title_zh=title_zh, title_en=title_en))
        for prop in one.objects(shape, SH.property):
            p, message = one.value(prop, SH.path), one.value(prop, SH.message)
            known = {SH.path, SH.minCount, SH.message, SH.severity, SH.name, RDF.type}
            extra = {str(x) for x in one.predicates(prop, None)} - {str(x) for x in known}
            if not isinstance(p, URIRef) or one.value(prop, SH.minCount) != Literal(1) or message is None or extra:
                raise BudgetKGError(f"{path}: property shapes may use an IRI sh:path, sh:minCount 1 and "
                                    f"sh:message only (found {sorted(extra) or 'another form'})")
            sev = SEVERITIES.get(str(one.value(prop, SH.severity) or one.value(shape, SH.severity)
                                     or str(SH.Violation)))
            out.constraints.append(Constraint(str(shape), path.name, str(target), sev, str(message), path=str(p),
                                              title_zh=title_zh, title_en=title_en))
        allowed = {SH.targetClass, SH.severity, SH.sparql, SH.property, RDF.type, DCTERMS.title, DCTERMS.description}
        for other in set(one.predicates(shape, None)) - allowed:
            raise BudgetKGError(f"{path}: unsupported shape term {other}")
    return out


def reference_graph() -> Graph:
    """The ontology, column and code-list graphs, which every document's validation sees."""
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g
