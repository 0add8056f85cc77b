"""What the PDF printer prints, read from a tab-separated disclosure text by this module alone
(the extractor under test is not used, so a PDF fixture is not its own reading printed back).

A budget table starts at a line naming one of the local eleven-table template's titles that is
followed by tab-separated lines; its header lines are the tab-separated lines that hold no figure
and no code; its rows are the others, their cells as printed, in the template's order; its note is
a 备注/注 line after them. A performance table (部门整体绩效目标表, 项目支出绩效目标表) is its
tab-separated lines, every cell as printed. Everything else is prose, line by line. A text that is
not tab-separated (raw text: its cells are not known without reading it) has no tables here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from budgetkg.extract.template import family

TEMPLATE = family("local-eleven")

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"^-?[\d,]*\d(?:\.\d+)?$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$|^\d{2}$")
_HEAD = re.compile(r"编制(?:部门|单位)|单位[：:]\s*(?:万元|千元|元)")
_NOTE = re.compile(r"^[（(]?(?:注|备注|说明)\s*[：:]")
_HEADER_START = re.compile(r"^(?:项目|科目|收入|支出|类|款|项|功能分类|经济分类|“三公”经费支出内容|※|栏次)"
                           r"|^财政拨款(?:收入|支出)$")
_TOTAL = re.compile(r"^(?:合计|总计)$")
_PERFORMANCE = ("部门整体绩效目标表", "项目支出绩效目标表")


@dataclass
class BudgetTable:
    kind: str
    start: int                    # the title's line index
    end: int                      # the index after its last line
    heads: list[str] = field(default_factory=list)      # 编制部门 / 单位 lines
    header: list[list[str]] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str | None = None
    breaks: list[int] = field(default_factory=list)     # rows before which the text repeats the header (a new page)


@dataclass
class PerformanceTable:
    start: int
    end: int
    year_line: str | None
    rows: list[list[str]]


def plain(line: str) -> str:
    """A text line as it was printed: without the markup of the rendering (HTML tags such as <p>,
    markdown's list and heading marks)."""
    line = html.unescape(re.sub(r"</?[a-zA-Z][^<>]{0,20}>", "", line)).replace("\u3000", " ")
    return re.sub(r"^\s*(?:[-*+]|#{1,6})\s+(?=\S)", "", line)


def squash(text: str) -> str:
    """*text* without its whitespace (layout spaces inside CJK words)."""
    return _SPACE.sub("", text)


def _cells(text: str) -> list[str]:
    """A tab-separated line's cells, each with its runs of whitespace made one space."""
    return [" ".join(c.split()) for c in text.split("\t")]


def read(lines: list[str]) -> tuple[list[BudgetTable], list[PerformanceTable]]:
    """The budget and performance tables of a text's *lines* (the text is tab-separated)."""
    budget, performance, i = [], [], 0
    titles = {squash(layout.title): layout for layout in TEMPLATE.tables}
    while i < len(lines):
        s = squash(lines[i])
        layout = next((lay for title, lay in titles.items() if s.endswith(title) and len(s) <= len(title) + 30), None)
        if layout is not None and "\t" not in lines[i] and _tabs_follow(lines, i):
            table = _budget(lines, i, layout)
            budget.append(table)
            i = table.end
            continue
        if s in _PERFORMANCE and _tabs_follow(lines, i):
            table = _performance(lines, i)
            performance.append(table)
            i = table.end
            continue
        i += 1
    return budget, performance


def _tabs_follow(lines: list[str], i: int, limit: int = 8) -> bool:
    """A tab-separated line among the next *limit* non-blank lines (a contents entry has none)."""
    seen = 0
    for ln in lines[i + 1:]:
        if not ln.strip():
            continue
        if "\t" in ln:
            return True
        seen += 1
        if seen >= limit:
            return False
    return False


def _budget(lines: list[str], start: int, layout) -> BudgetTable:
    table = BudgetTable(layout.kind.id, start, start + 1)
    j = start + 1
    while j < len(lines):
        text = lines[j]
        s = squash(text)
        if not s:
            j += 1
            continue
        if "\t" in text:
            cells = _cells(text)
            if not _is_header(cells, layout):
                table.rows.append(cells)
            elif not table.rows:
                table.header.append(cells)
            elif not table.breaks or table.breaks[-1] != len(table.rows):
                table.breaks.append(len(table.rows))      # the header repeated after a page break
        elif _HEAD.search(s):                # a continuation page prints them again: left out
            if not table.header and not table.rows:
                table.heads.append(" ".join(text.split()))
        elif _NOTE.match(s) and (table.header or table.rows):
            table.note = s if table.note is None else table.note + s
        elif _TOTAL.match(s) and table.header:       # an empty table's 合计 row, printed without its cells
            table.rows.append([s])
        else:
            break
        table.end = j + 1
        j += 1
    return table


def _is_header(cells: list[str], layout) -> bool:
    """A line of the header: the numbering row (※ under the labels), or a line with no figure in
    any cell and no code among its label cells that has words where figures go, or a header's
    first word."""
    labels, amounts = cells[:label_cells(layout)], cells[label_cells(layout):]
    if any(labels) and all(c in ("", "※") for c in labels):
        return True                                         # the numbering row: ※ ※ ※ 1 2 3 …
    if any(_NUMBER.match(c.replace(" ", "")) for c in cells if c) or any(_CODE.match(c) for c in labels if c):
        return False
    if any(c and c != "※" for c in amounts):
        return True
    first = next((c for c in cells if c), "")
    return bool(_HEADER_START.match(squash(first)))


def label_cells(layout) -> int:
    """How many label cells a row of *layout*'s tables prints before its figures (a two-sided
    table's: the revenue item, its figure and the expenditure item)."""
    return 3 if layout.kind.rows == "two-sided" else layout.labels


def _performance(lines: list[str], start: int) -> PerformanceTable:
    j, year, rows = start + 1, None, []
    while j < len(lines):
        text = lines[j]
        if not text.strip():
            j += 1
            continue
        if "\t" in text:
            rows.append(_cells(text))
        elif year is None and not rows and re.fullmatch(r"[（(]\s*\d{4}\s*年\s*[)）]", text.strip()):
            year = text.strip()
        else:
            break
        j += 1
    return PerformanceTable(start, j if rows else start + 1, year, rows)


def keys_of(layout, header: list[list[str]]) -> list[str]:
    """The columns a table with optional columns prints, by the template's words for each in its
    header (each word used once, the most specific first); else the template's columns."""
    if not layout.optional_columns:
        return list(layout.columns)
    text = "".join(squash("".join(row)) for row in header)
    present = {"total"}
    for key, pattern in layout.header_words:
        if pattern.search(text):
            present.add(key)
            text = pattern.sub("▢", text)
    return [k for k in layout.columns if k in present]
