"""Turn table segments into Table records, using each table's arithmetic and the other tables."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ..codes import code_names
from ..identity import clean_name, expand_short_name
from ..normalize import squash
from ..records import Issue, Row, Table
from ..segment import TABLE_TITLES, TableSegment
from .placement import RowProblem, enumerate_row, propagate, settle
from .rows import PrintedRow, TableBody, read_body
from .evidence import allowed_and_evidence
from .scrambled import rebuild
from .spec import SPECS, TOTAL_LABEL, detect_table2_columns, three_public_row_key

log = logging.getLogger(__name__)

# Tables whose vertical column runs can be rebuilt: one code or label column, total = Σ parts.
_REBUILDABLE = {3, 5, 6, 8, 9, 10}


def strip_numbering(label: str) -> str:
    label = re.sub(r"^[一二三四五六七八九十]+[、.．]", "", label)
    label = re.sub(r"^\d+[、.．]", "", label)
    return re.sub(r"^其中[：:]", "", label)


@dataclass
class Context:
    year: int
    department: str
    document_text: str
    tables: dict[int, Table] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def known_names(self, code: str) -> set[str]:
        names = {code_names("function", self.year).get(code, "")}
        for n in (2, 3, 5):
            for row in self.tables.get(n, Table(n, "", "absent")).rows:
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
    ctx.issues.append(Issue("warning", f"表{seg.number} {seg.title} kept as raw text, marked unparsed: {reason}",
                            first, seg.number))
    raw = "\n".join(ln.text for ln in seg.lines if ln.text.strip())
    return Table(seg.number, seg.title, "unparsed", first, raw_text=raw)


def parse_table(seg: TableSegment, ctx: Context) -> Table:
    spec = SPECS[seg.number]
    if _looks_scrambled(seg):
        rebuilt = None
        if seg.number in _REBUILDABLE:
            names = {c: n for c, n in code_names(spec.code_kind or "function", ctx.year).items() if len(c) == 3}
            rebuilt = rebuild(seg.number, seg.lines, spec.keys(), names, spec.code_kind is not None)
        if rebuilt is None:
            return _unparsed(seg, "its columns are printed as separate vertical runs of numbers and codes, "
                                  "and the arithmetic does not single out one way to put them back", ctx)
        ctx.issues.append(Issue("warning", f"表{seg.number}: columns printed as vertical runs; rebuilt the "
                                f"only row alignment the arithmetic allows", seg.lines[0].number, seg.number))
        body = TableBody(rebuilt, "", [], None, "scrambled")
    else:
        body = read_body(seg.number, seg.lines)
    keys = spec.keys()
    if spec.optional_columns:
        keys = detect_table2_columns(body.header_text)
        if body.numbered_columns and body.numbered_columns != len(keys):
            return _unparsed(seg, f"the header names {len(keys)} amount columns but numbers "
                                  f"{body.numbered_columns}", ctx)
    elif body.numbered_columns and body.numbered_columns != len(keys) and seg.number not in (1, 4):
        return _unparsed(seg, f"expected {len(keys)} amount columns, the header numbers "
                              f"{body.numbered_columns}", ctx)

    rows = _skeleton_rows(seg, body, ctx)
    if seg.number == 7:
        _merge_split_unit_rows(rows, body)
    note = "".join(body.notes) or None
    line = seg.lines[0].number if seg.lines else None
    if not rows:
        if note:
            return Table(seg.number, seg.title, "empty", line, note=note)
        if body.header_text:
            return Table(seg.number, seg.title, "present", line)
        return _unparsed(seg, "no header and no rows could be read", ctx)

    _place(seg.number, keys, rows, body, ctx)
    records = [r for r, _ in rows]
    has_amounts = any(r.cells for r in records)
    status = "empty" if (note and not has_amounts) else "present"
    table = Table(seg.number, seg.title, status, line, records, note)
    unplaced = [(record, printed) for record, printed in rows if record.unplaced and not printed.bad_cells]
    if unplaced:
        first = unplaced[0][0]
        ctx.issues.append(Issue(
            "warning", f"表{seg.number}: in {len(unplaced)} row(s) the columns of some numbers cannot be told "
            f"from the table's arithmetic or the other tables (first: row {first.index} "
            f"{first.label or first.code} holds {first.unplaced}); they are kept as text on their rows",
            unplaced[0][1].line, seg.number))
    for record, printed in rows:
        if printed.bad_cells:
            ctx.issues.append(Issue("warning", f"表{seg.number} row {record.index}: unreadable amount "
                                    f"{' '.join(printed.bad_cells)!r}; kept as text on the row",
                                    printed.line, seg.number))
    return table


def _level(number: int, code: str | None, label: str, side: str | None) -> str:
    if code:
        kind_lengths = {3: "class", 5: "section", 7: "item"}
        return kind_lengths.get(len(code), "detail")
    if TOTAL_LABEL.match(label) or label.endswith("总计"):
        return "total"
    if number == 7:
        return "unit"
    if number == 11 and not label:
        return "group"
    if number == 10:
        return {"total": "total", "vehicle-total": "group"}.get(three_public_row_key(label) or "", "detail")
    if side == "revenue" and re.match(r"^[一二三四五六七八九十]+[、.．]", label):
        return "group"
    return "detail"


def _skeleton_rows(seg: TableSegment, body: TableBody, ctx: Context) -> list[tuple[Row, PrintedRow]]:
    out: list[tuple[Row, PrintedRow]] = []
    unit: str | None = None
    for printed in body.rows:
        parts = printed.label_parts
        label = squash("".join(p.lstrip("\x1f") for p in parts))
        project = None
        code = printed.code
        if seg.number == 7 and code and len(code) == 7:
            name, project = _split_function_project(parts, ctx.known_names(code), printed.positional is not None)
            label = name
        if seg.number == 11 and label and not TOTAL_LABEL.match(label):
            project = label
        level = _level(seg.number, code, label, printed.side)
        if printed.side == "revenue":
            label = strip_numbering(label)
        if printed.side == "revenue" and level == "detail" and re.match(r"^\d+[、.．]", squash("".join(parts))):
            level = "group"
        if seg.number == 7 and level == "unit":
            unit = label
        row = Row(index=len(out) + 1, line=printed.line, label=label or None, code=code, level=level,
                  side=printed.side, project=project, unit=unit if seg.number == 7 and level != "total" else None)
        out.append((row, printed))
    if seg.number == 1:
        _mark_revenue_groups(out)
    return out


def _mark_revenue_groups(rows: list[tuple[Row, PrintedRow]]) -> None:
    """A numbered revenue row (1、…) aggregates the 其中 rows under it, if it has any."""
    revenue = [(r, p) for r, p in rows if r.side == "revenue"]
    for i, (row, printed) in enumerate(revenue):
        raw = squash("".join(printed.label_parts))
        if re.match(r"^\d+[、.．]", raw):
            following = squash("".join(revenue[i + 1][1].label_parts)) if i + 1 < len(revenue) else ""
            row.level = "group" if following.startswith("其中") else "detail"


def _split_function_project(parts: list[str], known: set[str], tabbed: bool) -> tuple[str, str | None]:
    """Split a table-7 label into the function name and the project name.

    A tab-separated row gives the cell boundary (marked by \x1f). Raw text does not:
    there the name the other tables print for the code is the best guide, then the
    line break after the code line, then the first space.
    """
    marker = next((i for i, p in enumerate(parts) if p.startswith("\x1f")), None)

    def joined_from(i: int) -> str:
        return squash("".join(p.lstrip("\x1f") for p in parts[i:]))

    def at_marker() -> tuple[str, str | None]:
        return squash("".join(parts[:marker])), joined_from(marker) or None

    if tabbed and marker is not None:
        return at_marker()
    joined = joined_from(0)
    for name in sorted(known, key=len, reverse=True):
        if _fold(joined).startswith(_fold(name)) and len(joined) > len(name):
            return joined[:len(name)], joined[len(name):]
    if marker is not None:
        return at_marker()
    first = parts[0].strip()
    if " " in first:
        name, rest = first.split(None, 1)
        return squash(name), squash(rest) + joined_from(1) or None
    return squash(first), joined_from(1) or None


def _fold(text: str) -> str:
    """Compare names across tables that print brackets full- or half-width."""
    return text.translate(str.maketrans("（）【】", "()[]"))


def _merge_split_unit_rows(rows: list[tuple[Row, PrintedRow]], body: TableBody) -> None:
    """A unit name broken by a page break continues on the first row of the next page."""
    i = 1
    while i < len(rows):
        row, printed = rows[i]
        prev, _ = rows[i - 1]
        if printed.page_start and row.level == "unit" and not printed.has_amounts and prev.level == "unit":
            prev.label = (prev.label or "") + (row.label or "")
            prev.unit = prev.label
            del rows[i]
            for later, _ in rows[i:]:
                if later.unit == row.label:
                    later.unit = prev.label
            continue
        i += 1
    for n, (row, _) in enumerate(rows, start=1):
        row.index = n


def _groups(number: int, rows: list[Row]) -> list[tuple[int, list[int]]]:
    """Parent/child row groups whose amounts must add up, column by column."""
    groups: dict[int, list[int]] = {}
    total = next((i for i, r in enumerate(rows) if r.level == "total" and r.side != "revenue"), None)
    if number == 10:
        keyed = {three_public_row_key(r.label or ""): i for i, r in enumerate(rows)}
        if "total" in keyed:
            groups[keyed["total"]] = [keyed[k] for k in ("abroad", "reception", "vehicle-total") if k in keyed]
        if "vehicle-total" in keyed:
            groups[keyed["vehicle-total"]] = [keyed[k] for k in ("vehicle-purchase", "vehicle-operation")
                                              if k in keyed]
        return [(p, c) for p, c in groups.items() if c]
    last: dict[int, int] = {}
    unit_row: int | None = None
    for i, r in enumerate(rows):
        if r.side == "revenue":
            continue
        if r.level == "unit":
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


def _place(number: int, keys: list[str], rows: list[tuple[Row, PrintedRow]], body: TableBody, ctx: Context):
    spec = SPECS[number]
    records = [r for r, _ in rows]
    for row, printed in rows:                 # one-column revenue side first: other columns depend on it
        if printed.side == "revenue":
            row_keys = [c.key for c in spec.revenue_columns]
            problem = _problem(printed, row_keys)
            enumerate_row(problem, row_keys, (), set(row_keys))
            row.cells, _ = settle(problem)
    allowed, evidence = allowed_and_evidence(number, keys, records, ctx.tables)
    identities = [(p, tuple(c for c in cs if c in keys)) for p, cs in spec.identities if p in keys]
    problems: list[RowProblem] = []
    for i, (row, printed) in enumerate(rows):
        if printed.side == "revenue":
            problems.append(RowProblem(fixed=row.cells))
            continue
        problem = _problem(printed, keys)
        problem.evidence = evidence.get(i, {})
        enumerate_row(problem, keys, identities, allowed)
        problems.append(problem)
    propagate(problems, _groups(number, records), keys)
    for (row, printed), problem in zip(rows, problems):
        cells, unplaced = settle(problem)
        row.cells = cells
        if unplaced:
            row.unplaced = " ".join(printed.loose_text[j] for j in unplaced)
        if printed.bad_cells:
            row.unplaced = " ".join(filter(None, [row.unplaced, *printed.bad_cells]))


def _problem(printed: PrintedRow, keys: list[str]) -> RowProblem:
    if printed.positional is not None:
        values = printed.positional
        texts = printed.positional_text or [str(v) if v is not None else "" for v in values]
        extra = [t for v, t in zip(values[len(keys):], texts[len(keys):]) if v is not None]
        if extra:
            printed.bad_cells.extend(extra)          # numbers beyond the table's columns, as printed
        return RowProblem(fixed={k: v for k, v in zip(keys, values) if v is not None})
    return RowProblem(numbers=list(printed.loose))


def parse_tables(segments: dict[int, TableSegment], ctx: Context) -> dict[int, Table]:
    """Parse all tables in an order where each can use the ones it depends on."""
    for number in (1, 4, 7, 6, 5, 3, 2, 8, 9, 10, 11):
        seg = segments.get(number)
        if seg is None:
            title = TABLE_TITLES[number][0]
            ctx.tables[number] = Table(number, title, "absent")
            ctx.issues.append(Issue("warning", f"表{number} {title} is absent from the document", None, number))
            continue
        ctx.tables[number] = parse_table(seg, ctx)
        log.debug("表%d: %s, %d rows", number, ctx.tables[number].status, len(ctx.tables[number].rows))
    return dict(sorted(ctx.tables.items()))


def match_unit(label: str, units, document_text: str) -> str:
    """The listed unit a table-7 unit row names, else the row's own (expanded) name."""
    name = expand_short_name(clean_name(label), document_text)
    for unit in units:
        if name == unit.name or name.endswith(unit.name) or unit.name.endswith(name):
            return unit.name
    return name
