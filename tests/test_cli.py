"""The command line: every output format round-trips through `query`; stages can be dumped."""

import csv
import io
import json
from pathlib import Path
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
    assert data["head"]["vars"] == ["department", "year", "phase", "source", "amount"]
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


def test_turtle_uses_the_projects_prefixes():
    proc = cli("extract", KASHGAR, "--format", "turtle")
    assert proc.returncode == 0
    head = [ln for ln in proc.stdout.splitlines() if ln.startswith("@prefix")]
    assert "@prefix bkg: <https://w3id.org/budgetkg/ontology#> ." in head
    assert "@prefix eli: <http://data.europa.eu/eli/ontology#> ." in head
    assert not [ln for ln in head if ln.startswith("@prefix ns")], head
    assert " bkg:amount " in proc.stdout


def test_serve_announces_itself_once_listening_and_a_port_in_use_is_a_clear_error(tmp_path):
    import socket
    import urllib.request
    store = tmp_path / "db"
    assert cli("build", KASHGAR, "--store", str(store), "--no-validate").returncode == 0
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        taken = subprocess.run([sys.executable, "-m", "budgetkg", "serve", "--store", str(store), "--port", str(port)],
                               capture_output=True, text=True, timeout=60)
    finally:
        busy.close()
    assert taken.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in taken.stderr
    assert "serving on" not in taken.stderr
    proc = subprocess.Popen([sys.executable, "-m", "budgetkg", "serve", "--store", str(store), "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()                 # printed once the socket listens, not before
        assert line.startswith("serving on http://127.0.0.1:"), line
        url = line.split("serving on ", 1)[1].strip()
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_options_are_taken_where_users_type_them_and_offered_only_where_used(tmp_path):
    store = str(tmp_path / "db")
    built = cli("build", KASHGAR, "--store", store, "--no-validate", "-v")       # -v after the command
    assert built.returncode == 0 and "INFO " in built.stderr
    assert "INFO " not in cli("build", KASHGAR, "--store", str(tmp_path / "quiet"), "--no-validate").stderr
    for command in ("query", "validate"):               # they only read: no write endpoints offered
        shown = cli(command, "--help").stdout
        assert "--endpoint" in shown and "--update-endpoint" not in shown and "--store-endpoint" not in shown
    assert "--update-endpoint" in cli("build", "--help").stdout
    unknown = cli("query", "describe-resource", "-p", "resource=https://w3id.org/budgetkg/id/org/nobody",
                  "--store", store, "--format", "turtle")
    assert unknown.returncode == 1 and "nothing about resource=https://w3id.org/budgetkg/id/org/nobody" in unknown.stderr
    known = cli("query", "describe-resource", "-p",
                "resource=https://w3id.org/budgetkg/id/org/新疆维吾尔自治区喀什地区喀什市人民政府办公室",
                "--store", store, "--format", "turtle")
    assert known.returncode == 0 and "skos:prefLabel" in known.stdout


def test_query_output_reads_well_in_a_terminal_and_in_excel(tmp_path):
    store = str(tmp_path / "db")
    assert cli("build", GOV, "--store", store, "--no-validate").returncode == 0
    table = cli("query", "assets", "--store", store).stdout.splitlines()
    header, row = table[0].split(" | "), table[2].split(" | ")
    cells = dict(zip((h.strip() for h in header), row))
    assert cells["buildingArea"] == "  164,995.71"            # right-aligned under its wider heading
    assert cells["vehicles"].strip() == "102"                  # a count, not 102.00
    assert cells["buildingValue"].strip() == "34,462.64"
    csv_text = cli("query", "assets", "--store", store, "--format", "csv").stdout
    assert csv_text.startswith("department,") and "164995.71" in csv_text          # csv keeps the plain figures
    excel = subprocess.run([sys.executable, "-m", "budgetkg", "query", "assets", "--store", store, "--format", "csv",
                            "--excel"], capture_output=True)
    assert excel.stdout.startswith("\ufeffdepartment,".encode("utf-8"))
    assert cli("query", "assets", "--store", store, "--excel").returncode == 2
    # written into a file (> out.csv), csv gets the mark without asking; into a pipe it does not
    with open(tmp_path / "out.csv", "wb") as out:
        subprocess.run([sys.executable, "-m", "budgetkg", "query", "assets", "--store", store, "--format", "csv"],
                       stdout=out, check=True)
    assert (tmp_path / "out.csv").read_bytes().startswith("\ufeffdepartment,".encode("utf-8"))
    piped = subprocess.run([sys.executable, "-m", "budgetkg", "query", "assets", "--store", store, "--format", "csv"],
                           capture_output=True)
    assert piped.stdout.startswith(b"department,")


def test_debug_stage_records_dumps_a_shanghai_unit_budget_too():
    """Records keyed by pairs (a column printed under two headings) are dumped with the pair
    joined, not refused by the JSON writer."""
    proc = cli("extract", "--debug-stage", "records", str(Path(__file__).parent / "fixtures/real/putuo_zfb_2025_unit.pdf"))
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)["tables"]["summary"]["printed"]
    assert any(" | " in key for key in printed)


def test_the_bulk_loader_is_refused_for_a_store_that_is_not_virtuoso(tmp_path):
    done = subprocess.run([sys.executable, "-m", "budgetkg", "build", str(SAMPLES), "--store", str(tmp_path / "db"),
                           "--bulk-loader", "127.0.0.1:1111", "--bulk-load-dir", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "bulk loader is a Virtuoso server's" in done.stderr
    half = subprocess.run([sys.executable, "-m", "budgetkg", "build", str(SAMPLES), "--store", str(tmp_path / "db"),
                           "--bulk-load-dir", str(tmp_path)], capture_output=True, text=True)
    assert half.returncode == 2 and "needs both --bulk-loader" in half.stderr
