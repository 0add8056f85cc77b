"""Names and IRIs: canonical department and unit names, deterministic IRIs."""

from __future__ import annotations

import os
import re
import tomllib
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from budgetkg.errors import BudgetKGError
from budgetkg.extract.normalize import Line, squash
from budgetkg.resources import data_dir
from budgetkg.vocab import ID_BASE


# Province-level regions: a short name such as 自治区财政厅 is expanded with one of
# these only when the expanded form occurs in the document itself.
REGIONS = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
)
_LEVEL_WORDS = ("自治区", "省", "市")


def clean_name(name: str) -> str:
    name = squash(name)
    name = re.sub(r"[（(]本级[)）]$", "本级", name)
    return name.rstrip("：:，,。")


def expand_short_name(name: str, document_text: str) -> str:
    """自治区财政厅 → 新疆维吾尔自治区财政厅 when the document prints the full form."""
    name = clean_name(name)
    if any(name.startswith(r) for r in REGIONS):
        return name
    for word in _LEVEL_WORDS:
        if name.startswith(word):
            rest = name[len(word):]
            hits = [r + rest for r in REGIONS if r.endswith(word) and _printed_after(document_text, r, rest)]
            if len(set(hits)) == 1:
                return hits[0]
    return name


_WINDOW = 48
_REGION = re.compile("|".join(sorted(REGIONS, key=len, reverse=True)))


@lru_cache(maxsize=4)
def _after_regions(document_text: str) -> dict[str, list[str]]:
    """For each region the document names, what follows each mention (sorted): built once per
    document, so looking up a name costs a bisection, not a scan of the whole text."""
    index: dict[str, list[str]] = {}
    for m in _REGION.finditer(document_text):
        index.setdefault(m.group(0), []).append(document_text[m.end():m.end() + _WINDOW])
    for windows in index.values():
        windows.sort()
    return index


def _printed_after(document_text: str, region: str, rest: str) -> bool:
    """Whether *region* + *rest* occurs in the document."""
    if len(rest) > _WINDOW:
        return (region + rest) in document_text
    windows = _after_regions(document_text).get(region, [])
    k = bisect_left(windows, rest)
    return k < len(windows) and windows[k].startswith(rest)


_COVER_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年度?\s*(?:区级|市级|省级|县级)?(?:部门|单位)?(?:预算|决算)")


def _plausible(name: str) -> bool:
    """A body's name: not a year, a heading or a sentence (a school's 第6中学 may print a digit),
    and not the bare word 部门 or 单位."""
    return 2 <= len(name) <= 40 and name not in ("部门", "单位") and \
        not re.search(r"\d{3,}|\d年|预算|决算|目录|部分|[、：:，。]", name)


def department_candidates(lines: list[Line], family=None) -> list[str]:
    """Names the document gives itself: 编制部门/单位名称/预算主管部门 lines, the cover (the body's
    name before or after the year and 部门预算, or on the line above it)."""
    names: list[str] = []
    patterns = family.patterns("department") if family is not None else ()
    if not patterns:
        patterns = (re.compile(r"编制(?:部门|单位)[：:]\s*(\S+?)(?:单位[：:]|\s|$)"),)
    for ln in lines:
        text = ln.text.replace("\t", " ").strip()
        for p in patterns:
            m = p.search(text)
            if m and m.group(1):
                name = clean_name(re.split(r"\s|单位[：:]", m.group(1))[0])
                if _plausible(name):
                    names.append(name)
                break
    head = [ln for ln in lines[:40] if squash(ln.text)][:15]
    cover_end = next((i for i, ln in enumerate(head) if "预算公开" in squash(ln.text)
                      or _COVER_YEAR.match(squash(ln.text))), None)
    if cover_end:
        s = squash(head[cover_end - 1].text)
        if _plausible(s) and 4 <= len(s):
            names.append(clean_name(s))
    for ln in head:
        for p in (family.patterns("cover") if family is not None else ()):
            m = p.search(squash(ln.text))
            if m and m.group(1) and _plausible(clean_name(m.group(1))):
                names.append(clean_name(m.group(1)))
    return names


def department_aliases() -> dict[str, str]:
    """Former name → current name: ``ontology/department-aliases.toml``, then the file that
    ``BUDGETKG_ALIASES`` names, if any (its entries win)."""
    user_file = os.environ.get("BUDGETKG_ALIASES", "")
    try:
        changed = os.stat(user_file).st_mtime_ns if user_file else 0
    except OSError:
        changed = -1                       # reported when read
    return _aliases(user_file, changed)


