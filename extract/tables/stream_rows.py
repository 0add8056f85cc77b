"""A stream dump's table region as tokens, and its rows rebuilt from the codes.

Each line of the region is one of: a figure (``984.62``), a figure the tool broke (``1247.2 2``,
kept as an unknown), a code line (``201``, ``201 03 01 行政运行``, ``03 01 行政运行``, ``30101 基本工资``),
or text (a name, a header cell, page furniture). Every row prints its 类 code; a 款 or 项 code is
printed after its 类, on the same line or on the next code line. The rows are rebuilt in printed
order from the code tokens and accepted only when they form a code tree (no code twice, every
款 under its 类, every 项 under its 款); the total row (合计/总计) is the first total label printed
after a code, not the header cell before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetkg.extract.normalize import Line, squash
from budgetkg.extract.tables.spec import TOTAL_LABEL

_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")
_BROKEN = re.compile(r"^-?[\d,]+\.\d*(?:\s+\d+)+$|^-?[\d,]+\s+[\d,]*\.\d+$")     # 1247.2 2: a figure cut by a wrap
_CLASS_LINE = re.compile(r"^([23]\d{2})((?:\s+\d{2}){0,2})(?:\s+(\D.*))?$")
_FULL_LINE = re.compile(r"^([23]\d{4}(?:\d{2})?)(?:\s+(\D.*))?$")
_SUB_LINE = re.compile(r"^(\d{2})((?:\s+\d{2})?)(?:\s+(\D.*))?$")
_FURNITURE = re.compile(r"编制(?:部门|单位)|单位[：:]\s*(?:万元|千元|元)|^-\s*\d+\s*-$|^第\d{1,3}页$|^表\s*\d{1,2}$")
_TRAILING = re.compile(r"^(.*?\D)((?:\s+-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+)+)$")


@dataclass
class Token:
    kind: str                     # num | wild | code | sub | text
    line: int
    page: int
    text: str
    value: Decimal | None = None
    parts: tuple[str, ...] = ()   # code parts (类, 款, 项) as printed
    name: str | None = None       # the name printed after a code on its line


@dataclass
class SkeletonRow:
    code: str | None
    label: str | None
    level: str
    line: int
    page: int


def tokens(lines: list[Line], page_of) -> list[Token]:
    """The tokens of a table region's *lines* (*page_of* maps a line number to its page)."""
    out: list[Token] = []
    for ln in lines:
        text = " ".join(ln.text.split())
        if not text:
            continue
        page = page_of(ln.number)
        if _FURNITURE.search(text):
            continue
        words = text.split()
        if all(_AMOUNT.match(w) for w in words):
            out.extend(Token("num", ln.number, page, w, Decimal(w.replace(",", ""))) for w in words)
            continue
        if _BROKEN.match(text):
            out.append(Token("wild", ln.number, page, text))
            continue
        trailing: list[str] = []
        m = _TRAILING.match(text)
        if m and re.search(r"[\u4e00-\u9fff]", m.group(1)):      # a row printed inline: 行政运行 7.12 7.12
            text, trailing = m.group(1).strip(), m.group(2).split()
        out.append(_code_or_text(text, ln.number, page))
        out.extend(Token("num", ln.number, page, w, Decimal(w.replace(",", ""))) for w in trailing)
    return out


def _code_or_text(text: str, number: int, page: int) -> Token:
    m = _CLASS_LINE.match(text)
    if m:
        parts = (m.group(1),) + tuple(m.group(2).split())
        return Token("code", number, page, text, parts=parts, name=_name(m.group(3)))
    m = _FULL_LINE.match(text)
    if m:
        code = m.group(1)
        parts = tuple(p for p in (code[:3], code[3:5], code[5:7]) if p)
        return Token("code", number, page, text, parts=parts, name=_name(m.group(2)))
    m = _SUB_LINE.match(text)
    if m:
        return Token("sub", number, page, text, parts=(m.group(1),) + tuple(m.group(2).split()),
                     name=_name(m.group(3)))
    return Token("text", number, page, text)


def _name(text: str | None) -> str | None:
    s = squash(text or "")
    return s if re.search(r"[\u4e00-\u9fff]", s) else None


def header_text(toks: list[Token], names: dict[str, str]) -> str:
    """The region's text cells that are not the names of codes, as one string: its header cells,
    wherever the tool printed them (pdftotext prints some after the first rows)."""
    known = {squash(n) for n in names.values()}
    return "".join(squash(t.text) for t in toks if t.kind == "text" and squash(t.text) not in known)


def skeleton(toks: list[Token], code_kind: str, names: dict[str, str], region_text: str) -> list[SkeletonRow] | None:
    """The table's coded rows in printed order, rebuilt from its code tokens, and a last row for
    the total when a total label (合计/总计) is printed anywhere in the region (where the total
    row stands is not told by where its label is: the solver tries it first and last); None
    unless the codes form a code tree."""
    longest = 7 if code_kind == "function" else 5
    rows: list[SkeletonRow] = []
    inline: dict[int, str] = {}
    total: SkeletonRow | None = None
    for t in toks:
        if t.kind == "code":
            rows.append(SkeletonRow("".join(t.parts), None, "", t.line, t.page))
            if t.name:
                inline[len(rows) - 1] = t.name
        elif t.kind == "sub":
            if not rows or rows[-1].code is None or len(rows[-1].code) + 2 * len(t.parts) > longest \
                    or (len(rows) - 1) in inline:
                return None
            rows[-1].code += "".join(t.parts)
            if t.name:
                inline[len(rows) - 1] = t.name
        elif t.kind == "text" and total is None and TOTAL_LABEL.match(squash(t.text)):
            total = SkeletonRow(None, squash(t.text), "total", t.line, t.page)
    coded = [r for r in rows if r.code is not None]
    if not coded or not _is_tree([r.code for r in coded], longest):
        return None
    levels = {3: "class", 5: "section", 7: "item"}
    for i, r in enumerate(rows):
        if r.code is None:
            continue
        r.level = levels[len(r.code)]
        national = names.get(r.code)
        if national and squash(national) in region_text:
            r.label = national
        else:
            r.label = inline.get(i)
    return rows + ([total] if total is not None else [])


def _is_tree(codes: list[str], longest: int) -> bool:
    """No code twice, each of length 3, 5 or 7 (5 at most for economic codes), each under the
    last code one level up."""
    seen: set[str] = set()
    last: dict[int, str] = {}
    for code in codes:
        if code in seen or len(code) not in (3, 5, 7) or len(code) > longest:
            return False
        seen.add(code)
        if len(code) > 3 and last.get(len(code) - 2) != code[:-2]:
            return False
        last[len(code)] = code
        for longer in (5, 7):
            if longer > len(code):
                last.pop(longer, None)
    return True
