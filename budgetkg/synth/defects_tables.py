"""Planted defects in the budget's tables: a table left out, a figure retyped so a row, a
subtotal or a total no longer adds up, a code or a name not of the year's list, a header or a
figure that cannot be read into its columns, a table's figures and its empty note at odds.
"""

from __future__ import annotations

import random
import re

from budgetkg.synth.budget_tables import TEMPLATE
from budgetkg.synth.defects_edits import NotApplicable, _change_first, _cut, _edit_row, _once, _retype, _table_rows
from budgetkg.synth.model import Department


def missing_table(d: Department, text: str, rng: random.Random) -> str:
    return _cut(text, "表 9\n", "表 10\n")


def table_item_changed(d: Department, text: str, rng: random.Random) -> str:
    """One public-spending item of 表6 retyped one 万元 higher (its 合计 and 公用经费 cells)."""
    code = next(c for c in d.economic if c.startswith("302"))
    return _retype(text, 6, lambda c: (3, 5) if len(c) == 6 and c[0] == "302" and c[1] == code[3:] else None)


def _is_table3_row(cells: list[str]) -> bool:
    """A coded row of 表3: 类, 款, 项, name, 合计, 基本, 项目."""
    return len(cells) == 7 and re.fullmatch(r"\d{3}", cells[0]) is not None


def summary_total_mismatch(d: Department, text: str, rng: random.Random) -> str:
    """表1's 支出总计 retyped one 万元 higher."""
    return _change_first(text, r"支 出 总 计[\t ]([\d,.]+)", "支出总计")


def row_total_changed(d: Department, text: str, rng: random.Random) -> str:
    """表3's first 项 row prints a 合计 one 万元 above its basic and project columns."""
    return _retype(text, 3, lambda c: (4,) if _is_table3_row(c) and c[2] else None)


def class_row_changed(d: Department, text: str, rng: random.Random) -> str:
    """表3's first 类 row one 万元 higher in 合计 and in its first printed part (the row
    still adds up across; its 款 rows and the 合计 row no longer add up to it)."""
    return _retype(text, 3, lambda c: (4, 5 if c[5] else 6) if _is_table3_row(c) and not c[1] else None)


def subtotal_row_missing(d: Department, text: str, rng: random.Random) -> str:
    """A 款 row of 表3 left out, under a 类 that has no other 款 (so the 类 row is not
    summed over an incomplete set of 款 rows, and only the orphaned 项 rows are reported)."""
    lines, span = _table_rows(text, 3)
    kuan = [(k, c) for k, c in ((k, lines[k].split("\t")) for k in span)
            if _is_table3_row(c) and c[1] and not c[2]]
    for k, c in kuan:
        if sum(1 for _, o in kuan if o[0] == c[0]) == 1:
            return "\n".join(lines[:k] + lines[k + 1:])
    raise NotApplicable("表3 sole 款")


def basic_table_total_changed(d: Department, text: str, rng: random.Random) -> str:
    """表6's 合计 row one 万元 higher in 合计 and 人员经费 (so the row adds up across, but
    not to its classes, nor to 表5's basic spending)."""
    return _retype(text, 6, lambda c: (3, 4) if len(c) == 6 and c[2] == "合计" and c[3] and c[4] else None)


def project_table_total_changed(d: Department, text: str, rng: random.Random) -> str:
    """表7's 合计 row one 万元 higher in 项目支出合计 and its first printed economic class."""
    def pick(c: list[str]) -> tuple[int, ...] | None:
        if len(c) > 6 and c[3] == "合计" and c[5]:
            return (5, next(j for j in range(6, len(c)) if c[j]))
        return None
    return _retype(text, 7, pick)


def fiscal_expenditure_total_changed(d: Department, text: str, rng: random.Random) -> str:
    """表4's 支出总计 one 万元 higher in 合计 and 一般公共预算 (its 收入总计 unchanged)."""
    return _retype(text, 4, lambda c: (3, 4) if len(c) >= 5 and c[2] == "支出总计" and c[3] and c[4] else None)


