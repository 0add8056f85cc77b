"""The table kinds, their columns, fund sources and expenditure types as SKOS concepts, from
ontology/templates/kinds.toml, the family templates with the kinds each prints, and a Data Cube
structure definition (qb:DataStructureDefinition) per table kind.

``python -m budgetkg.extract.columns > ontology/codes/columns.ttl`` regenerates the Turtle file; a test
checks the committed file matches.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SKOS

from budgetkg.extract.template import COLUMN_BASE, Family, Kind, base_key, families, kinds, vocabulary
from budgetkg.vocab import BKG, COLUMN, EXPENDITURE, FUND, KIND, PHASE, QB, SDMX_ATTRIBUTE, STRUCTURE

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
    _column_scheme(g, scheme)
    kind_scheme = KIND["scheme"]
    _scheme(g, kind_scheme, voc.title, voc.title_en)
    _facet_concepts(g)
    for k in kinds().values():
        if not k.is_budget_table:
            continue
        _table_kind(g, k, kind_scheme)
        _table_columns(g, k, scheme)
        _structure(g, k.id, f"{k.zh}", k.en)
    _structure(g, UNREAD, "未能读出的表", "a table not read")
    _column_hierarchy(g)
    _vehicle_structure(g)
    _body_hierarchy(g)
    for fam in families().values():
        _template(g, fam)
    return g


def _column_scheme(g: Graph, scheme: URIRef) -> None:
    """The concept scheme of the table columns."""
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, RDFS.label, Literal("预算公开表列", lang="zh")))
    g.add((scheme, RDFS.label, Literal("budget table columns", lang="en")))
    g.add((scheme, DCTERMS.title, Literal("预算公开表列", lang="zh")))
    g.add((scheme, DCTERMS.title, Literal("Budget table columns", lang="en")))
    g.add((scheme, DCTERMS.description, Literal(
        "Kinds of budget table and their columns, with the fund source and expenditure type each column "
        "stands for; generated from ontology/templates/kinds.toml.", lang="en")))


def _facet_concepts(g: Graph) -> None:
    """The fund sources, expenditure types and phases, each a concept scheme of its own."""
    for ns, cls, concepts, titles in (
            (FUND, BKG.FundSource, fund_sources(), ("资金来源", "Fund sources")),
            (EXPENDITURE, BKG.ExpenditureType, expenditure_types(), ("支出类型", "Expenditure types")),
            (PHASE, BKG.Phase, PHASES, ("预算阶段", "Phases of the budget cycle"))):
        _scheme(g, ns["scheme"], *titles)
        for key, (zh, en) in concepts.items():
            g.add((ns[key], RDF.type, cls))
            g.add((ns[key], RDF.type, SKOS.Concept))
            g.add((ns[key], SKOS.inScheme, ns["scheme"]))
            g.add((ns[key], SKOS.prefLabel, Literal(zh, lang="zh")))
            g.add((ns[key], SKOS.prefLabel, Literal(en, lang="en")))
            g.add((ns[key], SKOS.notation, Literal(key)))


def _table_kind(g: Graph, k: Kind, kind_scheme: URIRef) -> None:
    """A kind of budget table as a concept."""
    table = kind_iri(k)
    g.add((table, RDF.type, BKG.StandardTable))
    g.add((table, RDF.type, SKOS.Concept))
    g.add((table, SKOS.inScheme, kind_scheme))
    g.add((table, SKOS.notation, Literal(k.id)))
    g.add((table, SKOS.prefLabel, Literal(k.zh, lang="zh")))
    g.add((table, SKOS.prefLabel, Literal(k.en, lang="en")))
    g.add((table, BKG.rowModel, Literal(k.rows)))


def _table_columns(g: Graph, k: Kind, scheme: URIRef) -> None:
    """The columns of a kind of budget table, with the fund source and expenditure type each
    stands for, and the columns each total column is the sum of."""
    for side, key, zh, en in columns_of(k):
        iri = column_iri(k, key)
        g.add((iri, RDF.type, BKG.TableColumn))
        g.add((iri, RDF.type, SKOS.Concept))
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


def _template(g: Graph, fam: Family) -> None:
    """A template family, with the kinds of table it prints and what it expects."""
    iri = URIRef(fam.iri)
    g.add((iri, RDF.type, BKG.Template))
    g.add((iri, SKOS.notation, Literal(fam.id)))
    g.add((iri, DCTERMS.title, Literal(fam.title, lang="zh")))
    g.add((iri, DCTERMS.title, Literal(fam.title_en, lang="en")))
    for layout in fam.tables:
        g.add((iri, BKG.printsTable, kind_iri(layout.kind)))
    for expected in fam.expects:
        g.add((iri, BKG.expects, Literal(expected)))


# Phases of the budget cycle: a budget (预算) or its final account (决算).
PHASES = {"budget": ("预算", "budget"), "final": ("决算", "final account")}
# The structure of a table whose kind is not known (kept as text, with no observations).
UNREAD = "unread"


def _scheme(g: Graph, iri: URIRef, zh: str, en: str) -> None:
    g.add((iri, RDF.type, SKOS.ConceptScheme))
    g.add((iri, DCTERMS.title, Literal(zh, lang="zh")))
    g.add((iri, DCTERMS.title, Literal(en, lang="en")))


def structure_iri(kind_id: str) -> URIRef:
    """The Data Cube structure of a table of kind *kind_id* (every table is a qb:DataSet)."""
    return STRUCTURE[kind_id if kind_id in kinds() and kinds()[kind_id].is_budget_table else UNREAD]


def slice_key_iri(kind_id: str) -> URIRef:
    return URIRef(f"{structure_iri(kind_id)}/by-column")


# The components of every table's structure: (name, role, property, attached to the data set,
# required). A cell is identified within its table by its row and its column; the department,
# the year and the phase are the table's, and so is its measure dimension (qb:measureType, whose
# one value is bkg:amount: the structure says outright which measure each cell carries). Codes, fund source and expenditure type are attributes,
# since not every cell has one (a 合计 row has no code); the unit is ten thousand yuan.
_COMPONENTS = (
    ("department", QB.dimension, BKG.department, False, True),
    ("fiscal-year", QB.dimension, BKG.fiscalYear, False, True),
    ("phase", QB.dimension, BKG.budgetPhase, True, True),
    ("measure-type", QB.dimension, QB.measureType, True, True),      # one measure, bkg:amount
    ("row", QB.dimension, BKG.sourceRow, False, True),
    ("column", QB.dimension, BKG.column, False, True),
    ("amount", QB.measure, BKG.amount, False, True),
    ("unit", QB.attribute, SDMX_ATTRIBUTE.unitMeasure, True, True),
    ("unit-multiplier", QB.attribute, SDMX_ATTRIBUTE.unitMult, True, True),
    ("code", QB.attribute, BKG.classificationCode, False, False),
    ("fund-source", QB.attribute, BKG.fundSource, False, False),
    ("expenditure-type", QB.attribute, BKG.expenditureType, False, False),
)


def _column_hierarchy(g: Graph) -> None:
    """The columns as a qb:HierarchicalCodeList, the code list of the column dimension: a total
    column is the parent of the columns it is the sum of (bkg:sumOf, from kinds.toml's
    identities); the roots are the columns that are no other column's part."""
    hierarchy = COLUMN["hierarchy"]
    g.add((hierarchy, RDF.type, QB.HierarchicalCodeList))
    g.add((hierarchy, DCTERMS.title, Literal("预算公开表列（合计及其组成）", lang="zh")))
    g.add((hierarchy, DCTERMS.title, Literal("Budget table columns, each total over its parts", lang="en")))
    g.add((hierarchy, QB.parentChildProperty, BKG.sumOf))
    for k in kinds().values():
        if not k.is_budget_table:
            continue
        parts = {part for _, ps in k.identities for part in ps}
        for _, key, _, _ in columns_of(k):
            if key not in parts:
                g.add((hierarchy, QB.hierarchyRoot, column_iri(k, key)))


