"""Indicator rows of a performance-target table: the 一级/二级 level labels and the 分值权重
column every reader anchors on, the rows of a cell rendering (tab-separated or markdown), and
the records (:class:`Indicator`) made of the rows either reader found.

Rows whose merged 一级/二级 cells were dropped or shifted are re-aligned on the 分值权重 column; a
row split over a page break (``满意 | 满意 | … | >`` then ``度指 标 | 度指 标 | | =95%``) is joined
to the row above. 一级/二级指标 merged upwards are inherited by the rows below them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from budgetkg.extract.narrative.indicator_value import parse_value
from budgetkg.extract.narrative.performance_tables import Indicator, PerformanceTable
from budgetkg.extract.normalize import Line, join_wrapped, squash

LEVEL1 = {"产出指标", "成本指标", "效益指标", "满意度指标", "履职效能", "管理效率", "社会效应", "社会效益",
          "运行成本", "可持续发展能力", "服务对象满意度"}
# 二级指标 of the national template; in raw text only these (and LEVEL1) are read as levels.
_LEVEL = re.compile(r"(?:数量|质量|时效|成本|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|可持续影响"
                    r"|服务对象满意度|满意度|产出|效益|效率|效果|履职|管理|工作)指标")
_ANY_LEVEL = re.compile(r"[\u4e00-\u9fff]{1,8}指标")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def weight_of(text: str) -> Decimal | None:
    s = squash(text)
    if not _NUMBER.fullmatch(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def is_level(text: str, strict: bool = True) -> bool:
    s = squash(text)
    return s in LEVEL1 or bool((_LEVEL if strict else _ANY_LEVEL).fullmatch(s))


def _align(cells: list[str], keys: list[str]) -> list[str] | None:
    """Re-align a row whose leading merged cells were dropped or doubled, on the weight column."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    w = keys.index("weight")
    for shift in (0, -1, 1, -2, 2):
        i = w + shift
        if 0 <= i < len(cells) and weight_of(cells[i]) is not None:
            if shift < 0:
                cells = [""] * -shift + cells
            elif shift > 0:
                if any(cells[:shift]):
                    continue
                cells = cells[shift:]
            return (cells + [""] * len(keys))[:len(keys)]
    return None


def cell_rows(body: list[Line], keys: list[str], table: PerformanceTable) -> list[tuple[int, dict[str, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    for ln in body:
        cells = ln.cells
        if not any(cells) or all(re.fullmatch(r"-*", c) for c in cells):
            continue
        if len(cells) > 1 and [squash(c) for c in cells[:2]] == ["一级指标", "二级指标"]:
            continue                          # the header printed again after a page break
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


def add_indicators(rows: list[tuple[int, dict[str, str]]], table: PerformanceTable) -> None:
    level1 = level2 = None
    for line, row in rows:
        l1, l2, name = squash(row.get("level1", "")), squash(row.get("level2", "")), squash(row.get("name", ""))
        # A 三级指标 printed in a level column (its own cell was merged away): it is the name.
        if not name:
            stray = [x for x in (l2, l1) if x and not is_level(x, strict=False)]
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
            weight=weight_of(row.get("weight", "")),
            scoring=squash(row["scoring"]) if row.get("scoring") else None,
            evidence=squash(row["evidence"]) if row.get("evidence") else None))
