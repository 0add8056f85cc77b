"""The facts of one synthetic department budget, and every figure its tables print.

Amounts are integer cents of 万元 (0.01 万元, the printed precision), so every sum a table
prints is exact. The facts are drawn at random by ``draw.draw_department``; the region they
belong to, with its kinds of department and the shared pool of cited policies, is ``region``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from budgetkg.synth.region import AREAS, KINDS, REGION, Policy, department_name, policy_pool

__all__ = ["AREAS", "KINDS", "REGION", "CarryOver", "Department", "Indicator", "Policy", "Project", "department_name",
           "function_rows", "policy_pool"]


@dataclass
class Indicator:
    level1: str
    level2: str
    name: str
    value: str
    basis: str
    weight: int
    previous: str = ""
    scoring: str = "按照完成比例赋分"
    evidence: str = "工作资料"


@dataclass
class Project:
    name: str
    unit: str                      # the executing unit's full name
    code: str                      # 7-digit function code (项)
    economic: dict[str, int]       # 表7 column key (e302, e310, ...) → cents
    policies: list[Policy]
    manager: str
    indicators: list[Indicator]
    allocation: list[tuple[str, int]]   # 资金分配情况: (item, cents)

    @property
    def total(self) -> int:
        return sum(self.economic.values())


@dataclass
class CarryOver:
    """A project's money carried over from last year: a row of 表11 and an item of 十一. It is
    project spending under the department's project item (function code), fiscal (财政拨款结转)
    or not (非财政拨款结转结余)."""

    name: str
    fiscal: int                    # cents
    nonfiscal: int
    purpose: str

    @property
    def total(self) -> int:
        return self.fiscal + self.nonfiscal


def function_rows(items: dict[str, tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(code, basic, project) for every 类, 款 and 项 row of the 7-digit *items*, parents before children."""
    rows: dict[str, list[int]] = {}
    for code, (b, p) in items.items():
        for prefix in (code[:3], code[:5], code):
            acc = rows.setdefault(prefix, [0, 0])
            acc[0] += b
            acc[1] += p
    return [(c, v[0], v[1]) for c, v in sorted(rows.items())]


@dataclass
class Department:
    name: str
    year: int
    level: str                     # region | prefecture | county
    area: str                      # e.g. 喀什地区喀什市
    parent: str | None             # the administrative area above (喀什地区), None for the region
    kind: str
    units: list[str]               # units[0] is the department itself (本级)
    divisions: list[str]
    staffing: dict[str, int]
    functions_text: str
    economic: dict[str, tuple[int, int]]       # 5-digit economic code → (personnel, public) cents
    basic: dict[str, int]                      # 7-digit function code → basic cents
    projects: list[Project]
    last_year: dict[str, int]                  # key → last year's cents (general-budget, basic, project, codes)
    three_public: dict[str, int]               # abroad, reception, vehicle-purchase, vehicle-operation
    three_public_last: dict[str, int]
    contact: str
    phone: str
    dept_goal: str
    dept_indicators: list[Indicator]
    procurement: int
    assets: dict[str, int]
    signed: date
    reasons: dict[str, str] = field(default_factory=dict)
    carryover: list[CarryOver] = field(default_factory=list)
    carryover_code: str = ""                   # the 7-digit function code carry-over is spent under
    scope: str = "department"                  # or "unit": a unit's own budget (单位预算)

    # ---- derived figures, everything the tables print
    def project_by_code(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.projects:
            out[p.code] = out.get(p.code, 0) + p.total
        return out

    def function_items(self, carryover: bool = False) -> dict[str, tuple[int, int]]:
        """7-digit code → (basic, project), in code order; with *carryover*, the project
        spending of last year's money too (tables 1, 2 and 3 count it, tables 4 and 5 do not)."""
        projects = self.project_by_code()
        if carryover and self.carryover:
            projects[self.carryover_code] = projects.get(self.carryover_code, 0) + self.carryover_total()
        codes = sorted(set(self.basic) | set(projects))
        return {c: (self.basic.get(c, 0), projects.get(c, 0)) for c in codes}

    def function_rows(self, carryover: bool = False) -> list[tuple[str, int, int]]:
        """(code, basic, project) for every 类, 款 and 项 row, parents before children."""
        return function_rows(self.function_items(carryover))

    def carryover_fiscal(self) -> int:
        return sum(c.fiscal for c in self.carryover)

    def carryover_nonfiscal(self) -> int:
        return sum(c.nonfiscal for c in self.carryover)

    def carryover_total(self) -> int:
        return self.carryover_fiscal() + self.carryover_nonfiscal()

    def carried_under(self, code: str | None) -> tuple[int, int]:
        """(fiscal, non-fiscal) carry-over spent under function row *code* (类, 款 or 项),
        or under the whole department for None (the total row)."""
        if code is None or self.carryover_code.startswith(code):
            return self.carryover_fiscal(), self.carryover_nonfiscal()
        return 0, 0

    def grand_total(self) -> int:
        """This year's money and last year's carried over: 表1's 收入总计, 表2's and 表3's 合计."""
        return self.total() + self.carryover_total()

    def total_basic(self) -> int:
        return sum(self.basic.values())

    def total_project(self, carryover: bool = False) -> int:
        """This year's project spending; with *carryover*, last year's money carried over too."""
        return sum(p.total for p in self.projects) + (self.carryover_total() if carryover else 0)

    def total(self) -> int:
        return self.total_basic() + self.total_project()

    def personnel(self) -> int:
        return sum(v[0] for v in self.economic.values())

    def public(self) -> int:
        return sum(v[1] for v in self.economic.values())

    def classes(self, carryover: bool = False) -> dict[str, int]:
        return {c: b + p for c, b, p in self.function_rows(carryover) if len(c) == 3}

    def three_public_total(self) -> int:
        return sum(self.three_public.values())
