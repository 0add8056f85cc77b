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
from dataclasses import dataclass, field

from ..normalize import squash
from ..tables.rows import RAW_AMOUNT, _is_numbering_row
from ..tables.spec import SPECS, TABLE2_COLUMNS, TABLE2_ORDER, TOTAL_LABEL
from .grid import BBox, Grid

_CODE = re.compile(r"^\d{3}(?:\s*\d{2}){0,2}$")

# Amount columns of each table: (key, pattern on the header path joined without separators).
# Earlier patterns win; a key is given to one column only.
_T7 = [("e301", r"工资福利"), ("e302", r"商品和?服务"), ("e303", r"对个人和家庭"), ("e307", r"债务利息"),
       ("e309", r"资本性支出.*基本建设"), ("e310", r"资本性支出"), ("e311", r"对企业补助.*基本建设"),
       ("e312", r"对企业补助"), ("e313", r"社会保障基金"), ("e399", r"其他支出"), ("total", r"合计|总计")]
AMOUNTS: dict[int, list[tuple[str, str]]] = {
    2: [(c.key, c.pattern) for c in TABLE2_COLUMNS if c.key != "total"] + [("total", r"总计|合计")],
    3: [("total", r"合计|总计"), ("basic", r"基本支出"), ("project", r"项目支出")],
    5: [("total", r"合计|总计"), ("basic", r"基本支出"), ("project", r"项目支出")],
    6: [("total", r"合计|总计"), ("personnel", r"人员经费|工资福利"), ("public", r"公用经费|商品和服务")],
    7: _T7,
    8: [("total", r"合计|总计"), ("personnel", r"人员经费"), ("public", r"公用经费"), ("project", r"项目支出")],
    9: [("total", r"合计|总计"), ("personnel", r"人员经费"), ("public", r"公用经费"), ("project", r"项目支出")],
    10: [("total", r"合计|总计"), ("general-budget", r"一般公共预算"), ("government-fund", r"政府性基金"),
         ("state-capital", r"国有资[本产]")],
    11: [("nonfiscal-total", r"非财政拨款.*(合计|小计)"), ("nonfiscal-personnel", r"非财政拨款.*人员经费"),
         ("nonfiscal-public", r"非财政拨款.*公用经费"), ("nonfiscal-project", r"非财政拨款.*项目支出"),
         ("fiscal-total", r"财政拨款.*(合计|小计)"), ("fiscal-personnel", r"财政拨款.*人员经费"),
         ("fiscal-public", r"财政拨款.*公用经费"), ("fiscal-project", r"财政拨款.*项目支出"),
         ("total", r"^(总计|合计)$")],
    4: [("total", r"合计|小计"), ("general-budget", r"一般公共预算"), ("government-fund", r"政府性基金"),
        ("state-capital", r"国有资[本产]")],
    1: [("expenditure", r"预算数|金额|合计|小计|^数$")],
}
_REVENUE_AMOUNT = r"预算数|金额|合计|小计|^数$"
_NAME = re.compile(r"名称|科目|项目|内容|功能分类|经济分类")
_CODE_HEADER = re.compile(r"编码|代码|^类$|^款$|^项$")
# Label cells of each table's tab-separated layout: code parts, then names.
_CODE_PARTS = {2: 3, 3: 3, 5: 3, 8: 3, 9: 3, 6: 2, 7: 3}


@dataclass
class OutLine:
    """One line of the reading-order text, with where it came from."""

    text: str
    page: int
    bbox: BBox | None = None
    boxes: tuple[tuple[str, BBox], ...] = ()     # (column key, cell box) of a budget-table row


@dataclass
class Column:
    role: str                 # code | name | project | amount | unknown
    key: str | None = None
    side: str | None = None   # revenue | expenditure (tables 1 and 4)
    header: str = ""


def _own(grid: Grid, i: int) -> list[str]:
    """The texts of the cells that start in row *i* (not those merged into it from above or the left)."""
    return [squash(c.text) for j, c in enumerate(grid.rows[i]) if grid.starts(i, j) and squash(c.text)]


def header_rows(grid: Grid) -> int:
    """How many rows at the top of *grid* are header: up to the first row with an amount or a code,
    or through the ``※ 1 2 3`` numbering row."""
    for i in range(len(grid.rows)):
        own = _own(grid, i)
        if _is_numbering_row(own) is not None:
            return i + 1
        if any(RAW_AMOUNT.match(t) or _CODE.match(t) for t in own):
            return i
        if i and any(TOTAL_LABEL.match(squash(c.text)) and _NAME.search(squash(grid.rows[i - 1][j].text))
                     for j, c in enumerate(grid.rows[i]) if grid.starts(i, j)):
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


def columns(number: int, heads: list[list[str]]) -> list[Column]:
    """What each column of budget table *number* holds, from its header path."""
    used: set[tuple[str | None, str]] = set()
    out: list[Column] = []
    for path in heads:
        joined = "".join(path)
        side = None
        if number in (1, 4):
            side = "revenue" if path and "收入" in path[0] else ("expenditure" if path and "支出" in path[0] else None)
        col = Column("unknown", header=joined)
        patterns = [("revenue", _REVENUE_AMOUNT)] if side == "revenue" else AMOUNTS[number]
        leaf = path[-1] if path else ""
        for key, pattern in patterns:
            if (side, key) in used:
                continue
            if re.search(pattern, leaf if number in (1, 4) else joined):
                col = Column("amount", key, side, joined)
                break
        if col.role == "unknown" and path:
            if _CODE_HEADER.search(leaf):
                col = Column("code", None, side, joined)
            elif _NAME.search(joined):
                col = Column("project" if number == 7 and "项目" in leaf else "name", None, side, joined)
        if col.role == "amount":
            used.add((side, col.key))
        out.append(col)
    return out


