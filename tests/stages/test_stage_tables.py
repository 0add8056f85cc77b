"""tables/rows.py and tables/build.py: a table body read into rows (codes, names, amounts) and
built into Table records, on small hand-written bodies in the samples' renderings."""

from __future__ import annotations

from decimal import Decimal as D


from budgetkg.extract.segment import TableSegment
from budgetkg.extract.tables.build import Context, parse_table
from budgetkg.extract.tables.rows import read_body
from budgetkg.extract.template import family

from stage_inputs import numbered

LOCAL = family("local-eleven")

# 表5 as the tab-separated samples print it: codes in 类/款/项 cells, an empty cell where a row has
# no project spending, thousands separators, a name broken by a layout space, a figure broken by
# a wrapped cell (1247.2 2), the header repeated after a page break.
TSV_GENERAL_BUDGET = """
40|编制部门：测试局
41|单位：万元
42|科 目\t\t\t一般公共预算支出\t\t\t
43|功能分类 科目编码\t\t\t功能分类科目名称\t合 计\t基本支出\t项目支出
44|类\t款\t项\t\t\t\t
45|201\t\t\t一般公共服务支出\t1,176.96\t1,062.88\t114.08
46|201\t03\t\t政府办公厅（室）及相关机构事务\t1,176.96\t1,062.88\t114.08
47|201\t03\t01\t行政运行\t1,062.88\t1,062.88\t
48|201\t03\t02\t一般行政管理事务\t114.08\t\t114.08
49|功能分类 科目编码\t\t\t功能分类科目名称\t合 计\t基本支出\t项目支出
50|类\t款\t项\t\t\t\t
51|208\t05\t05\t机关事业单位基本 养老保险缴费支出\t71.30\t71.30\t
52|\t\t\t合计\t1247.2 2\t1133.14\t114.08
"""


def test_tsv_rows_give_codes_names_and_amounts_by_cell():
    body = read_body(LOCAL.layout("general-budget"), numbered(TSV_GENERAL_BUDGET), 2024)
    rows = [(r.line, r.code, r.label, r.positional) for r in body.rows]
    assert rows == [
        (45, "201", "一般公共服务支出", [D("1176.96"), D("1062.88"), D("114.08")]),
        (46, "20103", "政府办公厅（室）及相关机构事务", [D("1176.96"), D("1062.88"), D("114.08")]),
        (47, "2010301", "行政运行", [D("1062.88"), D("1062.88"), None]),
        (48, "2010302", "一般行政管理事务", [D("114.08"), None, D("114.08")]),
        (51, "2080505", "机关事业单位基本养老保险缴费支出", [D("71.30"), D("71.30"), None]),   # 49-50: header again
        (52, None, "合计", [D("1247.22"), D("1133.14"), D("114.08")]),
    ]
    assert not any(r.bad_cells for r in body.rows)


def _table(kind: str, block: str, number: int | None = None, tables=None):
    ctx = Context(2024, "测试局", "", LOCAL, dict(tables or {}))
    seg = TableSegment(kind, LOCAL.layout(kind).title, 0, numbered(block), number, "万元")
    return parse_table(seg, ctx), ctx


def test_built_rows_keep_only_the_printed_amounts_an_empty_cell_is_absent_not_zero():
    table, ctx = _table("general-budget", TSV_GENERAL_BUDGET, 5)
    assert (table.kind, table.status, table.number, table.line, table.columns) == \
        ("general-budget", "present", 5, 40, ["total", "basic", "project"])
    by_code = {r.code: r for r in table.rows}
    assert by_code["2010301"].cells == {"total": D("1062.88"), "basic": D("1062.88")}
    assert "project" not in by_code["2010301"].cells
    assert by_code["2010302"].cells == {"total": D("114.08"), "project": D("114.08")}
    assert [(r.code, r.level) for r in table.rows] == [
        ("201", "class"), ("20103", "section"), ("2010301", "item"), ("2010302", "item"), ("2080505", "item"),
        (None, "total")]
    assert table.rows[-1].cells == {"total": D("1247.22"), "basic": D("1133.14"), "project": D("114.08")}
    assert [r.index for r in table.rows] == [1, 2, 3, 4, 5, 6]
    assert not ctx.issues


# 表6 with the 款 printed without its leading zero (301 | 2 is 30102) and a 302 row.
TSV_BASIC = """
60|科 目\t\t一般公共预算基本支出\t\t\t
61|经济分类科目编码\t\t经济分类科目 名称\t合计\t人员经费\t公用经费
62|类\t款\t\t\t\t
63|301\t\t工资福利支出\t415.13\t415.13\t
64|301\t1\t基本工资\t184.20\t184.20\t
65|301\t02\t津贴补贴\t230.93\t230.93\t
66|302\t\t商品和服务支出\t9.99\t\t9.99
67|302\t01\t办公费\t9.99\t\t9.99
68|\t\t合计\t425.12\t415.13\t9.99
"""


