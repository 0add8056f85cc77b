"""Read a text rendering and normalize it into numbered lines.

Handles the three text renderings: tab-separated rows, markdown/HTML-flavoured
converter output, and raw PDF text extraction. Line numbers always refer to the
original file so that every fact can be traced back.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from budgetkg.errors import EmptyInput, NotADisclosure

_TAG = re.compile(r"</?(?:b|strong|i|em|span|font|u|sup|sub)\b[^>]*>", re.I)
_BREAK_TAG = re.compile(r"<(?:p|br|div)\b[^>]*/?>|</(?:p|div)>", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LIST = re.compile(r"^\s*[-*+]\s+(?=\S)")
_MD_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"


@dataclass(frozen=True)
class Line:
    number: int     # 1-based line number in the source file (a PDF: in its reading-order text)
    text: str       # normalized text; tabs kept as cell separators
    page: int | None = None                      # PDF only: the page, the line's box, and the box
    bbox: tuple | None = field(default=None, compare=False)    # of each of its tab-separated cells
    boxes: tuple = field(default=(), compare=False)            # (None where a cell has none)
    grid: bool = field(default=False, compare=False)     # PDF only: a row of a ruled table
    keys: tuple | None = field(default=None, compare=False)   # PDF only: a table header's column keys, in order

    @property
    def cells(self) -> list[str]:
        return [c.strip() for c in self.text.split("\t")]


@dataclass
class Source:
    path: str
    sha256: str
    lines: list[Line]
    rendering: str  # tsv | markdown | raw | pdf
    notes: list[tuple[int | None, str]] = field(default_factory=list)   # (page, warning) from the reader
    # a text rendering's pages: the number of each page's first line (1, and each line after a
    # form feed); none for a PDF, whose lines carry their pages
    page_starts: list[int] = field(default_factory=list)


def _clean(text: str) -> str:
    text = _BREAK_TAG.sub("", text)      # <p> inside a long cell is a soft wrap
    text = _TAG.sub("", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text)
    text = text.replace("**", "").replace("\u3000", " ").replace("\xa0", " ")
    text = _MD_HEADING.sub("", text)
    text = _MD_LIST.sub("", text)
    # Trailing tabs are a row's empty cells (an empty table prints its items as "合计\t\t\t\t"):
    # kept, so the row stays a row; a line of nothing but whitespace is blank.
    return text.rstrip(" \r\n") if text.strip() else ""


def _pipe_row(text: str) -> str | None:
    stripped = text.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        return "\t".join(c.strip() for c in stripped[1:-1].split("|"))
    return None


# Line breaks as editors count them (and the form feed pdftotext puts between pages); not the
# C1 control NEL or the separators U+001C-001E, which str.splitlines also breaks on, so that a
# stray control character in a name does not cut the name in two.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\u2028\u2029]")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")


def read_text(path: str | Path) -> Source:
    """Read *path* as a text rendering; raise a located error when it cannot be one."""
    path = Path(path)
    data = path.read_bytes()
    name = str(path)
    if not data.strip():
        raise EmptyInput("the file is empty", path=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise NotADisclosure(
                f"not a text rendering: bytes are neither UTF-8 nor GB18030 (offset {exc.start})",
                path=name) from None
    if "\x00" in text:
        raise NotADisclosure("not a text rendering: the file contains NUL bytes", path=name)
    markdown = bool(re.search(r"^\s{0,3}#{1,6}\s|<b>|<p>|\*\*|^\s*\|.*\|\s*$", text, re.M))
    lines: list[Line] = []
    controls: list[tuple[int, set[str]]] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        found = set(_CONTROL.findall(raw))
        if found:                  # junk in the text (a damaged encoding): removed, and reported
            controls.append((number, found))
            raw = _CONTROL.sub("", raw)
        if _MD_PIPE_RULE.match(raw) and "-" in raw:
            continue
        piped = _pipe_row(raw)
        cleaned = _clean(piped if piped is not None else raw)
        lines.append(Line(number, cleaned))
    tabbed = sum(1 for ln in lines if "\t" in ln.text)
    rendering = "markdown" if markdown else ("tsv" if tabbed >= 20 else "raw")
    notes: list[tuple[int | None, str]] = []
    if controls:
        first, found = controls[0]
        more = f" and {len(controls) - 1} more lines" if len(controls) > 1 else ""
        codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(found))
        notes.append((None, f"line {first}{more}: control characters ({codes}) removed from the text"))
    starts = [1] + [n for n, m in enumerate(_LINE_BREAK.finditer(text), start=2) if m.group(0) == "\f"]
    return Source(name, hashlib.sha256(data).hexdigest(), lines, rendering, notes, starts)


def squash(text: str) -> str:
    """Remove layout spaces (between CJK characters, or anywhere inside a label)."""
    return re.sub(r"\s+", "", text)


_JOINS_TIGHT = re.compile(f"[{_CJK}，。；：、（）“”《》]")


def join_wrapped(parts: list[str]) -> str:
    """Join lines of running prose: no space across a CJK boundary, one space otherwise."""
    return join_wrapped_at(parts)[0]


def join_wrapped_at(parts: list[str]) -> tuple[str, list[int]]:
    """join_wrapped, and the offset in the joined text at which each part begins (a part left
    out as blank begins where the next one does)."""
    out: list[str] = []
    starts: list[int] = []
    size = 0
    for part in (p.strip() for p in parts):
        if part and out and not (_JOINS_TIGHT.match(out[-1][-1]) or _JOINS_TIGHT.match(part[0])):
            out.append(" ")
            size += 1
        starts.append(size)
        if part:
            out.append(part)
            size += len(part)
    return "".join(out), starts
