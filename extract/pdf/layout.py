"""Tables as lines: the eleven budget tables in the tab-separated layout the table reader expects,
every other ruled table (performance targets, their header blocks) cell by cell.

A budget table's columns are placed by their headers, never by position: each column's header
reads as a path (``财政拨款（补助）/一般公共预算``, ``功能分类科目编码/类``), and the path names the
column. Code columns (one ``2010301`` column or three 类/款/项 columns) and name columns are
rewritten to the template's label cells; amount columns go to the template's order. A column
whose header names nothing the table can hold is kept: its cells are put on their rows as text,
and reported.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from budgetkg.extract.normalize import squash
from budgetkg.extract.tables.rows import AMOUNT, RAW_AMOUNT, _is_numbering_row
from budgetkg.extract.tables.spec import TOTAL_LABEL
from budgetkg.extract.template import PERIOD_PREFIXES, Kind, base_key, column_key, default_layout, kind as kind_named, vocabulary
from budgetkg.extract.pdf.grid import BBox, Grid

_CODE = re.compile(r"^\d{3}(?:\s*\d{1,2}){0,2}$")
_NAME = re.compile(r"名称|科目|项目|内容|功能分类|经济分类|收入|支出")
_NAME_HEADER = re.compile(r"名称|科目|项目|内容|功能分类|经济分类")
_BLOCK = re.compile(r"功能分类|支出用途|用途|按.{1,6}分类")
_SIDE_NAME = re.compile(r"^(?:本年)?(?:收入|支出)?(?:项目|科目|功能分类|支出功能分类|功能科目|支出用途)?(?:名称)?$")
_CODE_HEADER = re.compile(r"编码|代码|^类$|^款$|^项$")
_UNIT_CODE = re.compile(r"^\d{6}$")     # a budget unit's code (105236 西南大学)


@dataclass
class OutLine:
    """One line of the reading-order text, with where it came from."""

    text: str
    page: int
    bbox: BBox | None = None
    boxes: tuple[tuple[str, BBox], ...] = ()     # (column key, cell box) of a budget-table row
    grid: bool = False                           # a row of a ruled table
    keys: tuple[str, ...] | None = None          # a budget table's header: its amount columns, in order


@dataclass
class Column:
    role: str                 # code | name | project | amount | unknown
    key: str | None = None
    side: str | None = None   # revenue | expenditure (two-sided tables)
    header: str = ""
    block: str = ""           # a two-sided table's expenditure printed in two blocks: 功能分类 | 支出用途;
                              # a coded table printed as blocks side by side (人员经费 | 公用经费): 1, 2, …


def _own(grid: Grid, i: int) -> list[str]:
    """The texts of the cells that start in row *i* (not those merged into it from above or the left)."""
    return [squash(c.text) for j, c in enumerate(grid.rows[i]) if grid.starts(i, j) and squash(c.text)]


def _is_figure(text: str) -> bool:
    return bool(RAW_AMOUNT.match(text) or (AMOUNT.match(text) and "," in text))


def header_rows(grid: Grid) -> int:
    """How many rows at the top of *grid* are header: up to the first row with an amount or a code,
    or through the ``※ 1 2 3`` numbering row. Whole-元 tables print amounts without a decimal
    point: a row of bare integers under a header counts as figures when it is not a numbering row."""
    for i in range(len(grid.rows)):
        own = _own(grid, i)
        if _is_numbering_row(own) is not None:
            return i + 1
        if i and grid.width > 1 and all(c is grid.rows[i][0] for c in grid.rows[i]) and len(own) == 1 \
                and len(own[0]) > 8:
            return i                           # one cell across the table under the header: a note
        if any(_is_figure(t) or _CODE.match(t) or _UNIT_CODE.match(t) for t in own):
            return i
        if i and own and all(AMOUNT.match(t) for t in own) and len(own) >= 2:
            return i                           # whole numbers only: figures, not a header
        if i and any(TOTAL_LABEL.match(squash(c.text)) and grid.starts(i, j) and
                     _NAME_HEADER.search(squash(grid.rows[i - 1][j].text))
                     for j, c in enumerate(grid.rows[i])):
            return i                           # 合计 under a name column: the total row of an empty table
    return len(grid.rows)


def _numbering_count(grid: Grid, head: int) -> int | None:
    """How many amount columns the header's ``※ 1 2 3`` row numbers, when it prints one."""
    return next((n for i in range(head) if (n := _is_numbering_row(_own(grid, i))) is not None), None)


