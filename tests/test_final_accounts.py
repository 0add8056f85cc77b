"""Final accounts (部门决算): read like the budgets, told apart by their phase, and set against the
budget of the same body and year (budget execution).

The figures expected here come from the golden files typed from the PDFs
(tests/fixtures/real/golden/, see test_real_documents.py), not from the extractor.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal

from conftest import FIXTURES, query_rows, store_of
from test_real_documents import HEADER_KEYS, REAL, amount, golden, kind_of
from budgetkg.extract.emit import to_graph
from budgetkg.extract.pipeline import extract_file


def _store(*names):
    return store_of(*(to_graph(extract_file(REAL / f"{n}.pdf")) for n in names))


def _totals(name: str) -> dict[tuple[str, str], Decimal]:
    """(kind, code) → the total column's printed figure, in 万元, from a golden file."""
    out = {}
    for table in golden(name)["tables"]:
        kind = kind_of(table["title"])
        if kind == "revenue":
            continue                       # revenue by function is not spending
        keys = [HEADER_KEYS[h] for h in table["columns"]]
        if "total" not in keys:
            continue
        for row in table["rows"]:
            value = amount(row["values"][keys.index("total")], table["unit"])
            if row["code"] and value is not None:
                out[(kind, row["code"])] = value
    return out


def test_a_budget_and_its_final_accounts_are_two_disclosures_told_apart_by_phase():
    store = _store("swu_2023_budget", "swu_2023_final")
    rows = query_rows(store, "departments", drop=("department",))
    assert sorted((r["name"], r["year"], r["phase"], r["scope"]) for r in rows) == [
        ("西南大学", "2023", "budget", "department"), ("西南大学", "2023", "final", "department")]
    phases = {r["phase"] for r in query_rows(store, "expenditure-by-function")}
    assert phases == {"budget", "final"}


def test_budget_execution_gives_a_row_per_function_code_both_documents_print():
    store = _store("swu_2023_budget", "swu_2023_final")
    budget, final = _totals("swu_2023_budget"), _totals("swu_2023_final")
    expected = {}
    for (kind, code), spent in final.items():
        if (kind, code) in budget:
            planned = budget[(kind, code)]
            rate = (spent * 100 / planned).quantize(Decimal("0.01"), ROUND_HALF_UP) if planned else None
            expected[(kind, code)] = (planned, spent, rate)
    assert len(expected) > 40 and {k for k, _ in expected} == {"expenditure", "fiscal-expenditure"}
    got = {}
    for r in query_rows(store, "budget-execution", drop=("department",)):
        assert (r["name"], r["year"], r["scope"]) == ("西南大学", "2023", "department")
        got[(r["tableKind"], r["code"])] = (Decimal(r["budget"]), Decimal(r["final"]),
                                            Decimal(r["rate"]) if r["rate"] else None)
    assert got == expected
    # One the documents print: 2060204 实验室及相关设施, 350.00 budgeted from fiscal funds, 1,707.93 spent.
    assert got[("fiscal-expenditure", "2060204")] == (Decimal("350.00"), Decimal("1707.93"), Decimal("487.98"))


def test_budget_execution_is_empty_without_the_budget():
    assert query_rows(_store("swu_2023_final"), "budget-execution") == []


def test_the_three_public_budget_printed_in_a_final_account_is_its_own_column():
    """财政拨款“三公”经费支出决算表 prints 预算数 beside 决算数: the first is budget-total, the second the
    table's own figure (total); putuo_czj_2024_final prints only the budget (0.95 for 公务接待费)."""
    store = _store("putuo_czj_2024_final")
    cells = query_rows(store, "table-cells", params={"kind": "three-public"})
    assert sorted((r["name"], r["column"], r["amount"]) for r in cells) == [
        ("公务接待费", "budget-total", "0.95"), ("合计", "budget-total", "0.95")]
    rows = query_rows(store, "three-public-execution", drop=("department",))
    assert [(r["item"], r["budget"], r["final"]) for r in rows] == [("合计", "0.95", ""), ("公务接待费", "0.95", "")]


# ------------------------------------------------------------------ the audit of a final account

import dataclasses  # noqa: E402

import pytest  # noqa: E402

from budgetkg.extract.pipeline import extract_records, read_source  # noqa: E402
from budgetkg.audit.validate import load_shapes, validate_store  # noqa: E402

_sources: dict = {}


def _source(name):
    if name not in _sources:
        _sources[name] = read_source(REAL / f"{name}.pdf")
    return _sources[name]


def _findings(source):
    disclosure, _ = extract_records(source)
    return validate_store(store_of(to_graph(disclosure)), load_shapes())


