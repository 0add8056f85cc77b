"""segment: a document's template family, its tables by the kind their titles name, and its
overview / explanation / glossary by their headings, on small hand-written documents."""

from __future__ import annotations


from budgetkg.extract.pipeline import segment_source
from budgetkg.extract.segment import detect_family, segment
from budgetkg.extract.template import families, family

from stage_inputs import nonblank, numbered, source

# The eleven-table local template, cut down to two tables, with a table of contents that names
# them (the contents is not a table: no unit, header or rows follow its lines).
ELEVEN = """
 1|测试县测试局2024年部门预算公开
 2|目 录
 3|第一部分 2024年部门概况
 4|第二部分 2024年部门预算公开表
 5|一、部门收支总体情况表
 6|三、部门支出总体情况表
 7|第三部分 2024年部门预算情况说明
 8|第四部分 名词解释
 9|
10|第一部分 2024年部门概况
11|一、主要职能
12|负责全县测试工作的组织实施。
13|二、机构设置及人员情况
14|测试局下设2个科室，分别是：办公室、业务科。编制数10，实有人数12人，其中：在职8人，增加1人；退休4人，减少2人；离休0人，增加0人。
15|第二部分 2024年部门预算公开表
16|表1
17|部门收支总体情况表
18|编制部门：测试县测试局
19|单位：万元
20|收 入\t\t支 出\t
21|项 目\t预算数\t功能分类\t预算数
22|一、本年收入\t300.00\t201 一般公共服务支出\t300.00
23|收 入 总 计\t300.00\t支 出 总 计\t300.00
24|表3
25|部门支出总体情况表
26|编制部门：测试县测试局
27|单位：万元
28|科 目\t\t\t支出预算\t\t\t
29|功能分类 科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出
30|类\t款\t项\t\t\t\t
31|201\t\t\t一般公共服务支出\t300.00\t200.00\t100.00
32|201\t03\t\t政府办公厅（室）及相关机构事务\t300.00\t200.00\t100.00
33|201\t03\t01\t行政运行\t200.00\t200.00\t
34|201\t03\t02\t一般行政管理事务\t100.00\t\t100.00
35|\t\t\t合计\t300.00\t200.00\t100.00
36|
37|第三部分 2024年部门预算情况说明
38|一、关于测试县测试局2024年收支预算情况的总体说明
39|收支总预算300.00万元。
40|第四部分 名词解释
41|一、基本支出：指为保障机构正常运转的支出。
42|测试县测试局
43|2024年2月20日
"""


def _segments(block: str, names=("测试县测试局",), fam=None):
    lines = numbered(block)
    fam = fam or detect_family(lines, families())
    return fam, lines, segment(lines, fam, names)


def test_the_eleven_table_family_is_recognised_by_its_words():
    fam, _, _ = _segments(ELEVEN)
    assert fam.id == "local-eleven"          # 第二部分 …部门预算公开表 is one of its detect patterns


def test_tables_are_found_by_the_kind_their_titles_name_with_their_printed_numbers():
    _, lines, seg = _segments(ELEVEN)
    assert list(seg.tables) == ["summary", "expenditure"]       # the contents (lines 5-6) are not tables
    summary, expenditure = seg.tables["summary"], seg.tables["expenditure"]
    assert (lines[summary.start].number, summary.number, summary.title, summary.unit) == \
        (17, 1, "部门收支总体情况表", "万元")
    assert (lines[expenditure.start].number, expenditure.number, expenditure.title) == (25, 3, "部门支出总体情况表")
    # a body runs from the line after the title to the last line before the next table's mark (表3)
    # or the next part heading (第三部分)
    assert nonblank(summary.lines) == list(range(18, 24))
    assert nonblank(expenditure.lines) == list(range(26, 36))
    assert not seg.unrecognised and not seg.duplicate_tables


def test_parts_are_found_by_their_headings():
    _, lines, seg = _segments(ELEVEN)
    assert nonblank(seg.part1) == list(range(11, 15))          # 一、主要职能 … staffing; not the heading
    assert seg.part3_found
    assert nonblank(seg.part3) == [38, 39]                       # the explanation's prose, no table line
    assert nonblank(seg.part4) == [41, 42, 43]
    roles = {lines[i].number: role for i, role in seg.headings}
    assert roles == {10: "overview", 15: "tables", 37: "explanation", 40: "glossary"}


def test_segment_source_names_the_department_and_the_family():
    fam, department, seg = segment_source(source(ELEVEN))
    assert (fam.id, department) == ("local-eleven", "测试县测试局")
    assert set(seg.tables) == {"summary", "expenditure"}


# No part headings at all, no table numbers, and the tables in another order than the template's:
# the tables are still found by their titles, each ending where the next title starts.
HEADINGLESS = """
 1|测试局2024年部门预算
 2|一、主要职能
 3|负责全县测试工作的组织实施。
 4|部门支出总体情况表
 5|单位：万元
 6|功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出
 7|201\t\t\t一般公共服务支出\t300.00\t200.00\t100.00
 8|\t\t\t合计\t300.00\t200.00\t100.00
 9|部门收支总体情况表
10|单位：万元
11|项 目\t预算数\t功能分类\t预算数
12|一、本年收入\t300.00\t201 一般公共服务支出\t300.00
13|收 入 总 计\t300.00\t支 出 总 计\t300.00
14|“三公”经费支出情况表
15|单位：万元
16|“三公”经费支出内容\t合计
17|合计\t\t
18|备注：本部门没有使用财政拨款“三公”经费安排的支出，本表为空表。
"""


def test_a_headingless_reordered_document_keeps_its_tables_in_printed_order():
    fam, lines, seg = _segments(HEADINGLESS, ("测试局",))
    assert fam.id == "national"                 # no family's words: the national vocabulary
    assert list(seg.tables) == ["expenditure", "summary", "three-public"]
    starts = {k: lines[t.start].number for k, t in seg.tables.items()}
    assert starts == {"expenditure": 4, "summary": 9, "three-public": 14}
    assert [t.number for t in seg.tables.values()] == [None, None, None]     # no 表N printed
    assert nonblank(seg.tables["expenditure"].lines) == [5, 6, 7, 8]
    assert nonblank(seg.tables["summary"].lines) == [10, 11, 12, 13]
    assert nonblank(seg.tables["three-public"].lines) == [15, 16, 17, 18]
    assert nonblank(seg.part1) == [2, 3]         # the text before the first table
    assert not seg.part3_found and not seg.part4


def test_the_same_tables_in_the_template_s_family_are_found_alike():
    """Forcing the eleven-table family changes nothing for a document that prints its titles."""
    _, lines, seg = _segments(HEADINGLESS, ("测试局",), family("local-eleven"))
    assert list(seg.tables) == ["expenditure", "summary", "three-public"]


def test_a_table_printed_twice_is_kept_once_and_reported():
    block = HEADINGLESS + """19|部门支出总体情况表
20|单位：万元
21|功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出
22|201\t\t\t一般公共服务支出\t300.00\t200.00\t100.00
"""
    _, lines, seg = _segments(block, ("测试局",))
    assert lines[seg.tables["expenditure"].start].number == 4
    assert [(t.kind, n) for t, n in seg.duplicate_tables] == [("expenditure", 19)]


def test_prose_after_the_last_table_is_not_part_of_it():
    """A sentence after a tab-separated table's rows ends its body (it was read as part of it, and
    then as a table row)."""
    block = HEADINGLESS + "19|以上为本部门全部公开内容。\n"
    _, _, seg = _segments(block, ("测试局",))
    assert nonblank(seg.tables["three-public"].lines) == [15, 16, 17, 18]
