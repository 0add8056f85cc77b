"""Turn table segments into Table records, using each table's arithmetic and the other tables."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetkg.extract.codes import code_names
from budgetkg.extract.identity import clean_name, expand_short_name
from budgetkg.extract.findings import Finding
from budgetkg.extract.records import Row, Table
from budgetkg.extract.segment import TableSegment
from budgetkg.extract.template import Family, TableLayout, identities_for
from budgetkg.extract.tables.placement import RowProblem, enumerate_row, propagate, settle
from budgetkg.extract.tables.rows import PrintedRow, TableBody, read_body
from budgetkg.extract.tables.evidence import allowed_and_evidence
from budgetkg.extract.tables.scrambled import rebuild
from budgetkg.extract.tables.skeleton import _merge_split_unit_rows, _skeleton_rows
from budgetkg.extract.tables.spec import detect_columns, item_key

log = logging.getLogger(__name__)


@dataclass
class Context:
    year: int
    department: str
    document_text: str
    family: Family
    tables: dict[str, Table] = field(default_factory=dict)
    issues: list[Finding] = field(default_factory=list)

    def known_names(self, code: str) -> set[str]:
        names = {code_names("function", self.year).get(code, "")}
        for table in self.tables.values():
            if table.kind in ("revenue", "expenditure", "general-budget"):
                for row in table.rows:
                    if row.code == code and row.label:
                        names.add(row.label)
        return {n for n in names if n}


def _looks_scrambled(seg: TableSegment) -> bool:
    """Vertical runs: several consecutive lines holding one bare number or code each."""
    run = longest = 0
    for ln in seg.lines:
        s = ln.text.strip()
        if not s:
            continue
        if "\t" not in s and re.fullmatch(r"-?[\d,]+\.\d+|\d{2,3}", s):
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return longest >= 4


def _unparsed(seg: TableSegment, reason: str, ctx: Context) -> Table:
    first = seg.lines[0].number if seg.lines else None
    ctx.issues.append(Finding("warning", "table-kept-as-text", f"{seg.label} kept as raw text, marked unparsed: {reason}", first, seg.label))
    raw = "\n".join(ln.text for ln in seg.lines if ln.text.strip())
    return Table(seg.kind, seg.title, "unparsed", first, raw_text=raw, number=seg.number, unit=seg.unit or "万元")


class _Unreadable(Exception):
    """Raised while reading a table that is to be kept as raw text, marked unparsed: why."""


def parse_table(seg: TableSegment, ctx: Context) -> Table:
    layout = ctx.family.layout(seg.kind)
    kind = layout.kind
    try:
        body = _read_rows(seg, layout, ctx)
        keys = _amount_columns(layout, body)
    except _Unreadable as exc:
        return _unparsed(seg, str(exc), ctx)

    rows = _skeleton_rows(seg, layout, body, ctx)
    if kind.rows == "projects":
        _merge_split_unit_rows(rows, body)
    note = "".join(body.notes) or None
    line = seg.lines[0].number if seg.lines else None
    unit = seg.unit or ctx.family.unit
    if not rows:
        return _without_rows(seg, body, note, line, unit, ctx)

    factor = UNIT_FACTORS.get(unit, Decimal(1))
    _place(layout, keys, rows, body, ctx, factor)
    records = [r for r, _ in rows]
    has_amounts = any(r.cells for r in records)
    status = "empty" if (note and not has_amounts) else "present"
    table = Table(seg.kind, seg.title, status, line, records, note, number=seg.number, unit=unit,
                  columns=list(layout.revenue_columns if kind.rows == "two-sided" else ()) + list(keys))
    if factor != 1:
        _convert(table, factor)
    _warn_unread_amounts(seg, rows, ctx)
    return table


def _read_rows(seg: TableSegment, layout: TableLayout, ctx: Context) -> TableBody:
    """The table's printed rows, read from its lines, or rebuilt when its columns are printed as
    vertical runs; raise :class:`_Unreadable` when neither can be done."""
    kind = layout.kind
    if _looks_scrambled(seg):
        rebuilt = None
        if kind.rebuildable:
            names = {c: n for c, n in code_names(kind.code or "function", ctx.year).items() if len(c) == 3}
            rebuilt = rebuild(kind, seg.lines, list(layout.columns), names, kind.code is not None)
        if rebuilt is None:
            raise _Unreadable("its columns are printed as separate vertical runs of numbers and codes, "
                              "and the arithmetic does not single out one way to put them back")
        ctx.issues.append(Finding("warning", "columns-rebuilt-from-runs", f"{seg.label}: columns printed as vertical runs; rebuilt the "
                                f"only row alignment the arithmetic allows", seg.lines[0].number, seg.label))
        return TableBody(rebuilt, "", [], None)
    body = read_body(layout, seg.lines, ctx.year, seg.final or ctx.family.phase == "final")
    if body.unnamed:
        raise _Unreadable("its header does not name its amount columns in the words of "
                          "ontology/templates/kinds.toml, so which figure is in which column cannot be told")
    return body


def _amount_columns(layout: TableLayout, body: TableBody) -> list[str]:
    """The keys of the table's amount columns, in printed order: as its header names them, else
    the layout's; raise :class:`_Unreadable` when the header numbers another count of them."""
    keys = list(layout.columns)
    if body.keys is not None:
        keys = body.keys
    elif layout.optional_columns:
        keys = detect_columns(layout, body.header_text)
        if body.numbered_columns and body.numbered_columns != len(keys):
            raise _Unreadable(f"the header names {len(keys)} amount columns but numbers "
                              f"{body.numbered_columns}")
    elif body.numbered_columns and body.numbered_columns != len(keys) and layout.kind.rows != "two-sided":
        raise _Unreadable(f"expected {len(keys)} amount columns, the header numbers "
                          f"{body.numbered_columns}")
    return keys