def _structure(g: Graph, kind_id: str, zh: str, en: str) -> None:
    """A qb:DataStructureDefinition for tables of one kind, with a slice key by column (each
    table's columns are qb:Slices of it)."""
    dsd = STRUCTURE[kind_id]
    g.add((dsd, RDF.type, QB.DataStructureDefinition))
    g.add((dsd, DCTERMS.title, Literal(f"{zh}的数据结构", lang="zh")))
    g.add((dsd, DCTERMS.title, Literal(f"Data structure of {en}", lang="en")))
    if kind_id != UNREAD:
        g.add((dsd, BKG.structureOf, kind_iri(kind_id)))
    _components(g, dsd, _COMPONENTS)
    key = URIRef(f"{dsd}/by-column")
    g.add((dsd, QB.sliceKey, key))
    g.add((key, RDF.type, QB.SliceKey))
    g.add((key, QB.componentProperty, BKG.column))
    g.add((key, DCTERMS.title, Literal(f"{zh}：按列", lang="zh")))
    g.add((key, DCTERMS.title, Literal(f"{en}: by column", lang="en")))


VEHICLES = STRUCTURE["vehicle-holdings"]
BODIES = STRUCTURE["code-list/bodies"]

# The structure of 第三部分's vehicle holdings (车辆N辆，价值X万元, by type): a cube with two measures
# on each observation, the count and the value; the department, year and phase are the data set's.
_VEHICLE_COMPONENTS = (
    ("department", QB.dimension, BKG.department, True, True),
    ("fiscal-year", QB.dimension, BKG.fiscalYear, True, True),
    ("phase", QB.dimension, BKG.budgetPhase, True, True),
    ("vehicle-type", QB.dimension, BKG.vehicleType, False, True),
    ("count", QB.measure, BKG.vehicleCount, False, True),
    ("value", QB.measure, BKG.vehicleValue, False, True),
)