@lru_cache(maxsize=4)
def _aliases(user_file: str, changed: int) -> dict[str, str]:
    """The aliases with *user_file*'s, read once per version of it (*changed*: its mtime)."""
    found: dict[str, str] = {}
    for path in [data_dir("ontology") / "department-aliases.toml"] + ([Path(user_file)] if user_file else []):
        try:
            with open(path, "rb") as f:
                entries = tomllib.load(f).get("aliases", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise BudgetKGError(f"{path}: cannot read the department aliases: {exc}") from None
        if not all(isinstance(v, str) for v in entries.values()):
            raise BudgetKGError(f"{path}: [aliases] maps a former name to a current name, both strings")
        found.update({clean_name(k): clean_name(v) for k, v in entries.items()})
    return found


def resolve_department(lines: list[Line], document_text: str, family=None) -> tuple[str | None, list[str]]:
    names = department_candidates(lines, family)
    if not names:
        for ln in lines[:40]:
            m = re.search(r"第一部分\s*\d{4}\s*年\s*(\S+?)(?:部门|单位)?概况", squash(ln.text))
            if m and _plausible(clean_name(m.group(1))):
                names.append(clean_name(m.group(1)))
                break
    if not names:
        return None, []
    expanded = [expand_short_name(n, document_text) for n in names]
    counts = Counter(expanded)
    canonical = max(counts, key=lambda n: (counts[n], len(n), n))
    printed = canonical
    canonical = department_aliases().get(canonical, canonical)      # a former name: the current one
    others = sorted({n for n in names + expanded + [printed] if n != canonical})
    return canonical, others


def unit_key(department: str, unit: str) -> str:
    """Key a budget unit on its full name; prefix units printed without their parent."""
    if unit.startswith(department) or any(unit.startswith(r) for r in REGIONS):
        return unit
    return f"{department}/{unit}"


def iri_char(ch: str) -> bool:
    """Whether *ch* may stand unescaped in an IRI path (RFC 3987 ``ucschar``): not a control,
    private-use, surrogate, non-character or specials code point such as U+FFFD."""
    c = ord(ch)
    if c < 0xA0 or 0xD800 <= c < 0xF900 or 0xFDD0 <= c < 0xFDF0 or 0xFFF0 <= c < 0x10000:
        return False
    return c < 0xE0000 and (c & 0xFFFF) < 0xFFFE or 0xE1000 <= c <= 0xEFFFD


def iri_segment(text: str) -> str:
    """A readable IRI path segment: non-ASCII letters kept (IRIs allow them); unsafe ASCII and
    every code point an IRI may not hold (controls, private use, U+FFFD …) percent-encoded."""
    return "".join(ch if iri_char(ch) and not ch.isspace() else quote(ch, safe="()-_.~") for ch in text)


class Minter:
    """Deterministic IRIs under a configurable base."""

    def __init__(self, base: str = ID_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def org(self, name: str) -> str:
        return f"{self.base}org/{iri_segment(name)}"

    def unit(self, department: str, unit: str) -> str:
        return self.org(unit_key(department, unit))

    def division(self, department: str, division: str) -> str:
        return f"{self.org(department)}/division/{iri_segment(division)}"

    def document(self, key: str, kind: str) -> str:
        """A cited policy document: keyed on its normalized number, or on its title."""
        return f"{self.base}document/{'title/' if kind == 'title' else ''}{iri_segment(key)}"

    def disclosure(self, department: str, year: int, phase: str = "budget", scope: str = "department") -> str:
        """A department's budget of a year; its final accounts and a unit-scope document (单位预算)
        of the same body and year are other disclosures."""
        suffix = ("/final" if phase == "final" else "") + ("/unit" if scope == "unit" else "")
        return f"{self.base}disclosure/{iri_segment(department)}/{year}{suffix}"


_DISCLOSURE_IRI = re.compile(r"^(?P<body>.+/disclosure/.+)/(?P<year>\d{4})(?P<suffix>(?:/final)?(?:/unit)?)$")


def companions(disclosure: str) -> list[str]:
    """The disclosures a rule may read beside *disclosure*, by their IRIs (:meth:`Minter.disclosure`):
    for final accounts, the budget of the same body, year and scope (its 年初预算 statements are
    checked against it); for every disclosure, the same body's disclosure of the year before, of
    the same phase and scope (what it says of last year is checked against it). A department
    budget's units' 单位预算 are found in the store (:func:`budgetkg.audit.validate.related`)."""
    m = _DISCLOSURE_IRI.match(disclosure)
    if m is None:
        return []
    body, year, suffix = m.group("body"), int(m.group("year")), m.group("suffix")
    found = []
    if suffix.startswith("/final"):
        found.append(f"{body}/{year}{suffix[len('/final'):]}")
    found.append(f"{body}/{year - 1}{suffix}")
    return found
