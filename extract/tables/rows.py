"""Assemble printed rows from a table's lines, for tab-separated and raw-text renderings.

The result is a list of ``PrintedRow``: the label parts, the code, and the
amounts, either positional (tab-separated: each number's column is known) or
loose (raw text: the numbers are known, their columns are not yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from budgetkg.extract.normalize import Line, squash
from budgetkg.extract.template import Kind, TableLayout, column_key, default_layout
from budgetkg.extract.tables.spec import TOTAL_LABEL

AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
RAW_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")
_RAW_CODE_START = re.compile(r"^([23]\d{2})(?:\s+(\d{2}))?(?:\s+(\d{2}))?(?=\s|$)")
_EMPTY_MARKS = {"", "-", "—", "－", "/", "——"}
_HEADER_LABEL = re.compile(r"^(类款项?|类|科目(编码)?|项目(名称)?|[\u4e00-\u9fff]*分类科目[\u4e00-\u9fff]*|"
                           r"[\u4e00-\u9fff“”\"]*支出内容|收入|支出|收入支出|财政拨款收入财政拨款支出)$")
_PAGE_HEAD = re.compile(r"编制(部门|单位)|单位[：:]\s*(?:万元|千元|元)|(?:部门|单位)名称[：:]|资金主管部门[：:]")
_NOTE = re.compile(r"^[（(]?(备注|注|说明)[：:]|为空表|空表[。.]?$|没有(使用|安排)|无.{0,20}(支出|收入|安排|经费)[，,。]|此表无数据|无该项支出")


def parse_amount(text: str) -> Decimal | None:
    s = squash(text).replace("，", ",")
    if s in _EMPTY_MARKS:
        return None
    if not AMOUNT.match(s):
        raise ValueError(s)
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        raise ValueError(s) from None


@dataclass
class PrintedRow:
    line: int
    code: str | None = None
    label_parts: list[str] = field(default_factory=list)
    positional: list[Decimal | None] | None = None    # tab-separated: one slot per column
    positional_text: list[str] = field(default_factory=list)   # the same cells as printed
    loose: list[Decimal] = field(default_factory=list)  # raw text: numbers in printed order
    loose_text: list[str] = field(default_factory=list)
    side: str | None = None
    bad_cells: list[str] = field(default_factory=list)
    page_start: bool = False     # first row after a repeated page header
    unit_code: str | None = None  # a budget unit's own code (105236 西南大学): the row is a unit's subtotal

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


def _is_numbering_row(cells: list[str]) -> int | None:
    cells = [squash(c) for c in cells if squash(c)]
    if cells and cells[0] in ("※", "栏次", "**", "*") and all(c in ("※", "**", "*", "栏次") or c.isdigit() for c in cells[1:]) \
            and any(c.isdigit() for c in cells):
        return max(int(c) for c in cells if c.isdigit())
    if cells and all(c.isdigit() for c in cells) and cells == [str(i) for i in range(1, len(cells) + 1)] \
            and len(cells) >= 3:
        return len(cells)
    return None


def _code_from_cells(cells: list[str], last_class: str | None = None) -> str | None:
    """The code printed in a row's code cells: one cell (2010301), or 类/款/项 cells, where a 款 or 项
    may be printed without its leading zero (301 | 2 for 30102) and a 款 row may leave 类 blank."""
    parts = [squash(c) for c in cells]
    if parts and not parts[0] and last_class and len(parts) > 1 and re.fullmatch(r"\d{1,2}", parts[1]):
        parts[0] = last_class
    if parts and re.fullmatch(r"\d{3}", parts[0]):
        code = parts[0]
        for p in parts[1:]:
            if re.fullmatch(r"\d{2}", p):
                code += p
            elif re.fullmatch(r"\d", p):
                code += "0" + p
            else:
                break
        return code
    if parts and re.fullmatch(r"\d{5}|\d{7}", parts[0]):
        return parts[0]
    return None


def _split_side(text: str) -> tuple[str, str]:
    """Split a raw table-1/4 line into its revenue and expenditure halves."""
    m = re.search(r"(?:(?<=\s)|^)([23]\d{2}\s*[\u4e00-\u9fff])|(支\s*出\s*总\s*计)", text)
    if not m:
        return text, ""
    return text[:m.start()], text[m.start():]


def _raw_tokens(text: str) -> tuple[str, list[str]]:
    """Split trailing amounts off a raw line: (label text, amounts)."""
    tokens = text.split()
    amounts: list[str] = []
    while tokens and RAW_AMOUNT.match(tokens[-1]):
        amounts.insert(0, tokens.pop())
    return " ".join(tokens), amounts


def _known_row_start(kind: Kind, text: str) -> bool:
    s = squash(text)
    if TOTAL_LABEL.match(s):
        return True
    if kind.items:
        return kind.item(s) is not None
    return False


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


def _is_note(text: str) -> bool:
    s = squash(text)
    return bool(_NOTE.search(s)) and len(s) > 8 and "\t" not in text.strip()


def _longer(keys: list[str] | None, other: list[str] | None) -> list[str] | None:
    """Of two header lines' keys, the line naming more columns (a group heading names fewer)."""
    return other if other is not None and (keys is None or len(other) > len(keys)) else keys


