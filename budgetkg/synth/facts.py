"""The facts a synthetic department states, and the same facts read back from its extraction.

Both sides give the same plain structure (sets of tuples, amounts as Decimal 万元), so a
test can compare what was generated with what the extractor found, fact by fact.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from budgetkg.extract.codes import code_names
from budgetkg.extract.normalize import squash
from budgetkg.extract.records import Disclosure
from budgetkg.extract.template import kind as table_kind
from budgetkg.synth.budget_tables import t1_revenue
from budgetkg.synth.figures import percent
from budgetkg.synth.model import Department

Facts = dict[str, object]


# Revenue rows of 表4 that carry the total, by the label the extractor keeps.
T4_REVENUE = ("财政拨款（补助）", "一般公共预算")
# Numbering such as 一、 and 1. and the 其中： lead-in are not part of a label the extractor keeps.
_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\.\s*|其中：)")


def _d(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def expected_facts(d: Department) -> Facts:
    fiscal_co, nonfiscal_co = d.carryover_fiscal(), d.carryover_nonfiscal()
    multi = len(d.units) > 1
    tp, tp_total = d.three_public, d.three_public_total()
    return {
        "department": d.name, "year": d.year, "signed": d.signed,
        "units": [u + ("本级" if i == 0 else "") for i, u in enumerate(d.units)] if multi else [],
        "divisions": list(d.divisions),
        "staffing": (d.staffing["authorized"], d.staffing["actual"], d.staffing["active"],
                     d.staffing["active_change"], d.staffing["retired"], d.staffing["retired_change"],
                     d.staffing["veterans"], d.staffing["veterans_change"]),
        "tables": {n: ("empty" if n in (8, 9) or (n == 10 and not tp_total) or (n == 11 and not d.carryover)
                       else "present") for n in range(1, 12)},
        "cells": _expected_cells(d),
        "projects": {(p.name, _d(p.total), p.unit if p.unit != d.name else d.name + "本级") for p in d.projects},
        "citations": {(p.name, pol.number, pol.title) for p in d.projects for pol in p.policies},
        "indicators": {(p.name,) + _indicator(i) for p in d.projects for i in p.indicators} |
                      {("department",) + _indicator(i) for i in d.dept_indicators},
        "statements": _expected_statements(d),
        "three-public": {k: _d(v) for k, v in tp.items()} | {"total": _d(tp_total)},
        "carry-over": {k: _d(v) for k, v in (("total", fiscal_co + nonfiscal_co), ("fiscal", fiscal_co),
                                              ("nonfiscal", nonfiscal_co)) if v},
        "carry-over items": {(c.name, _d(c.total), c.purpose) for c in d.carryover},
    }


def _expected_cells(d: Department) -> set[tuple]:
    """Every figure the tables print, as (table, row key, column, amount)."""
    cells: set[tuple] = set()

    def put(table: int, row: str, column: str, cents: int) -> None:
        if cents:
            cells.add((table, row, column, _d(cents)))

    _function_table_cells(d, put)
    _item_table_cells(d, put)
    return cells


def _function_table_cells(d: Department, put: Callable[[int, str, str, int], None]) -> None:
    """The cells of tables 1 to 5, by function class and item, and of table 11 (carry-over)."""
    total, basic, project = d.total(), d.total_basic(), d.total_project()
    grand, fiscal_co, nonfiscal_co = d.grand_total(), d.carryover_fiscal(), d.carryover_nonfiscal()
    spent = d.total_project(carryover=True)             # project spending with last year's money
    for label, cents in t1_revenue(d).items():
        put(1, _LEAD.sub("", label), "revenue", cents)
    for cls, amount in d.classes(carryover=True).items():
        put(1, cls, "expenditure", amount)
    for cls, amount in d.classes().items():
        for column in ("total", "general-budget"):
            put(4, cls, column, amount)
    put(1, "total", "revenue", grand)
    put(1, "total", "expenditure", grand)
    for label in T4_REVENUE:
        put(4, label, "revenue", total)
    put(4, "total", "revenue", total)
    for column in ("total", "general-budget"):
        put(4, "total", column, total)
    for code, b, p in d.function_rows(carryover=True) + [("total", basic, spent)]:
        fiscal, nonfiscal = d.carried_under(None if code == "total" else code)
        put(2, code, "total", b + p)
        for column in ("fiscal-subtotal", "general-budget"):
            put(2, code, column, b + p - fiscal - nonfiscal)
        put(2, code, "fiscal-carryover", fiscal)
        put(2, code, "nonfiscal-carryover", nonfiscal)
        put(3, code, "total", b + p)
        put(3, code, "basic", b)
        put(3, code, "project", p)
    for code, b, p in d.function_rows() + [("total", basic, project)]:
        put(5, code, "total", b + p)
        put(5, code, "basic", b)
        put(5, code, "project", p)
    t11 = [(squash(c.name), c.fiscal, c.nonfiscal) for c in d.carryover]
    for key, f, n in t11 + ([("total", fiscal_co, nonfiscal_co)] if t11 else []):
        for column, cents in (("total", f + n), ("fiscal-total", f), ("fiscal-project", f),
                              ("nonfiscal-total", n), ("nonfiscal-project", n)):
            put(11, key, column, cents)


def _item_table_cells(d: Department, put: Callable[[int, str, str, int], None]) -> None:
    """The cells of tables 6 (economic items), 7 (projects) and 10 (三公)."""
    for cls in sorted({c[:3] for c in d.economic}):
        items = {c: v for c, v in d.economic.items() if c.startswith(cls)}
        for code, (pers, pub) in list(items.items()) + [(cls, tuple(map(sum, zip(*items.values()))))]:
            put(6, code, "total", pers + pub)
            put(6, code, "personnel", pers)
            put(6, code, "public", pub)
    put(6, "total", "total", d.personnel() + d.public())
    put(6, "total", "personnel", d.personnel())
    put(6, "total", "public", d.public())
    multi = len(d.units) > 1

    def printed(unit: str) -> str:
        return f"{unit}（本级）" if unit == d.name else unit

    for p in d.projects:
        unit = printed(p.unit) if multi else None
        for column, cents in [("total", p.total)] + list(p.economic.items()):
            put(7, f"{unit}|{p.code}|{p.name}", column, cents)
    groups: dict[str, dict[str, int]] = {}
    for p in d.projects:
        unit = printed(p.unit) if multi else None
        keys = [f"{unit}|{p.code[:3]}|", f"{unit}|{p.code[:5]}|", "total"] + ([f"unit|{unit}"] if multi else [])
        for key in keys:
            acc = groups.setdefault(key, {})
            for column, cents in [("total", p.total)] + list(p.economic.items()):
                acc[column] = acc.get(column, 0) + cents
    for key, columns in groups.items():
        for column, cents in columns.items():
            put(7, key, column, cents)
    tp = d.three_public
    if d.three_public_total():
        for row, cents in (("total", d.three_public_total()), ("abroad", tp["abroad"]), ("reception", tp["reception"]),
                           ("vehicle-total", tp["vehicle-purchase"] + tp["vehicle-operation"]),
                           ("vehicle-purchase", tp["vehicle-purchase"]), ("vehicle-operation", tp["vehicle-operation"])):
            put(10, row, "total", cents)
            put(10, row, "general-budget", cents)


def _expected_statements(d: Department) -> set[tuple]:
    """The explanation's statements: (section, subject, amount, share, change, percentage)."""
    fn = code_names("function", d.year) or code_names("function", 2024)
    total, basic, project = d.total(), d.total_basic(), d.total_project()
    grand, fiscal_co, nonfiscal_co = d.grand_total(), d.carryover_fiscal(), d.carryover_nonfiscal()
    spent = d.total_project(carryover=True)             # project spending with last year's money
    last = d.last_year
    spent_last = last.get("project-spent", last["project"])     # a later year's: last year's 三 figure
    statements = {("二", "一般公共预算", _d(total), percent(total, grand) if d.carryover else Decimal(100),
                   _d(total - last["general-budget"]), _signed_percent(total, last["general-budget"])),
                  ("三", "基本支出", _d(basic), percent(basic, grand), _d(basic - last["basic"]),
                   _signed_percent(basic, last["basic"])),
                  ("三", "项目支出", _d(spent), percent(spent, grand), _d(spent - spent_last),
                   _signed_percent(spent, spent_last)),
                  ("五", "基本支出", _d(basic), None, _d(basic - last["basic"]), _signed_percent(basic, last["basic"])),
                  ("五", "项目支出", _d(project), None, _d(project - last["project"]),
                   _signed_percent(project, last["project"])),
                  ("十二", "机关运行经费", _d(d.public()), None, _d(d.public() - last["operating"]),
                   _signed_percent(d.public(), last["operating"]))}
    for subject, key, cents in (("财政拨款结转", "fiscal-carryover", fiscal_co),
                                ("非财政拨款结转结余", "nonfiscal-carryover", nonfiscal_co)):
        if cents:
            statements.add(("二", subject, _d(cents), percent(cents, grand), _d(cents - last[key]),
                            _signed_percent(cents, last[key])))
    for cls, amount in d.classes().items():
        statements.add(("五", f"{fn[cls]}（类）", _d(amount), percent(amount, total), None, None))
        statements.add(("四", fn[cls], _d(amount), None, None, None))     # 一般公共预算支出包括：…
    for code, b, p in d.function_rows():
        if len(code) == 7:
            statements.add(("五", f"{fn[code[:3]]}（类）{fn[code[:5]]}（款）{fn[code]}（项）", _d(b + p), None,
                            _d(b + p - last[code]), _signed_percent(b + p, last[code])))
    tp_total, tp_last = d.three_public_total(), sum(d.three_public_last.values())
    if tp_total and tp_last:
        statements.add(("十", "财政拨款“三公”经费", None, None, _d(tp_total - tp_last),
                        _signed_percent(tp_total, tp_last)))
    return statements


