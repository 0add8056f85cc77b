"""Planted defects: one change to a clean synthetic text, and the rules it must trip.

Each kind is one edit of the rendered text, made the way real disclosures go wrong (a
table left out, a figure retyped in the prose, a weight missing), and lists the shapes
(by file name in ``shapes/``) whose findings it must produce in that document and no
others. A change can break more than one identity: retyping an amount in 三 also breaks
its share, and the kind says so; a rule a change trips in some documents only (the
year-on-year percentage, which may still round to the printed figure) is listed apart.

A defect that does not apply to a document (no 三公 to misstate, no carry-over) raises
:class:`NotApplicable`; the corpus writer then owes the kind to the next document.

The kinds exercise every rule but codes-are-in-the-official-list (which needs a user's
complete code list). tests/test_validation.py also covers every rule on
graphs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from budgetkg.synth.model import Department
from budgetkg.synth.render import TEMPLATE, money, numeral


class NotApplicable(Exception):
    pass


@dataclass(frozen=True)
class Defect:
    kind: str
    shapes: tuple[str, ...]           # shapes/<name>.ttl that must report it
    plant: Callable[[Department, str, random.Random], str]
    description: str
    may_also: tuple[str, ...] = ()    # shapes it trips in some documents, not in all
    companion: bool = False           # found only beside another document (a final account's budget)


def _once(text: str, old: str, new: str) -> str:
    if text.count(old) < 1:
        raise NotApplicable(old)
    return text.replace(old, new, 1)


def _cut(text: str, start: str, end: str) -> str:
    """Remove the text from the first *start* up to (not including) the next *end*."""
    i = text.find(start)
    j = text.find(end, i + len(start)) if i >= 0 else -1
    if i < 0 or j < 0:
        raise NotApplicable(start)
    return text[:i] + text[j:]


def _bump(cents: int) -> str:
    return money(cents + 100)


def missing_table(d: Department, text: str, rng: random.Random) -> str:
    return _cut(text, "表 9\n", "表 10\n")


def table_item_changed(d: Department, text: str, rng: random.Random) -> str:
    """One public-spending item of 表6 retyped one 万元 higher (its 合计 and 公用经费 cells)."""
    code = next(c for c in d.economic if c.startswith("302"))
    return _retype(text, 6, lambda c: (3, 5) if len(c) == 6 and c[0] == "302" and c[1] == code[3:] else None)


def _fmt_like(printed: str, cents: int) -> str:
    """*cents* printed the way *printed* is: with thousands separators if it has them."""
    return money(cents, "tsv" if "," in printed else "plain")


def _table_rows(text: str, n: int) -> tuple[list[str], range]:
    """*text*'s lines and the range of those between ``表 n`` and ``表 n+1``."""
    lines = text.split("\n")
    try:
        start = lines.index(f"表 {n}")
        return lines, range(start, lines.index(f"表 {n + 1}", start))
    except ValueError:
        raise NotApplicable(f"表{n}") from None


def _plus(cell: str, cents: int = 100) -> str:
    """A printed figure *cents* higher, printed the way it was."""
    return _fmt_like(cell, int(Decimal(cell.replace(",", "")) * 100) + cents)


def _edit_row(text: str, n: int, edit: Callable[[list[str]], list[str] | None], what: str) -> str:
    """*text* with the first row of 表n that *edit* changes (it returns the row's new cells,
    or None to pass the row over)."""
    lines, span = _table_rows(text, n)
    for k in span:
        cells = edit(lines[k].split("\t"))
        if cells is not None:
            lines[k] = "\t".join(cells)
            return "\n".join(lines)
    raise NotApplicable(what)


def _retype(text: str, n: int, pick: Callable[[list[str]], tuple[int, ...] | None]) -> str:
    """The first row of 表n for which *pick* names cells, with those cells one 万元 higher."""
    def bump(cells: list[str]) -> list[str] | None:
        chosen = pick(cells)
        return [_plus(c) if j in chosen else c for j, c in enumerate(cells)] if chosen else None
    return _edit_row(text, n, bump, f"表{n} row")


def _is_table3_row(cells: list[str]) -> bool:
    """A coded row of 表3: 类, 款, 项, name, 合计, 基本, 项目."""
    return len(cells) == 7 and re.fullmatch(r"\d{3}", cells[0]) is not None


def narrative_amount(d: Department, text: str, rng: random.Random) -> str:
    """三's basic spending retyped higher by 1% of the total (at least one 万元): its share,
    printed to 0.01%, then moves by a whole point, beyond any rounding. (One 万元 moves the
    share of a department spending more than about 5,000 万元 by less than its rounding.)"""
    basic = d.total_basic()
    return _once(text, f"基本支出{money(basic)}万元，占", f"基本支出{money(basic + max(100, d.grand_total() // 100))}万元，占")