def _altered(name: str, edit) -> object:
    """The document as read, with its lines passed through *edit* (a line's text → a new text, or
    None to drop the line): a real document with an error planted in it."""
    source = _source(name)
    lines = []
    for ln in source.lines:
        text = edit(ln.text)
        if text is not None:
            lines.append(dataclasses.replace(ln, text=text))
    return dataclasses.replace(source, lines=lines)


def _rule(f) -> str:
    return f.code.split("shapes#", 1)[1]


@pytest.mark.parametrize("name", ["putuo_czj_2024_final", "swu_2023_final"])
def test_the_final_accounts_as_published_give_no_violation_and_no_warning_but_their_own_slip(name):
    found = [(f.severity, _rule(f), f.message) for f in _findings(_source(name)) if f.severity != "info"]
    if name == "putuo_czj_2024_final":
        # the one defect the bureau published: page 21, 四 says 财政拨款收入支出总计0.3万元 where
        # its 财政拨款收入支出决算总表 totals 2961.68 (2940.05 this year + 21.63 carried in)
        slip, = [f for f in found if f[1] == "FiscalTotalStatementEqualsTable4"]
        assert slip[0] == "violation" and "0.3万元" in slip[2] and "2961.68" in slip[2]
        found.remove(slip)
    assert found == []


def _between(start: str, end: str):
    """Drop the lines from the one that is *start* up to (not including) the one that is *end*."""
    state = {"cut": False}

    def edit(text):
        if text == start:
            state["cut"] = True
        elif text == end:
            state["cut"] = False
        return None if state["cut"] else text
    return edit


def _replace(line_start: str, old: str, new: str):
    def edit(text):
        return text.replace(old, new) if text.startswith(line_start) else text
    return edit


