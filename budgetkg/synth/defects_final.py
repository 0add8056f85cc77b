"""Planted defects in the final accounts (``budgetkg synth --phase final`` or ``both``) and their
registry, :data:`FINAL_DEFECTS`: a total of the summary tables, an execution statement's figure or
rate, a 三公 figure retyped, a table left out; and, checked only beside the department's budget,
a 年初预算 off the budget disclosure's.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from typing import Callable

from budgetkg.synth.defects_edits import Defect, NotApplicable, _change_first, _cut, _plus
from budgetkg.synth.figures import money, numeral
from budgetkg.synth.model import Department


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