def revenue_table_total_changed(d: Department, text: str, rng: random.Random) -> str:
    """表2's 合计 row one 万元 higher in 总计, 财政拨款小计 and 一般公共预算 (so the row still
    adds up across, but not to its classes, to 表1's 收入总计 nor to 表3's 合计)."""
    return _retype(text, 2, lambda c: (4, 5, 6) if len(c) > 6 and c[3] == "合计" and all(c[4:7]) else None)


def summary_carryover_changed(d: Department, text: str, rng: random.Random) -> str:
    """表1's 上年结转结余 one 万元 higher (its parts and 收入总计 unchanged, so only 表11's total
    disagrees with it)."""
    return _retype(text, 1, lambda c: (1,) if len(c) > 1 and c[0] == "二、上年结转结余" and c[1] else None)


def _recode_302_item(text: str, cell: int, value: str) -> str:
    """The first 表6 item of 302 (商品和服务支出) with its code cell *cell* (0: 类, 1: 款) printed as *value*."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) == 6 and cells[0] == "302" and re.fullmatch(r"\d\d", cells[1]):
            cells[cell] = value
            lines[k] = "\t".join(cells)
            return "\n".join(lines)
    raise NotApplicable("表6 302 item")


def unknown_code(d: Department, text: str, rng: random.Random) -> str:
    """A 表6 public-spending item printed under 30298, a code that is not in the year's list."""
    return _recode_302_item(text, 1, "98")


def code_of_no_class(d: Department, text: str, rng: random.Random) -> str:
    """A 表6 public-spending item printed under class 398, which does not exist (302xx → 398xx)."""
    return _recode_302_item(text, 0, "398")


def wrong_code_name(d: Department, text: str, rng: random.Random) -> str:
    """The first item row of 表3 printed with another item's name."""
    i = text.find("表 3\n")
    lines = text[i:].split("\n")
    for k, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) >= 5 and re.fullmatch(r"\d\d", cells[2]):
            cells[3] = "其他支出" + cells[3]
            lines[k] = "\t".join(cells)
            return text[:i] + "\n".join(lines)
    raise NotApplicable("表3 item")


def table_header_miscounted(d: Department, text: str, rng: random.Random) -> str:
    """表6's numbered header line counts two amount columns where the table has three (a
    column number lost), so the table cannot be read into its columns."""
    return _edit_row(text, 6, lambda c: c[:-1] if len(c) > 3 and c[-3:] == ["1", "2", "3"] else None,
                     "表6 numbered header")


def row_figure_unplaced(d: Department, text: str, rng: random.Random) -> str:
    """A 表6 item of 人员经费 with its 人员经费 figure misprinted (two decimal points), so it
    cannot be read as a number; it is kept as text on its row, which is left out of the sums."""
    def misprint(c: list[str]) -> list[str] | None:
        if len(c) == 6 and c[0] == "301" and c[1] and c[3] and c[4] and "." in c[4]:
            return c[:4] + [c[4].replace(".", "..", 1), c[5]]
        return None
    return _edit_row(text, 6, misprint, "表6 人员经费 item")


def table_with_figures_said_empty(d: Department, text: str, rng: random.Random) -> str:
    """表10, which has figures, printed with the note of an empty table under it."""
    if not d.three_public_total():
        raise NotApplicable("表10 has no figures")
    note = f"备注：{d.name}部门{d.year}年{TEMPLATE.layout('three-public').empty_note}\n"
    return _once(text, "\n表 11\n", f"\n{note}表 11\n")


def government_fund_with_figures(d: Department, text: str, rng: random.Random) -> str:
    """表8 prints a 城乡社区支出 class of 5 万元 of project spending, though 二 says there is no
    government-fund budget (and 表8's note that it is empty)."""
    note = f"备注：{d.name}部门{d.year}年{TEMPLATE.layout('government-fund').empty_note}"
    empty = "\t" * (TEMPLATE.layout("government-fund").labels - 1) + "合计\n\n" + note
    filled = ("212\t\t\t城乡社区支出\t5.00\t\t\t5.00\n" + "\t" * (TEMPLATE.layout("government-fund").labels - 1)
              + "合计\t5.00\t\t\t5.00\n\n" + note)
    return _once(text, empty, filled)
