"""Place a raw-text row's numbers into columns using the table's arithmetic.

Raw PDF text drops empty cells, so ``1,814.65 1,387.89 1,387.89 426.76`` in a
twelve-column table could belong to many columns. Each row gets every
order-preserving placement that satisfies the row's identities (total = sum of
parts, within rounding bounds) and the column evidence from other tables. Then
parent/child row groups (类 = Σ款, 款 = Σ项, total = Σ类) prune placements
until a fixed point. A number is placed only when every surviving placement
agrees on its column; otherwise it is reported as unplaced, never guessed.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal

HALF_CENT = Decimal("0.005")
_HALF_CENT_MILLI = int(HALF_CENT * 1000)     # the same bound in the integer thousandths of propagate()
GROUP_LIMIT = 20_000
ROW_LIMIT = 20_000

Placement = dict[str, Decimal]


def within_rounding(expected: Decimal, parts: list[Decimal], printed_terms: int) -> bool:
    """Whether printed figures can be roundings of an exact identity expected = Σ parts."""
    return abs(expected - sum(parts, Decimal(0))) <= HALF_CENT * max(printed_terms, 1)


def identities_hold(cells: Placement, identities) -> bool:
    for parent, children in identities:
        terms = [cells[c] for c in children if c in cells]
        printed = len(terms) + (parent in cells)
        if printed and not within_rounding(cells.get(parent, Decimal(0)), terms, printed):
            return False
    return True


@dataclass
class RowProblem:
    """One row to place: fixed cells (tab-separated) or loose numbers (raw text)."""

    numbers: list[Decimal] | None = None          # loose numbers in printed order
    fixed: Placement | None = None                # already positional
    evidence: dict[str, Decimal | None] = field(default_factory=dict)  # from other tables
    candidates: list[tuple[Placement, tuple[str, ...]]] = field(default_factory=list)


def enumerate_row(row: RowProblem, keys: list[str], identities, allowed: set[str]) -> None:
    if row.fixed is not None:
        row.candidates = [(row.fixed, tuple(row.fixed))]
        return
    nums = row.numbers or []
    slots = [k for k in keys if k in allowed]
    found: list[tuple[Placement, tuple[str, ...]]] = []
    if len(nums) <= len(slots) and math.comb(len(slots), len(nums)) <= ROW_LIMIT:
        for combo in itertools.combinations(slots, len(nums)):
            cells = dict(zip(combo, nums))
            if identities_hold(cells, identities):
                found.append((cells, combo))
    if row.evidence and found:
        agreeing = [c for c in found if all(_agrees(c[0].get(k), v) for k, v in row.evidence.items())]
        if agreeing:               # evidence that contradicts every placement is a defect, not a hint
            found = agreeing
    row.candidates = found


def _agrees(value: Decimal | None, evidence: Decimal | None) -> bool:
    if evidence is None:
        return value is None
    return value is not None and abs(value - evidence) <= HALF_CENT * 2


def propagate(rows: list[RowProblem], groups: list[tuple[int, list[int]]], keys: list[str]) -> None:
    """Prune each row's placements with parent = Σ children, column by column, to a fixed point."""
    changed = True
    while changed:
        changed = False
        for parent, children in groups:
            members = [parent] + children
            options = [rows[m].candidates for m in members]
            if any(not o for o in options):
                continue
            size = math.prod(len(o) for o in options)
            if size == 1 or size > GROUP_LIMIT:
                continue
            # Amounts as integer thousandths so the inner loop is plain int arithmetic.
            vectors = [[tuple(_milli(c.get(k)) for k in keys) for c, _ in o] for o in options]
            keep: list[set[int]] = [set() for _ in members]
            for choice in itertools.product(*[range(len(o)) for o in options]):
                head = vectors[0][choice[0]]
                tail = [vectors[i][j] for i, j in enumerate(choice) if i]
                if all(_sum_holds(head[k], [t[k] for t in tail]) for k in range(len(keys))):
                    for i, j in enumerate(choice):
                        keep[i].add(j)
            if not any(keep):
                continue           # the figures do not add up at all: leave it to validation
            for i, m in enumerate(members):
                if len(keep[i]) < len(options[i]):
                    rows[m].candidates = [options[i][j] for j in sorted(keep[i])]
                    changed = True


def _milli(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 1000)


def _sum_holds(parent: int | None, children: list[int | None]) -> bool:
    terms = [c for c in children if c is not None]
    printed = len(terms) + (parent is not None)
    return not printed or abs((parent or 0) - sum(terms)) <= _HALF_CENT_MILLI * max(printed, 1)


def settle(row: RowProblem) -> tuple[Placement, list[int]]:
    """The cells every surviving placement agrees on, and the indexes of numbers left unplaced."""
    if row.fixed is not None:
        return dict(row.fixed), []
    nums = row.numbers or []
    if not row.candidates:
        return {}, list(range(len(nums)))
    placed: Placement = {}
    unplaced: list[int] = []
    for j, value in enumerate(nums):
        columns = {combo[j] for _, combo in row.candidates}
        if len(columns) == 1:
            placed[columns.pop()] = value
        else:
            unplaced.append(j)
    return placed, unplaced