def _keys(number: int, cols: list[Column]) -> list[str]:
    """The amount columns of the tab-separated layout: 表2 prints only some of its columns."""
    if number == 2:
        mapped = {c.key for c in cols if c.role == "amount"}
        return [k for k in TABLE2_ORDER if k in mapped]
    return SPECS[number].keys()


def budget_lines(number: int, grid: Grid) -> tuple[list[OutLine], list[str]]:
    """Table *number*'s rows in the tab-separated layout of the table reader, and what was not read."""
    head = header_rows(grid)
    cols = columns(number, paths(grid, head))
    problems = [f"column {c.header or '(no header)'!r} is not one of 表{number}'s columns; its cells are kept "
                f"as text on their rows" for c in cols if c.role == "unknown" and c.header]
    keys = _keys(number, cols)
    out: list[OutLine] = []
    page = grid.page
    if number in (1, 4):
        out.append(OutLine("\t".join(_two_sided_header(number)), page))
    else:
        labels = _label_header(number)
        out.append(OutLine("\t".join(labels + [_column_label(number, k) for k in keys]), page))
    numbered = _numbering_count(grid, head)
    if numbered and number not in (1, 4):
        out.append(OutLine("\t".join(["※"] * len(_label_header(number)) + [str(k) for k in range(1, numbered + 1)]),
                           page))
    for i in range(head, len(grid.rows)):
        row = grid.rows[i]
        own = [(j, c) for j, c in enumerate(row) if grid.starts(i, j)]
        texts = [c.text for _, c in own if c.text.strip()]
        if not texts:
            continue
        bbox = _union([c.bbox for _, c in own])
        page = grid.pages[i]
        if len(own) == 1 and grid.width > 1:           # one cell across the table: a note
            out.append(OutLine(squash(texts[0]), page, bbox))
            continue
        line, boxes = _row(number, cols, keys, own)
        out.append(OutLine("\t".join(line), page, bbox, tuple(boxes)))
    return out, problems


def _row(number: int, cols: list[Column], keys: list[str], own) -> tuple[list[str], list[tuple[str, BBox]]]:
    amounts: dict[tuple[str | None, str], tuple[str, BBox]] = {}
    codes: dict[str | None, list[str]] = {}
    names: dict[str | None, list[str]] = {}
    project: list[str] = []
    extra: list[str] = []
    for j, cell in own:
        col = cols[j]
        text = cell.text.strip()
        if not text:
            continue
        if col.role == "amount" and cell.cols == 1:
            amounts[(col.side, col.key)] = (squash(text), cell.bbox)
        elif col.role == "code":
            codes.setdefault(col.side, []).append(squash(text))
        elif col.role == "project":
            project.append(squash(text))
        elif col.role == "name":
            names.setdefault(col.side, []).append(squash(text))
        else:                                          # an unknown column, or numbers across several
            extra.append(" ".join(text.split()))
    boxes = [(key, box) for (_, key), (_, box) in amounts.items()]
    if number in (1, 4):
        rev = names.get("revenue", [])
        exp_code = "".join(codes.get("expenditure", []))
        exp = " ".join(filter(None, [exp_code, "".join(names.get("expenditure", []))]))
        line = ["".join(rev), amounts.get(("revenue", "revenue"), ("", None))[0], exp]
        line += [amounts.get(("expenditure", k), ("", None))[0] for k in keys]
        return line + extra, boxes
    name = "".join(names.get(None, []))
    code = "".join(codes.get(None, []))
    if not code:
        m = re.match(r"^(\d{3}(?:\d{2}){0,2})\s*(?=\D)", name)
        if m:
            code, name = m.group(1), name[m.end():]
    parts = _CODE_PARTS.get(number, 0)
    label = []
    if parts:
        if re.fullmatch(r"\d{3}(\d{2}){0,2}", code):
            label = [code[:3], code[3:5], code[5:7]][:parts]
        else:
            label = [code] + [""] * (parts - 1)
    label.append(name)
    if number == 7:
        label.append("".join(project))
    return label + [amounts.get((None, k), ("", None))[0] for k in keys] + extra, boxes


def _label_header(number: int) -> list[str]:
    if number in (2, 3, 5, 8, 9):
        return ["类", "款", "项", "科目名称"]
    if number == 6:
        return ["类", "款", "科目名称"]
    if number == 7:
        return ["类", "款", "项", "功能分类科目名称", "项目名称"]
    return ["项目"]


def _two_sided_header(number: int) -> list[str]:
    if number == 1:
        return ["收入项目", "预算数", "支出项目", "预算数"]
    return ["收入项目", "合计", "支出功能分类", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]


def _column_label(number: int, key: str) -> str:
    return next(c.label for c in SPECS[number].columns if c.key == key)


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
                           _union(boxes)))
    return out, state
