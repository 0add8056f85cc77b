"""The header of a ruled table: how many rows at its top are header, and each column's header
read down those rows as a path (``财政拨款（补助）/一般公共预算``)."""

from __future__ import annotations

import re

from budgetkg.extract.normalize import squash
from budgetkg.extract.pdf.grid import Grid
from budgetkg.extract.tables.rows import AMOUNT, RAW_AMOUNT, _is_numbering_row
from budgetkg.extract.tables.spec import TOTAL_LABEL

_CODE = re.compile(r"^\d{3}(?:\s*\d{1,2}){0,2}$")
_NAME_HEADER = re.compile(r"名称|科目|项目|内容|功能分类|经济分类")
UNIT_CODE = re.compile(r"^\d{6}$")     # a budget unit's code (105236 西南大学)


def own_texts(grid: Grid, i: int) -> list[str]:
    """The texts of the cells that start in row *i* (not those merged into it from above or the left)."""
    return [squash(c.text) for j, c in enumerate(grid.rows[i]) if grid.starts(i, j) and squash(c.text)]


def is_figure(text: str) -> bool:
    return bool(RAW_AMOUNT.match(text) or (AMOUNT.match(text) and "," in text))


def header_rows(grid: Grid) -> int:
    """How many rows at the top of *grid* are header: up to the first row with an amount or a code,
    or through the ``※ 1 2 3`` numbering row. Whole-元 tables print amounts without a decimal
    point: a row of bare integers under a header counts as figures when it is not a numbering row."""
    for i in range(len(grid.rows)):
        own = own_texts(grid, i)
        if _is_numbering_row(own) is not None:
            return i + 1
        if i and grid.width > 1 and all(c is grid.rows[i][0] for c in grid.rows[i]) and len(own) == 1 \
                and len(own[0]) > 8:
            return i                           # one cell across the table under the header: a note
        if any(is_figure(t) or _CODE.match(t) or UNIT_CODE.match(t) for t in own):
            return i
        if i and own and all(AMOUNT.match(t) for t in own) and len(own) >= 2:
            return i                           # whole numbers only: figures, not a header
        if i and any(TOTAL_LABEL.match(squash(c.text)) and grid.starts(i, j) and
                     _NAME_HEADER.search(squash(grid.rows[i - 1][j].text))
                     for j, c in enumerate(grid.rows[i])):
            return i                           # 合计 under a name column: the total row of an empty table
    return len(grid.rows)


def paths(grid: Grid, head: int) -> list[list[str]]:
    """Each column's header as a path: the texts down its header rows (the numbering row left out),
    a merged cell's text once."""
    rows = [i for i in range(head) if _is_numbering_row(own_texts(grid, i)) is None]
    out = []
    for j in range(grid.width):
        path: list[str] = []
        for i in rows:
            t = squash(grid.rows[i][j].text)
            if t and (not path or path[-1] != t):
                path.append(t)
        out.append(path)
    return out


def header_year(heads: list[list[str]]) -> int | None:
    """The latest year a header prints (2026年预算数 beside 2025年执行数): the table's own year."""
    years = [int(m.group(1)) for path in heads for part in path for m in re.finditer(r"((?:19|20)\d{2})年", part)]
    return max(years) if years else None
