"""Rebuild tables whose raw text prints each column as a separate vertical run.

Some PDF text extractions emit a table column by column: the row names as one run,
the 类 codes as another, the 款 and 项 codes after them, then each amount column
with its empty cells dropped. Rows are rebuilt from the names; codes are aligned by
the code structure; amounts by the row identity total = Σ parts. A table is rebuilt
only when exactly one alignment satisfies the arithmetic; otherwise it stays unparsed.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from budgetkg.extract.normalize import Line, squash
from budgetkg.extract.tables.placement import within_rounding
from budgetkg.extract.tables.rows import PrintedRow, RAW_AMOUNT
from budgetkg.extract.tables.spec import TOTAL_LABEL

_LABEL = re.compile(r"[\u4e00-\u9fff]")
_SEARCH_LIMIT = 20_000


def _runs(lines: list[Line]):
    """Split the table's lines into the name run, class codes, sub codes and amounts."""
    labels: list[list[tuple[int, str]]] = [[]]
    classes: list[str] = []
    subs: list[str] = []
    amounts: list[Decimal] = []
    for ln in lines:
        s = squash(ln.text)
        if not s or re.search(r"编制(部门|单位)|单位[：:]万元|^※", s):
            continue
        if RAW_AMOUNT.match(s):
            amounts.append(Decimal(s.replace(",", "")))
            labels.append([])
        elif re.fullmatch(r"[23]\d{2}", s):
            classes.append(s)
            labels.append([])
        elif re.fullmatch(r"\d{2}", s):
            subs.append(s)
            labels.append([])
        elif _LABEL.search(s) and len(s) > 1:
            labels[-1].append((ln.number, s))
        else:
            labels.append([])
    names = max(labels, key=len)
    return names, classes, subs, amounts


def _assign_codes(names, classes, subs, class_names: dict[str, str]):
    """Codes per row, from the 类 run, the 款 run and the 项 run; None when inconsistent."""
    coded = [i for i, (_, n) in enumerate(names) if not TOTAL_LABEL.match(n)]
    if len(classes) != len(coded):
        return None
    is_class = [class_names.get(c) == names[i][1] for i, c in zip(coded, classes)]
    non_class = [k for k, flag in enumerate(is_class) if not flag]
    # 款 run first (one per non-class row), then the 项 run (one per item row).
    kuan = subs[:len(non_class)]
    xiang = subs[len(non_class):]
    levels: list[str] = []
    previous: tuple[str, str] | None = None
    for pos, k in enumerate(non_class):
        key = (classes[k], kuan[pos]) if pos < len(kuan) else None
        levels.append("section" if key != previous else "item")
        previous = key
    if len(kuan) != len(non_class) or len(xiang) != levels.count("item"):
        return None
    codes: dict[int, str] = {}
    xi = iter(xiang)
    for pos, k in enumerate(non_class):
        codes[coded[k]] = classes[k] + kuan[pos] + (next(xi) if levels[pos] == "item" else "")
    for k, flag in enumerate(is_class):
        if flag:
            codes[coded[k]] = classes[k]
    return codes


def _align(totals: list[Decimal], runs: list[list[Decimal]]):
    """All ways to hand each run's values, in order, to rows so that total = Σ parts."""
    solutions: list[list[tuple[int | None, ...]]] = []
    budget = [_SEARCH_LIMIT]

    def walk(row: int, pointers: tuple[int, ...], chosen: list[tuple[int | None, ...]]):
        if budget[0] <= 0 or len(solutions) > 1:
            return
        budget[0] -= 1
        if row == len(totals):
            if all(p == len(r) for p, r in zip(pointers, runs)):
                solutions.append(list(chosen))
            return
        for take in itertools.product((False, True), repeat=len(runs)):
            if any(t and p >= len(r) for t, p, r in zip(take, pointers, runs)):
                continue
            parts = [r[p] for t, p, r in zip(take, pointers, runs) if t]
            if not parts or not within_rounding(totals[row], parts, len(parts) + 1):
                continue
            walk(row + 1, tuple(p + t for p, t in zip(pointers, take)),
                 chosen + [tuple(p if t else None for p, t in zip(pointers, take))])

    walk(0, tuple(0 for _ in runs), [])
    if budget[0] <= 0:
        return None
    return solutions


def rebuild(kind, lines: list[Line], keys: list[str], class_names: dict[str, str],
            coded: bool) -> list[PrintedRow] | None:
    """Rows of a column-run table, or None when the runs do not admit exactly one reading."""
    names, classes, subs, amounts = _runs(lines)
    if not names or len(keys) < 2 or len(keys) > 4:
        return None
    codes = _assign_codes(names, classes, subs, class_names) if coded else {}
    if codes is None or (not coded and (classes or subs)):
        return None
    n = len(names)
    totals, rest = amounts[:n], amounts[n:]
    if len(totals) != n:
        return None
    readings = []
    for cut in itertools.combinations(range(len(rest) + 1), len(keys) - 2):
        bounds = (0, *cut, len(rest))
        runs = [rest[a:b] for a, b in zip(bounds, bounds[1:])]
        found = _align(totals, runs)
        if found is None:
            return None
        readings.extend((runs, s) for s in found)
        if len(readings) > 1:
            return None
    if len(readings) != 1:
        return None
    runs, solution = readings[0]
    rows = []
    for i, ((line, name), picks) in enumerate(zip(names, solution)):
        values: list[Decimal | None] = [totals[i]]
        values += [runs[c][p] if p is not None else None for c, p in enumerate(picks)]
        rows.append(PrintedRow(line, codes.get(i), [name], positional=values))
    return rows
