"""The generator's final accounts (issue 22): ``budgetkg synth --phase final|both`` prints each
department's 部门决算 of the year in the national nine tables; they extract back to what the
generator spent, and their planted defects are found with full recall and precision, the
年初预算 ones against the budget printed beside them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from budgetkg.build import build
from budgetkg.extract.normalize import Line
from budgetkg.extract.pipeline import extract_file
from budgetkg.store.embedded import EmbeddedStore, ensure_ontology
from budgetkg.synth.corpus import documents, plan, write_corpus
from budgetkg.synth.defects import FINAL_DEFECTS
from budgetkg.synth.final import execute
from budgetkg.synth.render import percent
from budgetkg.synth.score import score
from budgetkg.extract.tables.rows import read_body
from budgetkg.extract.template import family
from budgetkg.audit.validate import load_shapes, validate_store


def _yuan(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _cells(table, column: str) -> dict:
    return {(row.code or row.label): row.cells[column] for row in table.rows if column in row.cells}


def test_final_accounts_extract_back_to_what_the_generator_spent(tmp_path):
    checked = 0
    for p, dept, text in documents(plan(8, 2024, seed=5, phase="final"), 2024, 5):
        path = tmp_path / p.filename
        path.write_text(text, encoding="utf-8")
        d = extract_file(path)
        e = execute(dept, 5)
        assert (d.phase, d.template, d.department, d.year) == ("final", "national-final", dept.name, 2024)
        assert d.issues == [], [i.message for i in d.issues]
        assert [t.number for t in d.tables.values()] == list(range(1, 10))
        assert d.tables["government-fund"].status == d.tables["state-capital"].status == "empty"
        rows = {c: (b, q) for c, b, q in e.rows()}
        for kind in ("general-budget", "expenditure"):
            table = d.tables[kind]
            assert _cells(table, "total") == {"合计": _yuan(e.spent())} | {c: _yuan(b + q) for c, (b, q) in rows.items()}
            assert _cells(table, "basic") == {"合计": _yuan(e.basic())} | {c: _yuan(b) for c, (b, _) in rows.items() if b}
        revenue = d.tables["revenue"]
        assert _cells(revenue, "total")["合计"] == _yuan(e.spent() + e.other_income)
        assert _cells(revenue, "fiscal-subtotal")["合计"] == _yuan(e.spent())
        basic = _cells(d.tables["general-budget-basic"], "total")
        assert basic == {"合计": _yuan(e.basic())} | {c: _yuan(x + y) for c, (x, y) in e.economic.items() if x + y} | \
            {cls: _yuan(sum(x + y for c, (x, y) in e.economic.items() if c.startswith(cls)))
             for cls in {c[:3] for c in e.economic}}
        summary = {(r.side, r.label): v for r in d.tables["summary"].rows for v in r.cells.values()}
        assert summary[("revenue", "本年收入合计")] == _yuan(e.spent() + e.other_income)
        assert summary[("expenditure", "本年支出合计")] == _yuan(e.spent())
        if sum(dept.three_public.values()):
            three = d.tables["three-public"]
            assert _cells(three, "budget-total")["合计"] == _yuan(sum(dept.three_public.values()))
            assert _cells(three, "total").get("合计") == (_yuan(sum(e.three_public.values())) or None)
            assert d.explanation.three_public.values == {"total": _yuan(sum(e.three_public.values()))} | \
                {k: _yuan(v) for k, v in e.three_public.items()}
        statements = d.explanation.execution
        assert [(s.budget, s.final, s.rate) for s in statements] == \
            [(_yuan(e.initial()), _yuan(e.spent()), percent(e.spent(), e.initial()))] + \
            [(_yuan(e.budget[c]), _yuan(b + q), percent(b + q, e.budget[c])) for c, (b, q) in e.items.items()]
        checked += 1
    assert checked == 8


@pytest.fixture(scope="module")
def both_corpus(tmp_path_factory):
    """Sixteen departments' budgets and final accounts, most with a planted defect, in one store."""
    root = tmp_path_factory.mktemp("final")
    manifest = write_corpus(root / "corpus", 16, 2024, seed=6, defect_share=0.8, styles=("tsv", "wrapped"),
                            report=lambda _: None, phase="both")
    store = EmbeddedStore(root / "db")
    ensure_ontology(store)
    summary = build([root / "corpus"], store, jobs=2, report=lambda _: None)
    assert summary.loaded == 32 and summary.failed == 0
    return manifest, store


