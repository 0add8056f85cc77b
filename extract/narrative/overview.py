"""第一部分 部门概况: functions, divisions, subordinate budget units, staffing."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from budgetkg.resources import data_dir
from budgetkg.extract.normalize import Line, join_wrapped, squash
from budgetkg.extract.findings import Finding
from budgetkg.extract.records import BudgetUnitRecord, Overview, Staffing

_NUM = r"(\d+)"
_CHANGE = r"(?:(增加|减少|增长|下降)\s*(\d+)\s*人?|(持平|无变化|不变))"


def _prose(lines: list[Line]) -> str:
    """Part-one text as one string: wrapped lines joined, paragraphs separated by newlines."""
    paragraphs: list[list[str]] = [[]]
    for ln in lines:
        t = ln.text.strip()
        if not t:
            continue
        paragraphs[-1].append(t)
    return join_wrapped(paragraphs[0])


def _section(lines: list[Line], heads, stop: str | None) -> list[Line]:
    """The lines after the first heading matching one of *heads*, to the next *stop* heading."""
    start = next((i for i, ln in enumerate(lines) if any(h.search(squash(ln.text)) for h in heads)), None)
    if start is None:
        return []
    end = len(lines)
    if stop:
        end = next((i for i in range(start + 1, len(lines)) if re.match(stop, squash(lines[i].text))), end)
    return lines[start + 1:end]


_NEXT_SECTION = r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）](?:机构设置|预算单位|人员))"


def _change(sign: str | None, amount: str | None, flat: str | None) -> int | None:
    if flat:
        return 0
    if amount is None:
        return None
    value = int(amount)
    return -value if sign in ("减少", "下降") else value


def parse_staffing(text: str) -> Staffing | None:
    t = squash(text)
    staffing = Staffing()
    found = False
    m = re.search(r"编制(?:数|人数)?(?:为|共)?" + _NUM, t)
    if m:
        staffing.authorized, found = int(m.group(1)), True
    m = re.search(r"实有人数(?:为|共)?" + _NUM, t)
    if m:
        staffing.actual, found = int(m.group(1)), True
    for attr, word in (("active", "在职"), ("retired", "退休"), ("retired_veterans", "离休")):
        m = re.search(word + r"(?:人员|人数)?" + _NUM + r"人[，,]?" + _CHANGE.replace(r"\s*", ""), t) or \
            re.search(word + r"(?:人员|人数)?" + _NUM + r"人", t)
        if m:
            setattr(staffing, attr, int(m.group(1)))
            found = True
            if m.lastindex and m.lastindex > 1:
                setattr(staffing, attr + "_change", _change(m.group(2), m.group(3), m.group(4)))
    return staffing if found else None


@lru_cache(maxsize=1)
def _unit_list() -> dict:
    """How part one lists budget units (ontology/unit-list.toml), compiled."""
    with open(data_dir("ontology") / "unit-list.toml", "rb") as f:
        data = tomllib.load(f)
    return {"intro": [re.compile(p) for p in data["intro"]], "header": re.compile(data["header"]),
            "item": re.compile(data["item"]), "merged": re.compile(data["merged"]),
            "prefix": re.compile(data["prefix"]), "head": tuple(data["head"]),
            "bracketed": re.compile("[（(](" + "|".join(map(re.escape, data["head"])) + ")[)）]$")}


def parse_units(lines: list[Line], expand) -> list[BudgetUnitRecord]:
    """The budget units part one lists after its “…预算单位包括：” sentence, one numbered item each
    (ontology/unit-list.toml): the head unit (本级, 本部) marked, and a unit printed as having no
    budget of its own (不单列预算，并入本部) marked as merged."""
    words = _unit_list()
    start = next((i for i, ln in enumerate(lines) if any(p.search(squash(ln.text)) for p in words["intro"])), None)
    if start is None:
        return []
    units: list[BudgetUnitRecord] = []
    for ln in lines[start + 1:]:
        text = ln.text.strip()
        if not text or (not units and words["header"].search(text)):
            continue
        m = words["item"].match(text)
        if not m:
            break
        printed = m.group(2).strip()
        merged = words["merged"].search(printed)
        if merged:
            printed = printed[:merged.start()]
        printed = words["prefix"].sub("", squash(printed))
        name = words["bracketed"].sub(r"\1", printed)        # 万里街道办事处（本部） → …本部
        is_head = any(w in printed for w in words["head"])
        units.append(BudgetUnitRecord(int(m.group(1)), expand(name), printed, is_head, merged=bool(merged)))
    return units


def parse_overview(lines: list[Line], expand, family) -> tuple[Overview, list[Finding]]:
    """Parse part one; *expand* turns a unit name into its canonical full name. The headings of its
    sections (主要职能, 机构设置) are the template family's."""
    issues: list[Finding] = []
    ov = Overview(line=lines[0].number if lines else None)
    functions = _section(lines, family.section("functions"), _NEXT_SECTION)
    if functions:
        ov.functions_text = _prose(functions)
    else:
        issues.append(Finding("warning", "overview-without-functions", "the overview (部门概况) has no 主要职能 section", lines[0].number if lines else None))
    org_lines = _section(lines, family.section("organisation"), None) or lines
    text = squash(" ".join(ln.text for ln in org_lines))

    m = re.search(r"下设(\d+)个(?:处室|科室|内设机构|职能科室|科|处|部门|机构)[^：:。]*[：:](.+?)。", text)
    if m:
        ov.division_count = int(m.group(1))
        ov.divisions = [d for d in re.split(r"[、，,；;]", m.group(2)) if d]
        if len(ov.divisions) != ov.division_count:
            issues.append(Finding("warning", "division-count-differs", f"the overview (部门概况) states {ov.division_count} divisions but lists "
                                f"{len(ov.divisions)}", org_lines[0].number if org_lines else None))
    else:
        m = re.search(r"下设(\d+)个", text)
        if m:
            ov.division_count = int(m.group(1))

    ov.units = parse_units(org_lines, expand)

    staffing_text = " ".join(ln.text for ln in org_lines if True)
    ov.staffing = parse_staffing(staffing_text)
    if ov.staffing is None and family.staffing:
        issues.append(Finding("warning", "overview-without-staffing", "the overview (部门概况) gives no staffing figures (编制数/实有人数)",
                            org_lines[0].number if org_lines else None))
    return ov, issues
