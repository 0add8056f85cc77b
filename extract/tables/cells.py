"""The pieces of one printed line of a table: an amount, a code, the column-numbering row, a
note, a page head, a raw line's two sides and its trailing amounts."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from budgetkg.extract.normalize import squash
from budgetkg.extract.template import Kind
from budgetkg.extract.tables.spec import TOTAL_LABEL

AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
RAW_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")
_RAW_CODE_START = re.compile(r"^([23]\d{2})(?:\s+(\d{2}))?(?:\s+(\d{2}))?(?=\s|$)")
_EMPTY_MARKS = {"", "-", "—", "－", "/", "——"}
_PAGE_HEAD = re.compile(r"编制(部门|单位)|单位[：:]\s*(?:万元|千元|元)|(?:部门|单位)名称[：:]|资金主管部门[：:]")
_NOTE = re.compile(r"^[（(]?(备注|注|说明)[：:]|为空表|空表[。.]?$|没有(使用|安排)|无.{0,20}(支出|收入|安排|经费)[，,。]|此表无数据|无该项支出")


def parse_amount(text: str) -> Decimal | None:
    s = squash(text).replace("，", ",")
    if s in _EMPTY_MARKS:
        return None
    if not AMOUNT.match(s):
        raise ValueError(s)
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        raise ValueError(s) from None


def _is_numbering_row(cells: list[str]) -> int | None:
    cells = [squash(c) for c in cells if squash(c)]
    if cells and cells[0] in ("※", "栏次", "**", "*") and all(c in ("※", "**", "*", "栏次") or c.isdigit() for c in cells[1:]) \
            and any(c.isdigit() for c in cells):
        return max(int(c) for c in cells if c.isdigit())
    if cells and all(c.isdigit() for c in cells) and cells == [str(i) for i in range(1, len(cells) + 1)] \
            and len(cells) >= 3:
        return len(cells)
    return None


def _code_from_cells(cells: list[str], last_class: str | None = None) -> str | None:
    """The code printed in a row's code cells: one cell (2010301), or 类/款/项 cells, where a 款 or 项
    may be printed without its leading zero (301 | 2 for 30102) and a 款 row may leave 类 blank."""
    parts = [squash(c) for c in cells]
    if parts and not parts[0] and last_class and len(parts) > 1 and re.fullmatch(r"\d{1,2}", parts[1]):
        parts[0] = last_class
    if parts and re.fullmatch(r"\d{3}", parts[0]):
        code = parts[0]
        for p in parts[1:]:
            if re.fullmatch(r"\d{2}", p):
                code += p
            elif re.fullmatch(r"\d", p):
                code += "0" + p
            else:
                break
        return code
    if parts and re.fullmatch(r"\d{5}|\d{7}", parts[0]):
        return parts[0]
    return None


def _split_side(text: str) -> tuple[str, str]:
    """Split a raw table-1/4 line into its revenue and expenditure halves."""
    m = re.search(r"(?:(?<=\s)|^)([23]\d{2}\s*[\u4e00-\u9fff])|(支\s*出\s*总\s*计)", text)
    if not m:
        return text, ""
    return text[:m.start()], text[m.start():]


def _raw_tokens(text: str) -> tuple[str, list[str]]:
    """Split trailing amounts off a raw line: (label text, amounts)."""
    tokens = text.split()
    amounts: list[str] = []
    while tokens and RAW_AMOUNT.match(tokens[-1]):
        amounts.insert(0, tokens.pop())
    return " ".join(tokens), amounts


def _known_row_start(kind: Kind, text: str) -> bool:
    s = squash(text)
    if TOTAL_LABEL.match(s):
        return True
    if kind.items:
        return kind.item(s) is not None
    return False


def _is_note(text: str) -> bool:
    s = squash(text)
    return bool(_NOTE.search(s)) and len(s) > 8 and "\t" not in text.strip()


def _dec(tokens: list[str]) -> list[Decimal]:
    return [Decimal(t.replace(",", "")) for t in tokens]
