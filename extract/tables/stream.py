"""Read the tables of a stream dump: the plain text a PDF-to-text tool prints, box by box.

pdfminer's ``extract_text`` and poppler's ``pdftotext`` (without -layout) print a ruled table
as text boxes, not rows: a 类 code on a line of its own or before its 款 and 项, names as blocks,
amounts one per line, per column (pdfminer: each column's cells top to bottom, the columns in
an order of its own) or per row (pdftotext: a row's cells left to right), the empty cells left
out, the header cells scattered, a form feed at the end of each page. This module recognises
such a text (:func:`as_stream`), cuts each coded table's region into tokens (codes, names,
amounts), rebuilds the rows from the codes (:mod:`stream_rows`) and hands the amounts to
:mod:`stream_solve`, which places a figure only where every reading the arithmetic allows
agrees. Everything else is kept as text and reported, as for any table that cannot be read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from budgetkg.extract.codes import code_names
from budgetkg.extract.findings import Finding
from budgetkg.extract.normalize import Source, squash
from budgetkg.extract.records import Row, Table
from budgetkg.extract.segment import TableSegment
from budgetkg.extract.tables.spec import detect_columns
from budgetkg.extract.tables.stream_rows import Token, header_text, skeleton, tokens
from budgetkg.extract.tables.stream_solve import solve

log = logging.getLogger(__name__)

_AMOUNT_LINE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")


@dataclass
class StreamSource(Source):
    """A text rendering recognised as a stream dump; its pages start at ``page_starts``."""

    def page_of(self, number: int) -> int:
        page = 0
        for k, start in enumerate(self.page_starts):
            if start <= number:
                page = k
            else:
                break
        return page


def as_stream(source: Source) -> Source:
    """*source* as a :class:`StreamSource` when its text is a stream dump: a rendering without tab
    stops whose pages end in form feeds and whose figures stand one to a line (the vertical runs
    of a table printed box by box); else *source* unchanged."""
    if source.rendering not in ("raw", "markdown") or len(source.page_starts) - 1 < 3:
        return source
    texts = [squash(ln.text) for ln in source.lines if squash(ln.text)]
    lone = sum(1 for s in texts if _AMOUNT_LINE.match(s))
    if lone < 20 or lone * 20 < len(texts):
        return source
    return StreamSource(source.path, source.sha256, source.lines, "stream", source.notes, source.page_starts)


READ_KINDS = ("revenue", "expenditure", "general-budget", "general-budget-basic", "government-fund",
              "state-capital", "fiscal-expenditure", "fiscal-basic", "basic")


def read_coded_table(seg: TableSegment, ctx, source: StreamSource) -> Table | None:
    """A coded table (rows by function or economic code) read from its region of the dump, or None
    when it is not one this reader reads (the caller then reads it as any raw text)."""
    from budgetkg.extract.tables.build import UNIT_FACTORS, _convert, _groups
    from budgetkg.extract.tables.evidence import allowed_and_evidence
    from budgetkg.extract.template import identities_for

    layout = ctx.family.layout(seg.kind)
    kind = layout.kind
    if kind.id not in READ_KINDS or kind.rows != "coded" or not kind.code or not layout.header_text:
        return None           # without the family's header the printed order of the columns is not known
    keys = list(layout.columns)
    toks = tokens(seg.lines, source.page_of)
    first = seg.lines[0].number if seg.lines else None
    unit = seg.unit or ctx.family.unit
    note = _note(seg)
    numbers = [t for t in toks if t.kind in ("num", "wild")]
    if not numbers and note:
        return Table(seg.kind, seg.title, "empty", first, [], note, number=seg.number, unit=unit, columns=keys)
    region_text = "".join(squash(ln.text) for ln in seg.lines)
    names = code_names(kind.code, ctx.year)
    rows = skeleton(toks, kind.code, names, region_text)
    if rows is None:
        return _unread(seg, ctx, "its codes cannot be put back into rows")
    if layout.optional_columns:
        keys = detect_columns(layout, header_text(toks, names))
    records = [Row(index=i + 1, line=r.line, label=r.label, code=r.code, level=r.level)
               for i, r in enumerate(rows)]
    factor = UNIT_FACTORS.get(unit, Decimal(1))
    allowed, evidence = allowed_and_evidence(kind.id, keys, records, ctx.tables)
    if factor != 1:
        evidence = {i: {k: (v / factor if v is not None else None) for k, v in cells.items()}
                    for i, cells in evidence.items()}
    coded = [i for i, r in enumerate(rows) if r.code is not None]
    variants = [coded]
    if rows[-1].code is None:                 # a total label is printed: the total row first or last
        variants += [[len(rows) - 1] + coded, coded + [len(rows) - 1]]
    outcome = solve(rows, numbers, keys, identities_for(kind, keys), _groups(layout, records), allowed, evidence,
                    variants)
    for record, cells in zip(records, outcome.cells):
        record.cells = dict(cells)
    for i, texts in outcome.unplaced_by_row.items():
        records[i].unplaced = " ".join(texts)
    table = Table(seg.kind, seg.title, "present", first, records, note, number=seg.number, unit=unit,
                  columns=keys)
    if factor != 1:
        _convert(table, factor)
    placed = sum(len(c) for c in outcome.cells)
    if outcome.loose:
        ctx.issues.append(Finding(
            "warning", "amounts-not-placed",
            f"{seg.label}: printed as a stream of text boxes; {len(outcome.loose)} of {len(numbers)} figures "
            f"could not be put in one row and column by the arithmetic ({outcome.reason}) and are kept as "
            f"text: {' '.join(outcome.loose[:12])}{' …' if len(outcome.loose) > 12 else ''}",
            first, seg.label))
        table.raw_text = "\n".join(ln.text for ln in seg.lines if ln.text.strip())
    log.debug("%s: %d rows, %d of %d figures placed", seg.label, len(records), placed, len(numbers))
    return table


def _note(seg: TableSegment) -> str | None:
    from budgetkg.extract.tables.cells import _is_note
    notes = [squash(ln.text) for ln in seg.lines if _is_note(ln.text)]
    return "".join(notes) or None


def _unread(seg: TableSegment, ctx, reason: str) -> Table:
    first = seg.lines[0].number if seg.lines else None
    ctx.issues.append(Finding("warning", "table-kept-as-text",
                              f"{seg.label} kept as raw text, marked unparsed: printed as a stream of text boxes, "
                              f"and {reason}", first, seg.label))
    raw = "\n".join(ln.text for ln in seg.lines if ln.text.strip())
    return Table(seg.kind, seg.title, "unparsed", first, raw_text=raw, number=seg.number,
                 unit=seg.unit or ctx.family.unit)


def parse_stream_tables(segments: dict[str, TableSegment], ctx, source: StreamSource) -> dict[str, Table]:
    """Every table of a stream dump, in the order and with the absent tables of
    build.parse_tables: the coded tables by this reader, the others as any raw text is read."""
    from budgetkg.extract.tables.build import parse_table, parse_tables

    def read(segment: TableSegment, ctx) -> Table:
        table = read_coded_table(segment, ctx, source)
        return table if table is not None else parse_table(segment, ctx)
    return parse_tables(segments, ctx, read)


__all__ = ["StreamSource", "Token", "as_stream", "parse_stream_tables", "read_coded_table"]