def _indicator(i) -> tuple:
    return (i.level1, i.level2, i.name, i.value, Decimal(i.weight))


def _signed_percent(now: int, last: int) -> Decimal:
    value = percent(abs(now - last), last)
    return value if now >= last else -value


def extracted_facts(x: Disclosure) -> Facts:
    """The facts extracted, keyed like expected_facts: tables by the number the (local eleven-table)
    template prints them under."""
    cells: set[tuple] = set()
    for table in x.tables.values():
        number, rows_of = table.number, table_kind(table.kind).rows
        unit = None
        for row in table.rows:
            if rows_of == "projects" and row.level == "unit":
                unit = row.label
            if row.level == "total":
                key = "total"
            elif rows_of == "projects" and row.level == "unit":
                key = f"unit|{row.label}"
            elif rows_of == "projects":
                key = f"{unit}|{row.code}|{row.project or ''}"
            elif rows_of == "items":
                key = table_kind(table.kind).item(row.label or "") or row.label
            elif rows_of == "two-sided" and row.side == "revenue":
                key = squash(row.label or "")
            else:
                key = row.code or squash(row.label or "")
            for column, value in row.cells.items():
                cells.add((number, key, column, value))
    statements = {(s.section, s.subject, s.amount, s.share, s.change, s.percent) for s in x.explanation.statements}
    ov = x.overview
    st = ov.staffing
    tp = x.explanation.three_public
    return {
        "department": x.department, "year": x.year, "signed": x.date_signed,
        "units": [u.name for u in ov.units],
        "divisions": list(ov.divisions),
        "staffing": (st.authorized, st.actual, st.active, st.active_change, st.retired, st.retired_change,
                     st.retired_veterans, st.retired_veterans_change) if st else None,
        "tables": {t.number: t.status for t in sorted(x.tables.values(), key=lambda t: t.number or 0)},
        "cells": cells,
        "projects": {(p.name, p.amount, p.unit) for p in x.projects},
        "citations": {(p.name, c.key, c.title) for p in x.projects for c in getattr(p, "citations", [])},
        "indicators": {(t.project or "department", i.level1, i.level2, i.name, i.value.text, i.weight)
                       for t in x.performance for i in t.indicators},
        "statements": statements,
        "three-public": {k: Decimal(v) for k, v in tp.values.items()} if tp else {},
        "carry-over": dict(x.explanation.carryover.values) if x.explanation.carryover else {},
        "carry-over items": {(i.name, i.amount, i.purpose) for i in x.explanation.carryover_items},
    }


def differences(expected: Facts, found: Facts) -> list[str]:
    """Each fact on one side only, as a readable line; empty when the two agree."""
    out = []
    for key in expected:
        a, b = expected[key], found.get(key)
        if isinstance(a, set) and isinstance(b, set):
            out += [f"{key}: generated, not extracted: {f}" for f in sorted(a - b, key=str)]
            out += [f"{key}: extracted, not generated: {f}" for f in sorted(b - a, key=str)]
        elif a != b:
            out.append(f"{key}: generated {a!r}, extracted {b!r}")
    return out


