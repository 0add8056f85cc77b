"""The text edits planted defects are made of, and what a defect is.

A :class:`Defect` is one change to a clean synthetic text (its *plant*) and the shapes whose
findings it must produce. The helpers here find a figure, a row of a table or a stretch of text
and change it the way a planted defect does (most often one 万元 higher); one that finds nothing
to change raises :class:`NotApplicable`, and the corpus writer owes the kind to the next
document.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from budgetkg.synth.figures import money
from budgetkg.synth.model import Department


class NotApplicable(Exception):
    pass


@dataclass(frozen=True)
class Defect:
    kind: str
    shapes: tuple[str, ...]           # shapes/<name>.ttl that must report it
    plant: Callable[[Department, str, random.Random], str]
    description: str
    may_also: tuple[str, ...] = ()    # shapes it trips in some documents, not in all
    companion: bool = False           # found only beside another document (a final account's budget)


def _once(text: str, old: str, new: str) -> str:
    if text.count(old) < 1:
        raise NotApplicable(old)
    return text.replace(old, new, 1)


def _cut(text: str, start: str, end: str) -> str:
    """Remove the text from the first *start* up to (not including) the next *end*."""
    i = text.find(start)
    j = text.find(end, i + len(start)) if i >= 0 else -1
    if i < 0 or j < 0:
        raise NotApplicable(start)
    return text[:i] + text[j:]


def _bump(cents: int) -> str:
    return money(cents + 100)


def _fmt_like(printed: str, cents: int) -> str:
    """*cents* printed the way *printed* is: with thousands separators if it has them."""
    return money(cents, "tsv" if "," in printed else "plain")


def _table_rows(text: str, n: int) -> tuple[list[str], range]:
    """*text*'s lines and the range of those between ``表 n`` and ``表 n+1``."""
    lines = text.split("\n")
    try:
        start = lines.index(f"表 {n}")
        return lines, range(start, lines.index(f"表 {n + 1}", start))
    except ValueError:
        raise NotApplicable(f"表{n}") from None


def _plus(cell: str, cents: int = 100) -> str:
    """A printed figure *cents* higher, printed the way it was."""
    return _fmt_like(cell, int(Decimal(cell.replace(",", "")) * 100) + cents)


def _edit_row(text: str, n: int, edit: Callable[[list[str]], list[str] | None], what: str) -> str:
    """*text* with the first row of 表n that *edit* changes (it returns the row's new cells,
    or None to pass the row over)."""
    lines, span = _table_rows(text, n)
    for k in span:
        cells = edit(lines[k].split("\t"))
        if cells is not None:
            lines[k] = "\t".join(cells)
            return "\n".join(lines)
    raise NotApplicable(what)


def _retype(text: str, n: int, pick: Callable[[list[str]], tuple[int, ...] | None]) -> str:
    """The first row of 表n for which *pick* names cells, with those cells one 万元 higher."""
    def bump(cells: list[str]) -> list[str] | None:
        chosen = pick(cells)
        return [_plus(c) if j in chosen else c for j, c in enumerate(cells)] if chosen else None
    return _edit_row(text, n, bump, f"表{n} row")


def _percent_off(text: str, pattern: str, where: str) -> str:
    """The percentage (group 1) of the first match of *pattern* printed 7.5 points higher."""
    m = re.search(pattern, text)
    if not m:
        raise NotApplicable(where)
    wrong = f"{float(m.group(1)) + 7.5:.2f}"
    return text[:m.start(1)] + wrong + text[m.end(1):]


def _change_first(text: str, pattern: str | re.Pattern, where: str, change: Callable[[str], str] = _plus,
                  group: int = 1) -> str:
    """*text* with *group* of the first match of *pattern* changed by *change* (by default one
    万元 higher); NotApplicable naming *where* when nothing matches."""
    m = re.search(pattern, text)
    if not m:
        raise NotApplicable(where)
    return text[:m.start(group)] + change(m.group(group)) + text[m.end(group):]