def _percent_off(text: str, pattern: str, where: str) -> str:
    """The percentage (group 1) of the first match of *pattern* printed 7.5 points higher."""
    m = re.search(pattern, text)
    if not m:
        raise NotApplicable(where)
    wrong = f"{float(m.group(1)) + 7.5:.2f}"
    return text[:m.start(1)] + wrong + text[m.end(1):]


def wrong_percent(d: Department, text: str, rng: random.Random) -> str:
    return _percent_off(text, r"（项）：\d{4}年预算数为[\d.]+万元，比上年预算(?:增加|减少)[\d.]+万元，(?:增长|下降)([\d.]+)%",
                        "五（三）")


def three_public_percent_wrong(d: Department, text: str, rng: random.Random) -> str:
    """十's year-on-year percentage of the 三公 total, whose amount is in the sentence before, 7.5
    points off."""
    return _percent_off(text, r"年财政拨款“三公”经费比上年预算(?:增加|减少)[\d,.]+万元，(?:增长|下降)([\d.]+)%", "十")


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


def fiscal_total_stated_wrong(d: Department, text: str, rng: random.Random) -> str:
    """四 states the 财政拨款 total one 万元 above 表4's."""
    return _once(text, f"年财政拨款收支总预算{money(d.total())}万元", f"年财政拨款收支总预算{_bump(d.total())}万元")


def personnel_stated_wrong(d: Department, text: str, rng: random.Random) -> str:
    """六 states 人员经费 one 万元 above 表6's."""
    return _once(text, f"人员经费{money(d.personnel())}万元，主要包括", f"人员经费{_bump(d.personnel())}万元，主要包括")


def class_amount_digit_dropped(d: Department, text: str, rng: random.Random) -> str:
    """四 lists a function class with one digit of its amount dropped (1,234.56 → 134.56)."""
    i = text.find("一般公共预算支出包括：")
    m = re.compile(r"(\d[\d,]*)\.(\d\d)万元").search(text, i) if i >= 0 else None
    if m is None or len(m.group(1).replace(",", "")) < 2:
        raise NotApplicable("四")
    digits = m.group(1).replace(",", "")
    dropped = digits[0] + digits[2:]
    return text[:m.start(1)] + f"{int(dropped):,}" + text[m.end(1):]


def _edit_indicator(d: Department, text: str, edit: Callable[[list[str]], None]) -> str:
    """*text* with the cells of the first project's first indicator row changed in place by *edit*."""
    lines, k = _indicator_rows(text, d.projects[0].name)
    cells = lines[k].split("\t")
    edit(cells)
    lines[k] = "\t".join(cells)
    return "\n".join(lines)


def _indicator_rows(text: str, project: str) -> tuple[list[str], int]:
    lines = text.split("\n")
    start = next((k for k, ln in enumerate(lines) if ln.startswith("项目名称\t") and f"\t{project}\t" in ln), None)
    if start is None:
        raise NotApplicable(project)
    first = next(k for k in range(start, len(lines)) if lines[k].startswith("一级指标"))
    return lines, first + 1


def indicator_basis_missing(d: Department, text: str, rng: random.Random) -> str:
    """The first project's first indicator printed with its 指标值设置依据 cell left empty
    (the row keeps its other cells, so it is read into its columns with no basis)."""
    def blank(cells: list[str]) -> None:
        if len(cells) < 7 or not cells[4]:
            raise NotApplicable("指标值设置依据")
        cells[4] = ""
    return _edit_indicator(d, text, blank)


def weights_not_90(d: Department, text: str, rng: random.Random) -> str:
    def heavier(cells: list[str]) -> None:
        cells[6] = str(int(cells[6]) + 5)
    return _edit_indicator(d, text, heavier)


def project_undescribed(d: Department, text: str, rng: random.Random) -> str:
    p = d.projects[-1]
    i = text.find(f" 项目名称：{p.name}\n")
    if i < 0:
        raise NotApplicable(p.name)
    start = text.rfind("\n", 0, i) + 1
    end = text.find("资金执行时间：", i)
    end = text.find("\n", end) + 1
    return text[:start] + text[end:]


def performance_table_missing(d: Department, text: str, rng: random.Random) -> str:
    p = d.projects[-1]
    lines, k = _indicator_rows(text, p.name)
    start = max(j for j in range(k) if lines[j] == "项目支出绩效目标表")
    end = next(j for j in range(k, len(lines)) if lines[j] == "")
    return "\n".join(lines[:start] + lines[end + 1:])


