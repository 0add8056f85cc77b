"""The head of a performance-target table: its fields (预算单位, 项目名称, 项目资金 …) and the
indicator header that names the columns of the rows below it (一级指标 … 佐证资料)."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetkg.extract.narrative.performance_tables import PerformanceTable
from budgetkg.extract.normalize import Line, join_wrapped, squash

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


def indicator_header(lines: list[Line]) -> tuple[int, int, list[str]] | None:
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


def read_header_fields(lines: list[Line], table: PerformanceTable) -> None:
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
