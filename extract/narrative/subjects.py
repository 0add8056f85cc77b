"""What a statement of 第三部分 restates, resolved from its subject as printed: a fund source, an
expenditure type, a 三公 item (a column of the 三公 table) or a function code (by its 类/款/项
names, or a class by its name alone), which way its reason says the change went, and the
confidential projects (特定目标…) that carry-over rows and items name. Runs after the tables are
read (their rows name the codes a document uses), so that emission only writes what the records
hold."""

from __future__ import annotations

import re

from budgetkg.extract.codes import code_names
from budgetkg.extract.columns import expenditure_types, fund_sources
from budgetkg.extract.narrative.projects import CONFIDENTIAL_NAME
from budgetkg.extract.normalize import squash
from budgetkg.extract.wording import reason_direction

__all__ = ["SubjectResolver", "THREE_PUBLIC_COLUMNS", "resolve_confidential", "resolve_statements"]

_PATH = re.compile(r"(?P<name>[^（()）]+(?:[（(][^类款项）)]*[）)][^（()）]*)*)[（(](?P<level>类|款|项)[）)]")
THREE_PUBLIC_COLUMNS = {"“三公”经费": "total", "三公经费": "total", "因公出国（境）费": "abroad",
                        "公务用车购置费": "vehicle-purchase", "公务用车运行费": "vehicle-operation",
                        "公务用车运行维护费": "vehicle-operation", "公务接待费": "reception",
                        "公务用车购置及运行费": "vehicle-total"}


def _norm(text: str) -> str:
    return squash(text).replace("（", "(").replace("）", ")")


class SubjectResolver:
    """What a statement's subject restates, as (scheme, key): ("fund", key), ("expenditure",
    key), ("three-public", column key) or ("function", code)."""

    def __init__(self, year: int, tables: dict):
        self.names: dict[str, set[str]] = {}
        for code, name in code_names("function", year).items():
            self.names.setdefault(_norm(name), set()).add(code)
        for kind in ("expenditure", "general-budget", "fiscal-expenditure"):
            for row in (tables[kind].rows if kind in tables else []):
                if row.code and row.label and len(row.code) in (3, 5, 7) and not row.code.startswith("5"):
                    self.names.setdefault(_norm(row.label), set()).add(row.code)

    def resolve(self, subject: str) -> tuple[str, str] | None:
        s = _norm(subject)
        for key, (zh, _) in fund_sources().items():
            label = _norm(zh)
            if s == label or s == label + "资金" or s.removesuffix("资金") == label or \
                    (len(s) >= 4 and label.startswith(re.sub(r"\(.*\)$", "", s))):
                return "fund", key
        for key, (zh, _) in expenditure_types().items():
            if s == _norm(zh):
                return "expenditure", key
        for printed, key in THREE_PUBLIC_COLUMNS.items():
            if s.endswith(_norm(printed)):
                return "three-public", key
        code = self._function(subject)
        return ("function", code) if code else None

    def _function(self, subject: str) -> str | None:
        parts = [(m["level"], _norm(m["name"])) for m in _PATH.finditer(squash(subject))]
        if not parts:         # a class by its name alone (四: 一般公共服务支出 984.62 万元)
            hits = [c for c in self.names.get(_norm(subject), ()) if len(c) == 3]
            return hits[0] if len(hits) == 1 else None
        if parts[0][0] != "类":
            return None
        code = ""
        for level, name in parts:
            size = {"类": 3, "款": 5, "项": 7}[level]
            hits = [c for c in self.names.get(name, ()) if len(c) == size and c.startswith(code)]
            if len(hits) != 1:
                return None
            code = hits[0]
        return code


def resolve_statements(explanation, year: int, tables: dict) -> None:
    """Fill in what each change and execution statement restates, and a change statement's
    direction its reason gives and the amount the sentence before states for it."""
    if explanation is None:
        return
    resolver = SubjectResolver(year, tables)
    for st in explanation.statements:
        st.restates = resolver.resolve(st.subject)
        st.direction = reason_direction(st.reason)
        st.before = _amount_stated_before(explanation, st)
    for st in explanation.execution:
        st.restates = ("fund", "general-budget") if st.total else resolver.resolve(st.subject)


def _amount_stated_before(ex, st) -> tuple | None:
    """(amount, line) for a change printed without its amount ("“三公”经费比上年预算减少C万元，
    下降Q%") when the sentence just before states it ("“三公”经费预算X万元，其中…"): the 三公
    figures of the same paragraph or the one before, and 机关运行经费 likewise."""
    if st.amount is not None or st.change is None or st.percent is None:
        return None
    fig, key = None, None
    if st.restates is not None and st.restates[0] == "three-public":
        fig, key = ex.three_public, st.restates[1]
    elif "机关运行经费" in st.subject:
        fig, key = ex.operating, "total"
    if fig is None or key not in fig.values or not 0 <= (st.paragraph or st.line) - fig.line <= _NEIGHBOURING_LINES:
        return None
    return fig.values[key], fig.line


# How far (in lines) the sentence stating an amount may be from the paragraph of the change that
# leaves it out.
_NEIGHBOURING_LINES = 8


def resolve_confidential(tables: dict, explanation) -> None:
    """The confidential projects (特定目标…) that 表11's rows and 十一's carry-over list name, by
    their codes."""
    def code(name: str | None) -> str | None:
        m = CONFIDENTIAL_NAME.match(squash(name or ""))
        return m["code"] if m else None
    for row in (tables["carryover"].rows if "carryover" in tables else []):
        row.confidential = code(row.project)
    for item in (explanation.carryover_items if explanation else []):
        item.confidential = code(item.name)
