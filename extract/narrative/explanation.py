"""第三部分 prose as facts: change statements, the figures of the 三公, 机关运行经费,
政府采购, 国有资产 and 预算绩效 paragraphs, and the carry-over list of section 十一.

The prose is cut into paragraphs here, and each paragraph read for what it states: its change
and execution statements (``explanation_statements``) and the named figures of its kind
(``explanation_figures``); the carry-over list is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple
from decimal import Decimal

from budgetkg.extract.narrative.explanation_figures import (ASSETS, BASIC, CARRYOVER, FISCAL, FUND, FUND_ROLES, NUM,
                                                            OPERATING, PERFORMANCE, PROCUREMENT, THREE_PUBLIC,
                                                            THREE_PUBLIC_FINAL, Figures, figures_of, merge,
                                                            to_decimal, vehicles)
from budgetkg.extract.narrative.explanation_statements import (ChangeStatement, EmptyClaim, ExecutionStatement,
                                                               change_statements, class_amounts, clean_subject,
                                                               empty_claims, execution_statements)
from budgetkg.extract.narrative.projects import SECTION, starts_section
from budgetkg.extract.normalize import Line, join_wrapped_at, squash

__all__ = ["CarryOverItem", "ChangeStatement", "EmptyClaim", "ExecutionStatement", "Explanation", "Figures",
           "clean_subject", "empty_claims", "execution_statements", "paragraphs", "parse_explanation"]

_HEADING = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[）)]|[一二三四五六七八九十]+\s*[、.．]|第[一二三四]部分)")
_ITEM = re.compile(r"^\s*(?:[-*]\s*)?(?:\d{1,2}\s*[、.．](?!\d)|[（(]\s*\d{1,2}\s*[）)])")
_CARRY_ITEM = re.compile(rf"^(?P<name>.+?)(?P<amount>{NUM})万元[，,。；;]?(?P<rest>.*)$")


@dataclass
class CarryOverItem:
    """One entry of section 十一's list: "N. NAME X 万元，主要用于 PURPOSE" (or "完全不予公开")."""

    name: str
    amount: Decimal
    line: int
    purpose: str | None = None
    withheld: bool = False               # 完全不予公开
    confidential: str | None = None      # the code of a confidential project it names (特定目标…)


@dataclass
class Explanation:
    statements: list[ChangeStatement] = field(default_factory=list)
    execution: list[ExecutionStatement] = field(default_factory=list)
    empty_claims: list[EmptyClaim] = field(default_factory=list)
    three_public: Figures | None = None
    operating: Figures | None = None
    procurement: Figures | None = None
    assets: Figures | None = None
    performance: Figures | None = None
    carryover: Figures | None = None
    carryover_items: list[CarryOverItem] = field(default_factory=list)
    fiscal: Figures | None = None          # 四: the total of the 财政拨款 budget
    basic: Figures | None = None           # 六: general-budget basic spending, 人员经费, 公用经费
    funds: dict = field(default_factory=dict)   # a final's 政府性基金/国有资本经营 section: kind → Figures


class Paragraph(NamedTuple):
    section: str | None          # the section numeral it is printed under
    line: int                    # its first line
    text: str                    # its lines joined
    role: str | None             # the section's role (projects, carryover_list …)
    starts: tuple                # (offset in text, line number) of each printed line


def paragraphs(part3: list[Line], skip: set[int] = frozenset(), roles: dict | None = None) -> list[Paragraph]:
    """The prose paragraphs; lines in *skip* are left out. *roles* maps a role (projects,
    carryover_list) to the template's heading patterns.

    A paragraph ends at a heading, a numbered item, or a line ending in 。; wrapped lines
    (raw PDF text breaks mid-word and mid-amount) are joined.
    """
    out: list[Paragraph] = []
    section, role, current, numbers, start = None, None, [], [], 0

    def flush():
        if current:
            text, offsets = join_wrapped_at(current)
            out.append(Paragraph(section, start, text, role, tuple(zip(offsets, numbers))))
            current.clear()
            numbers.clear()

    for ln in part3:
        text = ln.text.replace("\t", " ").strip()
        if ln.number in skip or not text or re.fullmatch(r"\d{1,3}", text):
            continue
        if _HEADING.match(text) or _ITEM.match(text):
            flush()                   # before the heading's section applies: the paragraph is the last one's
        m = SECTION.match(text)
        if m and "说明" in text:
            section = m.group(1)
            role = next((r for r, heads in (roles or {}).items() if starts_section(text, heads)), None)
        if not current:
            start = ln.number
        current.append(text)
        numbers.append(ln.number)
        if _HEADING.match(text) and "万元" not in squash(text) or text.endswith("。"):
            flush()
    flush()
    return out


