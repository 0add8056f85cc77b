"""第三部分 prose as facts: change statements, the figures of the 三公, 机关运行经费,
政府采购, 国有资产 and 预算绩效 paragraphs, and the carry-over list of section 十一.

A change statement is "X 万元，占 P%，比上年预算增加/减少 C 万元，增长/下降 Q%，主要原因是 R"
in any of its printed shapes (share or change may be missing; the 三公 items print only the
change). Its subject is the text in front of the amount, cleaned of numbering, the
department's name and the year; what it restates (a fund source, an expenditure type, a
function code, a 三公 item) is resolved later, at emission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetkg.extract.normalize import Line, join_wrapped, squash
from budgetkg.extract.narrative.projects import SECTION, decimal_of, starts_section
from budgetkg.extract.template import kinds

NUM = r"\d[\d,]*(?:\.\d+)?"
_HEADING = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[）)]|[一二三四五六七八九十]+\s*[、.．]|第[一二三四]部分)")
_ITEM = re.compile(r"^\s*(?:[-*]\s*)?(?:\d{1,2}\s*[、.．](?!\d)|[（(]\s*\d{1,2}\s*[）)])")
CHANGE = re.compile(
    rf"(?P<amount>{NUM})\s*万\s*元"
    rf"(?:\s*[，,]\s*占\s*(?:比\s*)?(?P<share>{NUM})\s*%)?"
    rf"(?:\s*[，,]?\s*(?:(?:比|较)\s*(?:上\s*年|去\s*年|(?P<base>\d{{4}})\s*年)\s*(?:度\s*)?(?:[（(][^（()）]{{0,12}}[)）]\s*)?(?P<basis>预\s*算|执\s*行|决\s*算)?\s*(?:数\s*)?"
    rf"|与\s*(?:上|去)\s*年\s*(?:度\s*)?(?P<basis2>预\s*算)?\s*(?:数\s*)?相\s*比\s*[，,]?\s*)"
    rf"(?P<dir>增\s*加|减\s*少)\s*(?P<change>{NUM})\s*万\s*元"
    rf"(?:\s*[，,]?\s*(?P<pdir>增\s*长|下\s*降|增\s*幅|减\s*幅|上\s*升)\s*(?P<percent>{NUM})\s*%)?)?")
# The 三公 items print only the change: "因公出国（境）费增加 0.00 万元，增长 0.00%".
CHANGE_ONLY = re.compile(
    rf"(?P<dir>增\s*加|减\s*少)\s*(?P<change>{NUM})\s*万\s*元\s*[，,]?\s*(?P<pdir>增\s*长|下\s*降|增\s*幅|减\s*幅|上\s*升)"
    rf"\s*(?P<percent>{NUM})\s*%")
# Shanghai's item paragraphs state last year's execution and this year's budget, and only the
# percentage: "2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，比2022年预算执行数增加77.70%".
PRIOR = re.compile(
    rf"(?:上\s*年|\d{{4}}\s*年)\s*(?:度\s*)?(?:当\s*年\s*)?预\s*算\s*执\s*行\s*数\s*(?:为|是)?\s*(?P<prior>{NUM})\s*万\s*元"
    rf"\s*[，,]\s*(?:\d{{4}}\s*年\s*(?:度\s*)?)?预\s*算\s*(?:安\s*排|数)\s*(?:为|是)?\s*(?P<amount>{NUM})\s*万\s*元\s*[，,]\s*"
    rf"(?:比|较)\s*(?:上\s*年|\d{{4}}\s*年)\s*(?:度\s*)?(?:预\s*算\s*)?执\s*行\s*数\s*"
    rf"(?P<pdir>增\s*加|减\s*少|增\s*长|下\s*降)\s*(?P<percent>{NUM})\s*%")
_QUOTED = re.compile(rf"^\s*(?:\d{{1,2}}\s*[、.．]\s*)?[“\"](?P<name>[^”\"]{{2,80}})[”\"]\s*(?:(?P<amount>{NUM})\s*万\s*元)?")
REASON = re.compile(r"^\s*[，,。.；;]?\s*主\s*要\s*原\s*因\s*(?:是|为)?\s*[：:]?\s*(?P<reason>[^。；;]*)")
_TAIL = re.compile(r"(?:[:：]\s*)?(?:20\d{2}\s*年\s*(?:度)?\s*)?(?:的)?"
                   r"(?:财政拨款预算|预算比上年预算|比上年预算|预算数为|预算数|预算为|拨款为|为|是)?$")


@dataclass
class ChangeStatement:
    subject: str
    line: int
    section: str | None
    amount: Decimal | None = None
    share: Decimal | None = None
    change: Decimal | None = None          # signed: 减少 is negative
    percent: Decimal | None = None         # signed: 下降 is negative
    reason: str | None = None
    text: str = ""
    role: str | None = None                # the template's role of its section (revenue_statement, …)
    basis: str | None = None               # what the change is on: last year's budget, execution or final account
    prior: Decimal | None = None           # last year's figure, where printed (Shanghai's 上年预算执行数为…)
    heading: Decimal | None = None         # the amount printed after the item's name at the paragraph's head


@dataclass
class Figures:
    """Named figures of one paragraph kind, with the line they were read from."""

    line: int
    values: dict[str, Decimal] = field(default_factory=dict)
    vehicles: list[tuple[str, Decimal, Decimal | None]] = field(default_factory=list)   # (type, count, value)


@dataclass
class CarryOverItem:
    """One entry of section 十一's list: "N. NAME X 万元，主要用于 PURPOSE" (or "完全不予公开")."""

    name: str
    amount: Decimal
    line: int
    purpose: str | None = None
    withheld: bool = False               # 完全不予公开