# Each planted error, the rules that should report it, and the table every finding must name.
PLANTED = {
    # 收入支出决算总表: 本年收入合计 2,946.25 printed as 2,956.25
    "summary revenue changed": ("putuo_czj_2024_final", _replace("本年收入合计\t2,946.25", "2,946.25", "2,956.25"),
                                {"FinalRevenueOfTheYearEqualsRevenueTableTotal", "FinalSummaryBalancesCarryInAndOut"},
                                "收入支出决算总表"),
    # 收入支出决算总表: 本年支出合计 2,940.05 printed as 2,950.05
    "summary spending changed": ("putuo_czj_2024_final", _replace("本年收入合计\t2,946.25", "本年支出合计\t2,940.05",
                                                                  "本年支出合计\t2,950.05"),
                                 {"FinalSpendingOfTheYearEqualsExpenditureTableTotal", "FinalSummaryBalancesCarryInAndOut"},
                                 "收入支出决算总表"),
    # 收支决算总表: 年末结转和结余 106,848.91 printed as 106,948.91 (the expenditure side no longer adds up)
    "balance carried out changed": ("swu_2023_final", _replace("上年结转和结余\t", "106,848.91", "106,948.91"),
                                    {"FinalSummaryBalancesCarryInAndOut"}, "高等学校收支决算总表支出方"),
    # 支出决算表: 2010602 一般行政管理事务 10.00 printed as 12.00 in 本年支出合计 (its row and its 款 no longer add up)
    "a sum broken": ("putuo_czj_2024_final", _replace("201\t06\t02\t一般行政管理事务\t\t10.00", "\t10.00\t\t\t\t10.00",
                                                       "\t10.00\t\t\t\t12.00"),
                     {"RowTotalEqualsSumOfColumns", "SubtotalRowsEqualSumOfTheirItems"}, "支出决算表"),
    # 五（三）: 完成年初预算的98.20% printed as 98.50% (2940.05 ÷ 2993.92 is 98.20%)
    "a completion rate changed": ("putuo_czj_2024_final", _replace("成年初预算的98.20%", "98.20%", "98.50%"),
                                  {"FinalCompletionRateMatchesItsFigures"}, "一般公共预算财政拨款支出"),
    # 五（三）1: 行政运行's 支出决算为1511.89万元 printed as 1521.89 (the table prints 1,511.89)
    "a prose figure changed": ("putuo_czj_2024_final", _replace("员经费及公用经费等的基本支出。年初预算为1560.05万元",
                                                                "1511.89", "1521.89"),
                               {"FinalExecutionStatementEqualsItsTable"}, "行政运行"),
    # 二、收入决算情况说明: 其他收入6.2万元 printed as 6.5 (收入决算表 prints 6.20)
    "a revenue in the prose changed": ("putuo_czj_2024_final", _replace("收入6.2万元，占0.21%", "6.2", "6.5"),
                                       {"FinalStatedAmountsEqualTheirTable"}, "收入决算表"),
    # 三、支出决算情况说明: 基本支出2336.91万元 printed as 2346.91
    "basic spending in the prose changed": ("putuo_czj_2024_final", _replace("本年支出合计2940.05万元", "2336.91", "2346.91"),
                                            {"FinalStatedAmountsEqualTheirTable"}, "支出决算表"),
    # 五（二）: 一般公共服务支出（类）2106.66万元 printed as 2116.66
    "a function class in the prose changed": ("putuo_czj_2024_final", _replace("（类）2106.66万元", "2106.66", "2116.66"),
                                              {"FinalStatedAmountsEqualTheirTable"}, "一般公共服务支出"),
    # 六: 人员经费2152.26万元 printed as 2162.26 (基本支出决算表's 人员经费合计 row is 2,152.26)
    "personnel spending in 六 changed": ("putuo_czj_2024_final", _replace("一般公共预算财政拨款基本支出2336.91万元",
                                                                         "2152.26", "2162.26"),
                                         {"BasicSpendingStatementEqualsTable6"}, "基本支出决算表"),
    # 四: 财政拨款收入支出总计 printed as 0.3万元 in the original (its slip, reported above); as 0.5 the
    # finding is new (a changed figure is reported on its own, not hidden by the slip before it)
    "the fiscal total in 四 changed": ("putuo_czj_2024_final", _replace("上海市普陀区财政局2024年度财政拨款收入支出总计0.3万元",
                                                                    "0.3万元", "0.5万元"),
                                       {"FiscalTotalStatementEqualsTable4"}, "财政拨款收入支出决算总表"),
    # 1.小学教育: 比2022年度决算数增长0.39% printed as 比2023年度决算数 (the final account's own year)
    "compared with its own year": ("swu_2023_final", _replace("1.小学教育（2050202）", "比2022年度决算数", "比2023年度决算数"),
                                   {"WordingHasNoKnownSlips"}, "决算"),
    # 财政拨款“三公”经费支出决算表 removed
    "a table removed": ("putuo_czj_2024_final", _between("财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表"),
                        {"TemplateTablesArePresent"}, "三公"),
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_an_error_planted_in_a_real_final_account_is_reported_and_nothing_else(name):
    document, edit, rules, word = PLANTED[name]
    before = {f.key() for f in _findings(_source(document))}
    after = _findings(_altered(document, edit))
    new = [f for f in after if f.key() not in before]
    assert {_rule(f) for f in new} == rules, [(_rule(f), f.message) for f in new]
    assert all(word in f.message for f in new), [f.message for f in new]      # the table named


def test_every_final_accounts_rule_is_planted_above():
    from budgetkg.resources import data_dir
    files = {p.stem for p in data_dir("shapes").glob("final-*.ttl")}
    shapes = {"".join(w.capitalize() for w in stem.split("-")) for stem in files}
    planted = {r for _, _, rules, _ in PLANTED.values() for r in rules} | {CROSS_CHECK, ROUNDING}
    # the two final accounts print no 政府性基金/国有资本经营 figures: tests/test_synth_final.py
    # plants the two fund rules in an edited synthetic one
    funds = {"FinalFundBalancesCarryThroughTheYear", "FinalFundStatementEqualsItsTable"}
    # a final account against last year's: tests/test_cross_year_and_consolidation.py plants it
    # in this final account read as the next year's
    across = {"FinalOpeningBalanceEqualsLastYearSClosingBalance"}
    assert len(files) == 11 and funds <= shapes and shapes - funds - across <= planted


# ------------------------------------------------------------------ a final account against its budget

CROSS_CHECK = "FinalInitialBudgetEqualsTheBudgetDisclosure"
ROUNDING = "FinalInitialBudgetDiffersFromTheBudgetDisclosureByRounding"


def _budget_of_the_finance_bureau(tmp_path, total: str = "1247.22"):
    """A 2024 budget disclosure of the finance bureau whose final account is above: the Kashgar
    sample's text under the bureau's name. Its 表5 一般公共预算支出情况表 totals 1247.22 万元 (or
    *total*) and prints four of the items the final account's 五（三） states: 2080501 行政单位离退休
    98.97, 2080505 机关事业单位基本养老保险缴费支出 71.30, 2101101 行政单位医疗 30.30 and 2210201
    住房公积金 57.80, where the final account gives 年初预算 85.55, 161.62, 62.29 and 187.75."""
    text = (FIXTURES / "samples" / "kashgar-city-government-office-2024.txt").read_text(encoding="utf-8")
    text = text.replace("新疆维吾尔自治区喀什地区喀什市人民政府办公室", "上海市普陀区财政局")
    lines = text.split("\n")
    lines[251] = lines[251].replace("1247.22", total)          # 表5's 合计 row (line 252)
    path = tmp_path / "putuo_czj_2024_budget.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return to_graph(extract_file(path))


def test_the_initial_budget_a_final_account_states_is_checked_against_the_budget_in_the_store(tmp_path):
    final = to_graph(extract_records(_source("putuo_czj_2024_final"))[0])
    budget = _budget_of_the_finance_bureau(tmp_path)
    store = store_of(final, budget)
    shapes = load_shapes()
    found = [f for f in validate_store(store, shapes) if _rule(f) == CROSS_CHECK]
    assert {(f.document, f.severity) for f in found} == {(str(final.identifier), "warning")}
    said = {re.match(r"“(.+?)”：决算说明中年初预算为([\d.]+)万元，(.+?)的一般公共预算支出情况表为([\d.]+)万元",
                     f.message).groups() for f in found}
    doc = "上海市普陀区财政局2024年部门预算公开"
    assert said == {("一般公共预算财政拨款支出", "2993.92", doc, "1247.22"),
                    ("社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）", "85.55", doc, "98.97"),
                    ("社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）", "161.62", doc,
                     "71.3"),
                    ("卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）", "62.29", doc, "30.3"),
                    ("住房保障支出（类）住房改革支出（款）住房公积金（项）", "187.75", doc, "57.8")}
    # the budget is copied in beside its final account whatever the chunks; the whole store agrees
    assert validate_store(store, shapes, chunk=1) == validate_store(store, shapes) == \
        validate_store(store, shapes, chunk=0)
    # a budget that prints the same total: nothing to say about the total
    agreeing = store_of(final, _budget_of_the_finance_bureau(tmp_path, "2993.92"))
    found = validate_store(agreeing, shapes)
    assert len([f for f in found if _rule(f) == CROSS_CHECK]) == 4 and not [f for f in found if _rule(f) == ROUNDING]
    # one that prints it a cent apart: a note, not a warning
    rounded = validate_store(store_of(final, _budget_of_the_finance_bureau(tmp_path, "2993.91")), shapes)
    assert len([f for f in rounded if _rule(f) == CROSS_CHECK]) == 4
    notes = [f for f in rounded if _rule(f) == ROUNDING]
    assert [(f.severity, f.document) for f in notes] == [("info", str(final.identifier))]
    assert "2993.92" in notes[0].message and "2993.91" in notes[0].message and "一般公共预算财政拨款支出" in notes[0].message


def test_a_build_validates_a_final_account_beside_its_budget(tmp_path):
    import subprocess
    import sys
    _budget_of_the_finance_bureau(tmp_path)
    built = subprocess.run([sys.executable, "-m", "budgetkg", "build", "--store", str(tmp_path / "db"),
                            str(tmp_path / "putuo_czj_2024_budget.txt"), str(REAL / "putuo_czj_2024_final.pdf")],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    report = subprocess.run([sys.executable, "-m", "budgetkg", "validate", "--store", str(tmp_path / "db"),
                             "--format", "json"], capture_output=True, text=True)
    results = json.loads(report.stdout)["results"]
    found = [f for f in results if f["shape"].endswith("#" + CROSS_CHECK)]
    assert len(found) == 5 and all(f["document"].endswith("/2024/final") for f in found), report.stdout[:2000]
    # the build's own validation (the budget in hand, the final account beside it from the
    # store) counted what validating the store finds
    counts = {s: sum(f["severity"] == s for f in results) for s in ("violation", "warning", "info")}
    assert f"validation: {counts['violation']} violation, {counts['warning']} warning, {counts['info']} info" \
        in built.stderr


def test_figures_set_lower_in_a_latin_font_are_read_on_their_line():
    """The bureau's prose sets its figures in Times New Roman 4.8 pt lower than the FangSong text of
    their line (page 21): they are read in place, not as a line of their own."""
    texts = [ln.text for ln in _source("putuo_czj_2024_final").lines]
    assert "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入" in texts
    assert "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他" in texts


def test_the_execution_statements_are_read_with_their_function_items():
    disclosure, _ = extract_records(_source("putuo_czj_2024_final"))
    got = [(s.subject, s.budget, s.final, s.rate, s.total) for s in disclosure.explanation.execution]
    assert got[0] == ("一般公共预算财政拨款支出", Decimal("2993.92"), Decimal("2940.05"), Decimal("98.20"), True)
    assert got[1] == ("一般公共服务支出（类）财政事务（款）行政运行（项）", Decimal("1560.05"), Decimal("1511.89"),
                      None, False)
    assert len(got) == 12 and [g[2] for g in got[1:]] == [Decimal(x) for x in (
        "1511.89", "10.00", "135.25", "449.52", "84.65", "160.75", "80.38", "0.94", "60.99", "187.19", "258.50")]
    graph = to_graph(disclosure)
    from budgetkg.vocab import BKG
    codes = sorted(str(o).rsplit("/", 1)[-1] for s in graph.objects(None, BKG.executionStatement)
                   for o in graph.objects(s, BKG.restates))
    assert codes == sorted(["general-budget", "2010601", "2010602", "2010607", "2010608", "2080501", "2080505",
                            "2080506", "2080599", "2101101", "2210201", "2210203"])
