"""A ruled table as a grid of slots, with merged cells resolved from the cell geometry.

pdfplumber's ``Table.rows[i].cells`` has one entry per column slot: a bounding box where a
cell starts, ``None`` where the slot is covered by a merged cell that starts above or to the
left. Each slot here knows the cell that covers it, so a merged header's text can be read in
every slot it spans, and a merged 一级指标 cell applies to every row it spans.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from budgetkg.extract.pdf.chars import cell_text

BBox = tuple[float, float, float, float]
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                  "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}


@dataclass
class Cell:
    row: int
    col: int
    bbox: BBox
    text: str = ""
    rows: int = 1       # how many rows and columns the cell spans
    cols: int = 1


@dataclass
class Grid:
    page: int
    bbox: BBox
    xs: list[float]                              # left edge of every column, then the right edge
    rows: list[list[Cell]] = field(default_factory=list)   # rows[i][j]: the cell covering slot (i, j)
    pages: list[int] = field(default_factory=list)         # the page of every row

    @property
    def width(self) -> int:
        return len(self.xs) - 1

    def starts(self, i: int, j: int) -> bool:
        """Whether slot (i, j) is where its cell starts (not covered by a merged cell)."""
        c = self.rows[i][j]
        return c.row == i and c.col == j

    def texts(self, i: int) -> list[str]:
        return [c.text for c in self.rows[i]]

    def same_columns(self, other: Grid, tolerance: float = 2.0) -> bool:
        return len(self.xs) == len(other.xs) and all(abs(a - b) <= tolerance for a, b in zip(self.xs, other.xs))

    def coarser(self, other: Grid, tolerance: float = 2.0) -> bool:
        """Whether *other* has the same outer edges and only column edges this grid has (a
        continuation whose cells span several of these columns, such as a 合计 row alone)."""
        if len(other.xs) >= len(self.xs) or abs(other.xs[0] - self.xs[0]) > tolerance \
                or abs(other.xs[-1] - self.xs[-1]) > tolerance:
            return False
        return all(any(abs(x - y) <= tolerance for y in self.xs) for x in other.xs)

    def extend_coarser(self, other: Grid) -> None:
        """Append the rows of a coarser continuation, each of its cells spread over the columns it spans."""
        base = len(self.rows)
        for i, row in enumerate(other.rows):
            out: list[Cell] = []
            for j in range(self.width):
                centre = (self.xs[j] + self.xs[j + 1]) / 2
                k = min(max(bisect_right(other.xs, centre) - 1, 0), other.width - 1)
                out.append(row[k])
            for j, c in enumerate(out):
                if not j or out[j - 1] is not c:
                    c.row, c.col = base + i, j
                    c.cols = sum(1 for d in out if d is c)
            self.rows.append(out)
        self.pages.extend(other.pages)

    def extend(self, other: Grid, skip: int) -> None:
        """Append *other*'s rows (a continuation on the next page) after its first *skip* rows."""
        base = len(self.rows)
        seen: set[int] = set()
        for row in other.rows[skip:]:
            for c in row:
                if id(c) not in seen:
                    seen.add(id(c))
                    c.row = base + max(c.row - skip, 0)
            self.rows.append(row)
        self.pages.extend(other.pages[skip:])


def build_grid(table, chars: list[dict], page: int) -> Grid | None:
    """The grid of one pdfplumber table, its cells filled with the text of *chars*."""
    rows = table.rows
    starts: dict[tuple[int, int], Cell] = {}
    xs = sorted({round(c[0], 1) for r in rows for c in r.cells if c is not None})
    if not rows or not xs:
        return None
    x0, top, x1, bottom = table.bbox
    xs.append(round(x1, 1))
    tops = [r.bbox[1] for r in rows]
    for i, r in enumerate(rows):
        for j, box in enumerate(r.cells):
            if box is not None:
                starts[(i, j)] = Cell(i, j, tuple(box))
    grid = Grid(page, tuple(table.bbox), xs, pages=[page] * len(rows))
    for i, r in enumerate(rows):
        out: list[Cell] = []
        for j in range(len(xs) - 1):
            cell = starts.get((i, j))
            if cell is None:
                band = min(c[3] for c in r.cells if c is not None)     # the row's own height
                centre = ((xs[j] + xs[j + 1]) / 2, (r.bbox[1] + band) / 2)
                cell = _covering(starts, out, grid.rows, i, j, centre)
            out.append(cell)
        grid.rows.append(out)
    for cell in starts.values():
        cell.cols = sum(1 for c in grid.rows[cell.row] if c is cell)
        cell.rows = sum(1 for row in grid.rows if row[cell.col] is cell)
    _fill(grid, chars, tops, starts)
    return grid


def _covering(starts, row_so_far: list[Cell], rows_above: list[list[Cell]], i: int, j: int,
              centre: tuple[float, float]) -> Cell:
    """The merged cell over an empty slot: the one to the left or above whose box holds the slot's centre."""
    x, y = centre
    for cell in (row_so_far[j - 1] if j else None, rows_above[i - 1][j] if i else None):
        if cell is not None and cell.bbox[0] <= x <= cell.bbox[2] and cell.bbox[1] <= y <= cell.bbox[3]:
            return cell
    cell = Cell(i, j, (0, 0, 0, 0))   # a slot no cell covers (a gap in the ruling): a blank cell
    starts[(i, j)] = cell
    return cell


def _fill(grid: Grid, chars: list[dict], tops: list[float], starts: dict) -> None:
    """Give every cell the text of the characters whose centre falls inside it."""
    x0, top, x1, bottom = grid.bbox
    inside: dict[int, list[dict]] = {}
    for c in chars:
        cx = (c["x0"] + c["x1"]) / 2
        cy = (c["top"] + c["bottom"]) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        i = max(bisect_right(tops, cy) - 1, 0)
        j = min(max(bisect_right(grid.xs, cx) - 1, 0), grid.width - 1)
        cell = grid.rows[i][j]
        inside.setdefault(id(cell), []).append(c)
    for cell in starts.values():
        cell.text = cell_text(inside.get(id(cell), []))
