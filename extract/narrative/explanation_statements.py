"""The statements of 第三部分's prose: change statements, a final account's budget-execution
statements, and the clauses saying a kind of budget is empty.

A change statement is "X 万元，占 P%，比上年预算增加/减少 C 万元，增长/下降 Q%，主要原因是 R"
in any of its printed shapes (share or change may be missing; the 三公 items print only the
change). Its subject is the text in front of the amount, cleaned of numbering, the
department's name and the year; what it restates (a fund source, an expenditure type, a
function code, a 三公 item) is resolved later, at emission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetkg.extract.narrative.explanation_figures import NUM, to_decimal
from budgetkg.extract.normalize import squash
from budgetkg.extract.template import kinds

CHANGE = re.compile(
    rf"(?P<amount>{NUM})\s*万\s*元"
    rf"(?:\s*[，,]\s*占\s*(?:比\s*)?(?P<share>{NUM})\s*%)?"
    rf"(?:\s*[，,]?\s*(?:(?:比|较)\s*(?:上\s*年|去\s*年|(?P<base>\d{{4}})\s*年)\s*(?:度\s*)?(?:[（(][^（()）]{{0,12}}[)）]\s*)?(?P<basis>预\s*算|执\s*行|决\s*算)?\s*(?:数\s*)?"
    rf"|与\s*(?:上|去)\s*年\s*(?:度\s*)?(?P<basis2>预\s*算)?\s*(?:数\s*)?相\s*比\s*[，,]?\s*)"
    rf"(?P<dir>增\s*加|减\s*少)\s*(?P<change>{NUM})\s*万\s*元"
    rf"(?:\s*[，,]?\s*(?P<pdir>增\s*长|下\s*降|增\s*幅|减\s*幅|上\s*升)\s*(?P<percent>{NUM})\s*%)?)?")
# The 三公 items print only the change: "因公出国（境）费增加 0.00 万元，增长 0.00%", the first after
# what it is on ("“三公”经费比上年预算增加 0.00 万元").
CHANGE_ONLY = re.compile(
    rf"(?:(?:预\s*算\s*)?(?:比|较)\s*(?:上\s*年|去\s*年)\s*(?:度\s*)?(?P<basis>预\s*算|执\s*行|决\s*算)?\s*(?:数\s*)?)?"
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
# 四's "一般公共预算支出包括：一般公共服务支出 984.62 万元，主要用于…；社会保障和就业支出 …"
_SPENDING_LIST = re.compile(r"一般公共预算(?:拨款)?支出(?:预算)?(?:主要)?包括[：:]")
_CLASS_AMOUNT = re.compile(rf"(?P<name>[\u4e00-\u9fff（）()]{{2,30}}?)\s*(?P<amount>{NUM})\s*万\s*元")


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
    paragraph: int | None = None           # the first line of its paragraph (line is where its amount is)
    restates: tuple[str, str] | None = None   # what it restates, resolved once the tables are read (subjects)
    direction: tuple[str, str] | None = None  # ("increase" | "decrease", the word) its reason says
    before: tuple | None = None            # (amount, line) the sentence before states, when it prints none


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
    restates: tuple[str, str] | None = None   # what it is about, resolved once the tables are read (subjects)


@dataclass
class EmptyClaim:
    """A clause saying the department has none of a kind of budget (没有使用政府性基金预算拨款安排的
    支出): the kind of table that must then be empty."""

    kind: str
    line: int
    text: str


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


def change_statements(section, line, text, names, starts=()) -> list[ChangeStatement]:
    """The change statements of a paragraph. *starts* gives the (offset, line number) at which
    each of the paragraph's printed lines begins in *text*: a statement is located on the line its
    amount is printed on; without it, on *line*, the paragraph's first."""
    found: list[ChangeStatement] = []
    last = 0
    for m in CHANGE.finditer(text):
        if m["share"] is None and m["change"] is None:
            continue
        found.append(_statement(m, text, last, section, line_at(m.start(), line, starts), names))
        last = m.end()
    for m in PRIOR.finditer(text):
        found.append(_prior_statement(m, text, last, section, line_at(m.start(), line, starts), names))
        last = m.end()
    if not found:
        for m in CHANGE_ONLY.finditer(text):
            found.append(_statement(m, text, last, section, line_at(m.start(), line, starts), names))
            last = m.end()
    for st in found:
        st.paragraph = line
    return found


def line_at(offset: int, line: int, starts=()) -> int:
    """The printed line of a paragraph on which *offset* of its joined text falls."""
    return next((number for start, number in reversed(starts) if start <= offset), line)


def _prior_statement(m, text, last, section, line, names) -> ChangeStatement:
    """A statement of last year's figure, this year's and the percentage between: its subject is
    the item the paragraph opens with in quotes (“…（类）…（款）…（项）”), else the text before it."""
    quoted = _QUOTED.match(text) if not last else None
    subject = squash(quoted["name"]) if quoted else clean_subject(text[last:m.start()], names)
    st = ChangeStatement(subject, line, section, text=text[m.start():m.end()], basis="execution")
    st.amount, st.prior = to_decimal(m["amount"]), to_decimal(m["prior"])
    st.heading = to_decimal(quoted["amount"]) if quoted else None
    st.percent = _signed_percent(m)
    st.reason = _reason_after(text, m.end())
    return st


def _statement(m, text, last, section, line, names) -> ChangeStatement:
    subject = clean_subject(text[last:m.start()], names)
    st = ChangeStatement(subject, line, section, text=text[m.start():m.end()])
    groups = m.groupdict()
    st.amount = to_decimal(groups.get("amount"))
    st.share = to_decimal(groups.get("share"))
    if m["change"] is not None:
        basis = squash(groups.get("basis") or groups.get("basis2") or "")
        st.basis = {"预算": "budget", "执行": "execution", "决算": "final"}.get(basis, "unstated")
        st.change = to_decimal(m["change"]) * (-1 if "减" in m["dir"] else 1)
        if m["percent"] is not None:
            st.percent = _signed_percent(m)
    st.reason = _reason_after(text, m.end())
    return st


def _signed_percent(m) -> Decimal:
    """The percentage a change statement prints, negative for 下降/减幅/减少."""
    return to_decimal(m["percent"]) * (-1 if re.search("降|减", m["pdir"]) else 1)


def _reason_after(text: str, end: int) -> str | None:
    """The reason printed right after a change statement (主要原因是…), if any."""
    r = REASON.match(text[end:])
    return r["reason"].strip() if r and r["reason"].strip() else None


def class_amounts(section: str | None, line: int, text: str) -> list[ChangeStatement]:
    """The function classes 四 lists with their amounts ("一般公共预算支出包括：一般公共服务支出
    984.62 万元，主要用于…；社会保障和就业支出 170.27 万元…"), as statements of an amount alone."""
    m = _SPENDING_LIST.search(text)
    if m is None:
        return []
    found = []
    for piece in re.split(r"[；;。]", text[m.end():]):
        c = _CLASS_AMOUNT.match(squash(piece))
        if c:
            found.append(ChangeStatement(c["name"], line, section, amount=to_decimal(c["amount"]),
                                         text=f"{c['name']}{c['amount']}万元"))
    return found


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
        out.append(ExecutionStatement(subject, line, to_decimal(m["budget"]), to_decimal(m["final"]),
                                      to_decimal(m["rate"]), reason["reason"].strip() if reason else None, total))
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
