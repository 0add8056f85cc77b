"""A table's row skeleton: each printed row's label, code, level, project and unit, before its
amounts are placed in their columns."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from budgetkg.extract.normalize import squash
from budgetkg.extract.records import Row
from budgetkg.extract.segment import TableSegment
from budgetkg.extract.template import TableLayout
from budgetkg.extract.tables.rows import PrintedRow, TableBody
from budgetkg.extract.tables.spec import TOTAL_LABEL, item_key

if TYPE_CHECKING:
    from budgetkg.extract.tables.build import Context


def strip_numbering(label: str) -> str:
    label = re.sub(r"^[一二三四五六七八九十]+[、.．]", "", label)
    label = re.sub(r"^\d+[、.．]", "", label)
    return re.sub(r"^其中[：:]", "", label)


_SUBTOTAL = re.compile(r"^(?:本年|当年)(?:收入|支出)(?:合计|小计)$")


def _level(layout: TableLayout, code: str | None, label: str, side: str | None, unit_code: str | None) -> str:
    kind = layout.kind
    if unit_code:
        return "unit"
    if code:
        kind_lengths = {3: "class", 5: "section", 7: "item"}
        return kind_lengths.get(len(code), "detail")
    if _SUBTOTAL.match(label):
        return "group"                       # 本年收入合计 is a part of 收入总计 (with 上年结转 …)
    if TOTAL_LABEL.match(label) or label.endswith("总计"):
        return "total"
    if kind.rows == "projects":
        return "unit"
    if kind.rows == "listed" and not label:
        return "group"
    if kind.items:
        item = item_key(kind, label)
        totals = [t for t, _ in kind.item_sums]
        if item is not None and totals and item == totals[0]:
            return "total"
        return "group" if item in totals[1:] else "detail"
    if side == "revenue" and re.match(r"^[一二三四五六七八九十]+[、.．]", label):
        return "group"
    return "detail"


def _skeleton_rows(seg: TableSegment, layout: TableLayout, body: TableBody,
                   ctx: Context) -> list[tuple[Row, PrintedRow]]:
    kind = layout.kind
    out: list[tuple[Row, PrintedRow]] = []
    unit: str | None = None
    for printed in body.rows:
        parts = printed.label_parts
        label = squash("".join(parts))
        project = None
        code = printed.code
        if kind.rows == "projects" and code and len(code) == 7:
            name, project = _split_function_project(parts, ctx.known_names(code), printed.positional is not None,
                                                    printed.cell_break)
            label = name
        if kind.id == "carryover" and label and not TOTAL_LABEL.match(label):
            project = label
        level = _level(layout, code, label, printed.side, printed.unit_code)
        if printed.side == "revenue":
            label = strip_numbering(label)
        if printed.side == "revenue" and level == "detail" and re.match(r"^\d+[、.．]", squash("".join(parts))):
            level = "group"
        if kind.rows == "projects" and level == "unit":
            unit = label
        row = Row(index=len(out) + 1, line=printed.line, label=label or None, code=code, level=level,
                  side=printed.side, project=project,
                  unit=unit if kind.rows == "projects" and level != "total" else None,
                  item=item_key(kind, label) if label else None)
        out.append((row, printed))
    if kind.rows == "two-sided":
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


def _split_function_project(parts: list[str], known: set[str], tabbed: bool,
                            marker: int | None) -> tuple[str, str | None]:
    """Split a table-7 label into the function name and the project name.

    A tab-separated row gives the cell boundary (*marker*, the part at which the project's cell
    begins). Raw text does not: there the name the other tables print for the code is the best
    guide, then the line break after the code line (*marker* again), then the first space.
    """

    def joined_from(i: int) -> str:
        return squash("".join(parts[i:]))

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
