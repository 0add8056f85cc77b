"""Segment a normalized document into its parts and its tables, by what they say.

A table starts at a title that names a kind of table (template.kind_of_title: the national
words, whatever the numbering, year, body name or unit printed with them) when table content
follows it (a unit or 编制部门 line, a header, a ruled row). It ends where the next table,
section or heading starts: a part heading, a heading the template names, or in a PDF the first
line of prose after its ruled rows. The overview, the explanation and the glossary are found by
the headings of the document's template family (template.Family.sections), not by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetkg.extract.normalize import Line, squash
from budgetkg.extract.template import Family, Kind, is_final_title, kind_of_title, title_core

_MARK_LINE = re.compile(r"^(?:\d{1,3}(?=部门|单位|公开))?(?:(?:部门|单位)?(?:公开|预算)?表\s*([0-9一二三四五六七八九十]{1,3})|"
                        r"预算\s*(\d{1,2})\s*表)$")
_MARK_PREFIX = re.compile(r"^(?:(?:部门|单位)?(?:公开|预算)?表\s*([0-9一二三四五六七八九十]{1,3})(?![0-9])|"
                          r"([一二三四五六七八九十]{1,3})\s*[、.．]|(\d{1,2})\s*[、.．](?!\d))")
_UNIT = re.compile(r"单位[：:]\s*(万元|千元|元)")
_HEAD_LINE = re.compile(r"编制(?:部门|单位)|(?:部门|单位|预算单位)名称[：:]|单位[：:]\s*(?:万元|千元|元)|资金主管部门[：:]")
_HEADER_WORDS = re.compile(r"^(?:项目|科目|收入|支出|合计|总计|功能分类|经济分类|类|款|项|科目编码|科目名称|预算数|金额)")
_PART = re.compile(r"^第([一二三四五六七八九十1-9])部分")
_LEADERS = re.compile(r"[.…·]{4,}\s*\d*\s*$")
_NOTE = re.compile(r"^[（(]?(?:注|备注|说明)\s*[：:]|为空表|空表[。.]?$|此表无数据|故此表|无数据|没有(?:使用|安排)")
_PROSE = re.compile(r"[，。；]")
_FIGURE = re.compile(r"\d[\d,]*\.\d")
_HEADER_CELL = re.compile(r"科目|项目|合计|总计|预算数|金额|收入|支出|经费|指标")
_ROW_TEXT = re.compile(r"^\d{3,7}\s+\S.*?\s-?[\d,]+(?:\.\d+)?$")   # a table row printed outside the ruling
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def numeral_value(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in _NUMERALS:
        return _NUMERALS[text]
    if text.startswith("十") and len(text) == 2 and text[1] in _NUMERALS:
        return 10 + _NUMERALS[text[1]]
    if len(text) >= 2 and text[0] in _NUMERALS and text[1] == "十":
        return _NUMERALS[text[0]] * 10 + (_NUMERALS.get(text[2], 0) if len(text) == 3 else 0)
    return None


@dataclass
class TableSegment:
    kind: str
    title: str           # as printed (squashed), numbering and unit left out
    start: int           # index into lines of the title
    lines: list[Line]    # body lines after the title
    number: int | None = None     # the printed number (表3, 部门公开表3, 三、, 3.), when printed
    unit: str | None = None       # 单位：元|万元|千元 printed with the table
    final: bool = False           # a 决算 table

    @property
    def label(self) -> str:
        return f"表{self.number} {self.title}" if self.number else self.title


@dataclass
class Segments:
    lines: list[Line]
    family: Family | None = None
    part1: list[Line] = field(default_factory=list)
    tables: dict[str, TableSegment] = field(default_factory=dict)
    part3: list[Line] = field(default_factory=list)
    part4: list[Line] = field(default_factory=list)
    part3_found: bool = False
    duplicate_tables: list[tuple[TableSegment, int]] = field(default_factory=list)
    unrecognised: list[TableSegment] = field(default_factory=list)   # titled tables of no known kind
    headings: list[tuple[int, str]] = field(default_factory=list)    # (line index, role) of section headings


def table_kind_of_title(text: str, names: tuple[str, ...] = ()) -> Kind | None:
    """The kind a title names (for the PDF reader and the segmenter alike)."""
    return kind_of_title(text, names)


def _printed_number(text: str, mark: int | None) -> int | None:
    m = _MARK_PREFIX.match(squash(text))
    if m:
        for g in m.groups():
            if g:
                return numeral_value(g)
    return mark


def _is_heading_shaped(ln: Line) -> bool:
    s = squash(ln.text)
    return bool(s) and not ln.grid and "\t" not in ln.text.strip() and len(s) <= 50 and not s.endswith(("。", "；")) \
        and not _LEADERS.search(s)


def _content_follows(lines: list[Line], i: int, limit: int = 5) -> bool:
    """Whether a table (unit or 编制部门 line, header words, ruled rows) follows line *i*."""
    if _UNIT.search(lines[i].text) or _HEAD_LINE.search(squash(lines[i].text)):
        return True
    for _, ln, s in _next_lines(lines, i, limit):
        if _MARK_LINE.match(s):
            return False
        if _HEAD_LINE.search(s) or _HEADER_WORDS.match(s):
            return True
        if (ln.grid or "\t" in ln.text.strip()) and title_core(s) is None and \
                (_FIGURE.search(s) or _HEADER_CELL.search(s)):
            return True                # a ruled row (not another title of a contents table)
    return False


def _prose_follows(lines: list[Line], i: int, names: tuple[str, ...] = (), limit: int = 4) -> bool:
    """Whether body text or a table (not a table of contents) follows a heading at line *i*."""
    for j, ln, s in _next_lines(lines, i, limit):
        if _LEADERS.search(s):
            return False
        if _PROSE.search(s) or len(s) >= 50 or ((ln.grid or "\t" in ln.text.strip()) and _FIGURE.search(s)):
            return True
        if kind_of_title(s, names) is not None and _content_follows(lines, j):
            return True
    return False


def _next_lines(lines: list[Line], i: int, limit: int):
    """(index, line, squashed text) of the first *limit* non-blank lines after line *i*
    (indexed, not sliced: no copy of the rest of the document)."""
    seen = 0
    for j in range(i + 1, len(lines)):
        s = squash(lines[j].text)
        if not s:
            continue
        yield j, lines[j], s
        seen += 1
        if seen >= limit:
            return


def _roles(family: Family, text: str) -> list[str]:
    s = squash(text)
    return [role for role in ("overview", "tables", "explanation", "glossary", "performance")
            if any(p.search(s) for p in family.section(role))]


def _table_starts(lines: list[Line], names: tuple[str, ...]) -> tuple[list[TableSegment], list[int]]:
    """Every titled table (known kind or not) in document order, and the lines that are number marks."""
    starts: list[TableSegment] = []
    marks: list[int] = []
    mark: int | None = None
    contents: dict[str, int] = {}            # kind → the number the table of contents gives it
    for i, ln in enumerate(lines):
        if ln.grid or "\t" in ln.text.strip():
            continue
        s = squash(ln.text)
        if not s:
            continue
        m = _MARK_LINE.match(s)
        if m:
            mark = numeral_value(m.group(1) or m.group(2))
            marks.append(i)
            continue
        core = title_core(s, names)
        if core is None or not _content_follows(lines, i):
            if core is not None and (k := kind_of_title(s, names)) is not None:
                number = _printed_number(s, mark)
                if number is not None:
                    contents.setdefault(k.id, number)
            if len(s) > 8:
                mark = None
            continue
        k = kind_of_title(s, names)
        unit = _UNIT.search(s)
        starts.append(TableSegment(k.id if k else "", core if k is None else _display_title(s), i, [],
                                   _printed_number(s, mark), unit.group(1) if unit else None, is_final_title(s)))
        mark = None
    for t in starts:                     # numbered only in the contents (Shanghai: 1. …表 ……)
        if t.number is None and t.kind in contents:
            t.number = contents[t.kind]
    return starts, marks


def _display_title(text: str) -> str:
    s = squash(text)
    s = re.sub(r"[（(]?(?:金额)?单位[：:].*$", "", s)
    s = re.sub(r"(?:编制|填报)?(?:部门|单位)(?:名称)?[：:].*$", "", s)
    m = _MARK_PREFIX.match(s)
    if m and not re.match(r"\d{4}", s):
        s = s[m.end():].lstrip("、.．:： ")
    return s


def _body_end(lines: list[Line], seg: TableSegment, stop: int, heading_at: set[int]) -> int:
    """Where a table's body ends: at *stop* (the next title), a section heading, or the first
    prose after its rows (notes and page furniture excepted): in a PDF any line after its ruled
    rows, in a tab-separated rendering a sentence (ending in 。) after its tab-separated rows."""
    seen_grid = seen_tabs = False
    for j in range(seg.start + 1, stop):
        ln = lines[j]
        s = squash(ln.text)
        if not s:
            continue
        if j in heading_at:
            return j
        if ln.grid:
            seen_grid = True
            continue
        if ln.page is None and "\t" in ln.text:
            seen_tabs = True
            continue
        if not (seen_grid if ln.page is not None else seen_tabs and s.endswith("。")):
            continue
        if _NOTE.search(s) or _HEAD_LINE.search(s) or _MARK_LINE.match(s) or re.fullmatch(r"\d{1,3}", s) \
                or _ROW_TEXT.match(ln.text.strip()):
            continue
        return j
    return stop


def detect_family(lines: list[Line], families: dict[str, Family]) -> Family:
    """The template whose words the document's first pages print most; the national one if none."""
    head = "\n".join(squash(ln.text) for ln in lines[:600])
    best, score = None, 0
    for fam in families.values():
        hits = sum(1 for p in fam.detect if p.search(head))
        if hits > score:
            best, score = fam, hits
    return best if best is not None else families["national"]


