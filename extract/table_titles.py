"""Recognising a table by its title: the words of a printed title that name a kind (numbering,
year, body name and unit removed), and the kind they name by the national vocabulary."""

from __future__ import annotations

import re

from budgetkg.extract.normalize import squash
from budgetkg.extract.template_model import Kind, kinds

_LEADERS = re.compile(r"[.…·．\-—_]{4,}\s*\d*\s*$")
_UNIT_TAIL = re.compile(r"[（(]?(?:金额)?单位[：:].*$")
_NUMBER_MARK = re.compile(
    r"^(?:(?:部门|单位)?(?:公开|预算)?表\s*[0-9一二三四五六七八九十]{1,3}(?![0-9])|预算\s*\d{1,2}\s*表|"
    r"[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}\s*[、.．]|"
    r"\d{1,2}\s*[、.．](?!\d)|\d{1,2}(?=\s*[、.．]?\s*(?:19|20)\d{2}\s*年))\s*[、.．:：]?\s*")
_TRAILING_PAREN = re.compile(r"[（(][^（()）]{1,12}[)）]$")
_YEAR_PREFIX = re.compile(r"^.{0,40}?(?:19|20)\d{2}\s*年度?")


def title_core(text: str, names: tuple[str, ...] = ()) -> str | None:
    """The words of a table title that name its kind: numbering, year, body name and unit removed.

    None when *text* cannot be a table title (too long, not ending in 表).
    """
    s = squash(text)
    if not s or len(s) > 90:
        return None
    s = _LEADERS.sub("", s)
    s = _UNIT_TAIL.sub("", s)
    s = re.sub(r"(?:编制|填报)?(?:部门|单位)(?:名称)?[：:].*$", "", s)
    while True:
        m = _NUMBER_MARK.match(s)
        if not m or not m.group(0):
            break
        s = s[m.end():]
    s = _TRAILING_PAREN.sub("", s)
    if not s.endswith("表") or len(s) > 60:
        return None
    for name in sorted((n for n in names if n), key=len, reverse=True):
        s = s.replace(name, "")
    s = _YEAR_PREFIX.sub("", s)
    return s or None


def kind_of_title(text: str, names: tuple[str, ...] = ()) -> Kind | None:
    """The kind a table title names, by the national vocabulary (kinds.toml), or None."""
    core = title_core(text, names)
    if core is None:
        return None
    for k in kinds().values():
        if any(p.search(core) for p in k.titles):
            return k
    return None


def is_final_title(text: str) -> bool:
    return "决算" in squash(text)
