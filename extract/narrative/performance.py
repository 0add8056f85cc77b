"""Performance-target tables of 第三部分 (四): one 部门整体绩效目标表 per document and one
项目支出绩效目标表 per project.

Two readers share one record type:

- **Cell rows** (tab-separated and markdown renderings). Rows whose merged 一级/二级 cells were
  dropped or shifted are re-aligned on the 分值权重 column; a row split over a page break
  (``满意 | 满意 | … | >`` then ``度指 标 | 度指 标 | | =95%``) is joined to the row above.
- **Raw text**, where each cell is broken over several lines. Rows are rebuilt with a row
  grammar anchored on the columns that have a closed form: 指标值 (a comparator, number and
  unit, or a date), 指标值设置依据 (…标准), 分值权重 (a number) and 指标赋分规则 (…赋分).

A row that fits neither is kept as text on its table and reported by table; nothing is
guessed. 一级/二级指标 merged upwards are inherited by the rows below them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from budgetkg.extract.narrative.indicator_value import IndicatorValue, parse_value
from budgetkg.extract.normalize import Line, join_wrapped, squash
from budgetkg.extract.records import Issue

_END = re.compile(r"^[（(]\s*[五六七八九十]\s*[）)]|^第[四五]部分|^[五六七八九十]+\s*[、.．]")

# Column names of the indicator header, canonical key first.
COLUMNS = [
    ("level1", ("一级指标",)), ("level2", ("二级指标",)), ("name", ("三级指标",)),
    ("basis", ("指标值设置依据", "指标值设定依据", "指标设定依据", "指标设置依据", "设置依据", "设定依据")),
    ("previous", ("上年实际完成值", "上年完成值")),
    ("weight", ("指标分值权重", "分值权重", "指标分值", "权重")),
    ("scoring", ("指标赋分规则", "赋分规则")),
    ("evidence", ("佐证资料", "佐证材料")),
    ("value", ("指标值",)),
]
_COLUMN_OF = {name: key for key, names in COLUMNS for name in names}
_COLUMN_RE = re.compile("|".join(sorted(_COLUMN_OF, key=len, reverse=True)))

LEVEL1 = {"产出指标", "成本指标", "效益指标", "满意度指标", "履职效能", "管理效率", "社会效应", "社会效益",
          "运行成本", "可持续发展能力", "服务对象满意度"}
# 二级指标 of the national template; in raw text only these (and LEVEL1) are read as levels.
_LEVEL = re.compile(r"(?:数量|质量|时效|成本|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|可持续影响"
                    r"|服务对象满意度|满意度|产出|效益|效率|效果|履职|管理|工作)指标")
_ANY_LEVEL = re.compile(r"[\u4e00-\u9fff]{1,8}指标")
_BASIS = re.compile(r".*(?:标准|制度|职责|计划|规划|要求|依据|文件|办法|方案|草案|报告)$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_EVIDENCE = re.compile(r"(?:资料|凭证|材料|文件|报告|记录|证明|台账|照片|报表)$")
_LABELS = {
    "unit": ("预算单位", "部门名称（盖章）", "部门名称(盖章)", "部门名称", "单位名称"),
    "project": ("项目名称",),
    "manager": ("项目负责人", "部门联系人", "联系人"),
    "contact": ("联系电话",),
    "goal": ("项目总体目标", "年度绩效目标", "总体目标"),
    "funds": ("项目资金（万元）", "项目资金(万元)", "年度预算（万元）", "年度预算(万元)", "项目资金", "年度预算"),
}
_FUNDS = {
    "total": r"(?:年度预算总额|资金总额)[：:]?",
    "fiscal": r"其中[：:]?财政拨款[：:]?",
    "other": r"其他资金(?:[（(]万元[）)])?[：:]?(?:其他)?",
    "upper": r"上级安排",
    "own": r"本级安排",
}
_AMOUNT = r"(\d[\d,]*(?:\.\d+)?)"


@dataclass
class Indicator:
    position: int
    line: int
    level1: str | None
    level2: str | None
    name: str
    value: IndicatorValue
    basis: str | None = None
    previous: IndicatorValue | None = None
    weight: Decimal | None = None
    scoring: str | None = None
    evidence: str | None = None


@dataclass
class PerformanceTable:
    kind: str                       # department | project
    line: int
    position: int
    unit: str | None = None
    project: str | None = None
    manager: str | None = None
    contact: str | None = None
    goal: str | None = None
    funds: dict[str, Decimal] = field(default_factory=dict)
    last_line: int | None = None    # the table's last source line
    indicators: list[Indicator] = field(default_factory=list)
    unparsed: list[tuple[int, str]] = field(default_factory=list)   # (line, text) kept as printed

    @property
    def label(self) -> str:
        what = "部门整体绩效目标表" if self.kind == "department" else f"项目支出绩效目标表 {self.project or '?'}"
        return f"{what} (line {self.line})"


def _weight(text: str) -> Decimal | None:
    s = squash(text)
    if not _NUMBER.fullmatch(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _is_level(text: str, strict: bool = True) -> bool:
    s = squash(text)
    return s in LEVEL1 or bool((_LEVEL if strict else _ANY_LEVEL).fullmatch(s))


# ------------------------------------------------------------------ tables and headers

def _titles(family) -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    """The title patterns of the two kinds of performance table (the template's sections
    department_performance and project_performance; the national ones by default)."""
    if family is None:
        from budgetkg.extract.template import DEFAULT_FAMILY, families
        family = families()[DEFAULT_FAMILY]
    return (("department", family.section("department_performance")), ("project", family.section("project_performance")))


def split_tables(part3: list[Line], family=None) -> list[tuple[str, int, list[Line]]]:
    """(kind, title line, body lines) for every performance-target table in 第三部分."""
    out: list[tuple[str, int, list[Line]]] = []
    titles = _titles(family)
    for ln in part3:
        s = squash(ln.text)
        kind = next((k for k, patterns in titles if any(p.search(s) for p in patterns)), None)
        if kind:
            out.append((kind, ln.number, []))
            continue
        if out and _END.match(s) and "指标" not in s:
            break
        if out:
            out[-1][2].append(ln)
    return out


def _header_end(lines: list[Line]) -> tuple[int, int, list[str]] | None:
    """(first, after-last) line index of the indicator header, and its column keys.

    In cell renderings the header is one row; in raw text it is broken over many lines
    (一级 / 指标 / 二级 / …), so lines are taken while they still spell column names.
    """
    for i, ln in enumerate(lines):
        if not squash(ln.text).startswith("一级"):
            continue
        text, j = squash(ln.text), i + 1
        if "\t" not in ln.text:
            while j < len(lines):
                s = squash(lines[j].text)
                if s and not _partial_header(text + s):
                    break
                text += s
                j += 1
        keys = [_COLUMN_OF[m] for m in _COLUMN_RE.findall(text)]
        if "level1" in keys and "weight" in keys and "value" in keys:
            return i, j, keys
    return None


def _partial_header(text: str) -> bool:
    """True when *text* is column names followed by the beginning of one more."""
    rest = _COLUMN_RE.sub("\x00", text).split("\x00")
    tail = rest[-1]
    return all(not r for r in rest[:-1]) and (not tail or any(n.startswith(tail) for n in _COLUMN_OF))


def _parse_header(lines: list[Line], table: PerformanceTable) -> None:
    pieces = []
    for ln in lines:
        pieces.extend(c for c in ln.text.split("\t") if c.strip())
    text = "\n".join(pieces)
    spans = []
    for key, labels in _LABELS.items():
        for label in labels:
            pattern = r"\s*".join(map(re.escape, label))
            m = re.search(pattern, text)
            if m:
                spans.append((m.start(), m.end(), key))
                break
    spans.sort()
    for k, (start, end, key) in enumerate(spans):
        stop = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        value = join_wrapped(text[end:stop].split("\n")).strip(" ：:")
        if key == "funds":
            continue
        if key in ("unit", "project", "manager", "contact"):
            value = squash(value)
        setattr(table, key, value or None)
    funds_text = squash(text)
    for key, pattern in _FUNDS.items():
        m = re.search(pattern + _AMOUNT, funds_text)
        if m:
            table.funds[key] = Decimal(m.group(1).replace(",", ""))


# ------------------------------------------------------------------ cell rows

def _align(cells: list[str], keys: list[str]) -> list[str] | None:
    """Re-align a row whose leading merged cells were dropped or doubled, on the weight column."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    w = keys.index("weight")
    for shift in (0, -1, 1, -2, 2):
        i = w + shift
        if 0 <= i < len(cells) and _weight(cells[i]) is not None:
            if shift < 0:
                cells = [""] * -shift + cells
            elif shift > 0:
                if any(cells[:shift]):
                    continue
                cells = cells[shift:]
            return (cells + [""] * len(keys))[:len(keys)]
    return None


