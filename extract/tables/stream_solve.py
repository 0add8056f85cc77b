"""Put a stream dump's figures back into their rows and columns, by the arithmetic alone.

The figures of a table come in printed order with the empty cells left out. A *reading* is a
hypothesis about that order; the one read here is row by row (pdftotext, and pdfminer where a
row's cells share a text line): the figures are cut into one run per row, each run placed into
that row's columns in printed order. Every cut and placement that satisfies the row identities
(total = Σ parts), the hierarchy (类 = Σ款, 款 = Σ项, total row = Σ类, column by column) and the
other tables' evidence is a solution. A figure is placed only when every solution puts it in the
same row and column; when the solutions cannot all be enumerated within the search limits,
none is placed. A figure the tool broke (``1247.2 2``) takes a place but no value: it may only
share a row with other broken figures, that row is left out of the arithmetic, and it is never
placed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from budgetkg.extract.tables.placement import (HALF_CENT, RowProblem, enumerate_row, propagate, settle,
                                               within_rounding)

NODE_LIMIT = 20_000          # search steps per reading
SOLUTION_LIMIT = 64           # row cuts that satisfy the arithmetic


@dataclass
class Outcome:
    cells: list[dict[str, Decimal]]                  # per row: the figures every solution agrees on
    unplaced_by_row: dict[int, list[str]] = field(default_factory=dict)   # figures whose row is known
    loose: list[str] = field(default_factory=list)   # every figure not placed, as printed
    reason: str = ""


class _Inconclusive(Exception):
    """The search limits were reached: the solutions are not all known."""


def solve(rows, numbers, keys: list[str], identities, groups, allowed: set[str], evidence,
          variants: list[list[int]]) -> Outcome:
    """Place *numbers* (tokens: num or wild) into *rows* × *keys*. Each of *variants* is an order
    of (some of) the rows in which they may be printed (the total row at the top, at the bottom,
    or not a row at all); the solutions of all of them must agree."""
    empty = Outcome([{} for _ in rows])
    if not numbers:
        return empty
    solutions: list[dict[int, tuple[int, str | None]]] = []
    try:
        for order in variants:
            at = {r: k for k, r in enumerate(order)}
            own_groups = [(at[p], [at[c] for c in cs]) for p, cs in groups
                          if p in at and all(c in at for c in cs)]
            own_evidence = {at[i]: e for i, e in evidence.items() if i in at}
            for found in _row_major(len(order), numbers, keys, identities, own_groups, allowed, own_evidence):
                solutions.append({j: (order[r], k) for j, (r, k) in found.items()})
    except _Inconclusive:
        return _nothing(rows, numbers, "too many ways to cut the figures into rows to try them all")
    if not solutions:
        return _nothing(rows, numbers, "no way of cutting the figures into rows satisfies the arithmetic")
    return _agreed(rows, numbers, solutions)


def _nothing(rows, numbers, reason: str) -> Outcome:
    return Outcome([{} for _ in rows], {}, [t.text for t in numbers], reason)


def _agreed(rows, numbers, solutions: list[dict[int, tuple[int, str | None]]]) -> Outcome:
    """The figures every solution puts in the same row and column (a solution maps a figure's
    position to its row and column, None where that solution cannot tell the column)."""
    out = Outcome([{} for _ in rows])
    for j, token in enumerate(numbers):
        places = {s.get(j) for s in solutions}
        if len(places) == 1 and None not in places:
            row, key = places.pop()
            if key is not None and token.kind == "num":
                out.cells[row][key] = token.value
                continue
            out.unplaced_by_row.setdefault(row, []).append(token.text)
        out.loose.append(token.text)
    if out.loose:
        out.reason = "the readings that satisfy the arithmetic disagree on their places"
    return out


def _row_major(size: int, numbers, keys, identities, groups, allowed, evidence) -> list[dict[int, tuple[int, str | None]]]:
    """Every cut of the figures into row runs that the arithmetic allows, each settled as in
    placement: per row the placements satisfying its identities and evidence, pruned by the
    hierarchy to a fixed point; a figure's column is known when all of them agree."""
    slots = [k for k in keys if k in allowed]
    wild = [t.kind == "wild" for t in numbers]
    options = _row_options(numbers, keys, identities, allowed, evidence, slots, wild)
    if "total" not in slots:
        raise _Inconclusive
    solutions = []
    for cut in _cuts(size, numbers, groups, slots, wild, options):
        solution = _settled(cut, numbers, keys, groups, wild, options)
        if solution is not None:
            solutions.append(solution)
    return solutions