# Sections whose statements restate one table, by the template's headings: a final account's
# 收入决算情况说明 (its revenue table), 支出决算情况说明 (its expenditure table) and 一般公共预算
# 财政拨款支出决算情况说明 (its general-budget table).
STATEMENT_ROLES = ("revenue_statement", "expenditure_statement", "general_budget_statement")


def parse_explanation(part3: list[Line], names: list[str], skip: set[int], family) -> Explanation:
    ex = Explanation()
    roles = {role: family.section(role) for role in ("projects", "carryover_list", "fiscal_summary", "basic_spending")
             + STATEMENT_ROLES + tuple(FUND_ROLES)}
    for section, line, text, role, starts in paragraphs(part3, skip, roles):
        if role == "projects":
            continue
        _read_section(ex, section, line, text, role)
        stated = change_statements(section, line, text, names, starts)
        for st in stated:
            st.role = role if role in STATEMENT_ROLES else None
        ex.statements.extend(stated)
        ex.execution.extend(execution_statements(line, text))
        ex.empty_claims.extend(empty_claims(line, text))
        _read_figures(ex, line, text, family.phase)
    return ex


def _read_section(ex: Explanation, section: str | None, line: int, text: str, role: str | None) -> None:
    """What a paragraph states by its section's role: the carry-over list, the 财政拨款 total and
    the classes it lists, basic spending, a final account's fund balances."""
    if role == "carryover_list":
        _carryover(ex, line, text)
    if role == "fiscal_summary":
        ex.fiscal = merge(ex.fiscal, figures_of(line, text, FISCAL))
        ex.statements.extend(class_amounts(section, line, text))
    if role == "basic_spending":
        ex.basic = merge(ex.basic, figures_of(line, text, BASIC))
    if role in FUND_ROLES:
        kind = FUND_ROLES[role]
        ex.funds[kind] = merge(ex.funds.get(kind), figures_of(line, text, FUND))
        if ex.funds[kind] is None:
            del ex.funds[kind]


def _read_figures(ex: Explanation, line: int, text: str, phase: str) -> None:
    """The figures a paragraph gives by its words, in any section: 三公, 机关运行经费, 政府采购,
    预算绩效 and 国有资产."""
    s = squash(text)
    three = THREE_PUBLIC_FINAL if phase == "final" else THREE_PUBLIC   # a final states what was spent
    if "三公" in s and ex.three_public is None and "经费" in s and re.search(three["total"], s):
        ex.three_public = figures_of(line, text, three)
    if "机关运行经费" in s and ex.operating is None:
        ex.operating = figures_of(line, text, OPERATING)
    if "政府采购" in s:
        ex.procurement = merge(ex.procurement, figures_of(line, text, PROCUREMENT))
    if "绩效目标" in s and "项目" in s and ex.performance is None:
        ex.performance = figures_of(line, text, PERFORMANCE)
    if re.search(r"房屋|车辆|办公家具|其他资产|大型设备", s) and "安排购置" not in s:   # 未安排购置… is next year's plan
        fig = figures_of(line, text, ASSETS)
        ex.assets = merge(ex.assets, fig)
        if fig:
            ex.assets.vehicles.extend(vehicles(s))


def _carryover(ex: Explanation, line: int, text: str) -> None:
    """Section 十一: the total carried over, then one numbered paragraph per project."""
    numbered = _ITEM.match(text)
    m = _CARRY_ITEM.match(squash(text[numbered.end():])) if numbered else None
    if m is None:
        if ex.carryover is None and "结转" in text:
            ex.carryover = figures_of(line, text, CARRYOVER)
        return
    name, rest = m["name"], m["rest"].rstrip("。")
    item = CarryOverItem(name, to_decimal(m["amount"]), line)
    if "不予公开" in rest:
        item.withheld = True
    purpose = re.match(r"^(?:主要)?用于(?P<p>.+)$", rest)
    if purpose:
        item.purpose = purpose["p"]
    ex.carryover_items.append(item)
