"""Performance-target tables, the 指标值 parser, and the facts of 第三部分's prose."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st
from rdflib import URIRef

from budgetkg.extract.narrative.explanation import parse_explanation
from budgetkg.extract.narrative.indicator_value import parse_value
from budgetkg.extract.normalize import Line
from budgetkg.extract.narrative.performance import parse_performance, split_tables
from budgetkg.extract.template import family
from budgetkg.vocab import BKG
from conftest import SAMPLES, extracted, query_rows, store_of

SPELLINGS = {
    ">=": [">=", "＞=", "＞＝", "≥", "≧", "> =", "＞ =", "=>", "大于等于", "不低于", "不少于"],
    "<=": ["<=", "＜=", "＜＝", "≤", "≦", "< =", "＜ =", "=<", "小于等于", "不超过", "不高于"],
    ">": [">", "＞", "大于"],
    "<": ["<", "＜", "小于"],
    "=": ["=", "＝", "等于"],
}
UNITS = ["%", "％", "万元", "人", "次", "台", "平方米", "小时", "元/人/年", "人/月", "个", "(家)次", "元/人.日", ""]


def lines(text: str, start: int = 1) -> list[Line]:
    return [Line(start + i, t) for i, t in enumerate(text.split("\n"))]


# ------------------------------------------------------------------ 指标值

@given(op=st.sampled_from(sorted(SPELLINGS)), data=st.data(),
       number=st.decimals(min_value=0, max_value=10 ** 7, places=2, allow_nan=False),
       unit=st.sampled_from(UNITS), gap=st.sampled_from(["", " "]))
def test_every_comparator_spelling_with_every_unit(op, data, number, unit, gap):
    spelling = data.draw(st.sampled_from(SPELLINGS[op]))
    text = f"{spelling}{gap}{number}{gap}{unit}"
    v = parse_value(text)
    assert (v.kind, v.comparator, v.target, v.text) == ("numeric", op, number, text)
    expected_unit = {"％": "%"}.get(unit, unit.replace("（", "(").replace("）", ")")) or None
    assert v.unit == expected_unit


@pytest.mark.parametrize("text, op, target, unit", [
    ("> =95%", ">=", "95", "%"), ("< =66.7 8 万元", "<=", "66.78", "万元"), ("＞ =1800 0万元", ">=", "18000", "万元"),
    ("27 人/ 月", None, "27", "人/月"), ("1", None, "1", None), ("0.95", None, "0.95", None),
    ("=9月", "=", "9", "月"), (">=50(家)次", ">=", "50", "(家)次"), ("＜ =119. 04万元", "<=", "119.04", "万元"),
    ("=1,000 人", "=", "1000", "人"),
])
def test_values_printed_in_the_samples(text, op, target, unit):
    v = parse_value(text)
    assert (v.kind, v.comparator, v.target, v.unit) == ("numeric", op, Decimal(target), unit)


@pytest.mark.parametrize("text, op, date", [
    ("2024 年 5月 30日", None, "2024-05-30"), ("=2024年5月30日前", "=", "2024-05-30"),
    ("2024年12月底前", "<=", "2024-12"), ("≤2024年11月", "<=", "2024-11"), ("2024年6月30日前", "<=", "2024-06-30"),
])
def test_date_targets(text, op, date):
    v = parse_value(text)
    assert (v.kind, v.comparator, v.target_date, v.target) == ("date", op, date, None)


@pytest.mark.parametrize("text", ["有效提升", "显著 提升", "提升", "保障", "办园条件显著提升", "逐步完善、有效运行"])
def test_qualitative_targets_keep_their_text(text):
    v = parse_value(text)
    assert (v.kind, v.comparator, v.target, v.text) == ("qualitative", None, None, text)


@pytest.mark.parametrize("text", ["-", "—", "无", "/", ""])
def test_none_marks(text):
    assert parse_value(text).kind == "none"


@pytest.mark.parametrize("text", [">", "=95%abc123", "每天24小时", "2024年13月", "2024年2月30日", "≥≥5", "1,00,0",
                                  "95%以上", "<=?", ">=5次/", "提升20%"])
def test_garbage_is_flagged_and_kept(text):
    v = parse_value(text)
    assert v.flagged and v.kind == "unparsed" and v.text == text and v.target is None


@given(st.text(max_size=30))
def test_no_text_makes_the_value_parser_raise(text):
    v = parse_value(text)
    assert v.text == text and v.kind in {"numeric", "date", "qualitative", "none", "unparsed"}
    assert (v.target is not None) == (v.kind == "numeric")


# ------------------------------------------------------------------ tables in the samples

@pytest.fixture(scope="module")
def tables():
    return {name: extracted(SAMPLES / f"{name}.txt")[0].performance
            for name in ("xinjiang-government-office-2024", "kashgar-city-government-office-2024",
                         "xinjiang-finance-department-2024")}


def test_one_department_table_per_document_and_one_per_project(tables):
    for name, found in tables.items():
        assert [t.kind for t in found].count("department") == 1, name
    gov = tables["xinjiang-government-office-2024"]
    assert len(gov) == 13 and len(tables["kashgar-city-government-office-2024"]) == 2
    assert len(tables["xinjiang-finance-department-2024"]) == 23      # 1 + the 22 fiscal projects


def test_header_fields_as_printed(tables):
    dept = tables["xinjiang-government-office-2024"][0]
    assert (dept.unit, dept.manager, dept.contact) == ("新疆维吾尔自治区人民政府办公厅", "陈思依", "0991-2383221")
    assert dept.funds == {"upper": Decimal("30.00"), "own": Decimal("14695.46"), "other": Decimal("11.04")}
    assert dept.goal.startswith("贯彻落实党的基本理论")
    shanghai = tables["xinjiang-government-office-2024"][12]
    assert (shanghai.unit, shanghai.project, shanghai.manager) == (
        "新疆维吾尔自治区人民政府驻上海办事处", "驻外办事处业务经费（含成本性支出）", "刘默然")
    assert shanghai.funds == {"total": Decimal("268.00"), "fiscal": Decimal("218.00"), "other": Decimal("50.00")}
    raw = tables["xinjiang-finance-department-2024"][1]            # header wrapped over many lines
    assert raw.project == "2024年巩固拓展脱贫攻坚成果同乡村振兴有效衔接资金绩效评价及指导评估项目"
    assert (raw.unit, raw.manager, raw.funds["total"]) == ("新疆维吾尔自治区财政厅本级", "汪亚军", Decimal("185.00"))
    assert tables["xinjiang-finance-department-2024"][8].manager == "张延辉、帕尔哈提、崔鲁新、贾晓倩"


def test_weights_of_every_fully_reconstructed_table_add_up_as_printed(tables):
    """The template's convention is 90 per project table (the department table's weights are its own)."""
    sums = {name: [(t.line, sum(i.weight for i in t.indicators)) for t in found if not t.unparsed]
            for name, found in tables.items()}
    assert {w for _, w in sums["xinjiang-finance-department-2024"]} == {90}
    gov = dict(sums["xinjiang-government-office-2024"])
    assert gov.pop(780) == 60                                      # 支持学前教育发展资金 prints 5 rows, 60 points
    assert set(gov.values()) == {90}
    assert dict(sums["kashgar-city-government-office-2024"]) == {522: 90, 545: 85}


def test_raw_text_rows_that_cannot_be_rebuilt_are_reported_by_table_and_kept(tables):
    disclosure, graph = extracted(SAMPLES / "xinjiang-finance-department-2024.txt")
    kept = {t.project: [line for line, _ in t.unparsed] for t in tables["xinjiang-finance-department-2024"]
            if t.unparsed}
    assert kept == {
        "财政改革经费": [3185, 3186],                  # a row split by a page break, overflow inside the next row
        "机关后勤保障服务费": [3965],                  # 每天24小时: no comparator, no date, broken over lines
        "社保资金管理系统维保费": [4216],
        "政府采购信息系统建设与维护费": [5051, 5090, 5110, 5143, 5160],
        "自治区地方政府债务管理系统部署及运维经费": [5806],
    }
    reported = [i for i in disclosure.issues if "could not be reconstructed" in i.message]
    assert sorted(i.line for i in reported) == sorted(line for lines_ in kept.values() for line in lines_)
    assert all("项目支出绩效目标表" in i.message for i in reported)
    texts = [str(o) for o in graph.objects(None, BKG.unparsedRowText)]
    assert any("安保服务时间" in t and "每天" in t for t in texts) and len(texts) == 10
    # The labels in a row kept as text still apply below it: 成本指标 after line 5110.
    procurement = next(t for t in tables["xinjiang-finance-department-2024"] if t.line == 4894)
    assert [(i.level1, i.level2) for i in procurement.indicators if i.line > 5110][0] == ("效益指标", "经济效益指标")


def test_cell_rows_shifted_split_and_merged_are_realigned(tables):
    gov = {(t.line, i.name): i for t in tables["xinjiang-government-office-2024"] for i in t.indicators}
    row = gov[(763, "教学保障支出")]                  # printed one cell short on the left
    assert (row.level1, row.level2, row.value.target, row.basis, row.previous.text, row.weight) == (
        "成本指标", "经济成本指标", Decimal("75"), "预算支出标准", "77 万 元", Decimal("15"))
    row = gov[(903, "发放退休人员绩效奖")]              # name printed in the 一级 column
    assert (row.level1, row.level2, row.value.target) == ("成本指标", "经济成本指标", Decimal("14.06"))
    row = gov[(971, "群众困难诉求解决率")]              # split by a page break: "满意|满意|…|>" + "度指 标|…|=95%"
    assert (row.level1, row.level2, row.value.comparator, row.value.target) == ("满意度指标", "满意度指标", ">=", 95)
    kashgar = {i.name: i for t in tables["kashgar-city-government-office-2024"] for i in t.indicators}
    assert kashgar["举报平台反映线索问题查处率"].basis == "2023 年度工作总结及 2024 年工作 计划"


def test_indicator_rows_in_the_graph(sample_graphs):
    _, graph = sample_graphs["xinjiang-government-office-2024"]
    rows = query_rows(store_of(graph), "indicators", drop=())
    assert len(rows) == 111
    first = rows[0]
    assert first["subject"] == first["department"] and first["name"] == "保障自治区政府中心正常运转"
    # the table titled 2024年日常运行管理费 is about 天山幼儿园's project 日常运行管理费 (表7, 七)
    kindergarten = [r for r in rows if r["tableTitle"] == "2024年日常运行管理费"]
    assert kindergarten[0]["subject"].endswith("/project/天山幼儿园/日常运行管理费")
    assert kindergarten[0]["subjectName"] == "日常运行管理费"
    level2 = graph.value(URIRef(kindergarten[0]["subject"].rsplit("/project/", 1)[0] + "/performance/2/indicator/1"),
                         BKG.level2)
    assert str(graph.value(level2, URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"))).endswith("/数量指标")


def test_projects_only_in_performance_tables_are_projects_linked_to_their_unit(sample_graphs):
    _, graph = sample_graphs["xinjiang-government-office-2024"]
    rows = {(r["unitName"], r["name"]): r for r in query_rows(store_of(graph), "projects")}
    assert rows[("新疆维吾尔自治区人民政府办公厅文印中心", "文印中心日常管理运行费")]["amount"] == "81.00"
    assert rows[("天山幼儿园", "天山幼儿园非财政拨款项目")]["amount"] == "9.40"


# ------------------------------------------------------------------ unseen tables

def test_an_unseen_raw_table_is_rebuilt_from_its_wrapped_cells():
    text = """项目支出绩效目标表
