"""Projects (第三部分 七) and cited policy documents, checked against values typed from the documents."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st
from rdflib.namespace import RDF, SKOS

from budgetkg.extract.narrative.citations import find_citations, normalize_number, scan_citations
from budgetkg.extract.narrative.projects import allocation_items, parse_period
from budgetkg.vocab import BKG

from conftest import SAMPLES, extracted, query_rows, store_of


@pytest.mark.parametrize("text,key,issuer,year,serial", [
    ("新财库〔2021〕83号", "新财库〔2021〕83号", "新财库", 2021, 83),
    ("国 公开办函（2019）61 号", "国公开办函〔2019〕61号", "国公开办函", 2019, 61),
    ("（新政办发[2010]62号）", "新政办发〔2010〕62号", "新政办发", 2010, 62),
    ("新财预【2014】82 号", "新财预〔2014〕82号", "新财预", 2014, 82),
    ("昌州党机编发(2012)34号", "昌州党机编发〔2012〕34号", "昌州党机编发", 2012, 34),
    ("一是根据乌人社[2023]27号关于发布", "乌人社〔2023〕27号", "乌人社", 2023, 27),
    ("财政部令第 69 号", "财政部令第69号", "财政部", None, 69),
])
def test_document_numbers_are_normalized(text, key, issuer, year, serial):
    (c,) = find_citations(text)
    assert (c.key, c.issuer, c.year, c.serial) == (key, issuer, year, serial)


def test_titles_attach_to_the_adjacent_number_only():
    text = "根据财教[2023]219号、新财教[2023]233号《关于提前下达 2024 年中央财政支持学前教育发展资金预算的通知》。"
    a, b = find_citations(text)
    assert (a.key, a.title) == ("财教〔2023〕219号", None)
    assert (b.key, b.title) == ("新财教〔2023〕233号", "关于提前下达2024年中央财政支持学前教育发展资金预算的通知")
    c, d = find_citations("《预算法》、《部门决算管理办法》（财库〔2021〕36号）")
    assert (c.kind, c.key) == ("title", "预算法")
    assert (d.key, d.title) == ("财库〔2021〕36号", "部门决算管理办法")


def test_a_list_of_serials_is_one_document_each():
    # xinjiang-finance-department-2024, 第三部分 七 (七): the list wraps over a line break.
    text = "中华人民共和国资产评估法；财政部令第 69、\n\n32、87、89、97 号；财政部 2019 年下达监督检查文件"
    assert [(c.kind, c.key, c.serial, c.title) for c in find_citations(text)] == [
        ("order", f"财政部令第{n}号", n, None) for n in (69, 32, 87, 89, 97)]
    # The title belongs to one of the two numbers, and the text does not say which: it stays
    # a title-only citation rather than being attached to either.
    title, a, b = find_citations("《关于预算管理的通知》（新财预〔2018〕158、189 号）")
    assert (title.kind, title.key) == ("title", "关于预算管理的通知")
    assert (a.key, a.year, a.title) == ("新财预〔2018〕158号", 2018, None)
    assert (b.key, b.serial) == ("新财预〔2018〕189号", 189)


def test_an_issuer_code_beginning_with_he_keeps_it_unless_he_joins_two_numbers():
    """和 opens 和田 issuer codes (和署办发); between two numbers it is the conjunction 'and'."""
    (c,) = find_citations("《关于加强项目管理的通知》（和署办发〔2017〕82号）")
    assert (c.key, c.issuer) == ("和署办发〔2017〕82号", "和署办发")
    a, b = find_citations("依据新政发〔2020〕1号和新财预〔2021〕2号执行")
    assert (a.key, b.key, b.issuer) == ("新政发〔2020〕1号", "新财预〔2021〕2号", "新财预")


def test_a_number_whose_issuer_cannot_be_told_is_reported_not_guessed():
    citations, doubtful = scan_citations("按照自治区政府办公厅新政办发〔2020〕5号执行")
    assert citations == [] and doubtful == ["按照自治区政府办公厅新政办发〔2020〕5号"]


BRACKETS = [("〔", "〕"), ("[", "]"), ("【", "】"), ("（", "）"), ("(", ")")]


@given(issuer=st.text(alphabet="新财库预办发政国函教党", min_size=1, max_size=6),
       year=st.integers(1990, 2030), serial=st.integers(1, 9999),
       brackets=st.sampled_from(BRACKETS), spaces=st.lists(st.sampled_from(["", " "]), min_size=4, max_size=4))
def test_every_bracket_and_spacing_variant_normalizes_to_one_key(issuer, year, serial, brackets, spaces):
    text = f"{issuer}{spaces[0]}{brackets[0]}{year}{brackets[1]}{spaces[1]}{serial}{spaces[2]}号"
    assert normalize_number(text) == f"{issuer}〔{year}〕{serial}号"


@given(st.text(max_size=200))
def test_garbage_never_crashes_the_citation_scanner(text):
    citations, doubtful = scan_citations(text)
    for c in citations:
        assert c.kind in ("numbered", "order", "title") and c.key


@pytest.mark.parametrize("text,start,end", [
    ("2024 年 1-12 月", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024年3-11月", date(2024, 3, 1), date(2024, 11, 30)),
    ("2024年12月", date(2024, 12, 1), date(2024, 12, 31)),
    ("2024 年 1月 1 日-2024 年 12 月 31 日", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024 年 01 月至 2024 年 12 月", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
    ("按进度拨付", None, None),
    ("2024年13月", None, None),
])
def test_execution_periods(text, start, end):
    assert parse_period(text) == (start, end)


def test_allocation_items_keep_labels_and_amounts_and_leave_totals_out():
    items, complete = allocation_items("用于政府和临时机构运行维护 40 万元、政府网站运行维护费 20 万元、保障电子政务外网线路通畅 "
                                       "1.6 万元，共计 114.08 万元。")
    assert [(i.label, i.amount) for i in items] == [("政府和临时机构运行维护", Decimal("40")),
                                                   ("政府网站运行维护费", Decimal("20")),
                                                   ("保障电子政务外网线路通畅", Decimal("1.6"))]
    assert complete
    items, complete = allocation_items("资产系统研发费（包括资产年报系统研发、盘活功能研发）78.20 万元；端口运行维护费 181.80 万元。")
    assert [i.amount for i in items] == [Decimal("78.20"), Decimal("181.80")] and complete
    assert items[0].label == "资产系统研发费（包括资产年报系统研发、盘活功能研发）"


def test_allocation_items_keep_thousands_and_breakdowns():
    """From xinjiang-finance-department-2024.txt, 财政业务费 and 机关后勤保障服务费."""
    items, complete = allocation_items("办公楼租赁 558.00 万元；危楼拆除 90.00 万元；其余用于保障厅机关正常运转、购置必备的"
                                       "办公设备、门户网站改版及维护费、购买社会服务、财政经济形式运行分析项目等费用 1,531.00 万元。")
    assert [i.amount for i in items] == [Decimal("558.00"), Decimal("90.00"), Decimal("1531.00")] and complete
    assert sum(i.amount for i in items) == Decimal("2179.00")
    items, complete = allocation_items("做好办公楼运转维护和后勤保障工作 998.00 万元。其中业务设备购置费用 43.34 万元，"
                                       "物业管理费用 95.00 万元，日常运行维护费用 859.66 万元。")
    assert [(i.label, i.amount, i.within) for i in items] == [
        ("做好办公楼运转维护和后勤保障工作", Decimal("998.00"), None), ("业务设备购置费用", Decimal("43.34"), 0),
        ("物业管理费用", Decimal("95.00"), 0), ("日常运行维护费用", Decimal("859.66"), 0)]
    assert sum(i.amount for i in items if i.within is None) == Decimal("998.00") and complete
    items, complete = allocation_items("一是培养费用 49.00 万元（其中包括：师资费 14.40 万元、培训费 34.60 万元）；"
                                       "二是选拔费用 40.00 万元（其中包括：命题 13.00 万元、其他 27.00 万元）。")
    assert [(i.label, i.amount) for i in items] == [("一是培养费用", Decimal("49.00")),
                                                   ("二是选拔费用", Decimal("40.00"))] and complete
    items, complete = allocation_items("办公费 10 万元，20 万元用于差旅")      # an amount with no label
    assert [i.amount for i in items] == [Decimal("10")] and complete is False


# Typed from xinjiang-government-office-2024.txt, 第三部分 七 and 十一.
GOV_PROJECTS = [
    ("各项业务工作管理经费", "新疆维吾尔自治区人民政府办公厅本级", "3423.80", "2024-01-01", "2024-12-31", ["新政办发〔2010〕62号"]),
    ("日常管理运行费", "新疆维吾尔自治区人民政府办公厅机关服务中心", "154.00", "2024-01-01", "2024-12-31",
     ["新机编办〔2007〕40号", "新事改办〔2014〕95号"]),
    ("新疆大厦成本性支出", "新疆维吾尔自治区人民政府驻广州办事处", "209.00", "2024-12-01", "2024-12-31",
     ["新财预〔2014〕82号", "新财资管〔2015〕131号"]),
    ("驻外办事处业务工作经费", "新疆维吾尔自治区人民政府驻上海办事处", "218.00", "2024-01-01", "2024-12-31",
     ["新财预〔2014〕82号", "新财资管〔2015〕131号"]),
    ("驻外办事处业务工作经费", "新疆维吾尔自治区人民政府驻西安办事处", "130.00", "2024-01-01", "2024-12-31",
     ["新财预〔2014〕82号", "新财资管〔2015〕131号"]),
    ("日常运行管理费", "天山幼儿园", "101.00", "2024-01-01", "2024-12-31", ["乌人社〔2023〕27号"]),
    ("2024年支持学前教育发展资金", "天山幼儿园", "30.00", "2024-03-01", "2024-11-30",
     ["财教〔2023〕219号", "新财教〔2023〕233号"]),
    ("印刷费", "新疆维吾尔自治区人民政府办公厅文印中心", "145.00", "2024-01-01", "2024-12-31", []),
]


def test_government_office_projects_are_extracted_as_printed():
    disclosure, graph = extracted(SAMPLES / "xinjiang-government-office-2024.txt")
    got = [(p.name, p.unit, str(p.amount), p.period_start.isoformat(), p.period_end.isoformat(),
            [c.key for c in p.citations if c.kind == "numbered"]) for p in disclosure.projects]
    assert got == GOV_PROJECTS
    assert disclosure.confidential == []        # its 特定目标 are carried over (十一), not budgeted (七)
    first = disclosure.projects[0]
    assert [(i.label, str(i.amount)) for i in first.items][:3] == [("办公费", "154"), ("印刷费", "80"), ("水费", "5")]
    assert sum(i.amount for i in first.items) == Decimal("3423.8")


def test_same_name_under_two_units_is_two_projects_each_linked_to_its_table_7_row():
    _, graph = extracted(SAMPLES / "xinjiang-government-office-2024.txt")
    rows = query_rows(store_of(graph), "projects", drop=("department",))
    named = [r for r in rows if r["name"] == "驻外办事处业务工作经费"]
    assert [(r["unitName"], r["amount"], r["code"]) for r in named] == [
        ("新疆维吾尔自治区人民政府驻上海办事处", "218.00", "2010399"),
        ("新疆维吾尔自治区人民政府驻西安办事处", "130.00", "2010399")]
    assert len({r["project"] for r in named}) == 2
    # The performance table titled 驻外办事处业务工作经费 under 广州 has 广州's unit and the amount
    # of its one project, 新疆大厦成本性支出 (209.00): it is that project's table, under another name.
    paired = {str(graph.value(t, BKG.printedProjectName)): (str(graph.value(t, BKG.nameMatch)),
                                                           str(graph.value(graph.value(t, BKG.aboutProject), SKOS.prefLabel)))
              for t in graph.subjects(BKG.nameMatch, None)}
    assert paired["驻外办事处业务工作经费"] == ("different", "新疆大厦成本性支出")
    assert paired["驻外办事处业务经费"] == ("variant", "驻外办事处业务工作经费")
    assert paired["2024年日常运行管理费"] == ("variant", "日常运行管理费")
    confidential = [r for r in rows if r["code"] in ("0210640C", "5710005P")]
    assert [r["amount"] for r in confidential] == ["73.90", "53.33"]


def test_the_department_and_its_head_unit_share_their_projects():
    _, graph = extracted(SAMPLES / "xinjiang-government-office-2024.txt")
    rows = query_rows(store_of(graph), "projects", drop=("department",))
    # 表7 and 七 print the unit as 办公厅本级, its performance table as 办公厅: one project.
    named = [r for r in rows if r["name"] == "各项业务工作管理经费"]
    assert [(r["unitName"], r["amount"], r["code"]) for r in named] == [
        ("新疆维吾尔自治区人民政府办公厅本级", "3423.80", "2010399")]


# Typed from xinjiang-government-office-2024.txt, 表11 and 第三部分 十一.
GOV_CARRIED = [
    ("2023年支持学前教育发展项目", "20.13", "天山幼儿园综合修缮项目支出", False),
    ("非财政拨款项目", "9.20", "天山幼儿园弥补人员类经费中的各类社会保障支出、住房公积金支出资金缺口部分", False),
    ("新疆维吾尔自治区人民政府系统值班工作信息业务平台建设项目", "84.02", "自治区人民政府系统值班工作信息业务平台建设，"
     "完成领导干部（副厅级及以上）外出报备、值班管理、要客信息、收发文管理、业务材料上报、电话记录管理、值班日志、"
     "交接班事项管理、会议回执、票务通缉、通讯录、数据分析展示等功能开发，并完成相关测评工作", False),
    ("特定目标0210640C", "73.90", None, True),
    ("特定目标5710005P", "53.33", None, True),
]
GOV_TABLE_11 = {"特定目标0210640C": "73.90", "新疆维吾尔自治区人民政府系统值班工作信息业务平台建设项目": "84.02",
                "特定目标5710005P": "53.33", "2023年支持学前教育发展项目": "20.13", "非财政拨款项目": "9.20"}


def test_carried_over_projects_from_table_11_and_section_11_are_one_project_each():
    disclosure, graph = extracted(SAMPLES / "xinjiang-government-office-2024.txt")
    ex = disclosure.explanation
    assert {k: str(v) for k, v in ex.carryover.values.items()} == {"total": "240.58", "fiscal": "231.38",
                                                                  "nonfiscal": "9.20"}
    assert [(i.name, str(i.amount), i.purpose, i.withheld) for i in ex.carryover_items] == GOV_CARRIED
    linked = {}
    for row, project in graph.subject_objects(BKG.project):
        if "/table/carryover/" in str(row):
            name = str(graph.value(row, BKG.projectName)).replace(" ", "")
            linked[name] = project
    assert set(linked) == set(GOV_TABLE_11)
    entries = {graph.value(e, BKG.aboutProject) for e in graph.subjects(RDF.type, BKG.CarryOverItem)}
    assert entries == set(linked.values())          # 表11 and 十一 name the same five projects
    for code in ("0210640C", "5710005P"):
        project = linked[f"特定目标{code}"]
        assert graph.value(project, BKG.confidential).toPython() is True
        assert str(graph.value(project, BKG.projectCode)) == code
    rows = {r["name"]: r for r in query_rows(store_of(graph), "projects", drop=("department",))}
    for name, amount in GOV_TABLE_11.items():
        row = rows[name if not name.startswith("特定目标") else name.replace("特定目标", "特定目标 ")]
        assert row["amount"] == amount
    # Neither table nor text says which unit carries 非财政拨款项目 over: no executing unit is guessed.
    assert graph.value(linked["非财政拨款项目"], BKG.executingUnit) is None


def test_empty_carry_over_sections_mint_nothing(sample_graphs):
    for sample in ("kashgar-city-government-office-2024", "xinjiang-finance-department-2024"):
        disclosure, graph = sample_graphs[sample]
        assert disclosure.explanation.carryover is None and disclosure.explanation.carryover_items == []
        assert not any("/table/carryover/" in str(row) for row in graph.subjects(BKG.project, None))


def test_one_document_entity_is_cited_by_many_projects():
    _, graph = extracted(SAMPLES / "xinjiang-government-office-2024.txt")
    store = store_of(graph)
    citing = query_rows(store, "projects-citing-document", drop=("department", "project"),
                        params={"number": "新财预[2014]82 号"})
    assert sorted((r["name"], r["amount"]) for r in citing) == [("新疆大厦成本性支出", "209.00"),
                                                               ("驻外办事处业务工作经费", "130.00"),
                                                               ("驻外办事处业务工作经费", "218.00")]
    rows = query_rows(store, "policy-citations", drop=("citedBy",))
    numbered = {(r["documentNumber"], r["issuer"], r["year"], r["serial"]) for r in rows if r["documentNumber"]}
    assert ("新财教〔2023〕233号", "新财教", "2023", "233") in numbered
    titles = {r["documentNumber"]: r["title"] for r in rows}
    assert titles["新财预〔2014〕82号"] == "关于印发自治区本级项目支出预算管理办法的通知"


def test_finance_department_wrapped_descriptions_are_joined():
    disclosure, _ = extracted(SAMPLES / "xinjiang-finance-department-2024.txt")
    by_name = {p.name: p for p in disclosure.projects}
    assert len(disclosure.projects) == 19
    p = by_name["自治区巩固拓展脱贫攻坚成果同乡村振兴有效衔接资金绩效评价及指导评估项目经费"]
    assert (str(p.amount), [c.key for c in p.citations]) == (
        "185.00", ["财农〔2021〕122号", "新财规〔2021〕11号", "新党农领字〔2021〕12号"])
    treasury = by_name["国库业务管理"]
    assert [c.key for c in treasury.citations if c.kind == "numbered"] == [
        "财库〔2021〕36号", "财库〔2015〕212号", "新财库〔2024〕2号", "财库〔2019〕25号", "国发〔2021〕5号"]
    assert by_name["财政业务费（全区财政系统党务干部培训经费）"].period_end == date(2024, 12, 31)
    assert sum(p.amount for p in disclosure.projects) == Decimal("9678.31")


def test_an_unnumbered_project_heading_starts_a_project_of_its_own():
    """项目名称：… without (2) or 2. was once read as more of the project above."""
    from budgetkg.extract.normalize import Line
    from budgetkg.extract.narrative.projects import parse_descriptions
    from budgetkg.extract.template import family
    text = ["七、关于某局2024年一般公共预算项目支出情况说明", "(1) 项目名称：办公楼维修", "预算安排规模：10.00万元",
            "项目承担单位：某局本级", "项目名称：信息系统运维", "预算安排规模：20.00万元", "项目承担单位：某局本级",
            "八、关于某局2024年政府性基金预算拨款情况说明"]
    lines = [Line(i, t) for i, t in enumerate(text, start=1)]
    projects, issues = parse_descriptions(lines, family("local-eleven"))
    assert [(p.name, p.amount, p.line) for p in projects] == [
        ("办公楼维修", Decimal("10.00"), 2), ("信息系统运维", Decimal("20.00"), 5)]
    assert not issues


def test_a_project_keeps_its_amount_as_printed():
    """预算安排规模：1,400.00 万元 gives bkg:budgetAmount 1400.00 and keeps the printed text."""
    _, graph = extracted(SAMPLES / "xinjiang-finance-department-2024.txt")
    printed = {str(graph.value(p, BKG.budgetAmountText)): graph.value(p, BKG.budgetAmount).toPython()
               for p in graph.subjects(BKG.budgetAmountText, None)}
    assert printed["1,400.00 万元"] == Decimal("1400.00")
    assert printed["443.00 万元"] == Decimal("443.00")