def _without_rows(seg: TableSegment, body: TableBody, note: str | None, line: int | None, unit: str,
                  ctx: Context) -> Table:
    """A table with no row: empty (its note says so), present (a header alone), or unparsed."""
    if note:
        return Table(seg.kind, seg.title, "empty", line, note=note, number=seg.number, unit=unit)
    if body.header_text:
        return Table(seg.kind, seg.title, "present", line, number=seg.number, unit=unit)
    return _unparsed(seg, "no header and no rows could be read", ctx)


def _warn_unread_amounts(seg: TableSegment, rows: list[tuple[Row, PrintedRow]], ctx: Context) -> None:
    """Warn of the rows whose numbers' columns cannot be told (one warning for all), and of each
    unreadable amount."""
    unplaced = [(record, printed) for record, printed in rows if record.unplaced and not printed.bad_cells]
    if unplaced:
        first = unplaced[0][0]
        ctx.issues.append(Finding("warning", "amounts-not-placed", f"{seg.label}: in {len(unplaced)} row(s) the columns of some numbers cannot be told "
            f"from the table's arithmetic or the other tables (first: row {first.index} "
            f"{first.label or first.code} holds {first.unplaced}); they are kept as text on their rows",
            unplaced[0][1].line, seg.label))
    for record, printed in rows:
        if printed.bad_cells:
            ctx.issues.append(Finding("warning", "amount-unreadable", f"{seg.label} row {record.index}: unreadable amount "
                                    f"{' '.join(printed.bad_cells)!r}; kept as text on the row",
                                    printed.line, seg.label))


# Amounts are stored in 万元; a table printed in another unit is converted exactly.
UNIT_FACTORS = {"万元": Decimal(1), "千元": Decimal("0.1"), "元": Decimal("0.0001")}


def _convert(table: Table, factor: Decimal) -> None:
    """Put the table's amounts in 万元, exactly (12,029,501.84 元 is 1202.950184 万元; zeros the
    conversion adds beyond two decimals are dropped), keeping each printed figure and its unit."""
    for row in table.rows:
        for key, value in row.cells.items():
            table.printed[(row.index, key)] = str(value)
            converted = value * factor
            while converted.as_tuple().exponent < -2 and converted == converted.quantize(
                    Decimal(1).scaleb(converted.as_tuple().exponent + 1)):
                converted = converted.quantize(Decimal(1).scaleb(converted.as_tuple().exponent + 1))
            row.cells[key] = converted


def _groups(layout: TableLayout, rows: list[Row]) -> list[tuple[int, list[int]]]:
    """Parent/child row groups whose amounts must add up, column by column."""
    kind = layout.kind
    groups: dict[int, list[int]] = {}
    total = next((i for i, r in enumerate(rows) if r.level == "total" and r.side != "revenue"), None)
    if kind.items:
        keyed = {item_key(kind, r.label or ""): i for i, r in enumerate(rows)}
        for parent, parts in kind.item_sums:
            if parent in keyed:
                groups[keyed[parent]] = [keyed[k] for k in parts if k in keyed]
        return [(p, c) for p, c in groups.items() if c]
    last: dict[int, int] = {}
    unit_row: int | None = None
    for i, r in enumerate(rows):
        if r.side == "revenue":
            continue
        if r.level == "unit" and kind.rows == "projects":
            unit_row = i
            if total is not None:
                groups.setdefault(total, []).append(i)
            last = {}
            continue
        if not r.code:
            continue
        parent = None
        if len(r.code) == 3:
            parent = unit_row if unit_row is not None else total
        elif len(r.code) in (5, 7):
            parent = last.get(len(r.code) - 2)
            if parent is not None and not r.code.startswith(rows[parent].code or "-"):
                parent = None
        if parent is not None:
            groups.setdefault(parent, []).append(i)
        last[len(r.code)] = i
        for longer in (5, 7):
            if longer > len(r.code):
                last.pop(longer, None)
    return [(p, c) for p, c in groups.items() if c]


