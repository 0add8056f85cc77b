"""Segment a normalized document into its parts and the eleven tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import Line, squash

# Title patterns of the eleven standard tables, matched on the squashed title line.
TABLE_TITLES: dict[int, tuple[str, str]] = {
    1: ("部门收支总体情况表", r"^(?!财政拨款)(部门|单位)?收支(预算)?总(体情况)?表$"),
    2: ("部门收入总体情况表", r"^(部门|单位)?收入(预算)?总(体情况)?表$"),
    3: ("部门支出总体情况表", r"^(部门|单位)?支出(预算)?总(体情况)?表$"),
    4: ("财政拨款收支预算总体情况表", r"^财政拨款收支(预算)?总(体情况)?表$"),
    5: ("一般公共预算支出情况表", r"^一般公共预算(拨款)?支出(预算)?(情况)?表$"),
    6: ("一般公共预算基本支出情况表", r"^一般公共预算基本支出(预算)?(情况)?表$"),
    7: ("一般公共预算项目支出情况表", r"^一般公共预算项目支出(预算)?(情况)?表$"),
    8: ("政府性基金预算支出情况表", r"^政府性基金预算支出(预算)?(情况)?表$"),
    9: ("国有资本经营预算支出情况表", r"^国有资本经营预算支出(预算)?(情况)?表$"),
    10: ("财政拨款“三公”经费支出情况表", r"^(财政拨款)?[“\"']?三公[”\"']?经费支出(预算)?(情况)?表$"),
    11: ("上年结转结余情况明细表", r"^(上年)?结转结余(预算)?(情况)?明细表$"),
}
_TITLE_RES = {n: re.compile(p) for n, (_, p) in TABLE_TITLES.items()}
_TABLE_MARK = re.compile(r"^表\s*(\d{1,2})\s*")
_PART = re.compile(r"^第([一二三四])部分")


@dataclass
class TableSegment:
    number: int
    title: str
    start: int          # index into lines of the title
    lines: list[Line]   # body lines after the title


@dataclass
class Segments:
    lines: list[Line]
    part1: list[Line] = field(default_factory=list)
    tables: dict[int, TableSegment] = field(default_factory=dict)
    part3: list[Line] = field(default_factory=list)
    part4: list[Line] = field(default_factory=list)
    part3_found: bool = False
    part4_found: bool = False
    duplicate_tables: list[tuple[int, int]] = field(default_factory=list)


def table_number_of_title(text: str) -> int | None:
    s = squash(text)
    s = _TABLE_MARK.sub("", s)
    s = re.sub(r"^\d{1,2}[、.．]?", "", s)
    s = re.sub(r"^.{0,40}?\d{4}年度?", "", s)       # "XX局2024年部门收支总体情况表"
    s = s.replace("预算公开表", "")
    for number, pattern in _TITLE_RES.items():
        if pattern.match(s):
            return number
    return None


def _is_table_header_follow(lines: list[Line], i: int) -> bool:
    """A title is a table (not a table-of-contents entry) when 编制部门/单位：万元 follows soon."""
    seen = 0
    for ln in lines[i + 1:]:
        s = squash(ln.text)
        if not s:
            continue
        if "编制部门" in s or "编制单位" in s or re.search(r"单位[：:]万元", s):
            return True
        seen += 1
        if seen >= 3:
            return False
    return False


def segment(lines: list[Line]) -> Segments:
    seg = Segments(lines)
    starts: list[tuple[int, int]] = []   # (line index, table number)
    for i, ln in enumerate(lines):
        s = squash(ln.text)
        if not s or len(s) > 40:
            continue
        number = table_number_of_title(s)
        if number is None or not _is_table_header_follow(lines, i):
            continue
        if any(n == number for _, n in starts):
            seg.duplicate_tables.append((number, ln.number))
            continue
        starts.append((i, number))

    part_heads: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        m = _PART.match(squash(ln.text))
        if m:
            part_heads.setdefault(m.group(1), []).append(i)

    first_table = starts[0][0] if starts else len(lines)
    last_table = starts[-1][0] if starts else 0
    # Part one body: the last 第一部分 heading before the first table (the others are the 目录).
    p1 = [i for i in part_heads.get("一", []) if i < first_table]
    p2 = [i for i in part_heads.get("二", []) if i < first_table]
    p3 = [i for i in part_heads.get("三", []) if i > last_table]
    p4 = [i for i in part_heads.get("四", []) if i > (p3[0] if p3 else last_table)]
    if p1:
        end = max([i for i in p2 if i > p1[-1]], default=first_table)
        end = min(end, first_table)
        seg.part1 = lines[p1[-1] + 1:end]
    elif starts:
        seg.part1 = lines[:first_table]
    tables_end = p3[0] if p3 else (p4[0] if p4 else len(lines))
    seg.part3_found = bool(p3)
    seg.part4_found = bool(p4)
    if p3:
        seg.part3 = lines[p3[0] + 1:(p4[0] if p4 else len(lines))]
    if p4:
        seg.part4 = lines[p4[0] + 1:]
    for k, (i, number) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else tables_end
        body = lines[i + 1:end]
        # Drop a trailing "表 N" marker that belongs to the next table.
        while body and (not squash(body[-1].text) or _TABLE_MARK.fullmatch(squash(body[-1].text))):
            body = body[:-1]
        seg.tables[number] = TableSegment(number, squash(lines[i].text), i, body)
    return seg
