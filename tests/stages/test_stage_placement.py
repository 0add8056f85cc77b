"""tables/placement.py: which column each number of a raw-text row belongs to, decided by the
table's arithmetic (total = basic + project; 类 = Σ款, 款 = Σ项) and never guessed."""

from __future__ import annotations

from decimal import Decimal as D

from budgetkg.extract.segment import TableSegment
from budgetkg.extract.tables.build import Context, parse_table
from budgetkg.extract.tables.placement import RowProblem, enumerate_row, propagate, settle, within_rounding
from budgetkg.extract.template import family

from stage_inputs import numbered

KEYS = ["total", "basic", "project"]
IDENTITY = [("total", ("basic", "project"))]


def _row(*numbers: str) -> RowProblem:
    problem = RowProblem(numbers=[D(n) for n in numbers])
    enumerate_row(problem, KEYS, IDENTITY, set(KEYS))
    return problem


def test_three_numbers_in_three_columns_are_placed_in_order():
    assert settle(_row("300.00", "200.00", "100.00")) == (
        {"total": D("300.00"), "basic": D("200.00"), "project": D("100.00")}, [])


def test_two_equal_numbers_alone_place_the_total_and_leave_the_other_unplaced():
    # 200 = 200 + 0 fits basic and project alike: only the total is certain
    assert settle(_row("200.00", "200.00")) == ({"total": D("200.00")}, [1])


def test_the_parent_row_decides_between_basic_and_project():
    """201 03 prints 300 = 200 basic + 100 project; its items print 200 200 and 100 100. Only
    行政运行 in basic and 一般行政管理事务 in project add up column by column."""
    parent = _row("300.00", "200.00", "100.00")
    first, second = _row("200.00", "200.00"), _row("100.00", "100.00")
    propagate([parent, first, second], [(0, [1, 2])], KEYS)
    assert settle(first) == ({"total": D("200.00"), "basic": D("200.00")}, [])
    assert settle(second) == ({"total": D("100.00"), "project": D("100.00")}, [])


def test_numbers_that_fit_no_placement_are_all_left_unplaced():
    # three numbers in three columns, but 100 ≠ 30 + 20: nothing is placed rather than guessed
    assert settle(_row("100.00", "30.00", "20.00")) == ({}, [0, 1, 2])


def test_rounding_bounds_grow_with_the_printed_terms():
    assert within_rounding(D("100.01"), [D("50.00"), D("50.00")], 3)      # 0.01 ≤ 3 × 0.005
    assert not within_rounding(D("100.02"), [D("50.00"), D("50.00")], 3)


# 表3 in raw text: each 项 row prints two numbers of three columns.
RAW_EXPENDITURE = """
10|编制部门：测试局 单位：万元
11|科目 支出预算
12|功能分类科目编码
13|功能分类科目名称 合计 基本支出 项目支出
14|类 款 项
15|※ ※ ※ ※ 1 2 3
16|总计 400.00 250.00 150.00
17|201 一般公共服务支出 300.00 200.00 100.00
18|201 03 政府办公厅（室）及相关机构事务 300.00 200.00 100.00
19|201 03 01 行政运行 200.00 200.00
20|201 03 02 一般行政管理事务 100.00 100.00
21|208 社会保障和就业支出 100.00 50.00 50.00
22|208 05 行政事业单位养老支出 100.00 50.00 50.00
23|208 05 01 行政单位离退休 50.00 50.00
24|208 05 05 机关事业单位基本养老保险缴费支出 50.00 50.00
"""


def _expenditure():
    fam = family("local-eleven")
    ctx = Context(2024, "测试局", "", fam)
    seg = TableSegment("expenditure", "部门支出总体情况表", 0, numbered(RAW_EXPENDITURE), 3, "万元")
    return parse_table(seg, ctx), ctx


def test_a_raw_table_places_what_its_arithmetic_decides():
    table, _ = _expenditure()
    by_code = {r.code: r for r in table.rows}
    assert by_code["2010301"].cells == {"total": D("200.00"), "basic": D("200.00")}
    assert by_code["2010302"].cells == {"total": D("100.00"), "project": D("100.00")}
    assert by_code["2010301"].unplaced is None and by_code["2010302"].unplaced is None
    assert by_code["208"].cells == {"total": D("100.00"), "basic": D("50.00"), "project": D("50.00")}


def test_an_ambiguous_row_is_left_unplaced_and_reported():
    """208 05 is 50 basic + 50 project; 离退休 50 50 and 养老保险缴费 50 50 add up whichever of them is
    the basic one, so each keeps its total and its second 50.00 stays text on the row."""
    table, ctx = _expenditure()
    by_code = {r.code: r for r in table.rows}
    for code in ("2080501", "2080505"):
        assert by_code[code].cells == {"total": D("50.00")}
        assert by_code[code].unplaced == "50.00"
    [issue] = ctx.issues
    assert (issue.line, issue.object, issue.code) == (23, "表3 部门支出总体情况表", "amounts-not-placed")
    assert "in 2 row(s)" in issue.message


def test_the_economic_class_decides_personnel_or_public():
    """表6: 301 and 303 are 人员经费, 302 is 公用经费, so a raw row's second figure is placed by its code
    (no 总计 row here: the arithmetic alone would leave both rows undecided)."""
    block = """
30|科目 一般公共预算基本支出
31|经济分类科目编码
32|经济分类科目名称 合计 人员经费 公用经费
33|类 款
34|※ ※ ※ 1 2 3
35|301 工资福利支出 100.00 100.00
36|302 商品和服务支出 9.99 9.99
"""
    fam = family("local-eleven")
    seg = TableSegment("general-budget-basic", "一般公共预算基本支出情况表", 0, numbered(block), 6, "万元")
    table = parse_table(seg, Context(2024, "测试局", "", fam))
    cells = {r.code: r.cells for r in table.rows if r.code}
    assert cells == {"301": {"total": D("100.00"), "personnel": D("100.00")},
                     "302": {"total": D("9.99"), "public": D("9.99")}}