def _vehicle_structure(g: Graph) -> None:
    # the table structures' measure dimension, with the range the Data Cube vocabulary gives it,
    # restated here for a reader of this file alone
    g.add((QB.measureType, RDFS.range, QB.MeasureProperty))
    g.add((VEHICLES, RDF.type, QB.DataStructureDefinition))
    g.add((VEHICLES, DCTERMS.title, Literal("车辆保有情况的数据结构", lang="zh")))
    g.add((VEHICLES, DCTERMS.title, Literal("Data structure of vehicle holdings", lang="en")))
    _components(g, VEHICLES, _VEHICLE_COMPONENTS)


def _components(g: Graph, dsd: URIRef, components) -> None:
    """The component specifications of the structure *dsd*: (name, role, property, attached to
    the data set, required) each, in order."""
    for order, (name, role, prop, on_dataset, required) in enumerate(components, start=1):
        spec = URIRef(f"{dsd}/component/{name}")
        g.add((dsd, QB.component, spec))
        g.add((spec, RDF.type, QB.ComponentSpecification))
        g.add((spec, role, prop))
        g.add((spec, QB.componentProperty, prop))
        g.add((spec, QB.order, Literal(order)))
        if role == QB.attribute:
            g.add((spec, QB.componentRequired, Literal(required)))
        if on_dataset:
            g.add((spec, QB.componentAttachment, QB.DataSet))


def _body_hierarchy(g: Graph) -> None:
    """The code list of the department dimension: budget bodies as a hierarchy, each department
    (a disclosure states it as a root) over the units that are its sub-organizations, along the
    inverse of org:subOrganizationOf, the property the disclosures state."""
    pcp = BNode()
    g.add((BODIES, RDF.type, QB.HierarchicalCodeList))
    g.add((BODIES, DCTERMS.title, Literal("预算主体（部门及其下属单位）", lang="zh")))
    g.add((BODIES, DCTERMS.title, Literal("Budget bodies: departments over their units", lang="en")))
    g.add((BODIES, QB.parentChildProperty, pcp))
    g.add((pcp, OWL.inverseOf, ORG.subOrganizationOf))


if __name__ == "__main__":
    print(columns_graph().serialize(format="turtle"))
