"""Tables continued across pages: a continuation ruled like its first part is merged into it, one
ruled differently is marked as continuing it; page furniture (page heads, the same table's title
or 表N mark repeated) may stand between the two parts, another table's title may not."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from budgetkg.extract.normalize import squash
from budgetkg.extract.segment import numeral_value
from budgetkg.extract.template import kind_of_title
from budgetkg.extract.pdf.grid import Grid
from budgetkg.extract.pdf.layout import header_rows

if TYPE_CHECKING:
    from budgetkg.extract.pdf.reader import Block


def _budget_title(text: str) -> str | None:
    """The kind of budget table a line titles, or None (performance tables are not budget tables)."""
    s = squash(text)
    if len(s) > 90:
        return None
    k = kind_of_title(s)
    return k.id if k is not None and k.is_budget_table else None


def _merge_continued(blocks: list[Block]) -> list[Block]:
    """Join a table that continues on the next page to the table it continues. A continuation
    ruled like its first part is merged into it; one ruled differently (a 合计 row alone, cells
    spanning other columns) and printing no header is marked as continuing it, to be read by the
    first part's columns."""
    out: list[Block] = []
    last_table: Block | None = None
    last_page = 0                         # the last page the table (or a continuation) reaches
    title: tuple | None = None            # (kind, printed number) of the budget table the last title names
    last_title: tuple | None = None       # ... and of the one printed before last_table
    mark: int | None = None               # the number of the last 表N mark line
    for b in blocks:
        if b.grid is not None and last_table is not None and b.page in (last_page, last_page + 1) \
                and _only_furniture_since(out, last_table, last_title):
            g = b.grid
            if b.page == last_page + 1 and g.same_columns(last_table.grid) and last_table.continues is None:
                last_table.grid.extend(g, _repeated_header(last_table.grid, g))
                _drop_furniture_after(out, last_table)
                last_page = g.pages[-1]
                continue
            if last_title is not None and header_rows(g) == 0:
                b.continues = last_table.continues or last_table
                out.append(b)
                last_table, last_page = b, g.pages[-1]
                continue
        out.append(b)
        if b.grid is not None:
            last_table, last_title, last_page = b, title, b.grid.pages[-1]
        else:
            m = _MARK.match(squash(b.line.text))
            if m:
                mark = numeral_value(m.group(1) or m.group(2))
            elif _budget_title(b.line.text):
                title, mark = (_budget_title(b.line.text), mark), None
    return out


_ROW_TEXT = re.compile(r"^\d{3,7}\s+\S.*?\s-?[\d,]+\.\d{2}$")


def _only_furniture_since(out: list[Block], table: Block, kind: tuple | None) -> bool:
    """Whether everything after *table* is page furniture (page heads, the title of the same kind
    of table repeated) or a row of it printed outside the ruling; another table's title, or a 表N
    mark, starts another table."""
    i = next(k for k, b in enumerate(out) if b is table)
    return all(b.grid is None and (_is_furniture(b.line.text, kind) or _ROW_TEXT.match(b.line.text.strip()))
               for b in out[i + 1:])


_MARK = re.compile(r"^(?:(?:部门|单位)?(?:公开|预算)?表\s*([0-9一二三四五六七八九十]{1,3})|预算\s*(\d{1,2})\s*表)$")
_FURNITURE = re.compile(r"编制(部门|单位)|单位[：:]\s*(?:万元|千元|元)|(?:部门|单位)名称[：:]|资金主管部门[：:]")


def _is_furniture(text: str, table: tuple | None = None) -> bool:
    """Page furniture: page heads and numbers; with *table* (its kind and printed number), also its
    own title or 表N mark repeated on a continuation page."""
    s = squash(text)
    if not s or _FURNITURE.search(s) or re.fullmatch(r"[-–—]*(?:第)?\d{1,3}(?:页)?[-–—]*", s):
        return True
    m = _MARK.match(s)
    if m:
        return table is None or (table[1] is not None and numeral_value(m.group(1) or m.group(2)) == table[1])
    titled = _budget_title(s)
    return titled is not None and (table is None or titled == table[0])


def _drop_furniture_after(out: list[Block], table: Block) -> None:
    i = next(k for k, b in enumerate(out) if b is table)
    out[i + 1:] = [b for b in out[i + 1:] if b.grid is None and _ROW_TEXT.match(b.line.text.strip())]


def _repeated_header(first: Grid, more: Grid) -> int:
    """How many rows at the top of a continuation repeat the first part's header."""
    head = header_rows(first)
    n = 0
    while n < min(head, len(more.rows)) and more.texts(n) == first.texts(n):
        n += 1
    return n