@dataclass
class ExecutionStatement:
    """A final account's statement of budget execution: “（subject）年初预算为X万元，支出决算为Y万元，
    完成年初预算的Z%”, the subject being the general budget's spending or one function item
    named by its 类/款/项 names."""

    subject: str
    line: int
    budget: Decimal
    final: Decimal
    rate: Decimal | None = None
    reason: str | None = None
    total: bool = False                 # the general budget's spending as a whole, not one item


@dataclass
class EmptyClaim:
    """A clause saying the department has none of a kind of budget (没有使用政府性基金预算拨款安排的
    支出): the kind of table that must then be empty."""

    kind: str
    line: int
    text: str


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


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else decimal_of(squash(text))


def paragraphs(part3: list[Line], skip: set[int] = frozenset(),
               roles: dict | None = None) -> list[tuple[str | None, int, str, str | None]]:
    """(section numeral, first line, text, section role) of each prose paragraph; lines in *skip*
    are left out. *roles* maps a role (projects, carryover_list) to the template's heading patterns.

    A paragraph ends at a heading, a numbered item, or a line ending in 。; wrapped lines
    (raw PDF text breaks mid-word and mid-amount) are joined.
    """
    out: list[tuple[str | None, int, str, str | None]] = []
    section, role, current, start = None, None, [], 0

    def flush():
        if current:
            out.append((section, start, join_wrapped(current), role))
            current.clear()

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
        if _HEADING.match(text) and "万元" not in squash(text) or text.endswith("。"):
            flush()
    flush()
    return out


def clean_subject(text: str, names: list[str]) -> str:
    s = squash(text)
    s = re.split(r"[。；;，,]", s)[-1]
    parts = [p for p in re.split(r"[：:]", s)]
    while len(parts) > 1 and not _TAIL.sub("", parts[-1]):
        parts.pop()
    s = parts[-1]
    s = re.sub(r"^(?:[-*]?\d{1,2}[、.．]|[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十]+[）)]|其中)", "", s)
    for name in sorted(names, key=len, reverse=True):
        if name and s.startswith(name):
            s = s[len(name):]
            break
    s = re.sub(r"^(?:(?:部门|单位)(?=20\d{2}|的))?(?:20\d{2}年度?)?(?:的)?", "", s)
    return _TAIL.sub("", s)


def _statements(section, line, text, names) -> list[ChangeStatement]:
    found: list[ChangeStatement] = []
    last = 0
    for m in CHANGE.finditer(text):
        if m["share"] is None and m["change"] is None:
            continue
        found.append(_statement(m, text, last, section, line, names))
        last = m.end()
    for m in PRIOR.finditer(text):
        found.append(_prior_statement(m, text, last, section, line, names))
        last = m.end()
    if not found:
        for m in CHANGE_ONLY.finditer(text):
            found.append(_statement(m, text, last, section, line, names))
            last = m.end()
    return found


def _prior_statement(m, text, last, section, line, names) -> ChangeStatement:
    """A statement of last year's figure, this year's and the percentage between: its subject is
    the item the paragraph opens with in quotes (“…（类）…（款）…（项）”), else the text before it."""
    quoted = _QUOTED.match(text) if not last else None
    subject = squash(quoted["name"]) if quoted else clean_subject(text[last:m.start()], names)
    st = ChangeStatement(subject, line, section, text=text[m.start():m.end()], basis="execution")
    st.amount, st.prior = _dec(m["amount"]), _dec(m["prior"])
    st.heading = _dec(quoted["amount"]) if quoted else None
    st.percent = _signed_percent(m)
    st.reason = _reason_after(text, m.end())
    return st