def performance_amount_mismatch(d: Department, text: str, rng: random.Random) -> str:
    p = d.projects[0]
    return _once(text, f"年度预算总额：\t{money(p.total)}\t其中：财政拨款\t{money(p.total)}",
                 f"年度预算总额：\t{_bump(p.total)}\t其中：财政拨款\t{_bump(p.total)}")


def project_amount_mismatch(d: Department, text: str, rng: random.Random) -> str:
    p = d.projects[0]
    return _once(text, f"预算安排规模：{money(p.total)}万元", f"预算安排规模：{_bump(p.total)}万元")


def count_zero_with_amount(d: Department, text: str, rng: random.Random) -> str:
    return _once(text, "当年非财政拨款项目0个，涉及预算金额0万元", "当年非财政拨款项目0个，涉及预算金额12.50万元")


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


def three_public_total_mismatch(d: Department, text: str, rng: random.Random) -> str:
    total = d.three_public_total()
    if not total:
        raise NotApplicable("三公")
    return _once(text, f"“三公”经费数为{money(total)}万元", f"“三公”经费数为{_bump(total)}万元")


def three_public_unexplained(d: Department, text: str, rng: random.Random) -> str:
    i = text.find("财政拨款“三公”经费预算情况说明\n")
    if i < 0:
        raise NotApplicable("十")
    start = text.find("\n", i) + 1
    end = text.find("\n十一、", start) + 1
    return text[:start] + text[end:]


def department_table_missing(d: Department, text: str, rng: random.Random) -> str:
    start = text.find("部门整体绩效目标表\n")
    end = text.find("项目支出绩效目标表\n", start)
    if start < 0 or end < 0:
        raise NotApplicable("部门整体绩效目标表")
    return text[:start] + text[end:]


def part_one_incomplete(d: Department, text: str, rng: random.Random) -> str:
    return _cut(text, "单位编制数", "第二部分")


def empty_table_unexplained(d: Department, text: str, rng: random.Random) -> str:
    note = TEMPLATE.layout("government-fund").empty_note
    text = _once(text, f"备注：{d.name}部门{d.year}年{note}\n", "")
    return _once(text, f"{d.name}{d.year}年{note}", "无。")


def _change_first(text: str, pattern: str | re.Pattern, where: str, change: Callable[[str], str] = _plus,
                  group: int = 1) -> str:
    """*text* with *group* of the first match of *pattern* changed by *change* (by default one
    万元 higher); NotApplicable naming *where* when nothing matches."""
    m = re.search(pattern, text)
    if not m:
        raise NotApplicable(where)
    return text[:m.start(group)] + change(m.group(group)) + text[m.end(group):]


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


def _retitle(d: Department, text: str, title: str, bump: bool = False) -> str:
    """The last project's performance table printed under *title* (and, with *bump*, one 万元
    more in its 年度预算总额 and 财政拨款)."""
    p = d.projects[-1]
    lines, k = _indicator_rows(text, p.name)
    head = max(j for j in range(k) if lines[j].startswith("项目名称\t") and f"\t{p.name}\t" in lines[j])
    lines[head] = lines[head].replace(f"\t{p.name}\t", f"\t{title}\t", 1)
    if bump:
        funds = next(j for j in range(head, k) if "年度预算总额" in lines[j])
        old = f"年度预算总额：\t{money(p.total)}\t其中：财政拨款\t{money(p.total)}"
        if old not in lines[funds]:
            raise NotApplicable(old)
        lines[funds] = lines[funds].replace(old, f"年度预算总额：\t{_bump(p.total)}\t其中：财政拨款\t{_bump(p.total)}")
    return "\n".join(lines)


def performance_table_renamed(d: Department, text: str, rng: random.Random) -> str:
    """The last project's performance table names another phase of it (（二期）) with another
    amount: it is about no project table 7 or 七 lists, and the project has no table."""
    return _retitle(d, text, f"{d.projects[-1].name}（二期）", bump=True)


def performance_table_retitled(d: Department, text: str, rng: random.Random) -> str:
    """The last project's performance table, with its unit and amount, names another phase
    of it (（二期）): paired by unit and amount, under a name that differs."""
    return _retitle(d, text, f"{d.projects[-1].name}（二期）")


def performance_table_name_variant(d: Department, text: str, rng: random.Random) -> str:
    """The last project's performance table puts the year in front of its name (info)."""
    return _retitle(d, text, f"{d.year}年{d.projects[-1].name}")


