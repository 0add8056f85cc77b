"""What each of the eleven standard tables looks like: label columns, amount columns, identities.

Column keys are the local names of the column concepts in ontology/codes/columns.ttl
(``<table>/<key>``). Identities say which columns add up to which, and drive
column placement when a raw-text row prints fewer numbers than the table has columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    pattern: str | None = None   # how the column's header reads (squashed), for optional columns


@dataclass(frozen=True)
class TableSpec:
    number: int
    label_columns: int                      # cells before the first amount in a tab-separated row
    columns: tuple[Column, ...]
    identities: tuple[tuple[str, tuple[str, ...]], ...] = ()
    code_kind: str | None = None            # function | economic | None
    optional_columns: bool = False          # detect columns from the header text
    revenue_columns: tuple[Column, ...] = field(default=())   # two-sided tables 1 and 4

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


_BASIC_PROJECT = (Column("total", "合计"), Column("basic", "基本支出"), Column("project", "项目支出"))
_FUND_ONLY = (Column("total", "合计"), Column("personnel", "人员经费"), Column("public", "公用经费"),
              Column("project", "项目支出"))

TABLE2_COLUMNS = (
    Column("total", "总计", r"总计|合计"),
    Column("fiscal-subtotal", "财政拨款（补助）小计", r"财政拨款[（(]补助[)）]小计|小计"),
    Column("general-budget-transfer", "上级一般公共预算安排的转移支付", r"上级一般公共预算(安排)?的?转移支付"),
    Column("general-budget", "一般公共预算", r"一般公共预算"),
    Column("government-fund-transfer", "上级政府性基金安排的转移支付", r"上级政府性基金(预算)?(安排)?的?转移支付"),
    Column("government-fund", "政府性基金预算", r"政府性基金(预算)?"),
    Column("state-capital-transfer", "上级国有资本经营预算安排的转移支付", r"上级国有资[本产]经营(预算)?(安排)?的?转移支付"),
    Column("state-capital", "国有资本经营预算", r"国有资[本产]经营(预算)?"),
    Column("special-account", "财政专户（教育收费）", r"财政专户"),
    Column("unit-funds", "单位资金", r"单位资金"),
    Column("nonfiscal-carryover", "非财政拨款结转结余", r"非财政拨款结转(结余)?"),
    Column("fiscal-carryover", "财政拨款结转", r"财政拨款结转"),
)
# Printed order of table 2 columns in the national template.
TABLE2_ORDER = ("total", "fiscal-subtotal", "general-budget", "general-budget-transfer", "government-fund",
                "government-fund-transfer", "state-capital", "state-capital-transfer", "special-account",
                "unit-funds", "fiscal-carryover", "nonfiscal-carryover")

SPECS: dict[int, TableSpec] = {
    1: TableSpec(1, 2, (Column("expenditure", "预算数"),),
                 revenue_columns=(Column("revenue", "预算数"),)),
    2: TableSpec(2, 4, tuple(sorted(TABLE2_COLUMNS, key=lambda c: TABLE2_ORDER.index(c.key))),
                 identities=(
                     ("total", ("fiscal-subtotal", "special-account", "unit-funds", "fiscal-carryover",
                                "nonfiscal-carryover")),
                     ("fiscal-subtotal", ("general-budget", "general-budget-transfer", "government-fund",
                                          "government-fund-transfer", "state-capital",
                                          "state-capital-transfer")),
                 ), code_kind="function", optional_columns=True),
    3: TableSpec(3, 4, _BASIC_PROJECT, (("total", ("basic", "project")),), "function"),
    4: TableSpec(4, 2, (Column("total", "合计"), Column("general-budget", "一般公共预算"),
                        Column("government-fund", "政府性基金预算"), Column("state-capital", "国有资本经营预算")),
                 (("total", ("general-budget", "government-fund", "state-capital")),),
                 revenue_columns=(Column("revenue", "合计"),)),
    5: TableSpec(5, 4, _BASIC_PROJECT, (("total", ("basic", "project")),), "function"),
    6: TableSpec(6, 3, (Column("total", "合计"), Column("personnel", "人员经费"), Column("public", "公用经费")),
                 (("total", ("personnel", "public")),), "economic"),
    7: TableSpec(7, 5, (
        Column("total", "项目支出合计"), Column("e301", "工资福利支出"), Column("e302", "商品和服务支出"),
        Column("e303", "对个人和家庭的补助"), Column("e307", "债务利息及费用支出"),
        Column("e309", "资本性支出（基本建设）"), Column("e310", "资本性支出"),
        Column("e311", "对企业补助（基本建设）"), Column("e312", "对企业补助"),
        Column("e313", "对社会保障基金补助"), Column("e399", "其他支出")),
        (("total", ("e301", "e302", "e303", "e307", "e309", "e310", "e311", "e312", "e313", "e399")),),
        "function"),
    8: TableSpec(8, 4, _FUND_ONLY, (("total", ("personnel", "public", "project")),), "function"),
    9: TableSpec(9, 4, _FUND_ONLY, (("total", ("personnel", "public", "project")),), "function"),
    10: TableSpec(10, 1, (Column("total", "合计"), Column("general-budget", "一般公共预算"),
                          Column("government-fund", "政府性基金"), Column("state-capital", "国有资本经营预算")),
                  (("total", ("general-budget", "government-fund", "state-capital")),)),
    11: TableSpec(11, 1, (
        Column("total", "总计"), Column("fiscal-total", "财政拨款合计"),
        Column("fiscal-personnel", "财政拨款基本支出人员经费"), Column("fiscal-public", "财政拨款基本支出公用经费"),
        Column("fiscal-project", "财政拨款项目支出"), Column("nonfiscal-total", "非财政拨款合计"),
        Column("nonfiscal-personnel", "非财政拨款基本支出人员经费"),
        Column("nonfiscal-public", "非财政拨款基本支出公用经费"), Column("nonfiscal-project", "非财政拨款项目支出")),
        (("total", ("fiscal-total", "nonfiscal-total")),
         ("fiscal-total", ("fiscal-personnel", "fiscal-public", "fiscal-project")),
         ("nonfiscal-total", ("nonfiscal-personnel", "nonfiscal-public", "nonfiscal-project")))),
}

# The label of a table's total row.
TOTAL_LABEL = re.compile(r"^(合计|总计|收入总计|支出总计|总合计)$")

# 表10 rows by their printed label.
THREE_PUBLIC_ROWS = (
    ("total", r"^(合计|总计)$"),
    ("abroad", r"因公出国"),
    ("reception", r"公务接待"),
    ("vehicle-purchase", r"公务用车购置费$|其中[：:]?公务用车购置"),
    ("vehicle-total", r"公务用车购置及运行"),
    ("vehicle-operation", r"公务用车运行"),
)


def three_public_row_key(label: str) -> str | None:
    for key, pattern in THREE_PUBLIC_ROWS:
        if re.search(pattern, label):
            return key
    return None


def detect_table2_columns(header_text: str) -> list[str]:
    """Which of the table-2 columns the header prints, in template order."""
    text = header_text
    present: set[str] = set()
    for column in TABLE2_COLUMNS:          # most specific patterns first
        if column.key == "total":
            continue
        pattern = re.compile(column.pattern)
        if pattern.search(text):
            present.add(column.key)
            text = pattern.sub("▢", text)
    present.add("total")
    return [k for k in TABLE2_ORDER if k in present]
