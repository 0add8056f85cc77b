"""Templates are data: what a table is (ontology/templates/kinds.toml) and how each family prints it
(one file per family) are read by every stage; no stage keeps its own copy of a layout."""

from __future__ import annotations

import ast
import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest

from budgetkg.extract.emit import to_graph
from budgetkg.errors import NotADisclosure
from budgetkg.extract.pipeline import extract_file, extract_records, read_source, segment_source
from budgetkg.extract.template import (column_key, families, family, identities_for, kind, kind_of_title, kinds,
                               load_family, templates_dir)
from budgetkg.vocab import BKG

ROOT = Path(__file__).resolve().parents[1]


def _code_strings(tree: ast.AST) -> list[str]:
    """The string literals of a module that are not docstrings (what the code acts on)."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_layout_in_the_code():
    """No stage of the package names a table by its printed title or branches on a table number:
    titles, numbers and columns are the templates'."""
    titles = {t.title for f in families().values() for t in f.tables if len(t.title) > 4}
    titles |= {k.zh for k in kinds().values() if k.is_budget_table}
    for path in sorted([*(ROOT / "extract").rglob("*.py"), *(ROOT / "budgetkg").rglob("*.py")]):
        text = path.read_text(encoding="utf-8")
        strings = _code_strings(ast.parse(text))
        for title in titles:
            assert not any(title in s for s in strings), f"{path.relative_to(ROOT)} names the table {title!r}"
        assert not re.search(r"\bnumber\s*(?:==|in)\s*[(\d]", text), f"{path.relative_to(ROOT)} branches on a table number"


def test_every_template_is_titled_and_names_known_kinds():
    for fam in families().values():
        assert fam.title and fam.title_en, fam.id
        assert fam.id == Path(fam.path).stem
        for layout in fam.tables:
            assert layout.kind.id in kinds()
            for key in layout.columns:
                assert layout.kind.column(key) is not None, (fam.id, layout.kind.id, key)
    for k in kinds().values():
        assert k.zh and k.en and k.titles, k.id


@pytest.mark.parametrize("title,expected", [
    ("2024年部门收支总体情况表", "summary"),               # a title that starts with a year
    ("1. 2025年部门财务收支预算总表", "summary"),
    ("5．2025年部门一般公共预算支出功能分类预算表", "general-budget"),
    ("部门收入总表", "revenue"),
    ("西南大学收支预算总表单位：万元", "summary"),            # the unit on the title's own line
    ("西南大学财政拨款支出预算表", "fiscal-expenditure"),
    ("8．2025年预算单位一般公共预算基本支出部门预算经济分类预算表", "general-budget-basic"),
    ("2025年部门“三公”经费和机关运行经费预算表", "three-public"),
    ("十一、2017年江苏省高级人民法院部门一般公共预算“三公”经费、会议费、培训费支出预算表单位：万元", "three-public"),
    ("十、2017年度江苏省高级人民法院部门一般公共预算机关运行经费支出预算表", "operating-expenses"),
    ("2026年政府采购预算明细表", "procurement"),
    ("表一 2026年部门收支总体情况表", "summary"),
    ("上年结转结余情况明细表", "carryover"),
    ("2026年部门整体支出绩效目标表", "performance"),
    ("财政拨款预算“三公”经费支出表", "three-public"),
])
def test_tables_are_recognised_by_the_words_of_their_title(title, expected):
    assert kind_of_title(title).id == expected


@pytest.mark.parametrize("title", ["一、关于部门收支总表的说明", "第三部分 国家信访局部门预算情况说明", "部门公开表1"])
def test_headings_are_not_table_titles(title):
    assert kind_of_title(title) is None


@pytest.mark.parametrize("kind_id,path,year,expected", [
    ("expenditure", ["支出预算", "基本支出"], None, "basic"),
    ("expenditure", ["合计"], None, "total"),
    ("revenue", ["收入预算", "财政拨款收入"], None, "fiscal-subtotal"),
    ("revenue", ["收入预算", "事业单位经营收入"], None, "operation"),
    ("revenue", ["上年结转"], None, "carryover"),
    ("general-budget", ["2025年预算数"], 2026, "prior-total"),
    ("general-budget", ["2026年预算数", "基本支出", "小计"], 2026, "basic"),
    ("general-budget", ["2026年预算数", "年初预算数", "小计"], 2026, "total"),
    ("general-budget", ["2026年预算数比2025年执行数", "增减额"], 2026, "change-total"),
    ("general-budget", ["2026年预算数比2025年执行数", "增减(%)"], 2026, None),
    ("general-budget-basic", ["经济分类", "人员类"], None, "personnel"),
])
def test_columns_are_recognised_by_the_words_of_their_header(kind_id, path, year, expected):
    assert column_key(kind(kind_id), path, year) == expected


@pytest.mark.parametrize("kind_id, path, expected", [
    # a final account's table: 决算数 is its own figure, the budgets printed beside it are periods
    ("general-budget-basic", ["决算数"], "total"),
    ("general-budget", ["决算数", "基本支出"], "basic"),
    ("general-budget", ["年初预算数", "合计"], "budget-total"),
    ("general-budget", ["全年预算数", "项目支出"], "adjusted-project"),
    ("general-budget", ["调整预算数"], "adjusted-total"),
    ("three-public", ["预算数"], "budget-total"),
    ("government-fund", ["年初结转和结余"], "opening"),
    ("government-fund", ["本年支出", "小计"], "total"),
    ("government-fund", ["年末结转和结余"], "closing"),
    ("fiscal-expenditure", ["本年支出", "项目支出", "其中：基本建设资金支出"], "capital-construction"),
    ("summary", ["支出决算数"], "expenditure"),
])
def test_a_final_accounts_columns_are_recognised(kind_id, path, expected):
    side = "revenue" if path[-1].startswith("收入") else None
    assert column_key(kind(kind_id), path, None, side, final=True) == expected
    if expected.startswith(("budget-", "adjusted-")):           # in a budget, 预算数 is the table's own
        assert not (column_key(kind(kind_id), path, None, side) or "").startswith(("budget-", "adjusted-"))


