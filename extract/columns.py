"""Column concepts of the eleven tables, with the fund source and expenditure type each implies.

``python -m budgetkg.columns > ontology/codes/columns.ttl`` regenerates the Turtle
file; a test checks the committed file matches.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .segment import TABLE_TITLES
from .tables.spec import SPECS
from .vocab import BKG, COLUMN, EXPENDITURE, FUND

FUND_SOURCES = {
    "general-budget": ("一般公共预算", "general public budget"),
    "general-budget-transfer": ("上级一般公共预算安排的转移支付", "general budget transfers from above"),
    "government-fund": ("政府性基金预算", "government fund budget"),
    "government-fund-transfer": ("上级政府性基金安排的转移支付", "government fund transfers from above"),
    "state-capital": ("国有资本经营预算", "state capital operation budget"),
    "state-capital-transfer": ("上级国有资本经营预算安排的转移支付", "state capital transfers from above"),
    "fiscal": ("财政拨款", "fiscal appropriations"),
    "special-account": ("财政专户管理资金", "special fiscal account"),
    "unit-funds": ("单位资金", "unit's own funds"),
    "fiscal-carryover": ("财政拨款结转", "fiscal carry-over"),
    "nonfiscal-carryover": ("非财政拨款结转结余", "non-fiscal carry-over"),
    "nonfiscal": ("非财政拨款", "non-fiscal funds"),
}
EXPENDITURE_TYPES = {
    "basic": ("基本支出", "basic expenditure"),
    "personnel": ("人员经费", "personnel expenditure"),
    "public": ("公用经费", "public (operating) expenditure"),
    "project": ("项目支出", "project expenditure"),
    "abroad": ("因公出国（境）费", "official travel abroad"),
}
for _code, _zh in (("301", "工资福利支出"), ("302", "商品和服务支出"), ("303", "对个人和家庭的补助"),
                   ("307", "债务利息及费用支出"), ("309", "资本性支出（基本建设）"), ("310", "资本性支出"),
                   ("311", "对企业补助（基本建设）"), ("312", "对企业补助"), ("313", "对社会保障基金补助"),
                   ("399", "其他支出")):
    EXPENDITURE_TYPES[f"e{_code}"] = (_zh, f"economic class {_code}")
del EXPENDITURE_TYPES["abroad"]

_TABLE_FUND = {2: None, 3: None, 4: "fiscal", 5: "general-budget", 6: "general-budget", 7: "general-budget",
               8: "government-fund", 9: "state-capital", 10: "fiscal", 11: None, 1: None}


def column_facets(table: int, key: str) -> tuple[str | None, str | None]:
    """(fund source, expenditure type) that a column of *table* stands for."""
    fund = key if key in FUND_SOURCES else _TABLE_FUND.get(table)
    expenditure = None
    if key.startswith(("fiscal-", "nonfiscal-")) and table == 11:
        fund, _, rest = key.partition("-")
        expenditure = rest if rest in EXPENDITURE_TYPES else None
    elif key in EXPENDITURE_TYPES:
        expenditure = key
    if table == 10 and key == "total":
        fund = "fiscal"
    return fund, expenditure


def column_iri(table: int, key: str):
    return COLUMN[f"t{table}/{key}"]


def columns_graph() -> Graph:
    g = Graph()
    g.bind("bkg", str(BKG))
    g.bind("skos", str(SKOS))
    g.bind("dcterms", str(DCTERMS))
    scheme = COLUMN["scheme"]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, RDFS.label, Literal("预算公开表列", lang="zh")))
    g.add((scheme, RDFS.label, Literal("budget table columns", lang="en")))
    g.add((scheme, DCTERMS.title, Literal("预算公开表列", lang="zh")))
    g.add((scheme, DCTERMS.title, Literal("Budget table columns", lang="en")))
    g.add((scheme, DCTERMS.description, Literal(
        "Columns of the eleven standard tables, with the fund source and expenditure type each stands for.",
        lang="en")))
    for key, (zh, en) in FUND_SOURCES.items():
        g.add((FUND[key], RDF.type, BKG.FundSource))
        g.add((FUND[key], SKOS.prefLabel, Literal(zh, lang="zh")))
        g.add((FUND[key], SKOS.prefLabel, Literal(en, lang="en")))
        g.add((FUND[key], SKOS.notation, Literal(key)))
    for key, (zh, en) in EXPENDITURE_TYPES.items():
        g.add((EXPENDITURE[key], RDF.type, BKG.ExpenditureType))
        g.add((EXPENDITURE[key], SKOS.prefLabel, Literal(zh, lang="zh")))
        g.add((EXPENDITURE[key], SKOS.prefLabel, Literal(en, lang="en")))
        g.add((EXPENDITURE[key], SKOS.notation, Literal(key)))
    for number, spec in SPECS.items():
        title = TABLE_TITLES[number][0]
        table = COLUMN[f"t{number}"]
        g.add((table, RDF.type, BKG.StandardTable))
        g.add((table, BKG.tableNumber, Literal(number)))
        g.add((table, SKOS.prefLabel, Literal(f"表{number}{title}", lang="zh")))
        for side, columns in (("", spec.columns), ("revenue", spec.revenue_columns)):
            for column in columns:
                iri = column_iri(number, column.key)
                g.add((iri, RDF.type, BKG.TableColumn))
                g.add((iri, SKOS.inScheme, scheme))
                g.add((iri, SKOS.notation, Literal(f"t{number}/{column.key}")))
                g.add((iri, SKOS.prefLabel, Literal(f"表{number}{title}：{column.label}", lang="zh")))
                g.add((iri, SKOS.prefLabel, Literal(f"table {number}: {column.key}", lang="en")))
                fund, expenditure = column_facets(number, column.key)
                if fund:
                    g.add((iri, BKG.fundSource, FUND[fund]))
                if expenditure:
                    g.add((iri, BKG.expenditureType, EXPENDITURE[expenditure]))
        for total, parts in spec.identities:
            for part in parts:
                g.add((column_iri(number, total), BKG.sumOf, column_iri(number, part)))
    return g


if __name__ == "__main__":
    print(columns_graph().serialize(format="turtle"))
