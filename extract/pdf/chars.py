"""Characters to text: de-duplication (fake bold), lines, cell text and wrapped prose.

pdfplumber gives one dict per glyph. Everything here works on those dicts directly, in one
pass per page, so that a 300-page document costs little more than pdfplumber's own parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter


_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》、，。；：！？（）【】"
_CJK_RE = re.compile(f"[{_CJK}]")


def dedupe(chars: list[dict], tolerance: float = 1.0) -> tuple[list[dict], int]:
    """Drop glyphs drawn twice at (almost) the same place: the "fake bold" of some exporters.

    The same rule and output as pdfplumber's ``dedupe_chars`` (same text, font and size;
    positions within *tolerance*), but the page order is restored with an index map instead
    of ``sorted(key=chars.index)``, which is quadratic on dense pages, and a glyph alone in
    its group or its line is kept without clustering (most glyphs of a page).
    """
    key = itemgetter("upright", "text", "fontname", "size")
    position = itemgetter("doctop", "x0")
    doctop, x0 = itemgetter("doctop"), itemgetter("x0")
    index = {id(c): i for i, c in enumerate(chars)}
    kept: list[dict] = []
    for _, same in groupby(sorted(chars, key=key), key=key):
        group = list(same)
        if len(group) == 1:
            kept.append(group[0])
            continue
        for y_cluster in _clusters(group, doctop, tolerance):
            if len(y_cluster) == 1:
                kept.append(y_cluster[0])
                continue
            for x_cluster in _clusters(y_cluster, x0, tolerance):
                kept.append(min(x_cluster, key=position))
    kept.sort(key=lambda c: index[id(c)])
    return kept, len(chars) - len(kept)


def _clusters(objs: list[dict], key, tolerance: float) -> list[list[dict]]:
    """pdfplumber's ``cluster_objects``: values chained by gaps of at most *tolerance*, the
    clusters in value order, each keeping its objects' order."""
    ids: dict[float, int] = {}
    cluster, last = 0, None
    for value in sorted({key(o) for o in objs}):
        if last is not None and value > last + tolerance:
            cluster += 1
        ids[value] = cluster
        last = value
    if cluster == 0:
        return [objs]
    out: list[list[dict]] = [[] for _ in range(cluster + 1)]
    for o in objs:
        out[ids[key(o)]].append(o)
    return out


@dataclass
class TextLine:
    """One printed line: its text and where it is on the page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


def lines_of(chars: list[dict]) -> list[TextLine]:
    """Cluster characters into lines by their vertical middle, then read each left to right. A
    glyph belongs to a line when its middle is within half a character of the line's: figures set
    in a Latin font sit lower than the CJK text of their line (Times New Roman beside FangSong,
    4.8 pt at 12 pt), yet a line of text spaced at 1.2 lines is still apart from the next."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
    rows: list[list[dict]] = [[ordered[0]]]
    middle = (ordered[0]["top"] + ordered[0]["bottom"]) / 2
    for c in ordered[1:]:
        m = (c["top"] + c["bottom"]) / 2
        if abs(m - middle) <= max(c["size"], rows[-1][0]["size"]) * 0.5:
            rows[-1].append(c)
        else:
            rows.append([c])
            middle = m
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        out.append(TextLine(_spaced(row), row[0]["x0"], min(c["top"] for c in row), max(c["x1"] for c in row),
                            max(c["bottom"] for c in row), max(c["size"] for c in row)))
    return out


def _spaced(row: list[dict]) -> str:
    """A line's text; a gap wider than half a character between two glyphs reads as a space."""
    parts: list[str] = []
    prev = None
    for c in row:
        if prev is not None and c["x0"] - prev["x1"] > c["size"] * 0.5 and c["text"] != " " and \
                not (parts and parts[-1] == " "):
            parts.append(" ")
        parts.append(c["text"])
        prev = c
    return "".join(parts).strip()


def join_cjk(pieces: list[str]) -> str:
    """Join the lines of one cell or paragraph: nothing between CJK characters (or around a
    number broken from its unit, ``15,131.50万`` + ``元``), one space between latin words."""
    out = ""
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if out and not (_CJK_RE.match(out[-1]) or _CJK_RE.match(piece[0]) or
                        (out[-1].isdigit() and piece[0] in ",.0123456789") or out[-1] in ",.-/(（"):
            out += " "
        out += piece
    return out


def cell_text(chars: list[dict]) -> str:
    """A table cell's text: its lines joined (vertical header text ``政/府/性`` becomes 政府性),
    and the layout spaces inside a CJK label dropped (``合 计`` → 合计)."""
    text = join_cjk([ln.text for ln in lines_of(chars)])
    return re.sub(f"(?<=[{_CJK}]) +(?=[{_CJK}])", "", text)