def test_identities_follow_the_columns_a_table_prints():
    fund = kind("government-fund")
    assert identities_for(fund, ["total", "personnel", "public", "project"]) == \
        [("total", ("personnel", "public", "project"))]
    assert identities_for(fund, ["total", "basic", "project"]) == [("total", ("basic", "project"))]
    assert identities_for(kind("general-budget"), ["total", "basic", "project", "prior-total", "prior-basic",
                                                   "prior-project"]) == \
        [("total", ("basic", "project")), ("prior-total", ("prior-basic", "prior-project"))]


_DOCUMENT = """某县某局
2024年部门预算公开
第一部分 某县某局概况
一、主要职能
某县某局负责全县某某事务的管理和服务，承办县委、县政府交办的其他事项。
第二部分 2024年部门预算公开表
表一
某县某局收支总表
编制部门：某县某局\t单位：万元
收入\t金额\t支出\t金额
一般公共预算拨款\t10.00\t201 一般公共服务支出\t10.00
收入总计\t10.00\t支出总计\t10.00
表二
某县某局支出总表
编制部门：某县某局\t单位：万元
科目编码\t科目名称\t合计\t项目支出\t基本支出
201\t一般公共服务支出\t10.00\t4.00\t6.00
20101\t人大事务\t10.00\t4.00\t6.00
2010101\t行政运行\t6.00\t\t6.00
2010102\t一般行政管理事务\t4.00\t4.00\t
合计\t\t10.00\t4.00\t6.00
表三
某县某局一般公共预算支出表
编制部门：某县某局\t单位：万元
科目编码\t科目名称\t合计\t项目支出\t基本支出
201\t一般公共服务支出\t10.00\t4.00\t6.00
合计\t\t10.00\t4.00\t6.00
第三部分 预算情况说明
某县某局2024年收入预算10.00万元，支出预算10.00万元。
2024年2月1日
"""

_TEMPLATE = """
id = "test-county"
title = "测试用县级模板"
title_en = "A county template for the tests"
unit = "万元"
detect = ['某县某局支出总表']

[[table]]
kind = "summary"
number = 1
title = "收支总表"

[[table]]
kind = "expenditure"
number = 2
title = "支出总表"
labels = 2
code_parts = 1
columns = ["total", "project", "basic"]

[[table]]
kind = "general-budget"
number = 3
title = "一般公共预算支出表"
labels = 2
code_parts = 1
columns = ["total", "project", "basic"]
"""


def test_a_template_from_a_file_is_what_the_text_reader_reads(tmp_path):
    """A new family is a new file: this one prints 项目支出 before 基本支出 in a one-column-code text
    layout, which only its template tells the text reader."""
    doc = tmp_path / "county.txt"
    doc.write_text(_DOCUMENT, encoding="utf-8")
    template = tmp_path / "test-county.toml"
    template.write_text(_TEMPLATE, encoding="utf-8")
    fam = load_family(template)
    assert fam.id == "test-county" and fam.section("glossary")         # sections inherited from national
    d = extract_file(doc, str(template))
    assert d.template == "test-county"
    rows = {r.code or r.label: r.cells for r in d.tables["expenditure"].rows}
    assert rows["2010102"] == {"total": Decimal("4.00"), "project": Decimal("4.00")}
    assert rows["2010101"] == {"total": Decimal("6.00"), "basic": Decimal("6.00")}
    assert rows["合计"] == {"total": Decimal("10.00"), "project": Decimal("4.00"), "basic": Decimal("6.00")}
    graph = to_graph(d)
    assert (None, BKG.template, None) in graph
    # The national default layout of the same kind reads the same text differently: the file is what mattered.
    national = extract_file(doc, "national")
    assert {r.code or r.label: r.cells for r in national.tables["expenditure"].rows} != rows


def test_segments_can_be_shown_when_extraction_fails(tmp_path):
    """`--debug-stage segments` runs the segmenter alone: here a document that extraction refuses
    (a final account cut after its second table)."""
    final = read_source(ROOT / "tests" / "fixtures" / "real" / "swu_2023_final.pdf")
    cut = dataclasses.replace(final, lines=final.lines[:75])
    with pytest.raises(NotADisclosure, match="only 表1 高等学校收支决算总表; 表2 高等学校收入决算表 recognised"):
        extract_records(cut)
    fam, department, seg = segment_source(cut)
    assert department == "西南大学" and fam.id == "central-university-final"
    assert set(seg.tables) == {"summary", "revenue"}
    assert all(t.final for t in seg.tables.values())


def test_templates_dir_holds_the_kinds_and_every_family():
    names = {p.stem for p in templates_dir().glob("*.toml")}
    assert "kinds" in names and {"national", "local-eleven", "shanghai", "central", "central-university",
                                 "chongqing", "jiangsu", "hunan"} <= names
    assert family("local-eleven").layout("three-public").number == 10