预算单位 某某局本级
项目名称 信息系统运维 项目负责人 张三
项目资金(万
元)
年度预算总额 50.00
其中：财政拨
款
50.00 其他资金 0.00
项目总体目标
保障系统运行。
一级
指标
二级
指标
三级指标
指标
值
指标值设置依
据
上年
完成
值
指标
分值
权重
指标赋分规则 佐证资料
产出
指标
数量
指标
运维系统数
量
≥
3套 计划标准 3套 40 直接赋分 工作资料
时效
指标
完成时限
2024
年 6月
30日
计划标准 - 20
按照完成比例赋
分
工作资料
满意
度指
标
满意
度指
标
用户满意度 ＞=90% 行业标准 - 30 满意度赋分 工作资料"""
    (table,), issues = parse_performance(lines(text))
    assert not issues and not table.unparsed
    assert (table.unit, table.project, table.manager, table.funds["total"]) == ("某某局本级", "信息系统运维", "张三", 50)
    got = [(i.level1, i.level2, i.name, i.value.comparator, i.value.target, i.value.unit, i.value.target_date,
            i.basis, i.weight, i.scoring, i.evidence) for i in table.indicators]
    assert got == [
        ("产出指标", "数量指标", "运维系统数量", ">=", 3, "套", None, "计划标准", 40, "直接赋分", "工作资料"),
        ("产出指标", "时效指标", "完成时限", None, None, None, "2024-06-30", "计划标准", 20, "按照完成比例赋分", "工作资料"),
        ("满意度指标", "满意度指标", "用户满意度", ">=", 90, "%", None, "行业标准", 30, "满意度赋分", "工作资料"),
    ]


def test_a_table_without_an_indicator_header_is_kept_as_text_and_reported():
    text = "部门整体绩效目标表\n部门名称 某局\n这一页只有说明文字，没有指标表头。"
    (table,), issues = parse_performance(lines(text))
    assert table.indicators == [] and len(table.unparsed) == 2 and table.unit.startswith("某局")
    assert "no 一级指标" in issues[0].message and issues[0].line == 1


# ------------------------------------------------------------------ 第三部分 prose

def test_change_statements_in_every_printed_shape():
    text = """二、关于某局 2024 年收入预算情况说明
