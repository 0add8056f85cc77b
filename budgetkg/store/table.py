"""A query result as a table for a terminal: a name column beside each column of IRIs (their
skos:prefLabel, from the store), amounts and counts right-aligned (amounts with thousands
separators), and, on a terminal narrower than the table, the widest text columns cut to fit
(with …); csv and json keep every value whole."""

from __future__ import annotations

import re

from budgetkg.store.query import Result, sparql

__all__ = ["table", "with_names"]

_AMOUNT = re.compile(r"-?\d+\.\d+")
_COUNT = re.compile(r"-?\d+")
_LABELLING = re.compile(r"(?i)code|year|number|notation|serial")     # digits that name, not count
_MIN_CUT = 12          # a cut column keeps at least this many columns of text


def with_names(result: Result, store) -> Result:
    """*result* with a ``…Name`` column after each column of IRIs that the query does not follow
    with a name of its own, holding each IRI's label in the store (blank where it has none)."""
    import pyoxigraph as ox

    columns, rows = list(result.columns), [list(r) for r in result.rows]
    for i in reversed(range(len(columns))):
        values = [r[i] for r in rows if r[i] is not None]
        named_next = i + 1 < len(columns) and columns[i + 1].lower().endswith("name")
        if not values or named_next or not all(isinstance(v, ox.NamedNode) for v in values):
            continue
        labels = _labels(store, sorted({v.value for v in values}))
        if not labels:
            continue
        columns.insert(i + 1, f"{columns[i]}Name")
        for r in rows:
            label = labels.get(r[i].value) if r[i] is not None else None
            r.insert(i + 1, ox.Literal(label) if label is not None else None)
    return Result(columns, rows)


def _labels(store, iris: list[str]) -> dict[str, str]:
    import pyoxigraph as ox
    found = store.select(sparql("store/labels"), {"iri": [ox.NamedNode(i) for i in iris]}, source="queries/store/labels.rq")
    return {row[0].value: row[1].value for row in found.rows if row[1] is not None}


def table(columns: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """The rows (display strings, "" for unbound) as an aligned table; *width*, the terminal's,
    cuts the widest text columns until the table fits."""
    numeric = [_all(col, _AMOUNT) or (_all(col, _COUNT) and not _LABELLING.search(name))
               for name, col in zip(columns, zip(*rows))] if rows else [False] * len(columns)
    rows = [[_thousands(v) if numeric[i] and v and _AMOUNT.fullmatch(v) else v for i, v in enumerate(r)]
            for r in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in rows]) for i, c in enumerate(columns)]
    if width:
        widths = _fit(widths, numeric, width - 3 * (len(columns) - 1))

    def line(cells):
        return " | ".join((_rpad if numeric[i] else _pad)(_cut(v, w), w) for i, (v, w) in enumerate(zip(cells, widths)))
    out = [line(columns), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    return "\n".join(out + [f"({len(rows)} rows)"]) + "\n"


def _all(values, pattern) -> bool:
    return any(v for v in values) and all(v == "" or pattern.fullmatch(v) for v in values)


def _fit(widths: list[int], numeric: list[bool], room: int) -> list[int]:
    """Narrow the widest text column, one column of text at a time, until the sum fits *room*
    (or no text column can be cut further)."""
    widths = list(widths)
    while sum(widths) > room:
        cuttable = [i for i, w in enumerate(widths) if not numeric[i] and w > _MIN_CUT]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _cut(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _thousands(value: str) -> str:
    """1234567.50 → 1,234,567.50 (the decimals kept as they are)."""
    whole, _, decimals = value.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}.{decimals}"


def _rpad(text: str, width: int) -> str:
    return " " * (width - _width(text)) + text


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