def performance_table_part(d: Department, text: str, rng: random.Random) -> str:
    """The last project's performance table drawn up for a part of it (name-运行维护), one
    万元 more than the project: the parts do not add up to the project."""
    return _retitle(d, text, f"{d.projects[-1].name}-运行维护", bump=True)


def allocation_changed(d: Department, text: str, rng: random.Random) -> str:
    """The first project's first allocation item in 七 one 万元 higher: its allocations no
    longer add up to its 预算安排规模."""
    p = d.projects[0]
    label, cents = p.allocation[0]
    return _once(text, f"资金分配情况：{label}{money(cents)}万元", f"资金分配情况：{label}{_bump(cents)}万元")


def three_public_part_mismatch(d: Department, text: str, rng: random.Random) -> str:
    """十 states 公务用车运行费 one 万元 off 表10 (the 三公 total it states is still right)."""
    amount = d.three_public["vehicle-operation"]
    if not amount:
        raise NotApplicable("公务用车运行费")
    return _once(text, f"公务用车运行费{money(amount)}万元，", f"公务用车运行费{_bump(amount)}万元，")


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


def signing_date_missing(d: Department, text: str, rng: random.Random) -> str:
    """The signing date at the end left out (the department's name above it stays)."""
    body = text.rstrip("\n")
    last = body.rsplit("\n", 1)[-1]
    if not re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", last):
        raise NotApplicable("落款日期")
    return body[:-len(last)].rstrip("\n") + "\n"


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


def summary_carryover_changed(d: Department, text: str, rng: random.Random) -> str:
    """表1's 上年结转结余 one 万元 higher (its parts and 收入总计 unchanged, so only 表11's total
    disagrees with it)."""
    return _retype(text, 1, lambda c: (1,) if len(c) > 1 and c[0] == "二、上年结转结余" and c[1] else None)


def carryover_statement_changed(d: Department, text: str, rng: random.Random) -> str:
    """十一 states the carry-over total one 万元 off 表11's (its parts unchanged)."""
    if not d.carryover:
        raise NotApplicable("上年结转结余")
    total = d.carryover_total()
    return _once(text, f"上年结转结余{money(total)}万元，包括", f"上年结转结余{_bump(total)}万元，包括")


_REASONS = ("人员工资调整及业务工作量增加，预算数相应增加", "在职人员减少及压减一般性支出，预算数相应减少")


def reason_reversed(d: Department, text: str, rng: random.Random) -> str:
    """The first reason given for a change (not of 0.00) is the other direction's."""
    pattern = re.compile(r"(?:增加|减少)(\d[\d,]*\.\d\d)万元，(?:增长|下降)[\d.]+%[，。]主要原因是：(" +
                         "|".join(_REASONS) + ")")
    for m in pattern.finditer(text):
        if m.group(1) != "0.00":
            other = _REASONS[1 - _REASONS.index(m.group(2))]
            return text[:m.start(2)] + other + text[m.end(2):]
    raise NotApplicable("a change with a reason")


def general_budget_change_split_wrong(d: Department, text: str, rng: random.Random) -> str:
    """五（一） states project spending's change one 万元 off (二's change of 一般公共预算 unchanged)."""
    i = text.find("（一）一般公共预算当年拨款规模变化情况")
    m = re.compile(r"项目支出[\d,]+\.\d\d万元，比上年预算(?:增加|减少)(\d[\d,]*\.\d\d)万元").search(text, max(i, 0))
    if i < 0 or m is None:
        raise NotApplicable("五（一）")
    cents = int(m.group(1).replace(",", "").replace(".", ""))
    return text[:m.start(1)] + money(cents + 100) + text[m.end(1):]


def basic_change_restated_wrong(d: Department, text: str, rng: random.Random) -> str:
    """三 (支出预算) states basic spending's change one 万元 larger than 五（一） does for the same
    amount."""
    m = re.compile(r"基本支出[\d,]+\.\d\d万元，占[\d.]+%，比上年预算(?:增加|减少)(\d[\d,]*\.\d\d)万元").search(text)
    if m is None:
        raise NotApplicable("三's basic spending")
    cents = int(m.group(1).replace(",", "").replace(".", ""))
    return text[:m.start(1)] + money(cents + 100) + text[m.end(1):]