某局部门收入预算 100.00 万元，其中：
一般公共预算 90.00 万元，占 90.00%，比上年预算减少 1,000.50 万
元，下降 12.5%，主要原因是人员减少。
单位资金10.00万元，占10.00%，比上年预算增加10.00万元，增长100.00%，主要原因是：新增项目；其他略。
五、关于某局 2024 年一般公共预算当年拨款情况说明
1、一般公共服务支出（类）财政事务（款）行政运行（项）：2024 年预
算数为 80.00 万元，比上年预算增加 8.00 万元，增长 11.11%。主要原因是调资。
十、关于某局 2024 年财政拨款“三公”经费预算情况说明
某局 2024 年财政拨款“三公”经费预算数为 3.00 万元，其中：因公出国（境）费 0 万元，公务用车购置费 0万元，公务用车运行费 2.00
万元，公务接待费 1.00 万元。
2024 年财政拨款“三公”经费预算比上年预算增加 0.00 万元，增长 0.00%，其中：公务接待费减少 1.00 万元，下降 50.00%，主要原因是压减。"""
    ex = parse_explanation(lines(text), ["某局"], set(), family("local-eleven"))
    got = [(s.section, s.subject, s.amount, s.share, s.change, s.percent, s.reason) for s in ex.statements]
    D = Decimal
    assert got == [
        ("二", "一般公共预算", D("90.00"), D("90.00"), D("-1000.50"), D("-12.5"), "人员减少"),
        ("二", "单位资金", D("10.00"), D("10.00"), D("10.00"), D("100.00"), "新增项目"),
        ("五", "一般公共服务支出（类）财政事务（款）行政运行（项）", D("80.00"), None, D("8.00"), D("11.11"), "调资"),
        ("十", "财政拨款“三公”经费", None, None, D("0.00"), D("0.00"), None),
        ("十", "公务接待费", None, None, D("-1.00"), D("-50.00"), "压减"),
    ]
    assert ex.three_public.values == {"total": D("3.00"), "abroad": D("0"), "vehicle-purchase": D("0"),
                                      "vehicle-operation": D("2.00"), "reception": D("1.00")}


def test_statements_link_to_what_they_restate(sample_graphs):
    _, graph = sample_graphs["xinjiang-finance-department-2024"]
    rows = query_rows(store_of(graph), "change-statements")
    by_subject = {r["subject"].rsplit("/", 1)[-1]: r for r in rows}
    assert by_subject["2010602"]["amount"] == "2204.00" and by_subject["2010602"]["percent"] == "16.92"
    assert by_subject["fiscal-carryover"]["change"] == "-1736.92"
    assert by_subject["vehicle-operation"]["reason"] == "与上年相比,2024 年公车运行保障工作无变化"


def test_figures_of_the_other_paragraphs(sample_graphs):
    ex = sample_graphs["xinjiang-government-office-2024"][0].explanation
    assert ex.operating.values == {"total": Decimal("1418.32")}
    assert ex.performance.values == {
        "department-targets": 1, "department-amount": Decimal("14736.50"), "fiscal-projects": 8,
        "fiscal-amount": Decimal("4410.80"), "nonfiscal-projects": 4, "nonfiscal-amount": Decimal("404.40")}
    assert ex.assets.vehicles == [("一般公务用车", 102, Decimal("3818.49")), ("执法执勤用车", 0, Decimal("0.00")),
                                  ("其他车辆", 0, Decimal("0.00"))]
    finance = sample_graphs["xinjiang-finance-department-2024"][0].explanation
    assert (finance.assets.values["equipment-50"], finance.assets.values["equipment-100"]) == (31, 13)


@pytest.mark.parametrize("title, kind", [
    ("部门整体绩效目标表", "department"), ("单位整体绩效目标表", "department"),
    ("部门（单位）整体绩效目标表", "department"), ("2024年部门整体支出绩效目标表", "department"),
    ("项目支出绩效目标表", "project"), ("项目绩效目标表", "project"), ("市级一般性项目绩效目标表", "project"),
    ("市级重点专项资金绩效目标表", "project"),
    # prose that ends in the words is not a title
    ("具体情况见下表：部门整体绩效目标表", None), ("部门有2个涉密项目，项目绩效目标表完全不予公开。", None),
])
def test_performance_tables_are_told_apart_by_the_templates_title_patterns(title, kind):
    found = split_tables(lines(f"{title}\n一级指标 二级指标"))
    assert [k for k, _, _ in found] == ([kind] if kind else [])


def test_a_unit_wide_performance_table_is_the_departments_table(tmp_path):
    """单位整体绩效目标表 (a unit's own disclosure) once raised "no department-wide performance table"."""
    from budgetkg.extract.emit import to_graph
    from budgetkg.extract.pipeline import extract_file
    from budgetkg.audit.validate import load_shapes, validate_store
    from conftest import SAMPLES, store_of
    text = (SAMPLES / "kashgar-city-government-office-2024.txt").read_text(encoding="utf-8")
    assert "\n部门整体绩效目标表\n" in text
    edited = tmp_path / "kashgar-city-government-office-2024.txt"
    edited.write_text(text.replace("\n部门整体绩效目标表\n", "\n单位整体绩效目标表\n"), encoding="utf-8")
    d = extract_file(edited)
    assert [t.kind for t in d.performance][:1] == ["department"]
    findings = validate_store(store_of(to_graph(d)), load_shapes())
    assert not [f for f in findings if "DepartmentHasDepartmentPerformanceTable" in f.code]