def test_economic_codes_with_a_short_kuan_cell():
    table, _ = _table("general-budget-basic", TSV_BASIC, 6)
    assert [(r.code, r.label) for r in table.rows] == [
        ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("302", "商品和服务支出"),
        ("30201", "办公费"), (None, "合计")]
    assert table.rows[3].cells == {"total": D("9.99"), "public": D("9.99")}


# 表3 as raw PDF text (the finance sample): one row per line, empty cells gone, a name wrapped over
# two lines with its numbers on a third, page furniture repeated inside the table.
RAW_EXPENDITURE = """
70|编制部门：测试局 单位：万元
71|科目 支出预算
72|功能分类科目编码
73|功能分类科目名称 合计 基本支出 项目支出
74|类 款 项
75|※ ※ ※ ※ 1 2 3
76|总计 1,724.59 1,724.59
77|208 社会保障和就业支出 1,724.59 1,724.59
78|208 05 行政事业单位养老支出 1,724.59 1,724.59
79|208 05 01 行政单位离退休 1,071.37 1,071.37
80| 编制部门：测试局 单位：万元
81|208 05 05
82|机关事业单位基本养老保险缴
83|费支出
84|653.22 653.22
"""


def test_raw_rows_join_a_wrapped_name_and_keep_their_numbers_in_printed_order():
    body = read_body(LOCAL.layout("expenditure"), numbered(RAW_EXPENDITURE), 2024)
    assert body.numbered_columns == 3
    assert [(r.line, r.code, r.label, r.loose_text) for r in body.rows] == [
        (76, None, "总计", ["1,724.59", "1,724.59"]),
        (77, "208", "社会保障和就业支出", ["1,724.59", "1,724.59"]),
        (78, "20805", "行政事业单位养老支出", ["1,724.59", "1,724.59"]),
        (79, "2080501", "行政单位离退休", ["1,071.37", "1,071.37"]),
        (81, "2080505", "机关事业单位基本养老保险缴费支出", ["653.22", "653.22"]),
    ]
    assert body.rows[4].page_start        # the first row after the repeated 编制部门 line


def test_an_empty_table_with_its_note_has_no_amounts():
    block = """
90|科 目\t\t\t政府性基金预算支出\t\t\t\t
91|功能分类科目编码\t\t\t功能分类科目名称\t合 计\t基本支出\t\t项目支出
92|类\t款\t项\t\t\t人员经费\t公用经费\t
93|\t\t\t合计\t\t\t\t
94|
95|备注：测试局2024年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。
"""
    table, _ = _table("government-fund", block, 8)
    assert table.status == "empty"
    assert table.note == "备注：测试局2024年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。"
    assert all(not r.cells for r in table.rows)


def test_a_three_public_table_in_its_items():
    block = """
100|“三公”经费支出内容\t合计\t资金来源\t\t
101|\t\t一般公共预算\t政府性基金\t国有资本经营预算
102|合计\t27.50\t27.50\t\t
103|因公出国（境）费\t\t\t\t
104|公务接待费\t7.20\t7.20\t\t
105|公务用车购置及运行费（小计）\t20.30\t20.30\t\t
106|其中：公务用车购置费\t\t\t\t
107|公务用车运行费\t20.30\t20.30\t\t
"""
    table, _ = _table("three-public", block, 10)
    assert [(r.line, r.item, r.level) for r in table.rows] == [
        (102, "total", "total"), (103, "abroad", "detail"), (104, "reception", "detail"),
        (105, "vehicle-total", "group"), (106, "vehicle-purchase", "detail"), (107, "vehicle-operation", "detail")]
    assert table.rows[0].cells == {"total": D("27.50"), "general-budget": D("27.50")}
    assert table.rows[1].cells == {}                     # printed empty: no amount, not 0


def test_an_empty_three_public_table_keeps_its_printed_rows():
    """An empty table's item rows print only tabs after their names; they stay rows (the
    Kashgar sample's 表10 was read as 0 rows and no columns when normalize stripped the tabs)."""
    block = """
110|“三公”经费支出内容\t合计\t资金来源
111|\t\t一般公共预算\t政府性基金\t国有资本经营预算
112|合计\t\t\t\t
113|因公出国（境）费\t\t\t\t
114|公务接待费\t\t\t\t
115|公务用车购置及运行费（小计）\t\t\t\t
116|其中：公务用车购置费\t\t\t\t
117|公务用车运行费\t\t\t\t
118|
119|备注：测试局2024年没有使用财政拨款“三公”经费安排的支出，财政拨款“三公”经费支出情况表为空表。
"""
    table, _ = _table("three-public", block, 10)
    assert table.status == "empty"
    assert [r.line for r in table.rows] == [112, 113, 114, 115, 116, 117]
    assert table.columns == ["total", "general-budget", "government-fund", "state-capital"]