def _row_options(numbers, keys, identities, allowed, evidence, slots: list[str], wild: list[bool]):
    """options(i, p, take): the placements of the *take* figures from position *p* as row *i*
    that satisfy its identities and evidence (cached; none for a run mixing broken figures with
    whole ones, every choice of columns for a run of broken figures only)."""
    cache: dict[tuple[int, int, int], list] = {}

    def options(i: int, p: int, take: int) -> list:
        key = (i, p, take)
        if key not in cache:
            problem = RowProblem(numbers=[numbers[p + k].value or Decimal(0) for k in range(take)],
                                 evidence=evidence.get(i, {}))
            if all(wild[p:p + take]):          # a row of broken figures only (a wrapped total row)
                problem.candidates = [(dict(zip(c, problem.numbers)), c)
                                      for c in itertools.combinations(slots, take)]
            elif any(wild[p:p + take]):
                problem.candidates = []
            else:
                enumerate_row(problem, keys, identities, allowed)
            cache[key] = problem.candidates
        return cache[key]

    return options


def _cuts(size: int, numbers, groups, slots: list[str], wild: list[bool], options) -> list[list[tuple[int, int]]]:
    """Every cut of the figures into *size* row runs, each run (position, count) with some
    placement, whose row totals (where each run's candidates agree on one) satisfy the hierarchy
    as soon as a group's last row is cut; _Inconclusive past the search limits."""
    n = len(numbers)
    completes: dict[int, list[tuple[int, list[int]]]] = {}
    for parent, children in groups:
        completes.setdefault(max([parent] + children), []).append((parent, children))
    budget = [NODE_LIMIT]
    cuts: list[list[tuple[int, int]]] = []
    chosen: list[tuple[int, int]] = []
    totals: list[Decimal | None | str] = []          # a row's total, or "?" when not known

    def total_of(cands, p: int, take: int):
        if any(wild[p:p + take]):
            return "?"
        found = {c.get("total") for c, _ in cands}
        return found.pop() if len(found) == 1 else "?"

    def holds(i: int) -> bool:
        for parent, children in completes.get(i, ()):
            values = [totals[parent]] + [totals[c] for c in children]
            if any(v == "?" for v in values):
                continue
            parts = [v for v in values[1:] if v is not None]
            printed = len(parts) + (values[0] is not None)
            if printed and not within_rounding(values[0] or Decimal(0), parts, printed):
                return False
        return True

    def walk(i: int, p: int) -> None:
        budget[0] -= 1
        if budget[0] <= 0:
            raise _Inconclusive
        if i == size:
            if p == n:
                cuts.append(list(chosen))
                if len(cuts) > SOLUTION_LIMIT:
                    raise _Inconclusive
            return
        rest = size - i - 1
        for take in range(0, min(len(slots), n - p) + 1):
            if n - p - take > rest * len(slots):
                continue
            cands = options(i, p, take) if take else [({}, ())]
            if not cands:
                continue
            chosen.append((p, take))
            totals.append(total_of(cands, p, take) if take else None)
            if holds(i):
                walk(i + 1, p + take)
            chosen.pop()
            totals.pop()

    walk(0, 0)
    return cuts


def _settled(cut: list[tuple[int, int]], numbers, keys, groups, wild: list[bool],
             options) -> dict[int, tuple[int, str | None]] | None:
    """The solution *cut* gives once its rows' placements are pruned by the hierarchy (each
    figure's position → its row and column, None where the placements disagree), or None when
    no placements are left or the groups cannot add up."""
    problems = []
    for i, (p, take) in enumerate(cut):
        problem = RowProblem(numbers=[numbers[p + k].value or Decimal(0) for k in range(take)])
        problem.candidates = list(options(i, p, take)) if take else [({}, ())]
        problems.append(problem)
    usable = [(parent, children) for parent, children in groups
              if not any(any(wild[cut[m][0]:cut[m][0] + cut[m][1]]) for m in [parent] + children)]
    propagate(problems, usable, keys)
    if any(not pr.candidates for pr in problems):
        return None
    if not _groups_hold(problems, usable, keys):
        return None
    solution: dict[int, tuple[int, str | None]] = {}
    for i, ((p, take), problem) in enumerate(zip(cut, problems)):
        unplaced = set(settle(problem)[1]) if take else set()
        for k in range(take):
            solution[p + k] = (i, None if k in unplaced else problem.candidates[0][1][k])
    return solution


def _groups_hold(problems: list[RowProblem], groups, keys) -> bool:
    """Whether some choice of each row's remaining placements makes every group add up (checked
    where every member has one placement left; propagate has pruned the rest)."""
    for parent, children in groups:
        members = [parent] + children
        if any(len(problems[m].candidates) != 1 for m in members):
            continue
        head = problems[parent].candidates[0][0]
        for key in keys:
            parts = [problems[c].candidates[0][0][key] for c in children if key in problems[c].candidates[0][0]]
            printed = len(parts) + (key in head)
            if printed and abs(head.get(key, Decimal(0)) - sum(parts, Decimal(0))) > HALF_CENT * printed:
                return False
    return True
