"""Golden tests on real disclosures from outside Xinjiang (tests/fixtures/real/, see its README).

The expected values in fixtures/real/golden/*.json were typed from the PDFs by reading them
(each rendered page looked at), without running budgetkg: identity, every row of the function-
and economic-classification tables, the summary table and the “三公” figures, as printed, in the
printed unit. This module says which kind of table each printed title is and what each printed
column header means (the test's own reading of the headers, not the extractor's vocabulary), then
checks that the canned query table-cells returns every printed figure, in 万元, in the right row
and column, and nothing in a column where the document prints nothing.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from conftest import FIXTURES, query_rows, store_of
from budgetkg.extract.emit import to_graph
from budgetkg.errors import NotADisclosure
from budgetkg.extract.pipeline import extract_file

REAL = FIXTURES / "real"
GOLDEN = REAL / "golden"
BUDGETS = ["putuo_zfb_2025_dept", "putuo_zfb_2025_unit", "putuo_wanli_2023", "putuo_wanli_2024", "swu_2023_budget",
           "central_gjxfj_2026_dept_budget", "chongqing_zfbgt_2026_dept_budget", "jiangsu_prov_gaoyuan_2017_dept_budget",
           "hunan_changsha_xfj_2026_dept_budget"]
FINALS = ["putuo_czj_2024_final", "swu_2023_final"]

# The kind of each printed table, by the words of its title (read off the golden files' titles).
KIND_OF_TITLE = [
    ("一般公共预算财政拨款基本支出", "general-budget-basic"), ("一般公共预算财政拨款支出", "general-budget"),
    ("收入决算表", "revenue"),
    ("收入预算总表", "revenue"), ("收入总表", "revenue"), ("收入总体情况表", "revenue"), ("收入预算表", "revenue"),
    ("支出预算总表", "expenditure"), ("支出总表", "expenditure"), ("支出总体情况表", "expenditure"),
    ("大学支出预算表", "expenditure"),
    ("一般公共预算基本支出", "general-budget-basic"), ("一般公共预算机关运行经费", "operating-expenses"),
    ("一般公共预算支出", "general-budget"), ("财政拨款基本支出", "fiscal-basic"), ("财政拨款支出", "fiscal-expenditure"),
    ("政府性基金", "government-fund"), ("国有资本经营", "state-capital"), ("支出决算表", "expenditure"),
]

# What each printed column header (path) means: this year's total, basic, …; prior- for another
# year's figures; None for a figure budgetkg does not model as a column (kept as text).
HEADER_KEYS = {
    "合计": "total", "总计": "total", "金额": "total", "收入合计": "total", "财政拨款支出": "total",
    "收入预算/合计": "total", "支出预算/合计": "total", "一般公共预算支出/合计": "total",
    "一般公共预算基本支出/合计": "total", "基本支出/总计": "total", "2026年基本支出/合计": "total",
    "机关运行经费支出": "total",
    "基本支出": "basic", "支出预算/基本支出": "basic", "一般公共预算支出/基本支出": "basic",
    "项目支出": "project", "支出预算/项目支出": "project", "一般公共预算支出/项目支出": "project",
    "人员经费": "personnel", "人员类": "personnel", "基本支出/人员经费": "personnel",
    "一般公共预算基本支出/人员经费": "personnel", "2026年基本支出/人员经费": "personnel",
    "公用经费": "public", "基本支出/公用经费": "public", "一般公共预算基本支出/公用经费": "public",
    "2026年基本支出/公用经费": "public",
    # final accounts (决算): the year's figure is the table's own; 其中 columns are of-which figures
    "本年收入合计": "total", "本年支出合计": "total", "决算数": "total", "经营收入": "operation",
    "本年支出/合计": "total", "本年支出/基本支出": "basic", "本年支出/项目支出": "project",
    "本年支出/项目支出/小计": "project", "本年支出/小计": "total",
    "本年支出/项目支出/其中：基本建设资金支出": "capital-construction",
    "年初结转和结余": "opening", "本年收入": "income", "年末结转和结余": "closing",
    "上缴上级支出": "remit-superior", "事业单位经营支出": "business-operation", "经营支出": "business-operation",
    "对附属单位补助支出": "subsidy-subordinate", "对下级单位补助支出": "subsidy-subordinate",
    # revenue
    "收入预算/财政拨款收入": "fiscal-subtotal", "财政拨款收入": "fiscal-subtotal", "本级财政拨款/金额": "fiscal-subtotal",
    "本级财政拨款/其中:经费拨款": "fiscal-funding",
    "收入预算/事业收入": "business", "事业收入": "business", "事业收入/金额": "business",
    "事业收入/其中:教育收费": "business-education-fees", "事业收入/其中：教育收费": "business-education-fees",
    "收入预算/事业单位经营收入": "operation", "事业单位经营收入": "operation", "事业单位经营服务收入": "operation",
    "收入预算/其他收入": "other", "其他收入": "other", "其它收入": "other",
    "上年结转": "carryover", "使用非财政拨款结余": "balance-use",
    "一般公共预算拨款收入": "general-budget", "政府性基金预算拨款收入": "government-fund",
    "国有资本经营预算拨款收入": "state-capital", "财政专户管理资金收入": "special-account",
    "财政专户管理事业收入": "special-account", "上级补助收入": "superior-subsidy", "附属单位上缴收入": "subordinate-remit",
    # Chongqing's 一般公共预算支出情况表 (2026): last year's budget, then this year's
    "2025年预算数": "prior-total", "2026年预算数/总计": "total", "2026年预算数/基本支出/小计": "basic",
    "2026年预算数/基本支出/人员经费": "personnel", "2026年预算数/基本支出/公用经费": "public",
    "2026年预算数/项目支出": "project",
    # the central template's 一般公共预算支出表 (2026): 2025 actuals, 2026 budget, changes
    "2025年执行数/执行数": "prior-total", "2025年执行数/扣除中央基建投资后执行数": None,
    "2026年预算数/年初预算数/小计": "total", "2026年预算数/年初预算数/基本支出": "basic",
    "2026年预算数/年初预算数/项目支出": "project", "2026年预算数/扣除中央基建投资后预算数": None,
    "2026年预算数比2025年执行数/增减额": "change-total", "2026年预算数比2025年执行数/增减(%)": None,
    "2026年预算数比2025年执行数（扣除中央基建投资）/增减额": None,
    "2026年预算数比2025年执行数（扣除中央基建投资）/增减(%)": None,
}

# “三公” items by their printed header or row label.
ITEMS = {"合计": "total", "小计": "total", "“三公”经费/小计": "total",
         "因公出国（境）费": "abroad", "因公出国(境)费": "abroad", "公务接待费": "reception",
         "公务用车购置及运行费": "vehicle-total", "公务用车购置及运行费/小计": "vehicle-total",
         "公务用车购置及运行维护费/小计": "vehicle-total",
         "公务用车购置费": "vehicle-purchase", "公务用车购置及运行费/公务用车购置费": "vehicle-purchase",
         "公务用车购置及运行费/购置费": "vehicle-purchase", "其中：公务用车购置": "vehicle-purchase",
         "公务用车购置及运行维护费/公务用车购置费": "vehicle-purchase",
         "公务用车运行费": "vehicle-operation", "公务用车购置及运行费/公务用车运行费": "vehicle-operation",
         "公务用车购置及运行费/运行费": "vehicle-operation", "其中：公务用车运行费": "vehicle-operation",
         "公务用车购置及运行维护费/公务用车运行维护费": "vehicle-operation", "公务用车运行维护费": "vehicle-operation",
         "机关运行经费": "operating", "机关运行经费预算数": "operating", "2023年机关运行经费预算数": "operating",
         "2024年机关运行经费预算数": "operating", "会议费": "meeting", "培训费": "training",
         "合计（含会议费、培训费）": "all"}
# Jiangsu's table prints 会议费 and 培训费 beside the three: its 合计 (2,599.37) adds all five, and
# the three's own total is “三公”经费/小计 (670.12).
ITEM_OVERRIDES = {"jiangsu_prov_gaoyuan_2017_dept_budget": {"合计": "all"}}
FACTOR = {"万元": Decimal(1), "千元": Decimal("0.1"), "元": Decimal("0.0001")}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．]\s*|其中[：:])")

_extracted: dict = {}


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def extracted(name: str):
    if name not in _extracted:
        disclosure = extract_file(REAL / f"{name}.pdf")
        _extracted[name] = (disclosure, store_of(to_graph(disclosure)))
    return _extracted[name]


def amount(printed: str, unit: str) -> Decimal | None:
    s = printed.replace(",", "").strip()
    if s in ("", "-", "—"):
        return None
    return Decimal(s) * FACTOR[unit]


def kind_of(title: str) -> str:
    return next(k for words, k in KIND_OF_TITLE if words in title)


def item_of(label: str) -> str:
    label = label.replace("财政拨款“三公”经费/", "").replace("“三公”经费/", "").replace("三公经费预（决）算数（财政拨款）/", "")
    return ITEMS[label]


def cells(store, kind: str) -> list[dict]:
    return query_rows(store, "table-cells", params={"kind": kind})


@pytest.mark.parametrize("name", BUDGETS + FINALS)
def test_identity(name):
    disclosure, _ = extracted(name)
    expected = golden(name)["identity"]
    assert (disclosure.department, disclosure.year, disclosure.phase, disclosure.scope) == \
        (expected["department"], expected["year"], expected["phase"], expected["scope"])
    rows = query_rows(extracted(name)[1], "departments", drop=("department",))
    assert [(r["name"], r["year"], r["phase"], r["scope"]) for r in rows] == \
        [(expected["department"], str(expected["year"]), expected["phase"], expected["scope"])]


def _row_key(code: str, name: str) -> str:
    return code or re.sub(r"\s+", "", _NUMBERING.sub("", name or ""))


@pytest.mark.parametrize("name", BUDGETS + FINALS)
def test_classification_tables_give_every_printed_figure(name):
    """Every figure of every function- and economic-classification table, in 万元, in its row and
    column; no figure in a column the document leaves empty in that row."""
    _, store = extracted(name)
    problems = []
    for table in golden(name)["tables"]:
        kind = kind_of(table["title"])
        if not table["rows"]:
            continue                        # printed empty: see test_empty_tables_are_empty
        keys = [HEADER_KEYS[h] for h in table["columns"]]
        got: dict[tuple, Decimal] = {}
        for r in cells(store, kind):
            got[(_row_key(r["code"], r["name"]), r["column"])] = Decimal(r["amount"])
        for row in table["rows"]:
            key = _row_key(row["code"], row["name"].split(" ", 1)[-1])
            for column, printed in zip(keys, row["values"]):
                if column is None:
                    continue
                want = amount(printed, table["unit"])
                found = got.get((key, column))
                if want is None and found is not None and found != 0:
                    problems.append(f"{table['title']} {key} {column}: empty in the document, extracted {found}")
                elif want is not None and (found is None or found != want):
                    problems.append(f"{table['title']} {key} {column}: printed {printed} {table['unit']}, "
                                    f"extracted {found}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", BUDGETS + FINALS)
def test_empty_tables_are_empty(name):
    """A table printed with no figures has none in the graph; one printed with its note keeps it."""
    disclosure, store = extracted(name)
    for table in golden(name)["tables"]:
        if table["rows"] and any(v for row in table["rows"] for v in row["values"]):
            continue
        kind = kind_of(table["title"])
        assert not cells(store, kind), table["title"]
        record = disclosure.tables[kind]
        assert record.status in ("empty", "present") and not any(r.cells for r in record.rows)
        if table.get("empty_note"):
            assert record.status == "empty" and record.note, table["title"]


@pytest.mark.parametrize("name", BUDGETS + FINALS)
def test_summary_table(name):
    """The 收支总表: both totals and every revenue and expenditure row, in 万元."""
    expected = golden(name)["summary"]
    _, store = extracted(name)
    got = {(r["side"], _row_key("", r["name"])): Decimal(r["amount"]) for r in cells(store, "summary")
           if r["column"] in ("revenue", "expenditure")}
    problems = []
    for row in expected["rows"]:
        side = "expenditure" if row["side"].startswith("expenditure") else row["side"]
        want = amount(row["values"][0], expected["unit"])
        if want is None:
            continue
        found = got.get((side, _row_key("", row["label"])))
        if found != want:
            problems.append(f"{side} {row['label']}: printed {row['values'][0]}, extracted {found}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [n for n in BUDGETS + FINALS if golden(n).get("three_public")])
def test_three_public_expenses(name):
    """The “三公” figures (and 机关运行经费, 会议费, 培训费 where the table prints them), in 万元,
    this year's and, where printed, the prior year's."""
    expected = golden(name)["three_public"]
    disclosure, store = extracted(name)
    year = str(disclosure.year)
    got = {}
    for r in cells(store, "three-public"):
        got[(item_of(r["name"]), r["column"])] = Decimal(r["amount"])
    problems = []
    for entry in expected["items"]:
        if entry.get("row") not in (None, "合计"):
            continue                      # one row per unit: the 合计 row is the table's
        column = "prior-total" if re.match(r"\d{4}", entry.get("period") or "") and \
            not entry["period"].startswith(year) else "total"
        if disclosure.phase == "final" and entry.get("period") == "预算数":
            column = "budget-total"           # a final account prints the budget beside the final figure
        item = ITEM_OVERRIDES.get(name, {}).get(entry["item"]) or item_of(entry["item"])
        key = (item, column)
        want = amount(entry["value"], expected["unit"])
        if want is None:
            if got.get(key) not in (None, Decimal(0)):
                problems.append(f"{entry['item']}: empty in the document, extracted {got[key]}")
        elif got.get(key) != want:
            problems.append(f"{entry['item']} ({entry.get('period')}): printed {entry['value']}, extracted {got.get(key)}")
    assert not problems, "\n".join(problems)


