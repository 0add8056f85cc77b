"""Corpora over several years, and departments whose units publish budgets of their own.

* :func:`carry_forward` makes a department's budget state last year's figures as its budget of
  the year before printed them (``比上年预算增加/减少`` against what that budget printed, and
  the 三公 figures against its 三公 table).
* :func:`unit_budgets` splits a department into its units' budgets (单位预算): every economic
  item is shared out among the units, each unit's basic spending follows its own economic
  items, its projects are those it executes, and the 本级 unit keeps the 三公 expenses and the
  carry-over. The department's budget becomes the sum of its units' budgets, cell by cell.
* The planted defects of :data:`YEAR_DEFECTS` change the facts before they are printed, so
  that only the rule reading the other document can see them: last year's figure for a function
  item or the 三公 expenses misstated (the document stays consistent in itself), or a unit's
  basic spending moved from one function item to another (the unit's budget stays consistent;
  its department's no longer adds up).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Callable

from budgetkg.extract.codes import code_names
from budgetkg.synth.defects_edits import NotApplicable
from budgetkg.synth.draw import CONTRIBUTIONS, function_items, last_year
from budgetkg.synth.model import Department

__all__ = ["YEAR_DEFECTS", "YearDefect", "carry_forward", "unit_budgets"]


def carry_forward(dept: Department, prior: Department) -> None:
    """Set *dept*'s last-year figures to what *prior* (its budget of the year before) prints:
    the totals, each function item both print, the 机关运行经费, the 三公 expenses and the
    carry-over sources."""
    last = dept.last_year
    last["basic"] = prior.total_basic()
    last["project"] = prior.total_project()
    last["project-spent"] = prior.total_project(carryover=True)        # 三's project spending
    last["general-budget"] = prior.total()
    last["operating"] = prior.public()
    items = {code: b + p for code, b, p in prior.function_rows() if len(code) == 7}
    for code in list(last):
        if len(code) == 7 and code.isdigit() and items.get(code):
            last[code] = items[code]
    for key, cents in (("fiscal-carryover", prior.carryover_fiscal()), ("nonfiscal-carryover", prior.carryover_nonfiscal())):
        if key in last and cents:
            last[key] = cents
    dept.three_public_last = dict(prior.three_public)


def _shares(rng: random.Random, n: int) -> list[int]:
    """*n* positive weights of the units, the 本级 unit's the largest."""
    return [rng.randint(40, 60)] + [rng.randint(10, 30) for _ in range(n - 1)]