def segment(lines: list[Line], family: Family, names: tuple[str, ...] = ()) -> Segments:
    seg = Segments(lines, family)
    starts, marks = _table_starts(lines, names)

    headings: dict[int, list[str]] = {}
    last_part: dict[str, int] = {}          # a 第X部分 heading printed twice: the first is the contents
    for i, ln in enumerate(lines):
        if not _is_heading_shaped(ln):
            continue
        roles = _roles(family, ln.text)
        part = _PART.match(squash(ln.text))
        if part:
            if _prose_follows(lines, i, names):
                last_part[part.group(1)] = i
                headings[i] = roles or ["part"]
        elif roles and _prose_follows(lines, i, names):
            headings[i] = roles
    for i in [i for i in headings if _PART.match(squash(lines[i].text))]:
        if last_part[_PART.match(squash(lines[i].text)).group(1)] != i:
            del headings[i]
    title_at = {t.start for t in starts}
    heading_at = {i for i in headings if i not in title_at}
    seg.headings = [(i, roles[0]) for i, roles in sorted(headings.items()) if i not in title_at]

    in_table: set[int] = set()
    for k, t in enumerate(starts):
        stop = starts[k + 1].start if k + 1 < len(starts) else len(lines)
        end = _body_end(lines, t, stop, heading_at)
        body = lines[t.start + 1:end]
        while body and (not squash(body[-1].text) or _MARK_LINE.match(squash(body[-1].text))):
            body = body[:-1]
        t.lines = body
        if not t.kind or kinds_of(t).is_budget_table:      # performance tables stay in the prose
            in_table.update(range(t.start, t.start + 1 + len(body)))
        if t.unit is None:
            t.unit = next((m.group(1) for ln in body[:6] if (m := _UNIT.search(ln.text))), None)
        if not t.kind:
            seg.unrecognised.append(t)
        elif not kinds_of(t).is_budget_table:
            continue
        elif t.kind in seg.tables:
            seg.duplicate_tables.append((t, lines[t.start].number))
        else:
            seg.tables[t.kind] = t

    _parts(seg, headings, starts, in_table, marks)
    return seg