def test_both_phases_plant_every_final_defect_and_validation_finds_each_and_nothing_else(both_corpus):
    manifest, store = both_corpus
    finals = [e for e in manifest["documents"] if e["phase"] == "final"]
    assert len(finals) == 16 and all(e["file"].endswith("-final.txt") for e in finals)
    assert any(not e["defects"] for e in finals), "clean final accounts are expected too"
    assert {d["kind"] for e in finals for d in e["defects"]} == set(FINAL_DEFECTS)
    shapes = load_shapes()
    result = score(manifest, validate_store(store, shapes), shapes)
    assert result.missed == [] and result.unexpected == [], "\n".join(result.lines())
    assert result.planted > len(FINAL_DEFECTS)


def test_a_final_corpus_without_its_budgets_plants_only_what_it_can_show():
    planned = plan(30, 2024, seed=2, defect_share=1.0, phase="final")
    kinds = {k for p in planned for k in p.defects}
    assert kinds == {k for k, d in FINAL_DEFECTS.items() if not d.companion}
    assert all(p.phase == "final" and p.style == "tsv" for p in planned)


def test_the_budgets_of_a_corpus_do_not_change_when_final_accounts_are_added():
    budgets = {p.name: (t, p.defects) for p, _, t in documents(plan(12, 2024, seed=3, defect_share=0.5), 2024, 3)}
    both = {p.name: (t, p.defects) for p, _, t in documents(plan(12, 2024, seed=3, defect_share=0.5, phase="both"), 2024, 3)
            if p.phase == "budget"}
    assert both == budgets and any(d for _, d in budgets.values())


def test_a_corpus_of_both_phases_is_the_same_bytes_in_every_process(tmp_path):
    """The manifest lists the defect kinds in one order, not a set's (hash seeds 1 and 3 order {budget, final}
    differently)."""
    for name in ("a", "b"):
        result = subprocess.run([sys.executable, "-m", "budgetkg", "synth", "-n", "3", "--year", "2024", "--phase", "both",
                                 "--defects", "0.5", "--out", str(tmp_path / name)], capture_output=True, text=True,
                                env={**os.environ, "PYTHONHASHSEED": "1" if name == "a" else "3"})
        assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "manifest.json" in files and len(files) == 7
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_synth_refuses_pdfs_of_final_accounts(tmp_path):
    result = subprocess.run([sys.executable, "-m", "budgetkg", "synth", "-n", "2", "--year", "2024", "--phase", "final",
                             "--pdf", "--out", str(tmp_path / "x")], capture_output=True, text=True)
    assert result.returncode == 2 and "final accounts" in result.stderr
    assert not (tmp_path / "x").exists()


def _lines(*texts: str) -> list[Line]:
    return [Line(n, t) for n, t in enumerate(texts, 1)]


def test_a_text_header_of_a_family_without_a_text_layout_names_its_columns():
    """The national tables have no fixed text layout: a tab-separated header names its columns
    in the national words, in any order, as a PDF header does."""
    layout = family("national-final").layout("general-budget")
    body = read_body(layout, _lines("科目编码\t\t\t科目名称\t项目支出\t基本支出\t合计",
                                    "201\t03\t01\t行政运行\t\t5.00\t5.00"), 2024, True)
    assert body.keys == ["project", "basic", "total"]
    three = read_body(family("national-final").layout("three-public"),
                      _lines("项目\t预算数\t决算数", "合计\t2.00\t1.50"), 2024, True)
    assert three.keys == ["budget-total", "total"]
    # a header word no column has: the header names nothing, the layout's columns stand
    unknown = read_body(layout, _lines("科目编码\t\t\t科目名称\t合计\t某某支出", "201\t03\t01\t行政运行\t5.00\t5.00"),
                        2024, True)
    assert unknown.keys is None and unknown.unnamed
    # a header with one label cell fewer than its rows: its words would shift every column by one
    shifted = read_body(layout, _lines("科目编码\t\t科目名称\t合计\t基本支出\t项目支出",
                                       "201\t03\t01\t行政运行\t5.00\t5.00\t"), 2024, True)
    assert shifted.keys is None and shifted.unnamed
    # the eleven-table template prints a fixed text header: its columns are not read from the words
    local = read_body(family("local-eleven").layout("general-budget"),
                      _lines("科目编码\t\t\t科目名称\t项目支出\t基本支出\t合计", "201\t03\t01\t行政运行\t\t5.00\t5.00"), 2024)
    assert local.keys is None