def rise_beyond_amount(d: Department, text: str, rng: random.Random) -> str:
    """The first rise stated with its amount (X万元…比上年预算增加C万元) is printed larger than X,
    as when a change is copied from the sentence before."""
    pattern = re.compile(r"(\d[\d,]*\.\d\d)万元，(?:占[\d.]+%，)?比上年预算增加(\d[\d,]*\.\d\d)万元")
    for m in pattern.finditer(text):
        cents = int(m.group(1).replace(",", "").replace(".", ""))
        return text[:m.start(2)] + money(cents + 100) + text[m.end(2):]
    raise NotApplicable("a rise stated with its amount")


def carryover_misworded(d: Department, text: str, rng: random.Random) -> str:
    """Section 十一's heading says 上半年结转结余 for 上年结转结余."""
    return _once(text, "年上年结转结余预算情况说明", "年上半年结转结余预算情况说明")


def compared_with_own_year(d: Department, text: str, rng: random.Random) -> str:
    """The first 比上年预算 compares with the document's own year instead."""
    return _once(text, "比上年预算", f"比{d.year}年预算")


def equipment_count_inverted(d: Department, text: str, rng: random.Random) -> str:
    """十二（三） counts more equipment worth 100万元 or more than worth 50万元 or more."""
    m = re.search(r"单位价值50万元以上大型设备(\d+)台，单位价值100万元以上大型设备(\d+)台", text)
    if not m:
        raise NotApplicable("大型设备")
    return _once(text, m.group(0), f"单位价值50万元以上大型设备{m.group(1)}台，单位价值100万元以上大型设备"
                                   f"{int(m.group(1)) + 1}台")


