"""Planted defects in the budget's prose: a figure of the explanation (第三部分) retyped off its
table, a percentage or a change that no longer fits its figures, a reason given for the other
direction, a slip of wording, a section or a statement left out, the signing date missing.
"""

from __future__ import annotations

import random
import re

from budgetkg.synth.budget_tables import TEMPLATE
from budgetkg.synth.defects_edits import NotApplicable, _bump, _cut, _once, _percent_off
from budgetkg.synth.figures import money
from budgetkg.synth.model import Department


def narrative_amount(d: Department, text: str, rng: random.Random) -> str:
    """三's basic spending retyped higher by 1% of the total (at least one 万元): its share,
    printed to 0.01%, then moves by a whole point, beyond any rounding. (One 万元 moves the
    share of a department spending more than about 5,000 万元 by less than its rounding.)"""
    basic = d.total_basic()
    return _once(text, f"基本支出{money(basic)}万元，占", f"基本支出{money(basic + max(100, d.grand_total() // 100))}万元，占")


def wrong_percent(d: Department, text: str, rng: random.Random) -> str:
    return _percent_off(text, r"（项）：\d{4}年预算数为[\d.]+万元，比上年预算(?:增加|减少)[\d.]+万元，(?:增长|下降)([\d.]+)%",
                        "五（三）")


def three_public_percent_wrong(d: Department, text: str, rng: random.Random) -> str:
    """十's year-on-year percentage of the 三公 total, whose amount is in the sentence before, 7.5
    points off."""
    return _percent_off(text, r"年财政拨款“三公”经费比上年预算(?:增加|减少)[\d,.]+万元，(?:增长|下降)([\d.]+)%", "十")


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


def count_zero_with_amount(d: Department, text: str, rng: random.Random) -> str:
    return _once(text, "当年非财政拨款项目0个，涉及预算金额0万元", "当年非财政拨款项目0个，涉及预算金额12.50万元")


def three_public_total_mismatch(d: Department, text: str, rng: random.Random) -> str:
    total = d.three_public_total()
    if not total:
        raise NotApplicable("三公")
    return _once(text, f"“三公”经费数为{money(total)}万元", f"“三公”经费数为{_bump(total)}万元")


def three_public_part_mismatch(d: Department, text: str, rng: random.Random) -> str:
    """十 states 公务用车运行费 one 万元 off 表10 (the 三公 total it states is still right)."""
    amount = d.three_public["vehicle-operation"]
    if not amount:
        raise NotApplicable("公务用车运行费")
    return _once(text, f"公务用车运行费{money(amount)}万元，", f"公务用车运行费{_bump(amount)}万元，")


def three_public_unexplained(d: Department, text: str, rng: random.Random) -> str:
    i = text.find("财政拨款“三公”经费预算情况说明\n")
    if i < 0:
        raise NotApplicable("十")
    start = text.find("\n", i) + 1
    end = text.find("\n十一、", start) + 1
    return text[:start] + text[end:]


def part_one_incomplete(d: Department, text: str, rng: random.Random) -> str:
    return _cut(text, "单位编制数", "第二部分")


def empty_table_unexplained(d: Department, text: str, rng: random.Random) -> str:
    note = TEMPLATE.layout("government-fund").empty_note
    text = _once(text, f"备注：{d.name}部门{d.year}年{note}\n", "")
    return _once(text, f"{d.name}{d.year}年{note}", "无。")


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


def signing_date_missing(d: Department, text: str, rng: random.Random) -> str:
    """The signing date at the end left out (the department's name above it stays)."""
    body = text.rstrip("\n")
    last = body.rsplit("\n", 1)[-1]
    if not re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", last):
        raise NotApplicable("落款日期")
    return body[:-len(last)].rstrip("\n") + "\n"