def _fund_findings(tmp_path, rows: str, prose: str, rule: str) -> tuple[list, object]:
    """A synthetic final account whose 政府性基金 table prints *rows* and whose 八 says *prose*:
    the findings of *rule* (a shape file's stem), and the table as read."""
    (p, dept, text), = documents(plan(1, 2024, seed=5, phase="final"), 2024, 5)
    note = next(line for line in text.split("\n") if line.startswith("备注：") and "政府性基金预算" in line)
    claim = next(line for line in text.split("\n") if line.endswith("年度没有政府性基金预算财政拨款收入支出。"))
    path = tmp_path / "fund.txt"
    path.write_text(text.replace(note, rows).replace(claim, prose), encoding="utf-8")
    table = extract_file(path).tables["government-fund"]
    store = EmbeddedStore(None)
    ensure_ontology(store)
    build([path], store, report=lambda _: None)
    shapes = load_shapes()
    file_of = {c.shape: c.file for c in shapes.constraints}
    return [f for f in validate_store(store, shapes) if file_of[f.code] == f"{rule}.ttl"], table


_FUND_ROWS = ("\t\t\t合计\t10.00\t50.00\t45.00\t\t45.00\t15.00\n"
              "229\t60\t\t彩票公益金安排的支出\t10.00\t50.00\t45.00\t\t45.00\t16.00\n"
              "229\t60\t04\t用于社会福利的彩票公益金支出\t10.00\t50.00\t45.00\t\t45.00\t15.00\n")
_FUND_PROSE = "本部门2024年度政府性基金预算财政拨款年初结转和结余10.00万元，本年收入50.00万元，本年支出45.00万元，年末结转和结余15.00万元。"


def test_a_fund_table_row_whose_balances_do_not_carry_through_is_reported(tmp_path):
    """政府性基金预算财政拨款收入支出决算表: 年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余, row by row."""
    found, table = _fund_findings(tmp_path, _FUND_ROWS, _FUND_PROSE, "final-fund-balances-carry-through-the-year")
    assert table.columns == ["opening", "income", "total", "basic", "project", "closing"]
    assert len(found) == 1 and found[0].severity == "violation", [f.message for f in found]
    assert "第2行彩票公益金安排的支出" in found[0].message and "-1" in found[0].message


def test_a_fund_statement_is_held_against_its_tables_total_row(tmp_path):
    rule = "final-fund-statement-equals-its-table"
    assert _fund_findings(tmp_path, _FUND_ROWS, _FUND_PROSE, rule)[0] == []
    found, _ = _fund_findings(tmp_path, _FUND_ROWS, _FUND_PROSE.replace("本年支出45.00", "本年支出46.00"), rule)
    assert len(found) == 1 and re.search(r"本年支出为46(?:\.0+)?万元.*合计行为45(?:\.0+)?万元", found[0].message), \
        [f.message for f in found]
    # a section stating revenue and spending only (no balances) is held to those two
    short = "本部门2024年度政府性基金预算财政拨款收入50.00万元，支出44.00万元。"
    found, _ = _fund_findings(tmp_path, _FUND_ROWS, short, rule)
    assert len(found) == 1 and re.search(r"所述本年支出为44(?:\.0+)?万元", found[0].message), [f.message for f in found]


def test_a_table_whose_header_names_no_column_is_kept_as_text_and_reported(tmp_path):
    (p, dept, text), = documents(plan(1, 2024, seed=5, phase="final"), 2024, 5)
    path = tmp_path / "doc.txt"
    path.write_text(text.replace("科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出",
                                 "科目编码\t\t\t科目名称\t甲栏\t乙栏\t丙栏"), encoding="utf-8")
    d = extract_file(path)
    table = d.tables["general-budget"]
    assert table.status == "unparsed" and "行政运行" in table.raw_text
    assert any("does not name its amount columns" in i.message and i.severity == "warning" for i in d.issues)
    assert d.tables["expenditure"].status == "present"


def test_a_school_whose_name_prints_a_digit_is_read_under_its_name(tmp_path):
    """The region's schools (…区第6中学): their budgets and final accounts are theirs, not a body named 部门."""
    from budgetkg.synth.corpus import Planned, draw, hierarchy
    from budgetkg.synth.final import render_final
    from budgetkg.synth.model import department_name, policy_pool
    from budgetkg.synth.render import render_text
    slot = next(s for s in hierarchy() if s.serial == 6)
    name, kind = department_name(slot.level, slot.area, slot.kind_index, slot.serial)
    dept = draw(Planned(1, slot, name, kind, "tsv"), 2024, 0, policy_pool(0, 2024))
    assert "第6中学" in name
    for phase, text in (("budget", render_text(dept, "tsv")), ("final", render_final(dept))):
        path = tmp_path / f"{phase}.txt"
        path.write_text(text, encoding="utf-8")
        d = extract_file(path)
        assert (d.department, d.phase) == (name, phase)