DEFECTS: dict[str, Defect] = {d.kind: d for d in (
    Defect("missing-table", ("template-tables-are-present",), missing_table, "表9 left out, no note"),
    Defect("table-item-changed", ("subtotal-rows-equal-sum-of-their-items",), table_item_changed,
           "a 表6 item one 万元 higher than its class row accounts for"),
    Defect("narrative-amount", ("stated-amounts-equal-their-table", "shares-equal-amount-over-total"),
           narrative_amount, "三's basic spending retyped 1% of the total higher (its share no longer fits)",
           # its year-on-year percentage, recomputed from the retyped amount, may still round
           # to the printed one
           may_also=("year-on-year-percent-matches-change",)),
    Defect("wrong-percent", ("year-on-year-percent-matches-change",), wrong_percent,
           "a 五（三） item's year-on-year percentage 7.5 points off"),
    Defect("weights-not-90", ("performance-weights-add-up-to-90",), weights_not_90,
           "a project indicator's weight 5 higher"),
    Defect("project-undescribed", ("table-7-projects-are-described",), project_undescribed,
           "a 表7 project with no description in 七"),
    Defect("performance-table-missing", ("project-has-performance-table",), performance_table_missing,
           "a project with no performance table"),
    Defect("performance-amount-mismatch", ("performance-table-amount-equals-project-amount",),
           performance_amount_mismatch, "a performance table's amount one 万元 off its project's"),
    Defect("project-amount-mismatch", ("project-amount-equals-table-7", "performance-table-amount-equals-project-amount",
                                       "allocations-add-up-to-the-project-amount"),
           project_amount_mismatch, "a project's 预算安排规模 in 七 one 万元 off 表7"),
    Defect("count-zero-with-amount", ("a-count-of-zero-carries-no-amount",), count_zero_with_amount,
           "0 non-fiscal projects with an amount"),
    Defect("unknown-code", ("codes-are-in-the-standard-list",), unknown_code, "a 表6 code not in the list"),
    Defect("wrong-code-name", ("codes-have-their-standard-names",), wrong_code_name,
           "a 表3 item printed with a name that is not its code's"),
    Defect("three-public-total-mismatch", ("three-public-total-equals-table-10",), three_public_total_mismatch,
           "十 states a 三公 total one 万元 off 表10",
           # the next sentence's percentage is checked against that total, and may no longer fit it
           may_also=("year-on-year-percent-matches-change",)),
    Defect("three-public-unexplained", ("three-public-expenses-are-explained",), three_public_unexplained,
           "section 十 left without its statement"),
    Defect("department-table-missing", ("department-has-department-performance-table",), department_table_missing,
           "no department performance table"),
    Defect("part-one-incomplete", ("part-one-is-complete",), part_one_incomplete, "no staffing in 第一部分"),
    Defect("empty-table-unexplained", ("empty-tables-are-explained",), empty_table_unexplained,
           "empty 表8 with no note anywhere"),
    Defect("summary-total-mismatch", ("revenue-total-equals-expenditure-total",),
           summary_total_mismatch, "表1's expenditure total one 万元 off"),
    Defect("row-total-changed", ("row-total-equals-sum-of-columns", "subtotal-rows-equal-sum-of-their-items"),
           row_total_changed, "a 表3 项 row's 合计 one 万元 above its columns"),
    Defect("class-row-changed", ("total-row-equals-sum-of-classes", "subtotal-rows-equal-sum-of-their-items"),
           class_row_changed, "a 表3 类 row one 万元 above its 款 rows"),
    Defect("subtotal-row-missing", ("item-rows-have-their-parent-rows",), subtotal_row_missing,
           "a 表3 款 row left out"),
    Defect("performance-table-retitled", ("performance-table-names-its-project-as-printed",),
           performance_table_retitled, "the last project's performance table under another phase's name"),
    Defect("performance-table-name-variant", ("performance-table-name-is-a-variant",),
           performance_table_name_variant, "the last project's performance table with the year before its name"),
    Defect("performance-table-part", ("performance-table-parts-add-up-to-their-project",), performance_table_part,
           "the last project's performance table for a part of it, one 万元 more than the project"),
    Defect("allocation-changed", ("allocations-add-up-to-the-project-amount",), allocation_changed,
           "七's first allocation item one 万元 higher"),
    Defect("performance-table-renamed", ("performance-table-project-is-in-table-7", "project-has-performance-table"),
           performance_table_renamed, "a performance table names another phase, with another amount"),
    Defect("three-public-part-mismatch", ("three-public-parts-equal-table-10",), three_public_part_mismatch,
           "十 states 公务用车运行费 one 万元 off 表10"),
    Defect("basic-table-total-changed", ("general-budget-basic-equals-basic-table-total", "total-row-equals-sum-of-classes",
                                         "basic-spending-statement-equals-table-6"),
           basic_table_total_changed, "表6's 合计 row one 万元 above its classes, 表5's basic spending and 六's figures"),
    Defect("project-table-total-changed", ("general-budget-project-equals-project-table-total",),
           project_table_total_changed, "表7's 合计 row one 万元 above 表5's project spending"),
    Defect("fiscal-expenditure-total-changed",
           ("fiscal-revenue-total-equals-expenditure-total", "fiscal-expenditure-equals-general-budget-expenditure"),
           fiscal_expenditure_total_changed, "表4's 支出总计 one 万元 above its 收入总计 and 表5's total"),
    Defect("revenue-table-total-changed",
           ("revenue-table-total-equals-expenditure-table-total", "summary-total-equals-revenue-table-total",
            "total-row-equals-sum-of-classes", "stated-amounts-equal-their-table"),
           revenue_table_total_changed,
           "表2's 合计 row one 万元 above 表1's 收入总计, 表3's 合计, its classes and 二's 一般公共预算",
           # with money carried over, 二's shares are printed to 0.01% of 表2's total, and one
           # 万元 more moves a small department's beyond their rounding
           may_also=("shares-equal-amount-over-total",)),
    Defect("signing-date-missing", ("disclosure-identifies-itself",), signing_date_missing,
           "no signing date at the end"),
    Defect("table-header-miscounted", ("tables-are-readable",), table_header_miscounted,
           "表6's numbered header counts two amount columns for three"),
    Defect("row-figure-unplaced", ("row-figures-are-placed",), row_figure_unplaced,
           "a 表6 figure misprinted with two decimal points"),
    Defect("summary-carry-over-changed", ("carry-over-table-equals-summary-carry-over",), summary_carryover_changed,
           "表1's 上年结转结余 one 万元 above 表11's total"),
    Defect("indicator-basis-missing", ("indicators-have-target-basis-and-weight",), indicator_basis_missing,
           "a project indicator with its 指标值设置依据 cell left empty"),
    Defect("equipment-count-inverted", ("counts-of-a-part-do-not-exceed-the-whole",), equipment_count_inverted,
           "十二 counts one more piece of equipment worth 100万元 or more than worth 50万元 or more"),
    Defect("reason-reversed", ("change-direction-agrees-with-its-reason",), reason_reversed,
           "a change given the other direction's reason"),
    Defect("general-budget-change-split-wrong", ("general-budget-change-agrees-across-sections",),
           general_budget_change_split_wrong, "五（一）'s project spending change one 万元 off 二's general budget",
           # its percentage, recomputed from the changed figure, may no longer round to the printed one;
           # with nothing carried over, 三 states the same project spending with the change unchanged
           may_also=("year-on-year-percent-matches-change", "a-change-stated-twice-is-the-same")),
    Defect("basic-change-restated-wrong", ("a-change-stated-twice-is-the-same",), basic_change_restated_wrong,
           "三 states basic spending's change one 万元 off 五（一）'s",
           # its percentage, recomputed from the changed figure, may no longer round to the printed one;
           # a change of 0.00 becomes a rise whose reason may say the opposite
           may_also=("year-on-year-percent-matches-change", "change-direction-agrees-with-its-reason")),
    Defect("rise-beyond-amount", ("a-change-leaves-last-year-non-negative",), rise_beyond_amount,
           "a rise printed one 万元 above the amount it is a rise of",
           # its percentage no longer matches; the figure may be stated in another section too, or be
           # 五（一）'s basic or project spending, whose changes add up to the general budget's
           may_also=("year-on-year-percent-matches-change", "a-change-stated-twice-is-the-same",
                     "general-budget-change-agrees-across-sections")),
    Defect("carry-over-misworded", ("wording-has-no-known-slips",), carryover_misworded,
           "十一's heading says 上半年结转结余"),
    Defect("compared-with-own-year", ("wording-has-no-known-slips",), compared_with_own_year,
           "a change compared with the budget's own year"),
    Defect("three-public-percent-wrong", ("year-on-year-percent-matches-change",), three_public_percent_wrong,
           "十's 三公 percentage 7.5 points off (its amount stated in the sentence before)"),
    Defect("table-with-figures-said-empty", ("a-table-said-to-be-empty-has-no-figures",), table_with_figures_said_empty,
           "表10 printed with its figures and the note that it is empty"),
    Defect("government-fund-with-figures", ("a-budget-said-to-be-empty-has-no-figures",
                                            "a-table-said-to-be-empty-has-no-figures"), government_fund_with_figures,
           "表8 prints 5 万元 though 二 says there is no government-fund budget and its note that it is empty"),
    Defect("fiscal-total-stated-wrong", ("fiscal-total-statement-equals-table-4",), fiscal_total_stated_wrong,
           "四 states the 财政拨款 total one 万元 above 表4"),
    Defect("personnel-stated-wrong", ("basic-spending-statement-equals-table-6",), personnel_stated_wrong,
           "六 states 人员经费 one 万元 above 表6"),
    Defect("class-amount-digit-dropped", ("stated-amounts-equal-their-table",), class_amount_digit_dropped,
           "四 lists a function class with a digit of its amount dropped"),
    Defect("code-of-no-class", ("codes-belong-to-a-class-of-the-year", "item-rows-have-their-parent-rows",
                                 "subtotal-rows-equal-sum-of-their-items"), code_of_no_class,
           "a 表6 item printed under a class that does not exist (398)"),
    Defect("carry-over-statement-changed", ("carry-over-statement-equals-table-11",), carryover_statement_changed,
           "十一 states a carry-over total one 万元 off 表11"),
)}


