"""Cited policy documents: 文号 (新财库〔2021〕83号), orders (财政部令第69号) and 《titles》.

A 文号 is normalized to issuer code + 〔year〕 + serial + 号 with no spaces, whatever
brackets the document used (〔〕 [] 【】 （） ()). The 《…》 title printed right before the
number (``《title》（number）``) or right after it (``number《title》``) is attached to it; a
title with no number next to it is a title-only citation. Nothing is guessed: text that
does not match is simply not a citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = "\u4e00-\u9fff"
_OPEN, _CLOSE = "〔[【（(［", "〕]】）)］"
# One serial, or a list of them sharing the issuer, year and 号 (财政部令第 69、32、87 号).
_SERIALS = r"(?P<serial>\d(?:\s?\d){0,4}(?:\s*[、，,]\s*\d(?:\s?\d){0,4})*)"
NUMBER = re.compile(
    rf"(?P<issuer>[{_CJK}](?:\s?[{_CJK}]){{0,15}})\s*[{re.escape(_OPEN)}]\s*(?P<year>(?:19|20)\d\s?\d)\s*"
    rf"[{re.escape(_CLOSE)}]\s*(?:第\s*)?{_SERIALS}\s*号")
ORDER = re.compile(rf"(?P<issuer>[{_CJK}](?:\s?[{_CJK}]){{0,15}}?)\s*令\s*第\s*{_SERIALS}\s*号")
# Words that end the running prose in front of an issuer code: 根据新财库… → 新财库. A
# one-character word only counts after other prose: 和署办发 (和田地区) is an issuer code.
_LEAD = re.compile(r"^.*(?:根据|依据|按照|参照|依照|执行|印发|转发|下发|详见)")
_LEAD_CHAR = re.compile(r"^.+(?:见|及|和|与|或|是|的|、)")
_MAX_ISSUER = 10


@dataclass(frozen=True)
class Citation:
    kind: str                  # "numbered" | "order" | "title"
    key: str                   # the normalized number, or the title for title-only citations
    issuer: str | None = None
    year: int | None = None
    serial: int | None = None
    title: str | None = None
    start: int = 0             # offset in the text it was found in

    @property
    def number(self) -> str | None:
        return None if self.kind == "title" else self.key


def _issuer(raw: str, after_prose: bool = False) -> str | None:
    """The issuer code in the CJK run *raw* in front of a number. *after_prose*: the run
    follows a CJK character (号 of the previous number), so a 和 that opens it is a word."""
    raw = ("…" if after_prose else "") + re.sub(r"\s+", "", raw)
    lead = max((m.end() for m in (_LEAD.match(raw), _LEAD_CHAR.match(raw)) if m), default=0)
    issuer = raw[max(lead, int(after_prose)):]
    return issuer if 1 <= len(issuer) <= _MAX_ISSUER else None


def _serials(text: str) -> list[int]:
    return [int(re.sub(r"\s", "", part)) for part in re.split(r"[、，,]", text)]


def normalize_number(text: str) -> str | None:
    """The normalized 文号 or order number in *text*, if *text* is exactly one."""
    found = [c for c in find_citations(text) if c.kind != "title"]
    return found[0].key if len(found) == 1 else None


def _titles(text: str) -> list[tuple[int, int, str]]:
    """(start, end, title) of every 《…》, nested 《〈…〉》 allowed, also with a mismatched inner close."""
    spans, i = [], 0
    while (i := text.find("《", i)) != -1:
        depth, j = 0, i
        while j < len(text):
            if text[j] in "《〈":
                depth += 1
            elif text[j] in "》〉":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(text):
            # Unbalanced (e.g. 〈 closed by 》): close at the last 》 before the next 《.
            nxt = text.find("《", i + 1)
            j = text.rfind("》", i, nxt if nxt != -1 else len(text))
            if j == -1:
                break
        spans.append((i, j + 1, re.sub(r"\s+", "", text[i + 1:j])))
        i = j + 1
    return spans


def find_citations(text: str) -> list[Citation]:
    """Every cited document in *text*, in order of appearance."""
    return scan_citations(text)[0]


def scan_citations(text: str) -> tuple[list[Citation], list[str]]:
    """(citations, doubtful): doubtful are number-like snippets whose issuer code cannot be
    told from the prose in front of it; they are reported, not guessed."""
    titles = _titles(text)
    doubtful: list[str] = []
    used: set[int] = set()
    found: list[Citation] = []

    def adjacent_title(start: int, end: int) -> str | None:
        for k, (ts, te, title) in enumerate(titles):
            if k in used:
                continue
            before = text[te:start]
            after = text[end:ts]
            if te <= start and re.fullmatch(rf"\s*[{re.escape(_OPEN)}]?\s*", before):
                used.add(k)
                return title
            if ts >= end and re.fullmatch(r"\s*", after):
                used.add(k)
                return title
        return None

    def follows_prose(m) -> bool:
        """The run follows a CJK character or a closing title mark (《预算法》和新财预…)."""
        return m.start("issuer") > 0 and bool(re.match(f"[{_CJK}》〉]", text[m.start("issuer") - 1]))

    def issuer_start(m, issuer: str) -> int:
        """Where *issuer* (the run without its leading words and spaces) starts in the text."""
        at, left = m.end("issuer"), len(issuer)
        while left and at > m.start("issuer"):
            at -= 1
            left -= not text[at].isspace()
        return at

    for m in NUMBER.finditer(text):
        issuer = _issuer(m["issuer"], follows_prose(m))
        if issuer is None:
            doubtful.append(re.sub(r"\s+", "", m.group()))
            continue
        year, serials = int(re.sub(r"\s", "", m["year"])), _serials(m["serial"])
        title = adjacent_title(issuer_start(m, issuer), m.end()) if len(serials) == 1 else None
        found.extend(Citation("numbered", f"{issuer}〔{year}〕{serial}号", issuer, year, serial, title, m.start())
                     for serial in serials)
    for m in ORDER.finditer(text):
        issuer = _issuer(m["issuer"], follows_prose(m))
        if issuer is None:
            doubtful.append(re.sub(r"\s+", "", m.group()))
            continue
        serials = _serials(m["serial"])
        title = adjacent_title(issuer_start(m, issuer), m.end()) if len(serials) == 1 else None
        found.extend(Citation("order", f"{issuer}令第{serial}号", issuer, None, serial, title, m.start())
                     for serial in serials)
    for k, (ts, _, title) in enumerate(titles):
        if k not in used and title:
            found.append(Citation("title", title, title=title, start=ts))
    return sorted(found, key=lambda c: c.start), doubtful