def _place(layout: TableLayout, keys: list[str], rows: list[tuple[Row, PrintedRow]], body: TableBody,
           ctx: Context, factor: Decimal = Decimal(1)):
    kind = layout.kind
    records = [r for r, _ in rows]
    for row, printed in rows:                 # one-column revenue side first: other columns depend on it
        if printed.side == "revenue":
            row_keys = list(layout.revenue_columns)
            problem = _problem(printed, row_keys)
            enumerate_row(problem, row_keys, (), set(row_keys))
            row.cells, _ = settle(problem)
            row.boxes = _boxes(printed, row_keys, row.cells)
    allowed, evidence = allowed_and_evidence(kind.id, keys, records, ctx.tables)
    if factor != 1:                       # the other tables are in 万元 already; this one is not yet
        evidence = {i: {k: (v / factor if v is not None else None) for k, v in cells.items()}
                    for i, cells in evidence.items()}
    identities = identities_for(kind, keys)
    problems: list[RowProblem] = []
    for i, (row, printed) in enumerate(rows):
        if printed.side == "revenue":
            problems.append(RowProblem(fixed=row.cells))
            continue
        problem = _problem(printed, keys)
        problem.evidence = evidence.get(i, {})
        enumerate_row(problem, keys, identities, allowed)
        problems.append(problem)
    propagate(problems, _groups(layout, records), keys)
    for (row, printed), problem in zip(rows, problems):
        cells, unplaced = settle(problem)
        row.cells = cells
        if printed.side != "revenue":            # the revenue side's are its own columns' (above)
            row.boxes = _boxes(printed, keys, cells)
        if unplaced:
            row.unplaced = " ".join(printed.loose_text[j] for j in unplaced)
        if printed.bad_cells:
            row.unplaced = " ".join(filter(None, [row.unplaced, *printed.bad_cells]))


def _boxes(printed: PrintedRow, keys: list[str], cells: dict) -> dict[str, tuple]:
    """The box of each amount's cell, where the row was read from cells that have boxes (a PDF's
    ruled row): the cell that a positional amount came from, under the key it was placed at."""
    return {k: box for k, box, value in zip(keys, printed.positional_boxes, printed.positional or ())
            if box is not None and value is not None and k in cells}


def _problem(printed: PrintedRow, keys: list[str]) -> RowProblem:
    if printed.positional is not None:
        values = printed.positional
        texts = printed.positional_text or [str(v) if v is not None else "" for v in values]
        extra = [t for v, t in zip(values[len(keys):], texts[len(keys):]) if v is not None]
        if extra:
            printed.bad_cells.extend(extra)          # numbers beyond the table's columns, as printed
        return RowProblem(fixed={k: v for k, v in zip(keys, values) if v is not None})
    return RowProblem(numbers=list(printed.loose))


# Kinds whose figures others use as evidence for placing raw-text numbers come first.
_EVIDENCE_ORDER = ("summary", "fiscal-summary", "general-budget-projects", "general-budget-basic", "general-budget",
                   "expenditure", "revenue")


def parse_tables(segments: dict[str, TableSegment], ctx: Context, read=None) -> dict[str, Table]:
    """Parse every table (with *read*, by default :func:`parse_table`), each after the ones it
    takes evidence from; a table the template lists but the document does not print is recorded
    as absent. The result is in printed order, then the absent tables in the template's order."""
    read = read or parse_table
    order = sorted(segments, key=lambda k: (_EVIDENCE_ORDER.index(k) if k in _EVIDENCE_ORDER else len(_EVIDENCE_ORDER),
                                            segments[k].start))
    for kind in order:
        ctx.tables[kind] = read(segments[kind], ctx)
        log.debug("%s: %s, %d rows", kind, ctx.tables[kind].status, len(ctx.tables[kind].rows))
    printed = {k: ctx.tables[k] for k in sorted(segments, key=lambda k: segments[k].start)}
    if ctx.family.required:
        for layout in ctx.family.tables:
            if layout.kind.id not in printed:
                printed[layout.kind.id] = Table(layout.kind.id, layout.title, "absent", number=layout.number,
                                                unit=ctx.family.unit)
                ctx.issues.append(Finding("warning", "table-absent", f"{layout.label} is absent from the document", None,
                                        layout.label))
    ctx.tables = printed
    return printed


def match_unit(label: str, units, document_text: str) -> str:
    """The listed unit a table-7 unit row names, else the row's own (expanded) name."""
    name = expand_short_name(clean_name(label), document_text)
    for unit in units:
        if name == unit.name or name.endswith(unit.name) or unit.name.endswith(name):
            return unit.name
    return name
