"""Indicator rows of a raw-text rendering, where each cell is broken over several lines.

Rows are rebuilt with a row grammar anchored on the columns that have a closed form: 指标值 (a
comparator, number and unit, or a date), 指标值设置依据 (…标准), 分值权重 (a number) and 指标赋分规则
(…赋分). A row that fits neither is kept as text on its table; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetkg.extract.narrative.indicator_value import parse_value
from budgetkg.extract.narrative.performance_rows import LEVEL1, is_level, weight_of
from budgetkg.extract.normalize import Line, join_wrapped, squash

_BASIS = re.compile(r".*(?:标准|制度|职责|计划|规划|要求|依据|文件|办法|方案|草案|报告)$")
_EVIDENCE = re.compile(r"(?:资料|凭证|材料|文件|报告|记录|证明|台账|照片|报表)$")


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
            if is_level(s) and not (i + n < stop and not is_level(tokens[i + n].text)
                                    and is_level(s + tokens[i + n].text)):
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
        if weight_of(tokens[i + n].text) is not None:
            return None
    return None


def _row_end(tokens: list[_Token], i: int, keys: list[str]) -> tuple[int, int, dict[str, str]] | None:
    """(weight index, end, tail fields) of the row starting at token *i*."""
    has_rule, has_evidence = "scoring" in keys, "evidence" in keys
    for w in range(i + 1, len(tokens)):
        if weight_of(tokens[w].text) is None:
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


def raw_rows(body: list[Line], keys: list[str]) -> list[tuple[int, dict[str, str]]]:
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
    return any(is_level(t.text) or is_level(t.text + "标") for t in tokens[j:w])


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
