"""narrative/: staffing and the overview, change statements, project descriptions, cited
documents and indicator values, each on a few hand-written lines of disclosure prose."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from budgetkg.extract.narrative.citations import find_citations, normalize_number, scan_citations
from budgetkg.extract.narrative.explanation import parse_explanation
from budgetkg.extract.narrative.explanation_statements import change_statements
from budgetkg.extract.narrative.indicator_value import parse_value
from budgetkg.extract.narrative.overview import parse_overview, parse_staffing
from budgetkg.extract.narrative.projects import parse_descriptions
from budgetkg.extract.template import family

from stage_inputs import numbered

LOCAL = family("local-eleven")


# --- overview and staffing ------------------------------------------------------------------

def test_staffing_numbers_and_their_signed_changes():
    s = parse_staffing("测试局编制数 25，实有人数 31 人，其中：在职 20 人，增加 2 人；退休 10 人，减少 1 人；"
                       "离休 1 人，无变化。")
    assert (s.authorized, s.actual) == (25, 31)
    assert (s.active, s.active_change) == (20, 2)
    assert (s.retired, s.retired_change) == (10, -1)
    assert (s.retired_veterans, s.retired_veterans_change) == (1, 0)


OVERVIEW = """
1|一、主要职能
2|负责全县测试工作的组织实施，
3|承担测试标准的制定。
4|二、机构设置及人员情况
5|测试局下设3个科室，分别是：办公室、业务科、财务科。
6|测试局部门预算单位包括：
7|1、测试局（本级）
8|2、测试县测试中心
9|测试局编制数 25，实有人数 31 人，其中：在职 20 人，增加 2 人；退休 10 人，减少 1 人；离休 1 人，减少 0 人。
"""


def test_the_overview_gives_functions_divisions_units_and_staffing():
    ov, issues = parse_overview(numbered(OVERVIEW), lambda name: name, LOCAL)
    assert ov.functions_text == "负责全县测试工作的组织实施，承担测试标准的制定。"     # wrapped lines joined
    assert (ov.division_count, ov.divisions) == (3, ["办公室", "业务科", "财务科"])
    assert [(u.position, u.name, u.is_head) for u in ov.units] == [(1, "测试局本级", True),
                                                                     (2, "测试县测试中心", False)]
    assert (ov.staffing.authorized, ov.staffing.actual, ov.staffing.active) == (25, 31, 20)
    assert issues == []


def test_divisions_stated_and_listed_differently_are_reported():
    block = OVERVIEW.replace("下设3个科室", "下设4个科室")
    ov, issues = parse_overview(numbered(block), lambda name: name, LOCAL)
    assert ov.division_count == 4 and len(ov.divisions) == 3
    assert [i.message for i in issues] == ["the overview (部门概况) states 4 divisions but lists 3"]


# --- change statements ----------------------------------------------------------------------

def test_a_change_statement_with_share_change_percent_and_reason():
    text = "一般公共预算 1,520.50 万元，占 95.03%，比上年预算增加 120.50 万元，增长 8.61%，主要原因是：新增信息化建设项目。"
    [st] = change_statements("二", 7, text, ["测试局"])
    assert (st.subject, st.amount, st.share, st.change, st.percent) == \
        ("一般公共预算", D("1520.50"), D("95.03"), D("120.50"), D("8.61"))
    assert (st.reason, st.basis, st.line, st.section) == ("新增信息化建设项目", "budget", 7, "二")


def test_a_decrease_is_negative_and_the_department_s_name_is_not_the_subject():
    text = "测试局2024年基本支出 1133.14 万元，比上年预算减少 104.29 万元，下降 8.43%，主要原因是：在职人员减少。"
    [st] = change_statements("三", 3, text, ["测试局"])
    assert (st.subject, st.amount, st.share, st.change, st.percent, st.reason) == \
        ("基本支出", D("1133.14"), None, D("-104.29"), D("-8.43"), "在职人员减少")


EXPLANATION = """
20|二、关于测试局2024年收入预算情况说明
21|测试局收入预算 1,300.00 万元，其中：
22|一般公共预算 1,200.00 万元，占 92.31%，比上年预算增加 1,098.19 万
23|元，增长 1,078.67%，主要原因是新增测试中心运行经
24|费。
25|单位资金 100.00 万元，占 7.69%，比上年预算减少 20.00 万元，下降 16.67%，主要原因是事业收入减少。
"""


def test_statements_wrapped_over_raw_text_lines_are_read_whole():
    ex = parse_explanation(numbered(EXPLANATION), ["测试局"], set(), LOCAL)
    got = [(st.subject, st.amount, st.share, st.change, st.percent, st.reason) for st in ex.statements]
    assert got == [
        ("一般公共预算", D("1200.00"), D("92.31"), D("1098.19"), D("1078.67"), "新增测试中心运行经费"),
        ("单位资金", D("100.00"), D("7.69"), D("-20.00"), D("-16.67"), "事业收入减少"),
    ]
    assert ex.statements[1].line == 25


def test_a_statement_is_located_on_the_line_it_is_printed_on():
    """A statement printed after a '…，其中：' lead-in line is located on its own line (the Kashgar
    sample's 一般公共预算 statement, printed on line 381, was given its lead-in's, 379)."""
    ex = parse_explanation(numbered(EXPLANATION), ["测试局"], set(), LOCAL)
    assert [st.line for st in ex.statements] == [22, 25]


# --- project descriptions -------------------------------------------------------------------

PROJECTS = """
300|七、关于测试局2024年一般公共预算项目支出情况说明
301|(1) 项目名称：测试设备购置项目
302|设立的政策依据：《关于下达2024年测试经费的通知》（新财预〔2024〕12号）
303|预算安排规模：50.00 万元
304|项目承担单位：测试县测试中心
305|资金分配情况：用于购置检测设备 30 万元、设备维护费 20 万元，共计 50 万元。
306|资金执行时间：2024 年 1-12 月
307|(2) 项目名称：测试培训经费
308|设立的政策依据：新财预[2023] 7 号
309|预算安排规模：1,015.20 万元
310|项目承担单位：测试局（本级）
311|资金分配情况：培训费 1,015.20 万元。
312|资金执行时间：2024年3月-2024年11月
313|八、关于测试局2024年政府性基金预算拨款情况说明
314|测试局2024年没有使用政府性基金预算拨款安排的支出。
"""


def test_a_project_description_gives_each_field():
    projects, issues = parse_descriptions(numbered(PROJECTS), LOCAL)
    assert issues == []
    assert [p.name for p in projects] == ["测试设备购置项目", "测试培训经费"]
    p = projects[0]
    assert (p.line, p.amount, p.unit) == (301, D("50.00"), "测试县测试中心")
    assert [(i.label, i.amount) for i in p.items] == [("购置检测设备", D("30")), ("设备维护费", D("20"))]
    assert (p.period_start, p.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert [(c.key, c.title) for c in p.citations] == [("新财预〔2024〕12号", "关于下达2024年测试经费的通知")]
    q = projects[1]
    assert (q.line, q.amount, q.unit) == (307, D("1015.20"), "测试局（本级）")
    assert (q.period_start, q.period_end) == (date(2024, 3, 1), date(2024, 11, 30))
    assert [c.key for c in q.citations] == ["新财预〔2023〕7号"]


# --- cited documents ------------------------------------------------------------------------

@pytest.mark.parametrize("printed", ["新财预〔2024〕12号", "新财预[2024]12号", "新财预【2024】12 号", "新财预（2024）12号",
                                     "新财预 (2024) 1 2 号", "新 财预〔2024〕第12号"])
def test_a_document_number_is_one_key_whatever_its_brackets_and_spaces(printed):
    assert normalize_number(printed) == "新财预〔2024〕12号"
    [c] = find_citations(f"根据{printed}文件")
    assert (c.kind, c.issuer, c.year, c.serial) == ("numbered", "新财预", 2024, 12)


def test_titles_orders_and_numbers_in_one_sentence():
    text = "依据《中华人民共和国预算法》、财政部令第 69、32 号；《关于印发测试办法的通知》（新财预〔2024〕12号）。"
    got = [(c.kind, c.key, c.title) for c in find_citations(text)]
    assert got == [("title", "中华人民共和国预算法", "中华人民共和国预算法"),
                   ("order", "财政部令第69号", None), ("order", "财政部令第32号", None),
                   ("numbered", "新财预〔2024〕12号", "关于印发测试办法的通知")]


def test_a_number_whose_issuer_cannot_be_told_is_reported_not_linked():
    citations, doubtful = scan_citations("依据〔2024〕12号文件")
    assert citations == [] and doubtful == ["依据〔2024〕12号"]      # the snippet the warning quotes


@pytest.mark.parametrize("text,key", [("依据《预算法》和新财预〔2024〕12号", "新财预〔2024〕12号"),
                                      ("依据《中华人民共和国预算法》及财政部令第69号", "财政部令第69号")])
def test_a_conjunction_after_a_title_is_not_part_of_the_issuer(text, key):
    numbers = [c for c in find_citations(text) if c.kind != "title"]
    assert [(c.key, c.title) for c in numbers] == [(key, None)]


# --- indicator values -----------------------------------------------------------------------

@pytest.mark.parametrize("printed,kind,comparator,target,unit,when", [
    (">=95%", "numeric", ">=", D("95"), "%", None),
    ("≤20台", "numeric", "<=", D("20"), "台", None),
    ("=12 次", "numeric", "=", D("12"), "次", None),
    ("<=24 万元", "numeric", "<=", D("24"), "万元", None),
    ("＞=800家", "numeric", ">=", D("800"), "家", None),
    ("=15210.67 元/人/年", "numeric", "=", D("15210.67"), "元/人/年", None),
    ("2024年9月30日", "date", None, None, None, "2024-09-30"),
    ("2024年12月底前", "date", "<=", None, None, "2024-12"),
    ("有效提升", "qualitative", None, None, None, None),
    ("-", "none", None, None, None, None),
    ("95%以上?", "unparsed", None, None, None, None),
])
def test_an_indicator_value(printed, kind, comparator, target, unit, when):
    v = parse_value(printed)
    assert (v.text, v.kind, v.comparator, v.target, v.unit, v.target_date) == \
        (printed, kind, comparator, target, unit, when)