def _statement(m, text, last, section, line, names) -> ChangeStatement:
    subject = clean_subject(text[last:m.start()], names)
    st = ChangeStatement(subject, line, section, text=text[m.start():m.end()])
    groups = m.groupdict()
    st.amount = _dec(groups.get("amount"))
    st.share = _dec(groups.get("share"))
    if m["change"] is not None:
        basis = squash(groups.get("basis") or groups.get("basis2") or "")
        st.basis = {"预算": "budget", "执行": "execution", "决算": "final"}.get(basis, "unstated")
        st.change = _dec(m["change"]) * (-1 if "减" in m["dir"] else 1)
        if m["percent"] is not None:
            st.percent = _signed_percent(m)
    st.reason = _reason_after(text, m.end())
    return st


def _signed_percent(m) -> Decimal:
    """The percentage a change statement prints, negative for 下降/减幅/减少."""
    return _dec(m["percent"]) * (-1 if re.search("降|减", m["pdir"]) else 1)


def _reason_after(text: str, end: int) -> str | None:
    """The reason printed right after a change statement (主要原因是…), if any."""
    r = REASON.match(text[end:])
    return r["reason"].strip() if r and r["reason"].strip() else None


def _figures(line: int, text: str, patterns: dict[str, str]) -> Figures | None:
    s = squash(text)
    fig = Figures(line)
    for key, pattern in patterns.items():
        m = re.search(pattern, s)
        if m:
            fig.values[key] = _dec(m.group(1))
    return fig if fig.values else None


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
# 四's "一般公共预算支出包括：一般公共服务支出 984.62 万元，主要用于…；社会保障和就业支出 …"
_SPENDING_LIST = re.compile(r"一般公共预算(?:拨款)?支出(?:预算)?(?:主要)?包括[：:]")
_CLASS_AMOUNT = re.compile(rf"(?P<name>[\u4e00-\u9fff（）()]{{2,30}}?)\s*(?P<amount>{NUM})\s*万\s*元")
_CARRY_ITEM = re.compile(rf"^(?P<name>.+?)(?P<amount>{NUM})万元[，,。；;]?(?P<rest>.*)$")
_VEHICLE = re.compile(rf"(一般公务用车|执法执勤用车|特种专业技术用车|其他车辆|其他用车|业务用车|机要通信用车|应急保障用车)"
                      rf"({NUM})辆[，,]?(?:价值{A})?")


def _merge(found: Figures | None, more: Figures | None) -> Figures | None:
    """Figures spread over several paragraphs: the first paragraph to give a figure wins."""
    if found is None or more is None:
        return found or more
    found.values.update({k: v for k, v in more.values.items() if k not in found.values})
    return found


# Sections whose statements restate one table, by the template's headings: a final account's
# 收入决算情况说明 (its revenue table), 支出决算情况说明 (its expenditure table) and 一般公共预算
# 财政拨款支出决算情况说明 (its general-budget table).
STATEMENT_ROLES = ("revenue_statement", "expenditure_statement", "general_budget_statement")


def parse_explanation(part3: list[Line], names: list[str], skip: set[int], family) -> Explanation:
    ex = Explanation()
    roles = {role: family.section(role) for role in ("projects", "carryover_list", "fiscal_summary", "basic_spending")
             + STATEMENT_ROLES + tuple(FUND_ROLES)}
    for section, line, text, role in paragraphs(part3, skip, roles):
        if role == "projects":
            continue
        if role == "carryover_list":
            _carryover(ex, line, text)
        if role == "fiscal_summary":
            ex.fiscal = _merge(ex.fiscal, _figures(line, text, FISCAL))
            ex.statements.extend(_class_amounts(section, line, text))
        if role == "basic_spending":
            ex.basic = _merge(ex.basic, _figures(line, text, BASIC))
        if role in FUND_ROLES:
            kind = FUND_ROLES[role]
            ex.funds[kind] = _merge(ex.funds.get(kind), _figures(line, text, FUND))
            if ex.funds[kind] is None:
                del ex.funds[kind]
        stated = _statements(section, line, text, names)
        for st in stated:
            st.role = role if role in STATEMENT_ROLES else None
        ex.statements.extend(stated)
        ex.execution.extend(execution_statements(line, text))
        ex.empty_claims.extend(empty_claims(line, text))
        s = squash(text)
        three = THREE_PUBLIC_FINAL if family.phase == "final" else THREE_PUBLIC   # a final states what was spent
        if "三公" in s and ex.three_public is None and "经费" in s and re.search(three["total"], s):
            ex.three_public = _figures(line, text, three)
        if "机关运行经费" in s and ex.operating is None:
            ex.operating = _figures(line, text, OPERATING)
        if "政府采购" in s:
            ex.procurement = _merge(ex.procurement, _figures(line, text, PROCUREMENT))
        if "绩效目标" in s and "项目" in s and ex.performance is None:
            ex.performance = _figures(line, text, PERFORMANCE)
        if re.search(r"房屋|车辆|办公家具|其他资产|大型设备", s) and "安排购置" not in s:   # 未安排购置… is next year's plan
            fig = _figures(line, text, ASSETS)
            ex.assets = _merge(ex.assets, fig)
            if fig:
                for m in _VEHICLE.finditer(s):
                    ex.assets.vehicles.append((m.group(1), _dec(m.group(2)), _dec(m.group(3))))
    return ex