# ------------------------------------------------------------------ final accounts (synth --phase final)

def _final_row(text: str, label: str, edit: Callable[[list[str]], list[str]]) -> str:
    """*text* with the first tab-separated line starting with *label* edited."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == label and len(cells) > 1:
            lines[k] = "\t".join(edit(cells))
            return "\n".join(lines)
    raise NotApplicable(label)


def final_revenue_of_the_year_changed(d: Department, text: str, rng: random.Random) -> str:
    return _final_row(text, "本年收入合计", lambda c: [c[0], _plus(c[1])] + c[2:])


def final_spending_of_the_year_changed(d: Department, text: str, rng: random.Random) -> str:
    return _final_row(text, "本年收入合计", lambda c: c[:3] + [_plus(c[3])] + c[4:])


def final_fiscal_balance_changed(d: Department, text: str, rng: random.Random) -> str:
    """表4's 年末财政拨款结转和结余 one 万元 higher in its 合计 and 一般公共预算 cells (printed as
    1.00 where the balance was empty)."""
    def bump(c: list[str]) -> list[str]:
        return c[:3] + [_plus(x) if x else money(100) for x in c[3:5]] + c[5:]
    return _final_row(text, "年初财政拨款结转和结余", bump)


_ITEM_STATEMENT = re.compile(r"（项）。主要用于：[^。]*。年初预算为([\d.]+)万元，支出决算为([\d.]+)万元，完成年初预算的([\d.]+)%")


def _item_statement(text: str, group: int, change: Callable[[str], str]) -> str:
    """The first function item's execution statement with its X (1), Y (2) or Z (3) changed."""
    return _change_first(text, _ITEM_STATEMENT, "五（三）", change, group)


def final_completion_rate_changed(d: Department, text: str, rng: random.Random) -> str:
    return _item_statement(text, 3, lambda z: f"{Decimal(z) + 1:.2f}")