def kinds_of(t: TableSegment) -> Kind:
    from budgetkg.extract.template import kind
    return kind(t.kind)


def _parts(seg: Segments, headings: dict[int, list[str]], starts: list[TableSegment], in_table: set[int],
           marks: list[int]) -> None:
    """Part one (the overview), part four (the glossary), and part three: every other line of
    prose after part one (the explanation, project descriptions, performance tables)."""
    lines = seg.lines

    def is_part(i: int) -> bool:
        return bool(_PART.match(squash(lines[i].text)))

    first_table = min((t.start for t in starts if t.kind and kinds_of(t).is_budget_table), default=len(lines))
    overview = sorted(i for i, roles in headings.items() if "overview" in roles and i < first_table)
    start1 = None
    if overview:
        parts = [i for i in overview if is_part(i)]
        start1 = parts[-1] if parts else overview[0]
        ends = [i for i, roles in headings.items() if i > start1 and
                (is_part(i) or {"tables", "explanation", "glossary", "performance"} & set(roles))]
        end = min(ends + [first_table])
        # a 第一部分 heading is left out; a heading that names the overview's first section
        # (…主要职能, 一、单位基本情况) is part of it
        seg.part1 = lines[start1 + (1 if is_part(start1) else 0):end]
    elif seg.tables:
        seg.part1 = lines[:first_table]

    boundaries = sorted(set(headings) | {t.start for t in starts})
    glossary: set[int] = set()
    for g in sorted(i for i, roles in headings.items() if "glossary" in roles and i > (start1 or -1)):
        nxt = next((i for i in boundaries if i > g and "glossary" not in headings.get(i, [])), len(lines))
        glossary.update(range(g, nxt))
        seg.part4 = lines[g + 1:nxt]
    seg.part3_found = any("explanation" in roles for roles in headings.values())
    begin = start1 + (1 if is_part(start1) else 0) + len(seg.part1) if start1 is not None else 0
    skip = in_table | glossary | set(marks) | {i for i in headings if is_part(i)}
    seg.part3 = [ln for i, ln in enumerate(lines[begin:], start=begin) if i not in skip]
