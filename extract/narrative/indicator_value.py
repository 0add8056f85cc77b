"""指标值 and 上年完成值 of a performance-target table, parsed into comparator, target and unit.

``>=5 次`` · ``＞=800 家`` · ``> =95%`` · ``≤1批`` · ``< =66.7 8 万元`` · ``2024 年 5月 30日`` ·
``有效提升``. The raw text is always kept. A value that is neither a number, a date nor a
qualitative phrase is ``unparsed``: it is kept and flagged, never guessed and never raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from budgetkg.extract.normalize import squash

# Spellings of the five comparators, longest first; spaces are already squashed away.
_COMPARATORS = [
    ("大于等于", ">="), ("大于或等于", ">="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="),
    ("小于等于", "<="), ("小于或等于", "<="), ("不高于", "<="), ("不超过", "<="), ("不多于", "<="),
    ("不大于", "<="), ("大于", ">"), ("小于", "<"), ("等于", "="),
    (">=", ">="), ("=>", ">="), ("<=", "<="), ("=<", "<="), ("≥", ">="), ("≧", ">="), ("≤", "<="),
    ("≦", "<="), (">", ">"), ("<", "<"), ("=", "="),
]
_WIDE = str.maketrans({"＞": ">", "＜": "<", "＝": "=", "％": "%", "．": ".", "，": ",", "／": "/",
                       "（": "(", "）": ")", **{chr(0xFF10 + i): str(i) for i in range(10)}})
_NUMBER = re.compile(r"(?P<number>[-+]?\d[\d,]*(?:\.\d+)?)")
# A unit: %, or a short run of CJK/latin unit words with / and (…): 万元, 人/月, 元/人/年, (家)次, m².
_UNIT = re.compile(r"%|‰|[\u4e00-\u9fffA-Za-z²³(](?:[\u4e00-\u9fffA-Za-z²³·./()]{0,8}[\u4e00-\u9fffA-Za-z²³)])?")
_DATE = re.compile(r"(?P<y>20\d{2})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?(?P<when>底前|前|之前|以前|内|底|末|年底前)?")
_QUALITATIVE = re.compile(r"[\u4e00-\u9fff、，,“”\"]{1,40}")
NONE_MARKS = {"", "-", "—", "－", "/", "无", "——", "--", "不适用"}


@dataclass(frozen=True)
class IndicatorValue:
    text: str                        # exactly as printed (layout spaces kept)
    kind: str                        # numeric | date | qualitative | none | unparsed
    comparator: str | None = None    # = >= <= > <
    target: Decimal | None = None
    unit: str | None = None
    target_date: str | None = None   # ISO date (2024-05-30) or year-month (2024-05) or year (2024)

    @property
    def flagged(self) -> bool:
        return self.kind == "unparsed"


def _comparator(s: str) -> tuple[str | None, str]:
    for spelling, op in _COMPARATORS:
        if s.startswith(spelling):
            return op, s[len(spelling):]
    return None, s


def parse_value(text: str | None) -> IndicatorValue:
    """Parse one 指标值 cell. Never raises."""
    raw = "" if text is None else str(text)
    s = squash(raw).translate(_WIDE)
    if s in NONE_MARKS:
        return IndicatorValue(raw, "none")
    op, rest = _comparator(s)
    m = _DATE.fullmatch(rest)
    if m and (m["m"] or m["when"] or op):
        return _date_value(raw, op, m)
    m = _NUMBER.match(rest)
    if m:
        unit = rest[m.end():]
        if unit and not _UNIT.fullmatch(unit):
            return IndicatorValue(raw, "unparsed")
        try:
            target = Decimal(m["number"].replace(",", ""))
        except InvalidOperation:
            return IndicatorValue(raw, "unparsed")
        if "," in m["number"] and not re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", m["number"]):
            return IndicatorValue(raw, "unparsed")
        return IndicatorValue(raw, "numeric", op, target, unit or None)
    if op is None and _QUALITATIVE.fullmatch(rest):
        return IndicatorValue(raw, "qualitative")
    return IndicatorValue(raw, "unparsed")


def _date_value(raw: str, op: str | None, m: re.Match) -> IndicatorValue:
    y, mo, d = int(m["y"]), m["m"] and int(m["m"]), m["d"] and int(m["d"])
    try:
        if d:
            iso = date(y, mo, d).isoformat()
        elif mo:
            date(y, mo, 1)
            iso = f"{y:04d}-{mo:02d}"
        else:
            iso = f"{y:04d}"
    except ValueError:
        return IndicatorValue(raw, "unparsed")
    if m["when"] and op is None:
        op = "<=" if "前" in m["when"] or m["when"] in {"内", "底", "末"} else None
    return IndicatorValue(raw, "date", op, None, None, iso)
