"""The named figures of 第三部分's paragraphs: the 三公 and 机关运行经费 amounts, 政府采购 by kind,
国有资产 (buildings, vehicles, equipment), 预算绩效 counts, the carry-over total, the 财政拨款 and
basic-spending totals, and a final account's 政府性基金/国有资本经营 balances. Each kind of
paragraph has its table of patterns, key → a regular expression whose group is the figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetkg.extract.narrative.projects import decimal_of
from budgetkg.extract.normalize import squash

NUM = r"\d[\d,]*(?:\.\d+)?"


@dataclass
class Figures:
    """Named figures of one paragraph kind, with the line they were read from."""

    line: int
    values: dict[str, Decimal] = field(default_factory=dict)
    vehicles: list[tuple[str, Decimal, Decimal | None]] = field(default_factory=list)   # (type, count, value)


def to_decimal(text: str | None) -> Decimal | None:
    """The amount *text* prints (None stays None)."""
    return None if text is None else decimal_of(squash(text))


A = rf"({NUM})万元"
THREE_PUBLIC = {
    "total": rf"“?三公”?经费(?:财政拨款)?(?:预算)?数?(?:为|是)?{A}",
    "abroad": rf"因公出国[（(]境[)）]费?{A}",
    "vehicle-purchase": rf"公务用车购置费?{A}",
    "vehicle-operation": rf"公务用车运行(?:维护)?费?{A}",
    "reception": rf"公务接待费?{A}",
}
# A final account's 三公 paragraph: what was spent (支出决算为X万元), after the 年初预算 it restates
_SPENT = r"(?:支出)?决算(?:数)?为"
THREE_PUBLIC_FINAL = {
    "total": rf"“?三公”?经费(?:财政拨款)?(?:支出)?(?:年初预算(?:数)?为{NUM}万元[，,])?{_SPENT}{A}",
    "abroad": rf"因公出国[（(]境[)）]费?{_SPENT}{A}",
    "vehicle-purchase": rf"公务用车购置费{_SPENT}{A}",
    "vehicle-operation": rf"公务用车运行(?:维护)?费{_SPENT}{A}",
    "reception": rf"公务接待费{_SPENT}{A}",
}
OPERATING = {"total": rf"机关运行经费(?:财政拨款)?(?:预算)?(?:数)?(?:为)?{A}"}
# A final account's 政府性基金/国有资本经营 section: the balance carried in, the year's revenue and
# spending, the balance carried out (its table's total row prints the same four)
FUND = {
    "opening": rf"年初(?:财政拨款)?结转和?结余(?:为|是)?{A}",
    "income": rf"(?:本年|当年)?(?:财政拨款)?收入(?:合计|为|是)?{A}",
    "spending": rf"(?:本年|当年)?(?:财政拨款)?支出(?:合计|为|是)?{A}",
    "closing": rf"年末(?:财政拨款)?结转和?结余(?:为|是)?{A}",
}
# The template roles of those sections, and the table kind each restates
FUND_ROLES = {"government_fund_statement": "government-fund", "state_capital_statement": "state-capital"}
PROCUREMENT = {
    "total": rf"政府采购预算(?:总额)?(?:为)?{A}",
    "goods": rf"货物(?:类)?(?:预算)?{A}",
    "works": rf"工程(?:类)?(?:预算)?{A}",
    "services": rf"服务(?:类)?(?:预算)?{A}",
    "sme": rf"(?:面向)?中小企业预留(?:政府采购)?(?:项目)?(?:预算)?(?:金额)?{A}",
    "micro-small": rf"小微企业预留(?:政府采购)?(?:项目)?(?:预算)?(?:金额)?{A}",
}
PERFORMANCE = {
    "department-targets": r"整体(?:预算)?绩效目标(\d+)个",
    "department-amount": rf"整体(?:预算)?绩效目标\d+个[，,]?涉及(?:预算)?(?:金额|资金){A}",
    "fiscal-projects": r"财政拨款项目(\d+)个",
    "fiscal-amount": rf"财政拨款项目\d+个[，,]?涉及(?:预算)?(?:金额|资金){A}",
    "nonfiscal-projects": r"非财政拨款项目(\d+)个",
    "nonfiscal-amount": rf"非财政拨款项目\d+个[，,]?涉及(?:预算)?(?:金额|资金){A}",
}
ASSETS = {
    "building-area": rf"房屋({NUM})平方米",
    "building-value": rf"房屋{NUM}平方米[，,]价值{A}",
    "vehicle-count": rf"车辆({NUM})辆",
    "vehicle-value": rf"车辆{NUM}辆[，,]价值{A}",
    "furniture-value": rf"办公家具价值{A}",
    "other-value": rf"其他资产价值{A}",
    "equipment-50": r"(?<!安排购置)(?<!安排)(?:单位|部门)?价值50万元以上大型设备(\d+)台",
    "equipment-100": r"(?<!安排购置)(?:单位|部门)?价值100万元以上大型设备(\d+)台",
}
CARRYOVER = {
    "total": rf"结转结余(?:预算)?(?:资金)?(?:共|合计|为)?{A}",
    "fiscal": rf"(?<!非)财政拨款(?:结转)?(?:资金)?{A}",
    "nonfiscal": rf"非财政拨款(?:结转结余|结转|结余)?(?:资金)?{A}",
}
# a budget's 财政拨款收支总预算; a final account's 财政拨款收入支出总计 (收入、支出总计)
FISCAL = {"total": rf"财政拨款(?:收[、和与及]?支(?:总)?预算(?:总额)?|收入[、和与及]?支出(?:决算)?总计)(?:为|是)?{A}"}
BASIC = {
    "total": rf"基本支出(?:预算)?(?:为|是)?{A}",
    "personnel": rf"人员经费(?:预算)?(?:为|是)?{A}",
    "public": rf"公用经费(?:预算)?(?:为|是)?{A}",
}
_VEHICLE = re.compile(rf"(一般公务用车|执法执勤用车|特种专业技术用车|其他车辆|其他用车|业务用车|机要通信用车|应急保障用车)"
                      rf"({NUM})辆[，,]?(?:价值{A})?")


def figures_of(line: int, text: str, patterns: dict[str, str]) -> Figures | None:
    """The figures *patterns* find in a paragraph, or None when it has none of them."""
    s = squash(text)
    fig = Figures(line)
    for key, pattern in patterns.items():
        m = re.search(pattern, s)
        if m:
            fig.values[key] = to_decimal(m.group(1))
    return fig if fig.values else None


def merge(found: Figures | None, more: Figures | None) -> Figures | None:
    """Figures spread over several paragraphs: the first paragraph to give a figure wins."""
    if found is None or more is None:
        return found or more
    found.values.update({k: v for k, v in more.values.items() if k not in found.values})
    return found


def vehicles(text: str) -> list[tuple[str, Decimal, Decimal | None]]:
    """(type, count, value) of each kind of vehicle an assets paragraph lists."""
    return [(m.group(1), to_decimal(m.group(2)), to_decimal(m.group(3))) for m in _VEHICLE.finditer(text)]
