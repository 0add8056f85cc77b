"""One row of a budget table's grid as a line of the table reader's layout: its label cells
(the codes, the name, the project) and its amounts in the order of the table's keys, with a
figure under a label column or under an unknown one kept apart as text."""

from __future__ import annotations

import re

from budgetkg.extract.normalize import squash
from budgetkg.extract.pdf.grid import BBox
from budgetkg.extract.pdf.table_columns import CODE_HEADER, Column
from budgetkg.extract.pdf.table_header import UNIT_CODE, is_figure
from budgetkg.extract.tables.rows import AMOUNT
from budgetkg.extract.template import Kind


def read_row(k: Kind, code_parts: int, cols: list[Column], keys: list[str],
             own) -> tuple[list[str], list[BBox | None]]:
    """A row's cells *own* ((slot, cell) of each cell that starts in it) read by the columns *cols*
    of a table of kind *k*: the row's line of cells, and beside each the box of the cell it was
    read from (an amount's; None for a label or a figure kept apart)."""
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
        elif col.role in ("code", "project", "name") and (is_figure(squash(text)) or
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
    if k.rows == "two-sided":
        line, boxes = _two_sided_line(names, codes, amounts, keys)
        rev_values, rev_boxes = _revenue_extra(amounts)
        return line + extra + rev_values, boxes + [None] * len(extra) + rev_boxes
    name = "".join(names.get(None, []))
    code_cells = [squash(own_at[j].text) if j in own_at else "" for j in code_columns]
    if code_parts:
        cells, name = _code_label(code_cells, name, code_parts)
        label = cells + [name]
    else:
        label = [name or "".join(code_cells)]
    if k.rows == "projects":
        label.append("".join(project))
    figures = [amounts.get((None, key), ("", None)) for key in keys]
    return (label + [value for value, _ in figures] + extra,
            [None] * len(label) + [box for _, box in figures] + [None] * len(extra))


def _two_sided_line(names: dict, codes: dict, amounts: dict, keys: list[str]) -> tuple[list[str], list]:
    """A two-sided table's row: the revenue item and its figure, then the expenditure item (its
    code, if printed apart, before its name) and its figures in the order of *keys*; and the box
    of each figure's cell."""
    rev = names.get("revenue", [])
    exp_code = "".join(codes.get("expenditure", []))
    exp = " ".join(filter(None, [exp_code, "".join(names.get("expenditure", []))]))
    revenue = amounts.get(("revenue", "revenue"), ("", None))
    figures = [amounts.get(("expenditure", key), ("", None)) for key in keys]
    return (["".join(rev), revenue[0], exp] + [value for value, _ in figures],
            [None, revenue[1], None] + [box for _, box in figures])


def _revenue_extra(amounts: dict) -> tuple[list[str], list]:
    """The revenue side has one figure column in the reader's layout: another (a budget printed
    beside a final figure) is kept as text on the row, not dropped (with its cell's box)."""
    extra = [(value, box) for (side, key), (value, box) in amounts.items() if side == "revenue" and key != "revenue"]
    return [value for value, _ in extra], [box for _, box in extra]


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
    code_cells = ["" if CODE_HEADER.fullmatch(c) else c for c in code_cells]
    filled = [c for c in code_cells if c]
    if len(filled) == 1 and (re.fullmatch(r"\d{3}(\d{2}){0,2}", filled[0]) or UNIT_CODE.match(filled[0])):
        # one code column (or a whole code under the 款 column of a continuation ruled apart)
        return [filled[0]] + [""] * (parts - 1), name
    cells = list(code_cells)
    if not filled:
        m = re.match(r"^(\d{3}(?:\d{2}){0,2}|\d{6})\s*(?=\D)", name)
        if m:
            code = m.group(1)
            if UNIT_CODE.match(code):
                return [code] + [""] * (parts - 1), name[m.end():]
            return [code[:3], code[3:5], code[5:7]][:parts], name[m.end():]
        return [""] * parts, name
    return (cells + [""] * parts)[:parts], name
