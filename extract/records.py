"""Typed records: the boundary between parsing (text → records) and RDF emission (records → triples)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from budgetkg.extract.findings import Finding


@dataclass
class Staffing:
    authorized: int | None = None
    actual: int | None = None
    active: int | None = None
    active_change: int | None = None
    retired: int | None = None
    retired_change: int | None = None
    retired_veterans: int | None = None
    retired_veterans_change: int | None = None


@dataclass
class BudgetUnitRecord:
    position: int
    name: str          # canonical (expanded, spaces removed)
    printed: str       # as printed
    is_head: bool      # 本级, 本部
    merged: bool = False   # printed as having no budget of its own (不单列预算，并入本部)


@dataclass
class Overview:
    """第一部分 部门概况."""

    functions_text: str | None = None
    division_count: int | None = None
    divisions: list[str] = field(default_factory=list)
    units: list[BudgetUnitRecord] = field(default_factory=list)
    staffing: Staffing | None = None
    line: int | None = None


@dataclass
class Row:
    """One data row of a budget table, with its cells keyed by column key."""

    index: int
    line: int
    label: str | None = None
    code: str | None = None              # full digit string, function or economic
    level: str = "detail"                # total | unit | class | section | item | group | detail
    side: str | None = None              # revenue | expenditure for tables 1 and 4
    project: str | None = None
    unit: str | None = None              # table 7: executing unit (printed, spaces removed)
    confidential: str | None = None      # the code of a confidential project the row names (特定目标…)
    cells: dict[str, Decimal] = field(default_factory=dict)
    boxes: dict[str, tuple] = field(default_factory=dict)   # PDF: the box of the cell each amount was read from
    unplaced: str | None = None          # numbers whose column could not be determined
    item: str | None = None              # the kind's item the row is (三公: total, abroad, …), by its label

    @property
    def is_aggregate(self) -> bool:
        return self.level in {"total", "unit", "class", "section", "group"}


@dataclass
class Table:
    kind: str                            # the canonical kind (template.Kind.id)
    title: str                           # as printed
    status: str                          # present | empty | absent | unparsed
    line: int | None = None
    rows: list[Row] = field(default_factory=list)
    note: str | None = None
    raw_text: str | None = None
    number: int | None = None            # the printed number (表3), when printed
    unit: str = "万元"                    # the unit the table prints its amounts in
    printed: dict = field(default_factory=dict)   # (row index, column key) → amount as printed, when converted
    columns: list = field(default_factory=list)   # the amount columns the table prints, by key

    @property
    def label(self) -> str:
        return f"表{self.number} {self.title}" if self.number else self.title


@dataclass
class Disclosure:
    """Everything extracted from one document."""

    path: str
    sha256: str
    rendering: str
    department: str
    department_names: list[str]
    year: int
    date_signed: date | None
    overview: Overview
    tables: dict[str, Table]             # by kind, in printed order
    issues: list[Finding] = field(default_factory=list)   # what extraction could not read or tell
    projects: list = field(default_factory=list)          # projects.ProjectDescription, 第三部分 七
    confidential: list = field(default_factory=list)      # projects.ConfidentialProject
    citations: list = field(default_factory=list)         # citations.Citation in 主要职能 and 第三部分
    performance: list = field(default_factory=list)       # performance.PerformanceTable, 第三部分 (四)
    explanation: object = None                            # explanation.Explanation, 第三部分 prose facts
    layout: dict = field(default_factory=dict)            # PDF only: line number → normalize.Line (page, boxes)
    phase: str = "budget"                                 # budget | final
    scope: str = "department"                             # department (部门预算) | unit (单位预算)
    template: str = "national"                            # the template family it was read with
    slips: list = field(default_factory=list)             # wording.Slip: fixed phrases printed wrong
