"""The performance-target tables of 第三部分 (四) and their records: one 部门整体绩效目标表 per
document and one 项目支出绩效目标表 per project, found by the template's section headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetkg.extract.narrative.indicator_value import IndicatorValue
from budgetkg.extract.normalize import Line, squash

_END = re.compile(r"^[（(]\s*[五六七八九十]\s*[）)]|^第[四五]部分|^[五六七八九十]+\s*[、.．]")


@dataclass
class Indicator:
    position: int
    line: int
    level1: str | None
    level2: str | None
    name: str
    value: IndicatorValue
    basis: str | None = None
    previous: IndicatorValue | None = None
    weight: Decimal | None = None
    scoring: str | None = None
    evidence: str | None = None


@dataclass
class PerformanceTable:
    kind: str                       # department | project
    line: int
    position: int
    unit: str | None = None
    project: str | None = None
    manager: str | None = None
    contact: str | None = None
    goal: str | None = None
    funds: dict[str, Decimal] = field(default_factory=dict)
    last_line: int | None = None    # the table's last source line
    indicators: list[Indicator] = field(default_factory=list)
    unparsed: list[tuple[int, str]] = field(default_factory=list)   # (line, text) kept as printed

    @property
    def label(self) -> str:
        what = "部门整体绩效目标表" if self.kind == "department" else f"项目支出绩效目标表 {self.project or '?'}"
        return f"{what} (line {self.line})"


def _titles(family) -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    """The title patterns of the two kinds of performance table (the template's sections
    department_performance and project_performance; the national ones by default)."""
    if family is None:
        from budgetkg.extract.template import DEFAULT_FAMILY, families
        family = families()[DEFAULT_FAMILY]
    return (("department", family.section("department_performance")), ("project", family.section("project_performance")))


def split_tables(part3: list[Line], family=None) -> list[tuple[str, int, list[Line]]]:
    """(kind, title line, body lines) for every performance-target table in 第三部分."""
    out: list[tuple[str, int, list[Line]]] = []
    titles = _titles(family)
    for ln in part3:
        s = squash(ln.text)
        kind = next((k for k, patterns in titles if any(p.search(s) for p in patterns)), None)
        if kind:
            out.append((kind, ln.number, []))
            continue
        if out and _END.match(s) and "指标" not in s:
            break
        if out:
            out[-1][2].append(ln)
    return out
