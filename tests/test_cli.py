"""The command line: every output format round-trips through `query`; stages can be dumped."""

import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import SAMPLES

KASHGAR = str(SAMPLES / "kashgar-city-government-office-2024.txt")
GOV = str(SAMPLES / "xinjiang-government-office-2024.txt")


def cli(*args):
    return subprocess.run([sys.executable, "-m", "budgetkg", *args], capture_output=True, text=True)


@pytest.mark.parametrize("fmt,suffix", [("trig", "trig"), ("nquads", "nq"), ("jsonld", "jsonld")])
def test_each_format_round_trips_through_query(tmp_path, fmt, suffix):
    out = tmp_path / f"out.{suffix}"
    assert cli("extract", KASHGAR, GOV, "--format", fmt, "-o", str(out)).returncode == 0
    proc = cli("query", "three-public-expenses", "--data", str(out), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [r["total"] for r in rows] == ["320.81", ""]


def test_turtle_refuses_several_graphs(tmp_path):
    proc = cli("extract", KASHGAR, GOV, "--format", "turtle", "-o", str(tmp_path / "x.ttl"))
    assert proc.returncode == 2 and "turtle holds one graph" in proc.stderr


def test_json_results_follow_the_sparql_json_format():
    proc = cli("query", "revenue-by-source", "--data", KASHGAR, "--format", "json")
    data = json.loads(proc.stdout)
    assert data["head"]["vars"] == ["department", "year", "source", "amount"]
    first = data["results"]["bindings"][0]
    assert first["amount"] == {"type": "literal", "value": "1247.22",
                               "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}


def test_debug_stage_records_dumps_the_typed_records():
    proc = cli("extract", "--debug-stage", "records", KASHGAR)
    records = json.loads(proc.stdout)
    assert records["department"] == "新疆维吾尔自治区喀什地区喀什市人民政府办公室"
    assert records["tables"]["expenditure"]["rows"][0]["cells"] == {"total": "984.62", "basic": "870.54", "project": "114.08"}


def test_unknown_option_is_rejected():
    proc = cli("extract", "--bogus", KASHGAR)
    assert proc.returncode == 2 and "No such option" in proc.stderr


def test_build_then_query_the_default_store_in_the_working_directory(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "budgetkg", *args], capture_output=True, text=True, cwd=tmp_path)
    missing = run("query", "tables")
    assert missing.returncode == 2 and "no store here" in missing.stderr
    built = run("build", str(SAMPLES), "--jobs", "2")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "budgetkg-data").is_dir()
    assert "documents: 3 found, 3 loaded, 0 unchanged (skipped), 0 failed" in built.stderr
    assert "extraction findings by severity: 11 warning" in built.stderr   # 表7 columns, 10 performance rows kept as text
    assert "validation: 6 violation, 8 warning, 35 info in 3 document(s)" in built.stderr
    assert built.stderr.rstrip().endswith("report: budgetkg validate")   # the default store: no --store None
    again = run("build", str(SAMPLES))
    assert "0 loaded, 3 unchanged" in again.stderr and "triples loaded: 0" in again.stderr
    # validated from the store this time, not as loaded: the same findings
    assert "validation: 6 violation, 8 warning, 35 info in 3 document(s)" in again.stderr
    top = run("query", "projects-above-amount", "--param", "min=2000", "--format", "csv")
    assert top.returncode == 0, top.stderr
    assert [r["amount"] for r in csv.DictReader(io.StringIO(top.stdout))] == ["3423.80", "2179.00"]
    bad = run("query", "projects-above-amount", "--param", "min=2000 } DROP ALL")
    assert bad.returncode == 2 and "not a decimal" in bad.stderr
    turtle = run("query", "describe-resource", "-p", "resource=https://w3id.org/budgetkg/id/org/新疆维吾尔自治区财政厅",
                 "--format", "turtle")
    assert turtle.returncode == 0 and "skos:prefLabel \"新疆维吾尔自治区财政厅\"@zh" in turtle.stdout
    assert "is for CONSTRUCT" in run("query", "tables", "--format", "turtle").stderr


def test_build_reports_a_bad_file_and_loads_the_rest(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_text("这不是预算公开文件。\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "budgetkg", "build", str(bad), KASHGAR, "--store",
                           str(tmp_path / "db")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert f"error: {bad}" in proc.stderr and "1 loaded" in proc.stderr and "1 failed" in proc.stderr


def test_queries_lists_parameters():
    proc = cli("queries")
    assert "projects-above-amount" in proc.stdout
    assert "--param min=<decimal> (default 100)" in proc.stdout