def _cell_rows(body: list[Line], keys: list[str], table: PerformanceTable) -> list[tuple[int, dict[str, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    for ln in body:
        cells = ln.cells
        if not any(cells) or all(re.fullmatch(r"-*", c) for c in cells):
            continue
        aligned = _align(cells, keys)
        if aligned is None and len(cells) == 1 and len(squash(cells[0])) > 8:
            table.unparsed.append((ln.number, ln.text))     # one cell across the table: a row kept as printed
            continue
        if aligned is None:
            row = dict(zip(keys, (cells + [""] * len(keys))[:len(keys)]))
            if rows and (not row.get("name") or not row.get("value")):    # continuation of a split row
                previous = rows[-1][1]
                for key, text in row.items():
                    if text:
                        previous[key] = (previous.get(key, "") + " " + text).strip()
                continue
            table.unparsed.append((ln.number, ln.text.replace("\t", " | ")))
            continue
        rows.append((ln.number, dict(zip(keys, aligned))))
    return rows


# ------------------------------------------------------------------ raw text rows

@dataclass
class _Token:
    text: str
    line: int
    last: bool          # last token on its source line
    page_start: bool    # first token of a line that opens a new page (raw text indents it)


def _tokens(body: list[Line]) -> list[_Token]:
    printed = [ln for ln in body if ln.text.strip()]
    indented = sum(1 for ln in printed if ln.text[:1].isspace())
    pages_marked = printed and indented <= max(3, len(printed) // 10)
    out = []
    for ln in printed:
        parts = ln.text.split()
        for k, part in enumerate(parts):
            out.append(_Token(part, ln.number, k == len(parts) - 1,
                              bool(pages_marked and k == 0 and ln.text[:1].isspace())))
    return out


def _joined(tokens: list[_Token]) -> str:
    return join_wrapped([t.text for t in tokens])


def _levels(tokens: list[_Token], i: int, stop: int) -> tuple[list[str], int]:
    """The 一级/二级 labels (each possibly broken over up to four tokens) starting at token *i*."""
    found = []
    while i < stop and len(found) < 2:
        for n in range(1, min(4, stop - i) + 1):
            s = "".join(t.text for t in tokens[i:i + n])
            if _is_level(s) and not (i + n < stop and not _is_level(tokens[i + n].text)
                                     and _is_level(s + tokens[i + n].text)):
                found.append(s)
                i += n
                break
        else:
            break
    return found, i


def _rule_at(tokens: list[_Token], i: int) -> int | None:
    """End index of a 赋分 rule starting at token *i* (at most three tokens), or None."""
    text = ""
    for n in range(3):
        if i + n >= len(tokens):
            return None
        text += tokens[i + n].text
        if "赋分" in text or text.endswith("得分"):
            return i + n + 1
        if _weight(tokens[i + n].text) is not None:
            return None
    return None


def _row_end(tokens: list[_Token], i: int, keys: list[str]) -> tuple[int, int, dict[str, str]] | None:
    """(weight index, end, tail fields) of the row starting at token *i*."""
    has_rule, has_evidence = "scoring" in keys, "evidence" in keys
    for w in range(i + 1, len(tokens)):
        if _weight(tokens[w].text) is None:
            continue
        if has_rule:
            rule_end = _rule_at(tokens, w + 1)
            if rule_end is None:
                continue
            end = rule_end
            if has_evidence and end < len(tokens):
                end += 1
                if end < len(tokens) and not _EVIDENCE.search(tokens[end - 1].text) and \
                        _EVIDENCE.search(tokens[end - 1].text + tokens[end].text) and len(tokens[end].text) <= 4:
                    end += 1                      # 原始凭证,工作 / 资料
            return w, end, {"weight": tokens[w].text, "scoring": _joined(tokens[w + 1:rule_end]),
                            "evidence": _joined(tokens[rule_end:end])}
        if tokens[w].last and w > i + 2:
            return w, w + 1, {"weight": tokens[w].text}
    return None


def _raw_rows(body: list[Line], keys: list[str], table: PerformanceTable) -> list[tuple[int, dict[str, str]]]:
    """Cut the token stream into rows at each 分值权重 (followed by its 赋分 rule and 佐证资料).

    A row split by a page break prints the overflow of its cells at the top of the next
    page, before or inside the next row. Such a row, and the next one when the overflow
    runs into it, are kept as text rather than pieced together by guesswork.
    """
    tokens = _tokens(body)
    rows: list[tuple[int, dict[str, str]]] = []
    i, previous, spoiled = 0, 0, False
    while i < len(tokens):
        found = _row_end(tokens, i, keys)
        if found is None:
            rows.append(_text_row(tokens, i, len(tokens)))
            break
        w, end, fields = found
        row = None if spoiled else _raw_row(tokens, i, w, keys)
        spoiled = False
        if row is not None and _stray_level(tokens, i, w):
            # A level label inside the row, or a label broken in two (满意度指 … 标): the text of
            # the row above ran over into this one. Neither row is pieced together.
            row = None
            if rows and "text" not in rows[-1][1]:
                rows[-1] = _text_row(tokens, previous, i)
        previous = i
        if end < len(tokens) and tokens[end].page_start and not _levels(tokens, end, len(tokens))[0]:
            nxt = _row_end(tokens, end, keys)
            limit = nxt[0] if nxt else len(tokens)
            resume = next((k for k in range(end + 1, limit) if _levels(tokens, k, limit)[0]), None)
            row = None
            if resume is None:
                spoiled = True
            else:
                end = resume
        if row is None:
            rows.append(_text_row(tokens, i, end))
        else:
            row.update(fields)
            rows.append((tokens[i].line, row))
        i = end
    return rows


def _stray_level(tokens: list[_Token], i: int, w: int) -> bool:
    """A 一级/二级 label, or the first half of one, after the labels that open the row [i, w)."""
    _, j = _levels(tokens, i, w)
    return any(_is_level(t.text) or _is_level(t.text + "标") for t in tokens[j:w])


def _text_row(tokens: list[_Token], i: int, end: int) -> tuple[int, dict[str, str]]:
    """A row kept as text. The last 一级/二级 labels in it still apply to the rows below."""
    levels: list[str] = []
    k = i
    while k < end:
        found, after = _levels(tokens, k, end)
        if found:
            levels = found
        k = max(after, k + 1)
    return tokens[i].line, {**_level_fields(levels), "text": _joined(tokens[i:end])}


def _level_fields(levels: list[str]) -> dict[str, str]:
    """Two labels are 一级 and 二级; a single one is 一级 when it is a 一级 label, else 二级."""
    if len(levels) == 2 or (levels and squash(levels[0]) in LEVEL1):
        return dict(zip(("level1", "level2"), levels))
    return dict(zip(("level2",), levels))


def _value_run(tokens: list[_Token], p: int, b: int, bare: bool) -> bool:
    """Tokens [p, b) are a whole 指标值: a date or a comparator and number; with *bare*, also a
    bare number printed on the basis token's own line (a bare number on a line of its own could
    as well be the end of a wrapped name)."""
    value = parse_value("".join(t.text for t in tokens[p:b]))
    if value.kind == "date" or (value.kind == "numeric" and value.comparator):
        return True
    return bare and value.kind == "numeric" and all(t.line == tokens[b].line for t in tokens[p:b])


def _raw_row(tokens: list[_Token], i: int, w: int, keys: list[str]) -> dict[str, str] | None:
    """Levels, name, value, basis and previous value of the tokens [i, w) before the weight.

    In order of preference: a comparator or date value ending at a …标准-like basis token; a
    comparator token (with one short unit token after it) followed by a free-text basis; a
    bare number on the basis token's line. Qualitative values have no closed form in raw
    text, so such a row is not reconstructed.
    """
    levels, j = _levels(tokens, i, w)
    row = {"level1": "", "level2": "", "basis": "", "previous": "", **_level_fields(levels)}
    bases = [b for b in range(j + 1, w) if _BASIS.match(tokens[b].text)]

    def by_basis(bare: bool):
        for b in bases:
            p = next((p for p in range(j + 1, b) if _value_run(tokens, p, b, bare)), None)
            if p is not None:
                return p, b, b + 1
        return None

    found = by_basis(bare=False)
    if found is None:
        for p in range(j + 1, w - 1):
            first = parse_value(tokens[p].text)
            if first.kind == "numeric" and first.comparator:
                stop = p + 1
                if first.unit is None and len(tokens[p + 1].text) <= 3 and \
                        parse_value(tokens[p].text + tokens[p + 1].text).unit and stop + 1 < w:
                    stop += 1
                found = (p, stop, stop)
                break
    if found is None:
        found = by_basis(bare=True)
    if found is None:
        return None
    value_at, basis_at, basis_end = found
    row["name"] = squash(_joined(tokens[j:value_at]))
    row["value"] = _joined(tokens[value_at:basis_at])
    if basis_end > basis_at:              # one basis token from the vocabulary, then 上年完成值
        row["basis"] = tokens[basis_at].text
        rest = _joined(tokens[basis_end:w])
        if "previous" in keys:
            row["previous"] = rest
        elif rest:
            row["basis"] += " " + rest
    else:
        row["basis"] = _joined(tokens[basis_at:w])
    return row if row["name"] else None


# ------------------------------------------------------------------ records

def _indicators(rows: list[tuple[int, dict[str, str]]], table: PerformanceTable) -> None:
    level1 = level2 = None
    for line, row in rows:
        l1, l2, name = squash(row.get("level1", "")), squash(row.get("level2", "")), squash(row.get("name", ""))
        # A 三级指标 printed in a level column (its own cell was merged away): it is the name.
        if not name:
            stray = [x for x in (l2, l1) if x and not _is_level(x, strict=False)]
            if len(stray) == 1:
                name = stray[0]
                l1, l2 = (l1 if l1 != name else ""), (l2 if l2 != name else "")
        if l1:
            level1, level2 = l1, None
        if l2:
            level2 = l2
        if not name or "text" in row:
            table.unparsed.append((line, row.get("text") or " | ".join(v for v in row.values() if v)))
            continue
        previous = row.get("previous")
        table.indicators.append(Indicator(
            len(table.indicators) + 1, line, level1, level2, name, parse_value(row.get("value", "")),
            basis=join_wrapped([row["basis"]]) if row.get("basis") else None,
            previous=parse_value(previous) if previous else None,
            weight=_weight(row.get("weight", "")),
            scoring=squash(row["scoring"]) if row.get("scoring") else None,
            evidence=squash(row["evidence"]) if row.get("evidence") else None))


def parse_performance(part3: list[Line], family=None) -> tuple[list[PerformanceTable], list[Issue]]:
    tables: list[PerformanceTable] = []
    issues: list[Issue] = []
    for position, (kind, line, body) in enumerate(split_tables(part3, family), start=1):
        table = PerformanceTable(kind, line, position, last_line=body[-1].number if body else line)
        tables.append(table)
        found = _header_end(body)
        if found is None:
            _parse_header(body, table)
            table.unparsed.extend((ln.number, ln.text) for ln in body if ln.text.strip())
            issues.append(Issue("warning", f"{table.label}: no 一级指标/二级指标/三级指标 header; "
                                           "the table is kept as text", line))
            continue
        start, after, keys = found
        _parse_header(body[:start], table)
        rest = body[after:]
        cells = "\t" in body[start].text
        rows = _cell_rows(rest, keys, table) if cells else _raw_rows(rest, keys, table)
        _indicators(rows, table)
        for value_line, text in table.unparsed:
            issues.append(Issue("warning", f"{table.label}: a row could not be reconstructed and is kept as "
                                           f"text: {text[:80]!r}", value_line))
        for ind in table.indicators:
            for what, v in (("指标值", ind.value), ("上年完成值", ind.previous)):
                if v is not None and v.flagged:
                    issues.append(Issue("warning", f"{table.label}: {ind.name} {what} {v.text!r} is not a "
                                                   "comparator, number, date or qualitative target; kept as text",
                                        ind.line))
    return tables, issues
