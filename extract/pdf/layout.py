"""Tables as lines: the eleven budget tables in the tab-separated layout the table reader expects,
every other ruled table (performance targets, their header blocks) cell by cell.

A budget table's columns are placed by their headers, never by position: each column's header
reads as a path (``财政拨款（补助）/一般公共预算``, ``功能分类科目编码/类``), and the path names the
column. Code columns (one ``2010301`` column or three 类/款/项 columns) and name columns are
rewritten to the template's label cells; amount columns go to the template's order. A column
whose header names nothing the table can hold is kept: its cells are put on their rows as text,
and reported.

The modules beside this one do the work: ``out_line`` (the lines put out), ``table_header`` (how
many rows are header, and each column's header path), ``table_columns`` (what each column
holds), ``table_rows`` (a row of cells as a line) and ``items_table`` (the 三公 printed as one
row under a header of items). This module assembles a table's lines from them.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from budgetkg.extract.normalize import squash
from budgetkg.extract.pdf.grid import Grid
from budgetkg.extract.pdf.items_table import items_as_rows
from budgetkg.extract.pdf.out_line import OutLine, bbox_union
from budgetkg.extract.pdf.table_columns import Column, Columns, amount_keys, column_blocks, columns
from budgetkg.extract.pdf.table_header import header_rows, paths
from budgetkg.extract.pdf.table_rows import read_row
from budgetkg.extract.template import default_layout, kind as kind_named

# Also importable from here: the reader takes OutLine and header_rows, the tests Column, columns,
# paths and the row reader by its former name.
_row = read_row
__all__ = ["Carry", "Column", "Columns", "OutLine", "budget_lines", "columns", "continued_lines", "generic_lines",
           "header_rows", "paths"]


def _slot(xs: list[float], x: float) -> int:
    return min(max(bisect_right(xs, x) - 1, 0), len(xs) - 2)


def continued_lines(kind_id: str, grid: Grid, columns_of: Columns | None) -> list[OutLine]:
    """The rows of a continuation ruled differently from its table's first part: each cell read
    as the column of the first part under its centre."""
    if columns_of is None:
        return []
    k = kind_named(kind_id)
    layout = default_layout(kind_id)
    out: list[OutLine] = []
    for i in range(len(grid.rows)):
        row = grid.rows[i]
        own = [(j, c) for j, c in enumerate(row) if grid.starts(i, j)]
        texts = [c.text for _, c in own if c.text.strip()]
        if not texts:
            continue
        mapped = []
        for _, cell in own:
            centre = (cell.bbox[0] + cell.bbox[2]) / 2 if cell.bbox[2] > cell.bbox[0] else None
            if centre is None:
                continue
            mapped.append((_slot(columns_of.xs, centre), cell))
        for n, block_cols in enumerate(column_blocks(columns_of.cols)):
            line, boxes = read_row(k, layout.code_parts, block_cols, columns_of.keys, mapped)
            if (n and not any(line[2:])) or not any(line):
                continue                               # the block is blank on this row
            out.append(OutLine("\t".join(line), grid.pages[i], bbox_union([c.bbox for _, c in own]), tuple(boxes),
                               grid=True))
    return out


def budget_lines(kind_id: str, grid: Grid, final: bool = False) -> tuple[list[OutLine], list[str], Columns | None]:
    """A table's rows in the tab-separated layout of the table reader (the kind's default layout),
    headed by a line that names its amount columns by key; what was not read; and its columns."""
    k = kind_named(kind_id)
    layout = default_layout(kind_id)
    head = header_rows(grid)
    heads = paths(grid, head)
    cols = columns(k, heads, final)
    if k.items and len({k.item("/".join(p)) or k.item(p[-1]) for p in heads if p} - {None}) >= 2:
        rows, problems = items_as_rows(k, grid, head, heads, final)   # items across the header, figures in one row
        return rows, problems, None
    problems = [f"column {c.header or '(no header)'!r} is not one of the {k.zh}'s columns; its cells are kept "
                f"as text on their rows" for c in cols if c.role == "unknown" and c.header]
    keys = amount_keys(k, cols)
    blocks = column_blocks(cols)
    out: list[OutLine] = []
    page = grid.page
    printed = [c.header or "-" for c in cols]
    out.append(OutLine("\t".join(printed), page, grid=True, keys=tuple(keys)))
    for i in range(head, len(grid.rows)):
        row = grid.rows[i]
        own = [(j, c) for j, c in enumerate(row) if grid.starts(i, j)]
        texts = [c.text for _, c in own if c.text.strip()]
        if not texts:
            continue
        bbox = bbox_union([c.bbox for _, c in own])
        page = grid.pages[i]
        if len(own) == 1 and grid.width > 1:           # one cell across the table: a note
            out.append(OutLine(squash(texts[0]), page, bbox, grid=True))
            continue
        lines = [read_row(k, layout.code_parts, block_cols, keys, own) for block_cols in blocks]
        if len(lines) > 1 and lines[0][0][2] and not any(lines[0][0][3:]) and not lines[1][0][2] \
                and any(lines[1][0][3:]):
            # a label across both blocks (支出合计) with its figure under the second
            lines = [([*lines[0][0][:3], *lines[1][0][3:]], [*lines[0][1][:3], *lines[1][1][3:]])]
        for n, (line, boxes) in enumerate(lines):
            if (n and not any(line[2:])) or not any(line):
                continue                               # the block is blank on this row
            out.append(OutLine("\t".join(line), page, bbox, tuple(boxes), grid=True))
    return out, problems, Columns(list(grid.xs), cols, keys)


@dataclass
class Carry:
    """What a table continued on the next page needs from its first part: the header row and
    which (logical) columns are 一级指标/二级指标."""

    header: list[str] = field(default_factory=list)
    down: set[int] = field(default_factory=set)


def generic_lines(grid: Grid, carry: Carry | None = None) -> tuple[list[OutLine], Carry]:
    """Any other ruled table, a line per row with a tab-separated cell per cell (a cell spanning
    several column slots is one cell). A cell merged down the 一级指标/二级指标 columns applies
    to every row it spans; other merged-down cells are read once, on their first row. A
    continuation (*carry* from its first part) drops the header rows it repeats."""
    state = Carry(list(carry.header), set(carry.down)) if carry else Carry()
    out: list[OutLine] = []
    for i, row in enumerate(grid.rows):
        cells = [(j, c) for j, c in enumerate(row) if not (j and row[j - 1] is c)]   # one per cell
        texts = [c.text if grid.starts(i, j) or (c.col == j and k in state.down) else ""
                 for k, (j, c) in enumerate(cells)]
        own = [squash(c.text) for _, c in cells]
        if "一级指标" in own:
            state.down = {k for k, t in enumerate(own) if t in ("一级指标", "二级指标")}
            if carry and own == carry.header:
                continue                       # a header repeated on the continuation page
            state.header = own
        if not any(t.strip() for t in texts):
            continue
        boxes = [c.bbox for j, c in cells if grid.starts(i, j)]
        out.append(OutLine("\t".join(t.replace("\n", " ") for t in texts).rstrip("\t"), grid.pages[i],
                           bbox_union(boxes), grid=True))
    return out, state