def _class_amounts(section: str | None, line: int, text: str) -> list[ChangeStatement]:
    """The function classes 四 lists with their amounts ("一般公共预算支出包括：一般公共服务支出
    984.62 万元，主要用于…；社会保障和就业支出 170.27 万元…"), as statements of an amount alone."""
    m = _SPENDING_LIST.search(text)
    if m is None:
        return []
    found = []
    for piece in re.split(r"[；;。]", text[m.end():]):
        c = _CLASS_AMOUNT.match(squash(piece))
        if c:
            found.append(ChangeStatement(c["name"], line, section, amount=_dec(c["amount"]),
                                         text=f"{c['name']}{c['amount']}万元"))
    return found


def _carryover(ex: Explanation, line: int, text: str) -> None:
    """Section 十一: the total carried over, then one numbered paragraph per project."""
    numbered = _ITEM.match(text)
    m = _CARRY_ITEM.match(squash(text[numbered.end():])) if numbered else None
    if m is None:
        if ex.carryover is None and "结转" in text:
            ex.carryover = _figures(line, text, CARRYOVER)
        return
    name, rest = m["name"], m["rest"].rstrip("。")
    item = CarryOverItem(name, _dec(m["amount"]), line)
    if "不予公开" in rest:
        item.withheld = True
    purpose = re.match(r"^(?:主要)?用于(?P<p>.+)$", rest)
    if purpose:
        item.purpose = purpose["p"]
    ex.carryover_items.append(item)


EXECUTION = re.compile(
    rf"年初预算(?:数)?(?:为|是)?(?P<budget>{NUM})万元[，,]\s*(?:支出)?决算(?:数)?(?:为|是)?(?P<final>{NUM})万元"
    r"(?:[，,]\s*完成(?:年初)?预算的(?P<rate>\d+(?:\.\d+)?)[%％])?")
# A function item named by its 类 (款, 项) names: 一般公共服务支出（类）财政事务（款）行政运行（项）.
_EXECUTION_ITEM = re.compile(r"[^。；;：:、，,]*?[（(]类[)）](?:[^。；;：:、，,]*?[（(]款[)）])?(?:[^。；;：:、，,]*?[（(]项[)）])?")
_EXECUTION_TOTAL = re.compile(r"一般公共预算财政拨款(?:支出)?$")
_EXECUTION_REASON = re.compile(r"主要原因(?:是|为)?[：:]?(?P<reason>[^。]*)")


def execution_statements(line: int, text: str) -> list[ExecutionStatement]:
    """The budget-execution statements of a final account's paragraph. Each is about what the
    text since the statement before it names: the general budget's spending when the clause in
    front says so (一般公共预算财政拨款支出年初预算为…), else the last function item named by its
    类/款/项 names (一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于…。年初预算为…); a
    statement about anything else (其中：人员经费年初预算为…) is left out, not guessed."""
    s = squash(text)
    matches = list(EXECUTION.finditer(s))
    out = []
    for n, m in enumerate(matches):
        before = s[matches[n - 1].end() if n else 0:m.start()]
        clause = re.split(r"[。；;，,：:]", before)[-1]
        items = _EXECUTION_ITEM.findall(before)
        if _EXECUTION_TOTAL.search(clause):
            subject, total = clause, True
        elif items:
            subject, total = re.sub(r"^\s*\d{1,2}[、.．]?", "", items[-1]), False
        else:
            continue
        until = matches[n + 1].start() if n + 1 < len(matches) else len(s)
        reason = _EXECUTION_REASON.search(s, m.end(), until)
        out.append(ExecutionStatement(subject, line, _dec(m["budget"]), _dec(m["final"]), _dec(m["rate"]),
                                      reason["reason"].strip() if reason else None, total))
    return out


def empty_claims(line: int, text: str) -> list[EmptyClaim]:
    """The clauses of a paragraph saying there is none of a kind of budget, by the words each
    kind lists (kinds.toml ``empty_claim``); one claim per kind and paragraph."""
    out: list[EmptyClaim] = []
    sentences = [c for c in re.split(r"[。；;]", squash(text)) if c]
    for k in kinds().values():
        for sentence in sentences:
            if any(p.search(sentence) for p in k.empty_claims):
                out.append(EmptyClaim(k.id, line, sentence))
                break
    return out
