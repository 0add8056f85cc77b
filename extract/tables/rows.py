"""Assemble printed rows from a table's lines, for tab-separated and raw-text renderings.

The result is a list of ``PrintedRow``: the label parts, the code, and the
amounts, either positional (tab-separated: each number's column is known) or
loose (raw text: the numbers are known, their columns are not yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetkg.extract.normalize import Line, squash
from budgetkg.extract.template import Kind, TableLayout, column_key, default_layout
from budgetkg.extract.tables.cells import (AMOUNT, RAW_AMOUNT, _PAGE_HEAD, _RAW_CODE_START, _code_from_cells, _dec,
                                           _is_note, _is_numbering_row, _known_row_start, _raw_tokens, _split_side,
                                           parse_amount)

__all__ = ["AMOUNT", "RAW_AMOUNT", "PrintedRow", "TableBody", "header_keys", "parse_amount", "read_body"]

_HEADER_LABEL = re.compile(r"^(类款项?|类|科目(编码)?|项目(名称)?|[\u4e00-\u9fff]*分类科目[\u4e00-\u9fff]*|"
                           r"[\u4e00-\u9fff“”\"]*支出内容|收入|支出|收入支出|财政拨款收入财政拨款支出)$")


@dataclass
class PrintedRow:
    line: int
    code: str | None = None
    label_parts: list[str] = field(default_factory=list)
    positional: list[Decimal | None] | None = None    # tab-separated: one slot per column
    positional_text: list[str] = field(default_factory=list)   # the same cells as printed
    positional_boxes: list = field(default_factory=list)       # PDF: the same cells' boxes (None: not known)
    loose: list[Decimal] = field(default_factory=list)  # raw text: numbers in printed order
    loose_text: list[str] = field(default_factory=list)
    side: str | None = None
    bad_cells: list[str] = field(default_factory=list)
    page_start: bool = False     # first row after a repeated page header
    unit_code: str | None = None  # a budget unit's own code (105236 西南大学): the row is a unit's subtotal
    cell_break: int | None = None  # a projects row: the label part at which the project name's cell begins

    @property
    def label(self) -> str:
        return squash("".join(self.label_parts))

    @property
    def has_amounts(self) -> bool:
        if self.positional is not None:
            return any(v is not None for v in self.positional)
        return bool(self.loose)


@dataclass
class TableBody:
    rows: list[PrintedRow]
    header_text: str
    notes: list[str]
    numbered_columns: int | None      # from the "※ 1 2 3 …" row, when printed
    keys: list[str] | None = None     # the amount columns a PDF header named, in printed order
    unnamed: bool = False             # a header that should name the columns (no text layout) names none


def read_body(layout: TableLayout, lines: list[Line], year: int | None = None, final: bool = False) -> TableBody:
    """The printed rows of a table's *lines*. A tab-separated rendering of a family that does not
    describe its text header (no ``header_text``) names its amount columns in its header, read
    with the kind's column words as a PDF header is (*year* tells last year's columns, *final* a
    final account's budget columns)."""
    if any(ln.keys is not None for ln in lines):      # a PDF table: rows in the kind's own label layout
        return _read_tsv(default_layout(layout.kind.id), lines)
    tabbed = sum(1 for ln in lines if "\t" in ln.text)
    if tabbed >= max(2, len([ln for ln in lines if ln.text.strip()]) // 3) or any(ln.keys is not None for ln in lines):
        named = (year, final) if not layout.header_text else None
        return _read_tsv(layout, lines, named)
    return _read_raw(layout, lines)


def header_keys(layout: TableLayout, cells: list[str], year: int | None, final: bool) -> list[str] | None:
    """The column keys a one-line text header names in its amount cells (after the label cells;
    a two-sided table's after its revenue side and the expenditure label), or None unless every
    one of them names a column and no label cell does (a header with fewer label cells than its
    rows would shift every column by one)."""
    kind = layout.kind
    if kind.rows != "two-sided" and any(column_key(kind, [squash(c)], year, final=final)
                                        for c in cells[:layout.labels] if squash(c)):
        return None
    amount = cells[3:] if kind.rows == "two-sided" else cells[layout.labels:]
    amount = [squash(c) for c in amount]
    while amount and not amount[-1]:
        amount.pop()
    used: set[str] = set()
    keys: list[str] = []
    for cell in amount:
        key = column_key(kind, [cell], year, used=used, final=final) if cell else None
        if key is None:
            return None
        used.add(key)
        keys.append(key)
    return keys or None


def _longer(keys: list[str] | None, other: list[str] | None) -> list[str] | None:
    """Of two header lines' keys, the line naming more columns (a group heading names fewer)."""
    return other if other is not None and (keys is None or len(other) > len(keys)) else keys


@dataclass
class _Reading:
    """A table body as its lines are read: what is gathered so far, and where the reader is."""

    rows: list[PrintedRow] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    numbered: int | None = None
    keys: list[str] | None = None            # the amount columns the header names
    in_header: bool = True
    page_start: bool = False
    in_note: bool = False
    last_class: str | None = None            # tab-separated: the last 类 code (a 款 row may leave it blank)
    current: PrintedRow | None = None        # raw text: the row a line may continue


def _read_tsv(layout: TableLayout, lines: list[Line], named: tuple[int | None, bool] | None = None) -> TableBody:
    at = _Reading()
    page = None
    for ln in lines:
        if ln.grid and page is not None and ln.page != page and at.rows:
            at.page_start = True          # a PDF table continued on the next page (its repeated header left out)
        page = ln.page if ln.grid else page
        if not ln.text.strip() or _tsv_not_cells(at, ln):
            continue
        cells = ln.text.split("\t")
        n = _is_numbering_row(cells)
        if n is not None:
            at.numbered = at.numbered or n
            at.in_header = False
        elif layout.kind.rows == "two-sided":
            _tsv_sides(layout, named, at, ln, cells)
        else:
            _tsv_row(layout, named, at, ln, cells)
    unnamed = named is not None and at.keys is None and layout.kind.rows != "two-sided" and \
        any(v is not None for r in at.rows for v in (r.positional or ()))
    return TableBody(at.rows, "".join(at.header), at.notes, at.numbered, at.keys, unnamed)


def _tsv_not_cells(at: _Reading, ln: Line) -> bool:
    """Take a line that is not a line of cells: the PDF reader's header, a page head, a note (or
    its wrapped part), a row printed outside the ruling. False for a line of cells."""
    text = ln.text
    if ln.keys is not None:           # the PDF reader's header: the columns are known by their keys
        at.keys = at.keys if at.keys is not None else list(ln.keys)
        at.header.append(squash(text))
        at.in_header = True
        return True
    if _PAGE_HEAD.search(text) and "\t" not in text.strip():
        at.in_header, at.page_start = True, True
        return True
    if at.in_note and not at.notes[-1].endswith("。") and "\t" not in text.strip() \
            and not re.search(r"\d\.\d", text):
        at.notes[-1] += squash(text)        # a note wrapped onto the next line
        return True
    if _is_note(text):
        at.notes.append(squash(text))
        at.in_note = True
        return True
    at.in_note = False
    if at.keys is not None and "\t" not in text.strip() and _ROW_TEXT.match(text.strip()):
        at.rows.append(_row_text(ln, text.strip(), at.page_start))   # a row printed outside the ruling
        at.page_start = at.in_header = False
        return True
    return False


def _tsv_header(layout: TableLayout, named: tuple[int | None, bool] | None, at: _Reading, text: str,
                cells: list[str]) -> None:
    """A header line: kept as text, and the columns it names read when *named*."""
    at.header.append(squash(text))
    if named is not None:
        at.keys = _longer(at.keys, header_keys(layout, cells, *named))


def _tsv_sides(layout: TableLayout, named: tuple[int | None, bool] | None, at: _Reading, ln: Line,
               cells: list[str]) -> None:
    """A two-sided table's line of cells: a header line, or its revenue and expenditure rows."""
    row_l, row_r = _tsv_two_sided(layout, at.keys, ln, cells)
    if at.in_header and not (row_l.has_amounts or row_r.has_amounts or row_r.code
                             or _known_row_start(layout.kind, row_l.label)):
        _tsv_header(layout, named, at, ln.text, cells)
        return
    at.in_header = False
    for r in (row_l, row_r):
        if r.label or r.has_amounts:
            at.rows.append(r)


def _tsv_row(layout: TableLayout, named: tuple[int | None, bool] | None, at: _Reading, ln: Line,
             cells: list[str]) -> None:
    """A line of cells: a header line (at the top, or repeated after a page break), or a row."""
    kind = layout.kind
    label_cells = cells[:layout.labels]
    amount_cells = cells[layout.labels:]
    unit_code, code = _tsv_codes(layout, at, label_cells)
    values, bad = _tsv_amounts(amount_cells)
    label_parts = [squash(c) for c in label_cells if squash(c) and not re.fullmatch(r"\d{1,7}|\d{6,}", squash(c))]
    looks_data = code is not None or any(v is not None for v in values) or unit_code is not None or \
        any(_known_row_start(kind, p) for p in label_parts)
    if at.in_header and not looks_data:
        _tsv_header(layout, named, at, ln.text, cells)
        return
    no_amounts = not any(v is not None for v in values) and code is None
    if no_amounts and (bad or _HEADER_LABEL.match("".join(label_parts) or "类款项")):
        at.header.append(squash(ln.text))      # a header repeated after a page break
        at.in_header = True
        return
    at.in_header = False
    row = PrintedRow(ln.number, code, label_parts, positional=values, bad_cells=bad, page_start=at.page_start,
                     positional_text=[" ".join(c.split()) for c in amount_cells], unit_code=unit_code,
                     positional_boxes=list(ln.boxes[layout.labels:]))
    at.page_start = False
    # A projects table prints the function name and the project name in separate cells.
    if kind.rows == "projects" and len(label_cells) >= layout.code_parts + 2:
        name_at = layout.code_parts
        row.label_parts = [squash(c) for c in label_cells[name_at:name_at + 1] if squash(c)]
        project = squash(label_cells[name_at + 1])
        if project:
            row.cell_break = len(row.label_parts)
            row.label_parts.append(project)
    at.rows.append(row)


def _tsv_codes(layout: TableLayout, at: _Reading, label_cells: list[str]) -> tuple[str | None, str | None]:
    """(a budget unit's own code, the classification code) printed in a row's label cells."""
    unit_code = None
    if layout.code_parts and re.fullmatch(r"\d{6}", squash(label_cells[0]) if label_cells else ""):
        unit_code = squash(label_cells[0])
    code = None if unit_code else _code_from_cells(label_cells[:layout.code_parts or 1], at.last_class)
    if code and len(code) == 3:
        at.last_class = code
    return unit_code, code


def _tsv_amounts(amount_cells: list[str]) -> tuple[list[Decimal | None], list[str]]:
    """The amount cells' values (None where empty or unreadable), and the unreadable ones as printed."""
    values: list[Decimal | None] = []
    bad: list[str] = []
    for c in amount_cells:
        try:
            values.append(parse_amount(c))
        except ValueError:
            values.append(None)
            bad.append(" ".join(c.split()))      # kept as printed, layout spaces normalized
    return values, bad


_ROW_TEXT = re.compile(r"^(\d{3,7})\s+(\S.*?)((?:\s+-?[\d,]+(?:\.\d+)?)+)$")


def _row_text(ln: Line, text: str, page_start: bool) -> PrintedRow:
    """A row a PDF prints as text between ruled rows: its code, its name, its numbers (their
    columns are placed by the table's arithmetic, as in raw text)."""
    m = _ROW_TEXT.match(text)
    numbers = m.group(3).split()
    return PrintedRow(ln.number, m.group(1), [squash(m.group(2))], loose=_dec(numbers), loose_text=numbers,
                      page_start=page_start)


def _tsv_two_sided(layout: TableLayout, keys: list[str] | None, ln: Line,
                   cells: list[str]) -> tuple[PrintedRow, PrintedRow]:
    cells = cells + [""] * 12
    left = PrintedRow(ln.number, None, [squash(cells[0])] if squash(cells[0]) else [], side="revenue")
    try:
        left.positional = [parse_amount(cells[1])]
    except ValueError:
        left.positional, left.bad_cells = [None], [squash(cells[1])]
    right_label = squash(cells[2])
    m = re.match(r"^([23]\d{2})(.*)$", right_label)
    right = PrintedRow(ln.number, m.group(1) if m else None, [m.group(2) if m else right_label] if right_label else [],
                       side="expenditure")
    width = len(keys if keys is not None else layout.columns)
    left.positional_boxes = list(ln.boxes[1:2])
    right.positional_boxes = list(ln.boxes[3:3 + width])
    right.positional = []
    for c in cells[3:3 + width]:
        try:
            right.positional.append(parse_amount(c))
        except ValueError:
            right.positional.append(None)
            right.bad_cells.append(squash(c))
    right.bad_cells += [squash(c) for c in cells[3 + width:] if squash(c)]   # beyond the header's columns
    return left, right


def _read_raw(layout: TableLayout, lines: list[Line]) -> TableBody:
    at = _Reading()
    for ln in lines:
        text = ln.text.strip()
        if not text or _raw_not_row(at, text):
            continue
        if layout.kind.rows == "two-sided":
            _raw_sides(layout.kind, at, ln, text)
        else:
            _raw_row(layout.kind, at, ln, text)
    return TableBody(at.rows, "".join(at.header), at.notes, at.numbered)


def _raw_not_row(at: _Reading, text: str) -> bool:
    """Take a raw line that holds no row: a page head or number, a note (or its wrapped part),
    the column numbering. False for any other line."""
    if _PAGE_HEAD.search(text):
        at.in_header, at.page_start, at.current = True, True, None
        return True
    if re.fullmatch(r"\d{1,3}", text):      # a page number
        return True
    if at.in_note and not at.notes[-1].endswith("。") and not re.search(r"\d\.\d", text) \
            and not _RAW_CODE_START.match(text):
        at.notes[-1] += squash(text)        # a note wrapped onto the next line
        return True
    if _is_note(text):
        at.notes.append(squash(text))
        at.in_note, at.current = True, None
        return True
    at.in_note = False
    n = _is_numbering_row(text.split())
    if n is not None:
        at.numbered = at.numbered or n
        at.in_header, at.current = False, None
        return True
    return False


def _raw_sides(kind: Kind, at: _Reading, ln: Line, text: str) -> None:
    """A two-sided table's raw line: a header line, or its revenue and expenditure rows."""
    left_text, right_text = _split_side(text)
    l_label, l_amounts = _raw_tokens(left_text)
    r_label, r_amounts = _raw_tokens(right_text)
    if at.in_header and not (l_amounts or r_amounts or right_text or _known_row_start(kind, l_label)):
        at.header.append(squash(text))
        return
    at.in_header = False
    if l_label or l_amounts:
        at.rows.append(PrintedRow(ln.number, None, [squash(l_label)], loose=_dec(l_amounts),
                                  loose_text=l_amounts, side="revenue"))
    if r_label or r_amounts:
        m = re.match(r"^([23]\d{2})\s*(.*)$", r_label)
        at.rows.append(PrintedRow(ln.number, m.group(1) if m else None,
                                  [squash(m.group(2) if m else r_label)], loose=_dec(r_amounts),
                                  loose_text=r_amounts, side="expenditure"))


def _raw_row(kind: Kind, at: _Reading, ln: Line, text: str) -> None:
    """A one-sided table's raw line: a header line, a row's first line, or more of the current
    row (its label carried on, its amounts)."""
    m = _RAW_CODE_START.match(text)
    label_text, amounts = _raw_tokens(text[m.end():] if m else text)
    starts_row = m is not None or _known_row_start(kind, label_text) or \
        (at.current is not None and at.current.has_amounts and label_text) or at.current is None
    if at.in_header and not (m or amounts):
        at.header.append(squash(text))      # raw text: a lone 合计 here is a header cell
        return
    at.in_header = False
    if starts_row and (m or label_text):
        code = "".join(g for g in m.groups() if g) if m else None
        at.current = PrintedRow(ln.number, code, [], page_start=at.page_start)
        at.page_start = False
        at.rows.append(at.current)
    elif at.current is None:
        at.current = PrintedRow(ln.number, None, [], page_start=at.page_start)
        at.rows.append(at.current)
    current = at.current
    if label_text:
        # A line break inside a label is a cell boundary only on the code line.
        if (kind.rows == "projects" and current.code and len(current.label_parts) == 1 and
                current.line != ln.number and not current.loose):
            current.cell_break = 1
        current.label_parts.append(label_text)
    if amounts:
        current.loose.extend(_dec(amounts))
        current.loose_text.extend(amounts)