def paths(grid: Grid, head: int) -> list[list[str]]:
    """Each column's header as a path: the texts down its header rows (the numbering row left out),
    a merged cell's text once."""
    rows = [i for i in range(head) if _is_numbering_row(_own(grid, i)) is None]
    out = []
    for j in range(grid.width):
        path: list[str] = []
        for i in rows:
            t = squash(grid.rows[i][j].text)
            if t and (not path or path[-1] != t):
                path.append(t)
        out.append(path)
    return out


def _header_year(heads: list[list[str]]) -> int | None:
    """The latest year a header prints (2026年预算数 beside 2025年执行数): the table's own year."""
    years = [int(m.group(1)) for path in heads for part in path for m in re.finditer(r"((?:19|20)\d{2})年", part)]
    return max(years) if years else None


def columns(kind: Kind, heads: list[list[str]], final: bool = False) -> list[Column]:
    """What each column of a table of *kind* holds, from its header path; in a *final* account's
    table (决算 in its title) the budget printed beside the final figure is a period of its own."""
    year = _header_year(heads)
    used: set[tuple[str | None, str]] = set()
    out: list[Column] = []
    two_sided = kind.rows == "two-sided"
    side_by_side = 0                           # the block of a coded table printed as blocks side by side
    for path in heads:
        joined = "".join(path)
        leaf = path[-1] if path else ""
        side, block = None, ""
        if two_sided:
            side = "revenue" if path and "收入" in path[0] else ("expenditure" if path and "支出" in path[0] else None)
            block = next((p for p in path[1:] if _BLOCK.search(p)), "") if side == "expenditure" else ""
        elif path and _CODE_HEADER.search(leaf) and out and out[-1].role == "amount":
            side_by_side = side_by_side or 1
            side_by_side += 1                  # a code column after figures: the next block begins
        if side_by_side:
            block = str(side_by_side)
        col = Column("unknown", header=joined, block=block)
        if path and not (two_sided and _SIDE_NAME.match(leaf)) and not _CODE_HEADER.search(leaf):
            taken = {k for s, k in used if s == (side, block)}
            key = column_key(kind, path, year, "revenue" if side == "revenue" else None, taken, final)
            if key is not None:
                col = Column("amount", key, side, joined, block)
        if col.role == "unknown" and path:
            if _CODE_HEADER.search(leaf) or (_CODE_HEADER.search(joined) and not _NAME.search(leaf)):
                col = Column("code", None, side, joined, block)
            elif _NAME.search(joined) or "单位" in joined:
                col = Column("project" if kind.rows == "projects" and "项目" in leaf else "name", None, side, joined,
                             block)
        if col.role == "amount":
            used.add(((side, block), col.key))
        out.append(col)
    return out


def _keys(kind: Kind, cols: list[Column]) -> list[str]:
    """The amount columns found, in the kind's order (this year's, then the other periods')."""
    found = [c.key for c in cols if c.role == "amount" and c.side != "revenue"]
    order = {c.key: i for i, c in enumerate(kind.columns)}

    def rank(key: str) -> tuple[int, int]:
        base = base_key(key)
        period = PERIOD_PREFIXES.index(key[:len(key) - len(base)]) + 1 if key != base else 0
        return period, order.get(base, len(order))
    return sorted(dict.fromkeys(found), key=rank)


