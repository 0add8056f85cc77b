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

The kinds are written in three modules by where they strike: the tables
(``defects_tables``), the prose (``defects_prose``) and the projects with their performance
tables (``defects_projects``); this module lists them in :data:`DEFECTS`, the order the corpus
deals them in. The final accounts' kinds are in ``defects_final`` (:data:`FINAL_DEFECTS`).
"""

from __future__ import annotations

from budgetkg.synth.defects_edits import Defect, NotApplicable
from budgetkg.synth.defects_final import FINAL_DEFECTS
from budgetkg.synth.defects_projects import (allocation_changed, department_table_missing, indicator_basis_missing,
                                             performance_amount_mismatch, performance_table_missing,
                                             performance_table_name_variant, performance_table_part,
                                             performance_table_renamed, performance_table_retitled,
                                             project_amount_mismatch, project_undescribed, weights_not_90)
from budgetkg.synth.defects_prose import (basic_change_restated_wrong, carryover_misworded,
                                          carryover_statement_changed, class_amount_digit_dropped,
                                          compared_with_own_year, count_zero_with_amount, empty_table_unexplained,
                                          equipment_count_inverted, fiscal_total_stated_wrong,
                                          general_budget_change_split_wrong, narrative_amount, part_one_incomplete,
                                          personnel_stated_wrong, reason_reversed, rise_beyond_amount,
                                          signing_date_missing, three_public_part_mismatch,
                                          three_public_percent_wrong, three_public_total_mismatch,
                                          three_public_unexplained, wrong_percent)
from budgetkg.synth.defects_tables import (basic_table_total_changed, class_row_changed, code_of_no_class,
                                           fiscal_expenditure_total_changed, government_fund_with_figures,
                                           missing_table, project_table_total_changed, revenue_table_total_changed,
                                           row_figure_unplaced, row_total_changed, subtotal_row_missing,
                                           summary_carryover_changed, summary_total_mismatch,
                                           table_header_miscounted, table_item_changed,
                                           table_with_figures_said_empty, unknown_code, wrong_code_name)

__all__ = ["DEFECTS", "FINAL_DEFECTS", "Defect", "NotApplicable"]


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