def _read_tsv(layout: TableLayout, lines: list[Line], named: tuple[int | None, bool] | None = None) -> TableBody:
    kind = layout.kind
    rows: list[PrintedRow] = []
    header: list[str] = []
    notes: list[str] = []
    numbered: int | None = None
    keys: list[str] | None = None
    in_header = True
    page_start = False
    in_note = False
    last_class: str | None = None
    for ln in lines:
        text = ln.text
        if not text.strip():
            continue
        if ln.keys is not None:           # the PDF reader's header: the columns are known by their keys
            keys = keys if keys is not None else list(ln.keys)
            header.append(squash(text))
            in_header = True
            continue
        if _PAGE_HEAD.search(text) and "\t" not in text.strip():
            in_header, page_start = True, True
            continue
        if in_note and not notes[-1].endswith("。") and "\t" not in text.strip() \
                and not re.search(r"\d\.\d", text):
            notes[-1] += squash(text)        # a note wrapped onto the next line
            continue
        if _is_note(text):
            notes.append(squash(text))
            in_note = True
            continue
        in_note = False
        if keys is not None and "\t" not in text.strip() and _ROW_TEXT.match(text.strip()):
            rows.append(_row_text(ln, text.strip(), page_start))   # a row printed outside the ruling
            page_start = in_header = False
            continue
        cells = text.split("\t")
        n = _is_numbering_row(cells)
        if n is not None:
            numbered = numbered or n
            in_header = False
            continue
        nlab = layout.labels
        label_cells = cells[:nlab]
        amount_cells = cells[nlab:]
        if kind.rows == "two-sided":
            row_l, row_r = _tsv_two_sided(layout, keys, ln, cells)
            if in_header and not (row_l.has_amounts or row_r.has_amounts or row_r.code
                                  or _known_row_start(kind, row_l.label)):
                header.append(squash(text))
                if named is not None:
                    keys = _longer(keys, header_keys(layout, cells, *named))
                continue
            in_header = False
            for r in (row_l, row_r):
                if r.label or r.has_amounts:
                    rows.append(r)
            continue
        unit_code = None
        if layout.code_parts and re.fullmatch(r"\d{6}", squash(label_cells[0]) if label_cells else ""):
            unit_code = squash(label_cells[0])
        code = None if unit_code else _code_from_cells(label_cells[:layout.code_parts or 1], last_class)
        if code and len(code) == 3:
            last_class = code
        values: list[Decimal | None] = []
        bad: list[str] = []
        for c in amount_cells:
            try:
                values.append(parse_amount(c))
            except ValueError:
                values.append(None)
                bad.append(" ".join(c.split()))      # kept as printed, layout spaces normalized
        label_parts = [squash(c) for c in label_cells if squash(c) and not re.fullmatch(r"\d{1,7}|\d{6,}", squash(c))]
        looks_data = code is not None or any(v is not None for v in values) or unit_code is not None or \
            any(_known_row_start(kind, p) for p in label_parts)
        if in_header and not looks_data:
            header.append(squash(text))
            if named is not None:
                keys = _longer(keys, header_keys(layout, cells, *named))
            continue
        no_amounts = not any(v is not None for v in values) and code is None
        if no_amounts and (bad or _HEADER_LABEL.match("".join(label_parts) or "类款项")):
            header.append(squash(text))      # a header repeated after a page break
            in_header = True
            continue
        in_header = False
        row = PrintedRow(ln.number, code, label_parts, positional=values, bad_cells=bad, page_start=page_start,
                         positional_text=[" ".join(c.split()) for c in amount_cells], unit_code=unit_code)
        page_start = False
        # A projects table prints the function name and the project name in separate cells.
        if kind.rows == "projects" and len(label_cells) >= layout.code_parts + 2:
            name_at = layout.code_parts
            row.label_parts = [squash(c) for c in label_cells[name_at:name_at + 1] if squash(c)]
            project = squash(label_cells[name_at + 1])
            if project:
                row.label_parts.append("\x1f" + project)
        rows.append(row)
    unnamed = named is not None and keys is None and kind.rows != "two-sided" and \
        any(v is not None for r in rows for v in (r.positional or ()))
    return TableBody(rows, "".join(header), notes, numbered, keys, unnamed)


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
    kind = layout.kind
    rows: list[PrintedRow] = []
    header: list[str] = []
    notes: list[str] = []
    numbered: int | None = None
    in_header = True
    page_start = False
    in_note = False
    current: PrintedRow | None = None
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        if _PAGE_HEAD.search(text):
            in_header, page_start, current = True, True, None
            continue
        if re.fullmatch(r"\d{1,3}", text):      # a page number
            continue
        if in_note and not notes[-1].endswith("。") and not re.search(r"\d\.\d", text) \
                and not _RAW_CODE_START.match(text):
            notes[-1] += squash(text)        # a note wrapped onto the next line
            continue
        if _is_note(text):
            notes.append(squash(text))
            in_note, current = True, None
            continue
        in_note = False
        n = _is_numbering_row(text.split())
        if n is not None:
            numbered = numbered or n
            in_header, current = False, None
            continue
        if kind.rows == "two-sided":
            left_text, right_text = _split_side(text)
            l_label, l_amounts = _raw_tokens(left_text)
            r_label, r_amounts = _raw_tokens(right_text)
            if in_header and not (l_amounts or r_amounts or right_text or _known_row_start(kind, l_label)):
                header.append(squash(text))
                continue
            in_header = False
            if l_label or l_amounts:
                rows.append(PrintedRow(ln.number, None, [squash(l_label)], loose=_dec(l_amounts),
                                       loose_text=l_amounts, side="revenue"))
            if r_label or r_amounts:
                m = re.match(r"^([23]\d{2})\s*(.*)$", r_label)
                rows.append(PrintedRow(ln.number, m.group(1) if m else None,
                                       [squash(m.group(2) if m else r_label)], loose=_dec(r_amounts),
                                       loose_text=r_amounts, side="expenditure"))
            continue
        m = _RAW_CODE_START.match(text)
        label_text, amounts = _raw_tokens(text[m.end():] if m else text)
        starts_row = m is not None or _known_row_start(kind, label_text) or \
            (current is not None and current.has_amounts and label_text) or current is None
        if in_header and not (m or amounts):
            header.append(squash(text))      # raw text: a lone 合计 here is a header cell
            continue
        in_header = False
        if starts_row and (m or label_text):
            code = "".join(g for g in m.groups() if g) if m else None
            current = PrintedRow(ln.number, code, [], page_start=page_start)
            page_start = False
            rows.append(current)
        elif current is None:
            current = PrintedRow(ln.number, None, [], page_start=page_start)
            rows.append(current)
        if label_text:
            # A line break inside a label is a cell boundary only on the code line.
            sep = "\x1f" if (kind.rows == "projects" and current.code and current.label_parts and
                             len(current.label_parts) == 1 and current.line != ln.number and
                             not current.loose) else ""
            current.label_parts.append(sep + label_text if sep else label_text)
        if amounts:
            current.loose.extend(_dec(amounts))
            current.loose_text.extend(amounts)
    return TableBody(rows, "".join(header), notes, numbered)


def _dec(tokens: list[str]) -> list[Decimal]:
    return [Decimal(t.replace(",", "")) for t in tokens]