@dataclass
class Columns:
    """What a budget table's columns hold, and where they are: for reading its continuations."""

    xs: list[float]
    cols: list[Column]
    keys: list[str]


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
        for n, block_cols in enumerate(_blocks(columns_of.cols)):
            line, boxes = _row(k, layout.code_parts, block_cols, columns_of.keys, mapped)
            if (n and not any(line[2:])) or not any(line):
                continue                               # the block is blank on this row
            out.append(OutLine("\t".join(line), grid.pages[i], _union([c.bbox for _, c in own]), tuple(boxes),
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
        rows, problems = _items_as_rows(k, grid, head, heads, final)   # items across the header, figures in one row
        return rows, problems, None
    problems = [f"column {c.header or '(no header)'!r} is not one of the {k.zh}'s columns; its cells are kept "
                f"as text on their rows" for c in cols if c.role == "unknown" and c.header]
    keys = _keys(k, cols)
    blocks = _blocks(cols)
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
        bbox = _union([c.bbox for _, c in own])
        page = grid.pages[i]
        if len(own) == 1 and grid.width > 1:           # one cell across the table: a note
            out.append(OutLine(squash(texts[0]), page, bbox, grid=True))
            continue
        lines = [_row(k, layout.code_parts, block_cols, keys, own) for block_cols in blocks]
        if len(lines) > 1 and lines[0][0][2] and not any(lines[0][0][3:]) and not lines[1][0][2] \
                and any(lines[1][0][3:]):
            # a label across both blocks (支出合计) with its figure under the second
            lines = [([*lines[0][0][:3], *lines[1][0][3:]], lines[1][1])]
        for n, (line, boxes) in enumerate(lines):
            if (n and not any(line[2:])) or not any(line):
                continue                               # the block is blank on this row
            out.append(OutLine("\t".join(line), page, bbox, tuple(boxes), grid=True))
    return out, problems, Columns(list(grid.xs), cols, keys)


def _blocks(cols: list[Column]) -> list[list[Column]]:
    """A two-sided table whose expenditure is printed in several blocks (by function, by use) is
    read block by block, each as a line of its own: the columns of one block, the others ignored
    (and the revenue side with the first). So is a coded table printed as blocks side by side,
    each with its code, name and figure columns (基本支出 by economic class: 人员经费 | 公用经费)."""
    if any(c.block and c.side is None for c in cols):
        names = list(dict.fromkeys(c.block for c in cols))
        return [[c if c.block == name else Column("ignored", header=c.header) for c in cols] for name in names]
    names = list(dict.fromkeys(c.block for c in cols if c.side == "expenditure" and c.role == "amount"))
    if len(names) <= 1:
        return [cols]
    out = []
    for n, name in enumerate(names):
        out.append([c if (c.side == "expenditure" and c.block == name) or
                    (n == 0 and (c.side != "expenditure" or c.block not in names))
                    else Column("ignored", header=c.header) for c in cols])
    return out


def _items_as_rows(k: Kind, grid: Grid, head: int, heads: list[list[str]],
                   final: bool = False) -> tuple[list[OutLine], list[str]]:
    """An items table (the 三公) printed as one row of figures under a header of items: each
    figure becomes a row named by its item, in a total column (this year's, or the earlier year's
    under a prior-year heading). Further rows (one per unit) that repeat the totals are left out;
    others are kept as text and reported."""
    year = _header_year(heads)
    voc = vocabulary()
    columns_of: list[tuple[str | None, str, str]] = []       # (item, period key, printed header)
    for path in heads:
        item_path = [p for p in path if not (final and (voc.measure.fullmatch(p) or voc.adjusted.fullmatch(p)))]
        qualifier = ""
        if year is not None:
            printed = [int(m.group(1)) for p in path for m in re.finditer(r"((?:19|20)\d{2})年", p)]
            if printed and max(printed) < year:
                qualifier = "prior-"
        if final and path and voc.adjusted.fullmatch(path[-1]):
            qualifier = "adjusted-"            # a final account's 三公 table: 调整预算数 beside 决算数
        elif final and path and voc.budget.fullmatch(path[-1]):
            qualifier = "budget-"              # 预算数 beside 决算数
        label = "/".join(p for p in item_path if not re.fullmatch(r"(?:19|20)\d{2}年.*(?:预算|决算|执行)数?|.*经费预算数|.*预[（(]决[)）]算数.*", p)
                         or re.search(r"机关运行经费", p))
        item = k.item(label.replace("“", "").replace("”", "")) if label else None
        if item is None and label:
            item = k.item(label.split("/")[-1])
        columns_of.append((item, qualifier + "total", label))
    totals = [j for j, (item, _, _) in enumerate(columns_of) if item == "total"]
    if len({columns_of[j][1] for j in totals}) < len(totals):      # 合计 beside a “三公” 小计: the grand total
        for j in totals:
            item, period, label = columns_of[j]
            if "三公" not in label and any("三公" in columns_of[o][2] for o in totals if o != j):
                columns_of[j] = ("all", period, label)
    figure_rows = [i for i in range(head, len(grid.rows)) if any(_is_figure(t) or AMOUNT.match(t) for t in _own(grid, i))]
    problems: list[str] = []
    periods = tuple(sorted({p for item, p, _ in columns_of if item is not None}, key=lambda p: p != "total"))
    out: list[OutLine] = [OutLine("\t".join(["项目"] + [label for _, _, label in columns_of]), grid.page, grid=True,
                                  keys=periods)]
    if not figure_rows:
        return [], problems
    chosen = figure_rows[0]
    for i in figure_rows:
        first = squash(grid.rows[i][0].text)
        if TOTAL_LABEL.match(first):
            chosen = i
            break
    values = {j: squash(grid.rows[chosen][j].text) for j in range(grid.width) if grid.starts(chosen, j)}
    for i in figure_rows:
        if i != chosen and any(squash(grid.rows[i][j].text) != v for j, v in values.items()
                               if columns_of[j][0] is not None):
            problems.append(f"row {squash(grid.rows[i][0].text) or i!r} of the “三公” table is not its total "
                            f"and is kept as text")
            out.append(OutLine("\t".join(squash(c.text) for c in grid.rows[i]), grid.pages[i], grid=True))
    keys = out[0].keys
    by_item: dict[str, dict[str, tuple[str, BBox]]] = {}
    order: list[str] = []
    for j, (item, period, label) in enumerate(columns_of):
        if item is None or j not in values or not values[j]:
            if item is None and values.get(j) and (_is_figure(values[j]) or AMOUNT.match(values[j])):
                problems.append(f"a figure under {label!r} names no “三公” item; kept as text")
            continue
        if item not in by_item:
            order.append(item)
        by_item.setdefault(item, {})[period] = (values[j], grid.rows[chosen][j].bbox)
    names = {it.key: it.zh for it in k.items}
    for item in [it.key for it in k.items if it.key in by_item]:
        cells = by_item[item]
        line = [names[item]] + [cells.get(p, ("", None))[0] for p in keys]
        boxes = [(p, box) for p, (_, box) in cells.items()]
        out.append(OutLine("\t".join(line), grid.pages[chosen], grid.rows[chosen][0].bbox, tuple(boxes), grid=True))
    return out, problems


def _row(k: Kind, code_parts: int, cols: list[Column], keys: list[str],
         own) -> tuple[list[str], list[tuple[str, BBox]]]:
    amounts: dict[tuple[str | None, str], tuple[str, BBox]] = {}
    codes: dict[str | None, list[str]] = {}
    names: dict[str | None, list[str]] = {}
    project: list[str] = []
    extra: list[str] = []
    spans = {id(cell): sum(1 for k in range(j, min(j + cell.cols, len(cols))) if cols[k].role == "amount")
             for j, cell in own}
    own = [(_role_slot(cols, j, cell), cell) for j, cell in own]
    code_columns = [j for j, c in enumerate(cols) if c.role == "code" and c.side is None]
    own_at = {j: cell for j, cell in own}
    for j, cell in own:
        col = cols[j]
        text = cell.text.strip()
        if not text:
            continue
        if col.role == "code" and col.side is None:
            continue                                   # read below, blanks included
        if col.role == "amount" and spans.get(id(cell), 1) <= 1:
            amounts[(col.side, col.key)] = (squash(text), cell.bbox)
        elif col.role in ("code", "project", "name") and (_is_figure(squash(text)) or
                                                         (col.role != "code" and AMOUNT.match(squash(text)))):
            extra.append(" ".join(text.split()))      # a figure under a label column: kept apart, not glued on
        elif col.role == "code":
            codes.setdefault(col.side, []).append(squash(text))
        elif col.role == "project":
            project.append(squash(text))
        elif col.role == "name":
            names.setdefault(col.side, []).append(squash(text))
        elif col.role != "ignored":                    # an unknown column, or numbers across several
            extra.append(" ".join(text.split()))
    boxes = [(key, box) for (_, key), (_, box) in amounts.items()]
    if k.rows == "two-sided":
        rev = names.get("revenue", [])
        exp_code = "".join(codes.get("expenditure", []))
        exp = " ".join(filter(None, [exp_code, "".join(names.get("expenditure", []))]))
        line = ["".join(rev), amounts.get(("revenue", "revenue"), ("", None))[0], exp]
        line += [amounts.get(("expenditure", key), ("", None))[0] for key in keys]
        # the revenue side has one figure column in the reader's layout: another (a budget printed
        # beside a final figure) is kept as text on the row, not dropped
        extra += [value for (side, key), (value, _) in amounts.items() if side == "revenue" and key != "revenue"]
        return line + extra, boxes
    name = "".join(names.get(None, []))
    code_cells = [squash(own_at[j].text) if j in own_at else "" for j in code_columns]
    if code_parts:
        cells, name = _code_label(code_cells, name, code_parts)
        label = cells + [name]
    else:
        label = [name or "".join(code_cells)]
    if k.rows == "projects":
        label.append("".join(project))
    return label + [amounts.get((None, key), ("", None))[0] for key in keys] + extra, boxes


def _role_slot(cols: list[Column], j: int, cell) -> int:
    """The slot whose column a cell is read as: its own, or, when a cell starting in a slot with no
    header spans others (a ruling with slivers between the columns), the first it spans that has one."""
    if cols[j].role != "unknown" or cell.cols <= 1:
        return j
    return next((k for k in range(j, min(j + cell.cols, len(cols))) if cols[k].role != "unknown"), j)


def _code_label(code_cells: list[str], name: str, parts: int) -> tuple[list[str], str]:
    """The code cells of the reader's layout (类, 款, 项) and the name: from one code column
    (2010301), from 类/款/项 columns (a 款 printed without its zero, 301 | 2, is padded by the
    reader; a blank 类 it fills from the row above), or from a code printed in front of the name.
    A row that prints the code columns' own heading (类 款 项) beside its figures (a 合计 row
    under the header) has no code."""
    code_cells = ["" if _CODE_HEADER.fullmatch(c) else c for c in code_cells]
    filled = [c for c in code_cells if c]
    if len(filled) == 1 and (re.fullmatch(r"\d{3}(\d{2}){0,2}", filled[0]) or _UNIT_CODE.match(filled[0])):
        # one code column (or a whole code under the 款 column of a continuation ruled apart)
        return [filled[0]] + [""] * (parts - 1), name
    cells = list(code_cells)
    if not filled:
        m = re.match(r"^(\d{3}(?:\d{2}){0,2}|\d{6})\s*(?=\D)", name)
        if m:
            code = m.group(1)
            if _UNIT_CODE.match(code):
                return [code] + [""] * (parts - 1), name[m.end():]
            return [code[:3], code[3:5], code[5:7]][:parts], name[m.end():]
        return [""] * parts, name
    return (cells + [""] * parts)[:parts], name


def _union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


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
                           _union(boxes), grid=True))
    return out, state
