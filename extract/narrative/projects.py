"""第三部分 七: one description per project (项目名称, 设立的政策依据, 预算安排规模, 项目承担单位,
资金分配情况, 资金执行时间), and the confidential projects (特定目标 …, 涉密项目) of 第三部分.

Every field keeps its text; amounts, allocation items and the execution period are parsed
from it where they can be, and a period that cannot be parsed is reported.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from budgetkg.extract.narrative.citations import Citation, scan_citations
from budgetkg.extract.normalize import Line, join_wrapped, squash
from budgetkg.extract.findings import Finding

SECTION = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]")
# A description starts at 项目名称：, numbered ((1), 1., 一、) or not.
HEADING = re.compile(r"^\s*(?:[（(]?\s*[一二三四五六七八九十\d]+\s*[）)、.．]?\s*)?项目名称\s*[:：]\s*(?P<name>.*)$")
FIELDS = {
    "设立的政策依据": "basis", "政策依据": "basis",
    "预算安排规模": "amount", "项目承担单位": "unit", "项目实施单位": "unit",
    "资金分配情况": "allocation", "资金执行时间": "period", "资金使用时间": "period",
}
_FIELD = re.compile(rf"^\s*(?P<label>{'|'.join(sorted(FIELDS, key=len, reverse=True))})\s*[:：]\s*(?P<rest>.*)$")
AMOUNT = re.compile(r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万\s*元")
CONFIDENTIAL = re.compile(r"特定目标\s*(?P<code>[0-9A-Z]{4,})\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万\s*元")
CONFIDENTIAL_NAME = re.compile(r"^特定目标(?P<code>[0-9A-Z]{4,})$")     # a project name (spaces removed)


@dataclass
class AllocationItem:
    label: str
    amount: Decimal
    within: int | None = None      # the index of the item this one breaks down (其中 …), if any


@dataclass
class ProjectDescription:
    name: str
    line: int
    basis: str | None = None
    amount_text: str | None = None
    amount: Decimal | None = None
    unit: str | None = None
    allocation: str | None = None
    items: list[AllocationItem] = field(default_factory=list)
    items_complete: bool = False   # every amount the allocation text prints is an item (or its total)
    period: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    citations: list[Citation] = field(default_factory=list)


@dataclass
class ConfidentialProject:
    code: str
    amount: Decimal
    text: str
    line: int


def decimal_of(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def starts_section(text: str, heads) -> bool:
    """Whether *text* is the heading of the explanation section the patterns *heads* name."""
    return "说明" in text and any(h.search(squash(text)) for h in heads)


def section_lines(part3: list[Line], heads) -> list[Line]:
    """The lines of the explanation's section whose heading matches one of *heads* (the template's
    patterns for a role, such as 七、… for the project descriptions), heading excluded; it ends at
    the next numbered heading."""
    out, inside = [], False
    if not heads:
        return out
    for ln in part3:
        m = SECTION.match(ln.text)
        if m and (inside or "说明" in ln.text):
            if inside:
                break
            inside = starts_section(ln.text, heads)
            continue
        if inside:
            out.append(ln)
    return out


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> tuple[date | None, date | None]:
    """2024 年 1-12 月 · 2024年3-11月 · 2024年12月 · 2024年1月1日-2024年12月31日 · 2024年01月至2024年12月."""
    t = squash(text).rstrip("。.；;")
    d = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
    m = re.fullmatch(rf"{d}[-—~～至到]{d}", t)
    try:
        if m:
            y1, m1, d1, y2, m2, d2 = map(int, m.groups())
            return date(y1, m1, d1), date(y2, m2, d2)
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月?[-—~～至到](\d{1,2})月", t)
        if m:
            y, a, b = map(int, m.groups())
            return date(y, a, 1), _last_day(y, b)
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月[-—~～至到](\d{4})年(\d{1,2})月", t)
        if m:
            y1, a, y2, b = map(int, m.groups())
            return date(y1, a, 1), _last_day(y2, b)
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月", t)
        if m:
            y, a = map(int, m.groups())
            return date(y, a, 1), _last_day(y, a)
        m = re.fullmatch(r"(\d{4})年(?:全年|度)?", t)
        if m:
            y = int(m.group(1))
            return date(y, 1, 1), date(y, 12, 31)
    except ValueError:       # 2024年13月, 2月30日: not a date
        return None, None
    return None, None


def _pieces(text: str) -> list[str]:
    """Split at ；，。、 and before "2." numbering, but not inside （…） nor in a figure (1,531.00)."""
    pieces, current, depth = [], "", 0
    for i, ch in enumerate(text):
        depth += ch in "（(" and 1 or 0
        depth -= ch in "）)" and depth > 0 and 1 or 0
        numbering = re.match(r"\d+[.．、]\s*\D", text[i:]) and (i == 0 or not text[i - 1].isdigit())
        in_figure = ch in ",，" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        if depth == 0 and not in_figure and (ch in "；;，,。、" or numbering):
            pieces.append(current)
            current = "" if ch in "；;，,。、" else ch
        else:
            current += ch
    return pieces + [current]


_TOTAL_LABEL = re.compile(r"^(共计|合计|总计)")
_BREAKDOWN = re.compile(r"(万\s*元)\s*[（(][^（()）]*万\s*元[^（()）]*[）)]")


def allocation_items(text: str) -> tuple[list[AllocationItem], bool]:
    """Items with an amount ("办公费 154 万元；1. 劳务费 51 万元，用于…"), totals (共计, 合计) left
    out; in a sentence, the items after 其中 break down the item before it. Also whether every
    amount of the text became an item or a total (else the items cannot be summed)."""
    items: list[AllocationItem] = []
    accounted = 0
    text = _BREAKDOWN.sub(r"\1", text)        # 49.00 万元（其中包括：师资费 14.40 万元、…）: detail of the item
    for sentence in re.split(r"[。；;]", text):
        parent = None
        for piece in _pieces(sentence):
            m = AMOUNT.search(piece)
            if not m:
                continue
            label = re.sub(r"^\s*(?:\d+\s*[.．、]\s*)?(?:用于)?", "", piece[:m.start()])
            label = squash(label).rstrip("：:")
            if label.startswith("其中") and items and parent is None:
                parent = len(items) - 1
                label = label[2:].lstrip("：:，,") or label
            if not label or _TOTAL_LABEL.match(label):
                accounted += bool(label)
                continue
            accounted += 1
            items.append(AllocationItem(label, decimal_of(m["amount"]), parent))
    return items, accounted == len(AMOUNT.findall(text))


def parse_descriptions(part3: list[Line], family) -> tuple[list[ProjectDescription], list[Finding]]:
    projects: list[ProjectDescription] = []
    issues: list[Finding] = []
    parts: dict[str, list[str]] = {}
    current_field = None

    def finish() -> None:
        if not projects:
            return
        p = projects[-1]
        text = {k: join_wrapped(v) for k, v in parts.items()}
        p.basis = text.get("basis") or None
        p.unit = squash(text["unit"]).rstrip("。") if text.get("unit") else None
        p.allocation = text.get("allocation") or None
        p.period = text.get("period") or None
        if text.get("amount"):
            p.amount_text = text["amount"]
            m = AMOUNT.search(text["amount"])
            if m:
                p.amount = decimal_of(m["amount"])
            else:
                issues.append(Finding("warning", "project-amount-unreadable", f"项目 {p.name}: 预算安排规模 {text['amount']!r} has no amount in 万元; "
                                               "kept as text", p.line))
        if p.allocation:
            p.items, p.items_complete = allocation_items(p.allocation)
        if p.period:
            p.period_start, p.period_end = parse_period(p.period)
            if p.period_start is None:
                issues.append(Finding("warning", "project-period-unreadable", f"项目 {p.name}: 资金执行时间 {p.period!r} is not a period budgetkg "
                                               "can read; kept as text", p.line))
        if p.basis:
            p.citations, doubtful = scan_citations(p.basis)
            for snippet in doubtful:
                issues.append(Finding("warning", "document-number-issuer-unknown", f"项目 {p.name}: cannot tell the issuer of the document number in "
                                               f"{snippet!r}; kept in the policy-basis text", p.line))
        parts.clear()

    for ln in section_lines(part3, family.section("projects")):
        m = HEADING.match(ln.text)
        if m:
            finish()
            projects.append(ProjectDescription(squash(m["name"]), ln.number))
            current_field = None
            continue
        if not projects or not ln.text.strip() or re.fullmatch(r"\s*\d{1,3}\s*", ln.text):
            continue          # before the first project, blank, or a page number
        f = _FIELD.match(ln.text)
        if f:
            current_field = FIELDS[f["label"]]
            parts.setdefault(current_field, []).append(f["rest"])
        elif current_field:
            parts[current_field].append(ln.text)
        else:                 # a project name wrapped onto the next line
            projects[-1].name += squash(ln.text)
    finish()
    return projects, issues


def parse_confidential(part3: list[Line], family) -> list[ConfidentialProject]:
    """特定目标 CODE X 万元 outside the carry-over section, whose amounts are carried over, not budgeted."""
    found = []
    carried = {ln.number for ln in section_lines(part3, family.section("carryover_list"))}
    for ln in part3:
        if ln.number in carried:
            continue
        for m in CONFIDENTIAL.finditer(ln.text):
            found.append(ConfidentialProject(m["code"], decimal_of(m["amount"]), ln.text.strip(), ln.number))
    return found
