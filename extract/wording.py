"""Wording a reader checks in the prose: which way a stated reason says a change went, and
fixed phrases printed wrong. The words live in ``ontology/change-words.toml`` and
``ontology/wording-slips.toml``; nothing here knows a phrase."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from budgetkg.extract.normalize import Line, squash
from budgetkg.resources import data_dir


@dataclass(frozen=True)
class Slip:
    """One kind of slip found in a document: its first line, the text printed there, and how
    often it occurs."""

    id: str
    title: str
    title_en: str
    printed: str
    expected: str
    line: int
    lines: tuple[int, ...]


@lru_cache(maxsize=1)
def _change_words() -> dict:
    return tomllib.loads((data_dir("ontology") / "change-words.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _slips() -> list[dict]:
    return tomllib.loads((data_dir("ontology") / "wording-slips.toml").read_text(encoding="utf-8")).get("slip", [])


def _words(text: str, words: list[str], negations: list[str]) -> list[str]:
    """The direction words in *text* that no negation stands right in front of."""
    found = []
    for w in sorted(words, key=len, reverse=True):
        for m in re.finditer(re.escape(w), text):
            before = text[:m.start()]
            if any(before.endswith(n) for n in negations):
                continue
            found.append(w)
        text = text.replace(w, "\0" * len(w))      # a longer word is not counted again as a shorter
    return found


def reason_direction(reason: str | None) -> tuple[str, str] | None:
    """("increase" | "decrease", the word) when the reason's last clause says which way the
    change went and nothing in the reason says the other way; else None."""
    if not reason:
        return None
    cw = _change_words()
    text = squash(reason).rstrip("。.；;，,")
    last = re.split(r"[，,、；;。]", text)[-1]
    up_all, down_all = _words(text, cw["increase"], cw["negations"]), _words(text, cw["decrease"], cw["negations"])
    up, down = _words(last, cw["increase"], cw["negations"]), _words(last, cw["decrease"], cw["negations"])
    if up and not down_all:
        return "increase", up[0]
    if down and not up_all:
        return "decrease", down[0]
    return None


def find_slips(lines: list[Line], year: int, phase: str) -> list[Slip]:
    """Each slip of ``wording-slips.toml`` found in the document, with every line it is on. A
    slip broken over two lines is found on the first of them."""
    found: list[Slip] = []
    texts = [(ln.number, squash(ln.text)) for ln in lines]
    for slip in _slips():
        if slip.get("phases") and phase not in slip["phases"]:
            continue
        pattern = re.compile(slip["pattern"].replace("{year}", str(year)).replace("{last}", str(year - 1)))
        hits: list[tuple[int, str]] = []
        for i, (number, text) in enumerate(texts):
            m = pattern.search(text)
            if m is None and i + 1 < len(texts):
                joined = text + texts[i + 1][1]
                m = pattern.search(joined)
                if m is not None and m.start() >= len(text):
                    m = None                       # wholly on the next line: found there
            if m is not None:
                hits.append((number, m.group(0)))
        if hits:
            expected = slip["expected"].replace("{year}", str(year)).replace("{last}", str(year - 1))
            found.append(Slip(slip["id"], slip["title"], slip["title_en"], hits[0][1], expected, hits[0][0],
                              tuple(n for n, _ in hits)))
    return found
