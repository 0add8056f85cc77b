"""Evidence from the other tables about which columns a raw-text number can be in.

Parsing order (see build.parse_tables) makes sure each table used here is parsed first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetkg.extract.records import Row, Table

# Table-1 revenue rows that correspond to table-2 columns (their totals must agree).
_T1_TO_T2 = (
    ("general-budget", r"一般财力$|^一般公共预算$"),
    ("general-budget-transfer", r"上级一般公共预算"),
    ("government-fund", r"政府性基金收入$"),
    ("government-fund-transfer", r"上级政府性基金"),
    ("state-capital", r"国有资本经营收入$"),
    ("state-capital-transfer", r"上级国有资本"),
    ("special-account", r"^财政专户核拨$"),
    ("unit-funds", r"^单位资金$"),
    ("fiscal-carryover", r"^财政拨款结转$"),
    ("nonfiscal-carryover", r"^非财政拨款结转(结余)?$"),
)
_T4_REVENUE_TO_COLUMN = (("general-budget", r"^一般公共预算"), ("government-fund", r"^政府性基金"),
                         ("state-capital", r"^国有资本经营"))


def allowed_and_evidence(kind: str, keys: list[str], rows: list[Row], tables: dict[str, Table]):
    """(columns a number may be placed in, per-row expected cells) for a table of *kind*.

    The relations between kinds are arithmetic the national rules fix (a 收入总表's fund-source
    totals are the 收支总表's revenue rows; 一般公共预算 project spending per code is the project
    table's), not layout: they hold in every family that prints both kinds.
    """
    allowed = set(keys)
    evidence: dict[int, dict[str, Decimal | None]] = {}
    t1 = tables.get("summary")
    if kind == "revenue" and t1 and t1.status == "present":
        revenue = [r for r in t1.rows if r.side == "revenue"]
        for key, pattern in _T1_TO_T2:
            match = [r for r in revenue if re.search(pattern, r.label or "")]
            if match and key in allowed:       # the first is in 本年收入; later ones are carry-overs
                value = match[0].cells.get("revenue")
                total_row = next((i for i, r in enumerate(rows) if r.level == "total"), None)
                if value is None:
                    allowed.discard(key)
                elif total_row is not None:
                    evidence.setdefault(total_row, {})[key] = value
    if kind in ("fiscal-summary", "three-public"):
        for key, value in _fiscal_sources(rows if kind == "fiscal-summary" else [], tables).items():
            if value is None:
                allowed.discard(key)
    if kind in ("expenditure", "general-budget"):
        t7 = tables.get("general-budget-projects")
        t5 = tables.get("general-budget")
        projects: dict[str, Decimal] = {}
        t7_usable = t7 is not None and t7.status in ("present", "empty")
        if t7_usable:
            for r in t7.rows:
                if r.code and len(r.code) == 7 and "total" in r.cells:
                    projects[r.code] = projects.get(r.code, Decimal(0)) + r.cells["total"]
        t5_by_code = {r.code: r for r in t5.rows} if t5 is not None else {}
        t5_total = next((r for r in t5.rows if r.level == "total"), None) if t5 is not None else None
        for i, r in enumerate(rows):
            if kind == "general-budget" and t7_usable and r.code:
                total = sum((v for c, v in projects.items() if c.startswith(r.code)), Decimal(0))
                evidence[i] = {"project": total if total else None}
            elif kind == "general-budget" and t7_usable and r.level == "total":
                t7_total = next((x.cells.get("total") for x in t7.rows if x.level == "total"), None)
                if t7_total is not None:
                    evidence[i] = {"project": t7_total}
            elif kind == "expenditure":
                twin = t5_by_code.get(r.code) if r.code else (t5_total if r.level == "total" else None)
                if twin is not None and not twin.unplaced and "total" in twin.cells:
                    evidence[i] = {"basic": twin.cells.get("basic"), "project": twin.cells.get("project"),
                                   "total": twin.cells["total"]}
    if kind == "general-budget-basic":
        for i, r in enumerate(rows):
            if r.code and r.code[:3] in ("301", "303"):
                evidence[i] = {"public": None}
            elif r.code and r.code[:3] == "302":
                evidence[i] = {"personnel": None}
    return allowed, evidence


def _fiscal_sources(own_rows: list[Row], tables: dict[str, Table]) -> dict[str, Decimal | None]:
    """Fiscal appropriations by source, from 表4's revenue side (or 表1's, when 表4 is missing)."""
    t4 = tables.get("fiscal-summary")
    revenue = [r for r in own_rows if r.side == "revenue"] or \
        ([r for r in t4.rows if r.side == "revenue"] if t4 and t4.status == "present" else [])
    patterns = _T4_REVENUE_TO_COLUMN
    if not revenue and tables.get("summary") is not None:
        revenue = [r for r in tables["summary"].rows if r.side == "revenue"]
        patterns = (("general-budget", r"^一般公共预算拨款$"), ("government-fund", r"^(政府性)?基金预算拨款$"),
                    ("state-capital", r"^国有资本经营预算拨款$"))
    sources: dict[str, Decimal | None] = {}
    for key, pattern in patterns:
        match = [r for r in revenue if re.search(pattern, r.label or "")]
        if match:
            sources[key] = match[0].cells.get("revenue")
    return sources