def _split(cents: int, weights: list[int]) -> list[int]:
    """*cents* in parts proportional to *weights*, adding up exactly (the first takes the rest)."""
    parts = [cents * w // sum(weights) for w in weights]
    parts[0] += cents - sum(parts)
    return parts


def unit_budgets(dept: Department, rng: random.Random) -> list[Department]:
    """The budgets of *dept*'s units (``dept.units``; the first is its 本级 unit, whose budget is
    published under the department's name), and *dept* made their sum. A department with one
    unit, or with a unit that executes no project (its budget would print no project spending,
    which the template's prose cannot say), has none."""
    if len(dept.units) < 2 or any(not any(p.unit == u for p in dept.projects) for u in dept.units):
        return []
    section, own_item, _ = function_items(dept.kind)
    functions = code_names("function", dept.year) or code_names("function", 2024)
    weights = _shares(rng, len(dept.units))
    economic = [dict() for _ in dept.units]
    for code, (pers, pub) in dept.economic.items():
        if code in ("30217", "30231"):         # the 三公 items: the 本级 unit's, like the 三公 table
            economic[0][code] = (pers, pub)
            continue
        for unit, p, q in zip(economic, _split(pers, weights), _split(pub, weights)):
            if p or q:
                unit[code] = (p, q)
    units = []
    for i, (name, econ) in enumerate(zip(dept.units, economic)):
        basic: dict[str, int] = {}
        for code, (pers, pub) in econ.items():
            target = CONTRIBUTIONS.get(code, own_item)
            basic[target] = basic.get(target, 0) + pers + pub
        if i and section + "50" in functions and own_item in basic:    # subordinate units run on 事业运行
            basic[section + "50"] = basic.get(section + "50", 0) + basic.pop(own_item)
        head = i == 0
        unit = replace(dept, name=dept.name if head else name, units=[dept.name if head else name],
                       divisions=dept.divisions if head else dept.divisions[:2],
                       economic=dict(sorted(econ.items())), basic=dict(sorted(basic.items())),
                       projects=[p for p in dept.projects if p.unit == name], last_year={},
                       three_public=dict(dept.three_public) if head else {k: 0 for k in dept.three_public},
                       three_public_last={}, procurement=dept.procurement if head else 0,
                       carryover=list(dept.carryover) if head else [],
                       carryover_code=dept.carryover_code if head else "", reasons=dict(dept.reasons), scope="unit")
        last_year(rng, unit)
        units.append(unit)
    # the department: its units' sum, item by item (the economic items are theirs already)
    basic = {}
    for unit in units:
        for code, cents in unit.basic.items():
            basic[code] = basic.get(code, 0) + cents
    dept.basic = dict(sorted(basic.items()))
    for code, b, p in dept.function_rows():
        if len(code) == 7 and code not in dept.last_year:
            dept.last_year[code] = b + p + 100
    return units


# ------------------------------------------------------------------ defects

@dataclass(frozen=True)
class YearDefect:
    """A defect planted in the facts before printing. *where* says which document it changes:
    ``later`` a budget whose last year is in the corpus (``plant(dept, prior, units, rng)``),
    ``unit`` one of a department's unit budgets. Its findings are the department's own (for
    ``unit``, the department's budget's)."""

    kind: str
    shapes: tuple[str, ...]
    where: str
    plant: Callable[..., None]
    description: str
    may_also: tuple[str, ...] = ()


def _item_misstated(dept: Department, prior: Department, units: list[Department], rng: random.Random) -> None:
    items = {code: b + p for code, b, p in prior.function_rows() if len(code) == 7}
    shared = [c for c, _, _ in dept.function_rows() if len(c) == 7 and items.get(c)]
    if not shared:
        raise NotApplicable("no function item printed both years")
    code = rng.choice(shared)
    dept.last_year[code] = items[code] + 100


def _three_public_misstated(dept: Department, prior: Department, units: list[Department], rng: random.Random) -> None:
    if not dept.three_public_total() or not prior.three_public_total():
        raise NotApplicable("no 三公 change stated")
    key = max(dept.three_public_last, key=lambda k: dept.three_public_last[k])
    dept.three_public_last[key] += 100


def _unit_item_moved(dept: Department, prior, units: list[Department], rng: random.Random) -> None:
    for unit in units[1:]:
        items = sorted(c for c, v in unit.basic.items() if v > 100)
        if len(items) >= 2:
            a, b = rng.sample(items, 2)
            unit.basic[a] -= 100
            unit.basic[b] += 100
            return
    raise NotApplicable("no unit with two basic items")


YEAR_DEFECTS: dict[str, YearDefect] = {d.kind: d for d in (
    YearDefect("last-year-item-misstated", ("a-change-on-last-year-s-budget-agrees-with-last-year-s-budget",),
               "later", _item_misstated,
               "a 五（三） item's change on last year's budget stated against a figure 1 万元 off what last year's "
               "budget printed"),
    YearDefect("last-year-three-public-misstated",
               ("a-three-public-change-on-last-year-s-budget-agrees-with-last-year-s-table",), "later",
               _three_public_misstated,
               "十's 三公 change on last year's budget stated against a total 1 万元 off last year's 三公 table"),
    YearDefect("unit-item-moved", ("a-department-s-tables-equal-the-sum-of-its-units-tables",), "unit",
               _unit_item_moved,
               "1 万元 of a unit's basic spending printed under another function item in its 单位预算"),
)}
