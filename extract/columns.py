"""The table kinds, their columns, fund sources and expenditure types as SKOS concepts, from
ontology/templates/kinds.toml, and the family templates with the kinds each prints.

``python -m budgetkg.columns > ontology/codes/columns.ttl`` regenerates the Turtle file; a test
checks the committed file matches.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .template import COLUMN_BASE, Kind, base_key, families, kinds, vocabulary
from .vocab import BKG, COLUMN, EXPENDITURE, FUND, KIND

_PERIODS = {"": ("", ""), "prior-": ("上年：", "prior year: "), "change-": ("增减：", "change: "),
            "budget-": ("年初预算：", "budget: "), "adjusted-": ("调整预算：", "adjusted budget: ")}


def fund_sources() -> dict[str, tuple[str, str]]:
    return vocabulary().funds


def expenditure_types() -> dict[str, tuple[str, str]]:
    return vocabulary().expenditures


def column_facets(kind: Kind | str, key: str, side: str | None = None) -> tuple[str | None, str | None]:
    """(fund source, expenditure type) that column *key* of a table of *kind* stands for."""
    k = kinds()[kind] if isinstance(kind, str) else kind
    column = k.column(key, side)
    base = base_key(key)
    funds, expenditures = fund_sources(), expenditure_types()
    fund = (column.fund if column is not None and column.fund else None) or (base if base in funds else k.fund)
    expenditure = (column.expenditure if column is not None and column.expenditure else None) or \
        (base if base in expenditures else None)
    return fund, expenditure


def column_iri(kind: Kind | str, key: str) -> URIRef:
    kind_id = kind if isinstance(kind, str) else kind.id
    return URIRef(f"{COLUMN_BASE}{kind_id}/{key}")


def kind_iri(kind: Kind | str) -> URIRef:
    return KIND[kind if isinstance(kind, str) else kind.id]


def columns_of(k: Kind) -> list[tuple[str | None, str, str, str]]:
    """(side, key, zh, en) of every column a table of kind *k* may have, periods included."""
    out = []
    for side, defs in (("revenue", k.revenue_columns), (None, k.columns)):
        for c in defs:
            for prefix, (zh, en) in _PERIODS.items():
                if prefix and (side == "revenue" or k.rows in ("listed", "projects")):
                    continue
                out.append((side, prefix + c.key, zh + c.zh, en + c.en))
    return out


def columns_graph() -> Graph:
    g = Graph()
    g.bind("bkg", str(BKG))
    g.bind("skos", str(SKOS))
    g.bind("dcterms", str(DCTERMS))
    voc = vocabulary()
    scheme = COLUMN["scheme"]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, RDFS.label, Literal("预算公开表列", lang="zh")))
    g.add((scheme, RDFS.label, Literal("budget table columns", lang="en")))
    g.add((scheme, DCTERMS.title, Literal("预算公开表列", lang="zh")))
    g.add((scheme, DCTERMS.title, Literal("Budget table columns", lang="en")))
    g.add((scheme, DCTERMS.description, Literal(
        "Kinds of budget table and their columns, with the fund source and expenditure type each column "
        "stands for; generated from ontology/templates/kinds.toml.", lang="en")))
    kind_scheme = KIND["scheme"]
    g.add((kind_scheme, RDF.type, SKOS.ConceptScheme))
    g.add((kind_scheme, DCTERMS.title, Literal(voc.title, lang="zh")))
    g.add((kind_scheme, DCTERMS.title, Literal(voc.title_en, lang="en")))
    for key, (zh, en) in fund_sources().items():
        g.add((FUND[key], RDF.type, BKG.FundSource))
        g.add((FUND[key], SKOS.prefLabel, Literal(zh, lang="zh")))
        g.add((FUND[key], SKOS.prefLabel, Literal(en, lang="en")))
        g.add((FUND[key], SKOS.notation, Literal(key)))
    for key, (zh, en) in expenditure_types().items():
        g.add((EXPENDITURE[key], RDF.type, BKG.ExpenditureType))
        g.add((EXPENDITURE[key], SKOS.prefLabel, Literal(zh, lang="zh")))
        g.add((EXPENDITURE[key], SKOS.prefLabel, Literal(en, lang="en")))
        g.add((EXPENDITURE[key], SKOS.notation, Literal(key)))
    for k in kinds().values():
        if not k.is_budget_table:
            continue
        table = kind_iri(k)
        g.add((table, RDF.type, BKG.StandardTable))
        g.add((table, RDF.type, SKOS.Concept))
        g.add((table, SKOS.inScheme, kind_scheme))
        g.add((table, SKOS.notation, Literal(k.id)))
        g.add((table, SKOS.prefLabel, Literal(k.zh, lang="zh")))
        g.add((table, SKOS.prefLabel, Literal(k.en, lang="en")))
        g.add((table, BKG.rowModel, Literal(k.rows)))
        for side, key, zh, en in columns_of(k):
            iri = column_iri(k, key)
            g.add((iri, RDF.type, BKG.TableColumn))
            g.add((iri, SKOS.inScheme, scheme))
            g.add((iri, SKOS.notation, Literal(f"{k.id}/{key}")))
            g.add((iri, SKOS.prefLabel, Literal(f"{k.zh}：{zh}", lang="zh")))
            g.add((iri, SKOS.prefLabel, Literal(f"{k.en}: {en}", lang="en")))
            fund, expenditure = column_facets(k, key, side)
            if fund:
                g.add((iri, BKG.fundSource, FUND[fund]))
            if expenditure:
                g.add((iri, BKG.expenditureType, EXPENDITURE[expenditure]))
        for total, parts in k.identities:
            for part in parts:
                g.add((column_iri(k, total), BKG.sumOf, column_iri(k, part)))
    for fam in families().values():
        iri = URIRef(fam.iri)
        g.add((iri, RDF.type, BKG.Template))
        g.add((iri, SKOS.notation, Literal(fam.id)))
        g.add((iri, DCTERMS.title, Literal(fam.title, lang="zh")))
        g.add((iri, DCTERMS.title, Literal(fam.title_en, lang="en")))
        for layout in fam.tables:
            g.add((iri, BKG.printsTable, kind_iri(layout.kind)))
        for expected in fam.expects:
            g.add((iri, BKG.expects, Literal(expected)))
    return g


if __name__ == "__main__":
    print(columns_graph().serialize(format="turtle"))