def final_execution_figure_changed(d: Department, text: str, rng: random.Random) -> str:
    return _item_statement(text, 2, _plus)


def final_initial_budget_changed(d: Department, text: str, rng: random.Random) -> str:
    return _item_statement(text, 1, _plus)


def final_initial_budget_rounded(d: Department, text: str, rng: random.Random) -> str:
    return _item_statement(text, 1, lambda x: _plus(x, 1))


def final_basic_spending_misstated(d: Department, text: str, rng: random.Random) -> str:
    return _change_first(text, r"本年支出合计[\d.]+万元，其中：基本支出([\d.]+)万元", "三、支出决算情况说明")


def final_three_public_part_misstated(d: Department, text: str, rng: random.Random) -> str:
    """七 states the first 三公 item spent one 万元 more than 表7's 决算数."""
    return _change_first(text, r"(?:因公出国（境）费|公务用车购置费|公务用车运行费|公务接待费)支出决算为((?!0\.00)[\d.]+)万元",
                         "七")


def final_three_public_total_retyped(d: Department, text: str, rng: random.Random) -> str:
    """表7's 合计 row spent one 万元 more than its items (and than 七 says)."""
    def bump(c: list[str]) -> list[str]:
        if len(c) < 3 or not c[2]:
            raise NotApplicable("表7 合计")
        return c[:2] + [_plus(c[2])] + c[3:]
    return _final_row(text, "合计", bump)


def final_table_missing(d: Department, text: str, rng: random.Random) -> str:
    """The basic-spending table (表6 of the national final accounts) left out, up to the next table."""
    from budgetkg.synth.final import TEMPLATE as FINAL

    def heading(kind: str) -> str:
        layout = FINAL.layout(kind)
        return f"{numeral(layout.number)}、{layout.title}\n"
    return _cut(text, heading("general-budget-basic"), heading("three-public"))


# Defects of the final accounts the generator prints. Those marked *companion* are found only
# with the budget of the same department and year in the store (synth --phase both).
FINAL_DEFECTS = {d.kind: d for d in (
    Defect("final-revenue-of-the-year-changed", ("final-revenue-of-the-year-equals-revenue-table-total",
                                                 "final-summary-balances-carry-in-and-out"),
           final_revenue_of_the_year_changed, "表1's 本年收入合计 one 万元 above 表2's total and its side's 总计"),
    Defect("final-spending-of-the-year-changed", ("final-spending-of-the-year-equals-expenditure-table-total",
                                                  "final-summary-balances-carry-in-and-out"),
           final_spending_of_the_year_changed, "表1's 本年支出合计 one 万元 above 表3's total and its side's 总计"),
    Defect("final-fiscal-balance-changed", ("final-summary-balances-carry-in-and-out",), final_fiscal_balance_changed,
           "表4's 年末财政拨款结转和结余 one 万元 higher, its side's 总计 unchanged"),
    Defect("final-completion-rate-changed", ("final-completion-rate-matches-its-figures",),
           final_completion_rate_changed, "五（三）'s first item completed one point more than Y ÷ X"),
    Defect("final-execution-figure-changed", ("final-execution-statement-equals-its-table",),
           final_execution_figure_changed, "五（三）'s first item spent one 万元 more than 表5 prints",
           may_also=("final-completion-rate-matches-its-figures",)),
    Defect("final-basic-spending-misstated", ("final-stated-amounts-equal-their-table",),
           final_basic_spending_misstated, "三 states 基本支出 one 万元 above 表3"),
    Defect("final-three-public-part-misstated", ("three-public-parts-equal-table-10",),
           final_three_public_part_misstated, "七 states a 三公 item spent one 万元 more than 表7"),
    Defect("final-three-public-total-retyped", ("three-public-items-add-up", "three-public-total-equals-table-10"),
           final_three_public_total_retyped, "表7's 合计 row spent one 万元 more than its items and than 七 says"),
    Defect("final-table-missing", ("template-tables-are-present",), final_table_missing,
           "表6, the basic-spending table, left out"),
    Defect("final-initial-budget-changed", ("final-initial-budget-equals-the-budget-disclosure",),
           final_initial_budget_changed, "五（三）'s first item budgeted one 万元 above the budget disclosure",
           may_also=("final-completion-rate-matches-its-figures",), companion=True),
    Defect("final-initial-budget-rounded", ("final-initial-budget-differs-from-the-budget-disclosure-by-rounding",),
           final_initial_budget_rounded, "五（三）'s first item budgeted 0.01 万元 above the budget disclosure",
           may_also=("final-completion-rate-matches-its-figures",), companion=True),
)}
