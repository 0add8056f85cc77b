"""The site for a researcher, a journalist or an auditor (issue 25): the home page's charts and
figures, a department's page that reads like a budget, the comparisons, the CSV downloads and the
static export, over the three samples built into a store (test_publishing's); and, in the real
headless Chromium, the SVG charts drawn with as many bars and slices as the data has.

Expected figures are read from the store with queries written here, not with the site's own."""

import csv
import io
import re
import subprocess
import sys
import urllib.parse
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from budgetkg.web.serve import build_app
from budgetkg.web.text import format_amount

from browser import launch
import test_publishing
from test_publishing import FINANCE

BASE = "https://w3id.org/budgetkg/"
store_dir = test_publishing.store_dir       # the module's store: the three samples built
server = test_publishing.server             # `budgetkg serve` over it
SHOTS = Path(__file__).parent / "artifacts" / "site"
FINANCE_DOC = "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区财政厅/2024"
PREFIXES = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kind: <https://w3id.org/budgetkg/table-kind/>
PREFIX col: <https://w3id.org/budgetkg/column/>
"""
# Each disclosure's total expenditure: the total row of its expenditure summary.
TOTALS = PREFIXES + """SELECT DISTINCT ?doc ?name ?total WHERE {
  ?doc a bkg:Disclosure ; bkg:department ?d ; bkg:table ?t . ?d skos:prefLabel ?name .
  ?t bkg:tableKind kind:expenditure . ?row bkg:inTable ?t ; bkg:rowLevel "total" .
  ?o bkg:sourceRow ?row ; bkg:column <https://w3id.org/budgetkg/column/expenditure/total> ; bkg:amount ?total }"""
# The class rows (类) of each disclosure's expenditure summary.
CLASSES = PREFIXES + """SELECT DISTINCT ?doc ?name ?code ?total WHERE {
  ?doc a bkg:Disclosure ; bkg:department ?d ; bkg:table ?t . ?d skos:prefLabel ?name .
  ?t bkg:tableKind kind:expenditure . ?row bkg:inTable ?t ; bkg:functionCode ?c .
  BIND(REPLACE(STR(?c), "^.*/", "") AS ?code) FILTER(STRLEN(?code) = 3)
  ?o bkg:sourceRow ?row ; bkg:column <https://w3id.org/budgetkg/column/expenditure/total> ; bkg:amount ?total }"""


def rows(store_dir, text: str) -> list[dict]:
    store = ox.Store.read_only(str(store_dir))
    answer = store.query(text, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in answer]


def path_of(iri: str) -> str:
    return "/" + urllib.parse.quote(iri.removeprefix(BASE))


def figure(page: str, chart: str) -> str:
    """The <figure> of the chart named *chart* (its data-chart)."""
    m = re.search(rf'<figure class="chart" data-chart="{chart}">(.*?)</figure>', page, re.S)
    assert m, chart
    return m.group(1)


def parse_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")                       # a BOM, for Excel and WPS
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture(scope="module")
def client(store_dir):
    return TestClient(build_app(str(store_dir), None, BASE, timeout=10, cap=50))


# ---------------------------------------------------------------------- the home page

def test_home_page_charts_every_department_total_and_every_function_class(client, store_dir):
    totals = {r["name"]: Decimal(r["total"]) for r in rows(store_dir, TOTALS)}
    classes: dict[str, Decimal] = {}
    for r in rows(store_dir, CLASSES):
        classes[r["code"]] = classes.get(r["code"], Decimal(0)) + Decimal(r["total"])
    home = client.get("/").text
    departments = figure(home, "departments")
    assert departments.count('class="bar') == min(20, len([t for t in totals.values() if t > 0])) == 3
    for name, total in totals.items():
        assert f"<title>{name}：{format_amount(total)}</title>" in departments
    by_class = figure(home, "classes")
    assert by_class.count('class="bar') == len([c for c in classes.values() if c > 0])
    for code, total in classes.items():
        assert f"{format_amount(total)}</title>" in by_class and f'/compare/function/{code}/2024/budget' in by_class
    assert figure(home, "three-public").count('class="bar') >= 2
    assert "3 个部门" in home and "违规 violations" in home and '<form action="/search"' in home


def test_home_page_counts_the_findings_by_severity(client):
    page = client.get("/").text
    counts = dict(re.findall(r'<span class="(violation|warning|info)">(\d+) ', page))
    csv_rows = parse_csv(client.get("/overview/2024/budget.csv").text)
    from_csv = {r[1]: r[5] for r in csv_rows[1:] if r[0] == "validation"}
    assert counts == from_csv and int(counts["violation"]) > 0


# ---------------------------------------------------------------------- a department's budget page

def test_department_page_reads_like_a_budget(client, store_dir):
    page = client.get(path_of(FINANCE)).text
    for title in ("表1 部门收支总体情况表", "表3 部门支出总体情况表", "表7 一般公共预算项目支出情况表"):
        assert f"<b>{title}</b>" in page
    declared = rows(store_dir, PREFIXES + f"""SELECT ?n ?title WHERE {{ <{FINANCE_DOC}> bkg:table ?t .
        ?t bkg:tableStatus bkg:DeclaredEmpty ; bkg:tableNumber ?n ; dcterms:title ?title }}""")
    assert declared
    for r in declared:
        assert re.search(rf'<b>表{r["n"]} {re.escape(r["title"])}</b> — 空表 declared empty', page), r
    # every table's headings are distinct: a two-sided table's by side (收入 / 预算数, 支出 / 预算数)
    for head in re.findall(r'<table class="budget-table"[^>]*><thead><tr>(.*?)</tr></thead>', page):
        headings = re.findall(r"<th>(.*?)</th>", head)
        assert len(headings) == len(set(headings)), headings
    assert "<th>收入 / 预算数</th>" in page and "<th>支出 / 预算数</th>" in page
    for key in ("functions", "basic-project", "funds", "three-public"):
        assert 'class="bar' in figure(page, key) or 'class="slice"' in figure(page, key), key
    assert "编制数 authorized positions</th><td>419" in page


def test_department_page_lists_findings_with_their_places(client, store_dir):
    page = client.get(path_of(FINANCE)).text
    file = rows(store_dir, PREFIXES + f"SELECT ?f WHERE {{ <{FINANCE_DOC}> bkg:sourceFile/bkg:fileName ?f }}")[0]["f"]
    findings = re.search(r'<table class="findings">(.*?)</table>', page, re.S).group(1)
    violations = re.findall(r'<tr class="violation">(.*?)</tr>', findings, re.S)
    assert len(violations) == 4 == int(re.search(r"(\d+) 违规 violations", page).group(1))
    for row in violations:
        place = re.search(r'<td class="place">(.*?)</td>', row).group(1)
        line = re.search(r"line (\d+)", place)
        assert file in place and line, place
        printed = re.search(r"第(\d+)行", row)                  # the line the rule names, where it names one
        assert printed is None or printed.group(1) == line.group(1), row


def test_department_projects_show_their_cited_documents(client, store_dir):
    cited = rows(store_dir, PREFIXES + f"""SELECT ?name (COUNT(DISTINCT ?doc) AS ?n) WHERE {{
        ?p dcterms:isPartOf <{FINANCE_DOC}> ; a bkg:Project ; skos:prefLabel ?name ; bkg:cites ?doc }}
        GROUP BY ?name ORDER BY DESC(?n) LIMIT 1""")[0]
    page = client.get(path_of(FINANCE)).text
    projects = re.search(r'<table class="projects">(.*?)</table>', page, re.S).group(1)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", projects, re.S) if f">{cited['name']}</a>" in r)
    assert row.count('href="/id/document/') == int(cited["n"]) >= 2


# ---------------------------------------------------------------------- comparisons

def test_function_class_comparison_lists_each_department_with_its_amount(client, store_dir):
    expected = sorted(((r["name"], Decimal(r["total"])) for r in rows(store_dir, CLASSES) if r["code"] == "201"),
                      key=lambda x: -x[1])
    page = client.get("/compare/function/201").text
    assert client.get("/compare/function", params={"code": "201"}).text == page
    table = re.search(r'<table class="comparison">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    shown = [(re.sub(r"<[^>]+>", "", cells[1]), cells[2]) for cells in
             (re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", table))]
    assert shown == [(name, format_amount(total)) for name, total in expected]
    assert figure(page, "compare-function").count('class="bar') == len(expected) == 3
    sheet = parse_csv(client.get("/compare/function/201/2024/budget.csv").text)
    assert [(r[2], Decimal(r[4])) for r in sheet[1:]] == expected
    assert client.get("/compare/function/999").status_code == 404
    assert client.get("/compare/function/201/2024/nothing").status_code == 404


def test_three_public_comparison_and_a_department_across_years(client, store_dir):
    three = rows(store_dir, PREFIXES + """SELECT ?name ?total WHERE { ?doc bkg:department ?d ; bkg:table ?t .
        ?d skos:prefLabel ?name . ?t bkg:tableKind kind:three-public . ?row bkg:inTable ?t ; bkg:rowItem "total" .
        ?o bkg:sourceRow ?row ; bkg:column <https://w3id.org/budgetkg/column/three-public/total> ; bkg:amount ?total }""")
    page = client.get("/compare/three-public").text
    assert figure(page, "compare-three-public").count('class="bar') == len([r for r in three if Decimal(r["total"]) > 0])
    for r in three:
        assert f"<title>{r['name']}：{format_amount(r['total'])}</title>" in page
    sheet = parse_csv(client.get("/compare/three-public.csv").text)
    assert sorted(r[2] for r in sheet[1:]) == sorted(r["name"] for r in three)
    years = client.get("/compare/department" + path_of(FINANCE)).text
    finance_total = next(t for t in rows(store_dir, TOTALS) if t["doc"] == FINANCE_DOC)["total"]
    assert format_amount(finance_total) in years and figure(years, "years").count('class="bar') == 1
    department = client.get(path_of(FINANCE)).text
    assert 'href="/compare/department' + path_of(FINANCE) + '"' in department


# ---------------------------------------------------------------------- downloads

def test_a_department_csv_holds_every_figure_its_page_shows(client, store_dir):
    sheet = parse_csv(client.get(path_of(FINANCE) + ".csv").text)
    assert client.get(path_of(FINANCE), params={"format": "csv"}).text.lstrip("\ufeff") == \
        client.get(path_of(FINANCE) + ".csv").text.lstrip("\ufeff")
    observations = rows(store_dir, PREFIXES + f"""SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{
        <{FINANCE_DOC}> bkg:table ?t . ?row bkg:inTable ?t . ?o bkg:sourceRow ?row ; bkg:amount ?a }}""")[0]["n"]
    assert len(sheet) - 1 == int(observations)
    page = client.get(path_of(FINANCE)).text
    tables = "".join(re.findall(r'<table class="budget-table".*?</table>', page, re.S))
    header = sheet[0]
    amount_at, heading_at = header.index("金额（万元） amount (10,000 yuan)"), header.index("列标题 heading")
    for r in sheet[1:]:
        assert format_amount(r[amount_at]) in tables, r
        assert f"<th>{r[heading_at]}</th>" in tables, r
    ranking = parse_csv(client.get("/ranking/2024/budget.csv").text)
    totals = {r["name"]: r["total"] for r in rows(store_dir, TOTALS)}
    assert {r[2]: r[4] for r in ranking[1:]} == totals


def test_the_static_export_writes_the_comparisons_and_their_csv(store_dir, client, tmp_path):
    out = tmp_path / "site"
    exe = str(Path(sys.executable).parent / "budgetkg")
    done = subprocess.run([exe, "publish", "--store", str(store_dir), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for path in ("/compare/function/201/2024/budget", "/compare/function/201", "/compare/three-public/2024/budget",
                 "/overview/2024/budget", "/ranking/2024/budget/1", "/compare/department/id/org/新疆维吾尔自治区财政厅"):
        page = (out / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert 'class="bar' in page or ('<table class="ranking">' in page and "ranking" in path), path
        assert (out / (path.lstrip("/") + ".csv")).read_bytes() == client.get(path + ".csv").content, path
    assert (out / "id" / "org" / "新疆维吾尔自治区财政厅.csv").read_bytes() == client.get(path_of(FINANCE) + ".csv").content
    assert "<ul class=\"departments\">" in (out / "departments" / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------- in the real browser

def drawn(page, selector: str) -> int:
    """How many of *selector* the browser laid out with a nonzero width and height."""
    boxes = [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]
    assert all(b and b["width"] > 0 and b["height"] > 0 for b in boxes), (selector, boxes)
    return len(boxes)


def test_the_charts_draw_in_the_browser(server, store_dir):
    from playwright.sync_api import sync_playwright
    totals = [r for r in rows(store_dir, TOTALS) if Decimal(r["total"]) > 0]
    finance_classes = [r for r in rows(store_dir, CLASSES) if r["doc"] == FINANCE_DOC and Decimal(r["total"]) > 0]
    class_201 = [r for r in rows(store_dir, CLASSES) if r["code"] == "201" and Decimal(r["total"]) > 0]
    parts = rows(store_dir, PREFIXES + f"""SELECT ?col ?a WHERE {{ <{FINANCE_DOC}> bkg:table ?t .
        ?t bkg:tableKind kind:expenditure . ?row bkg:inTable ?t ; bkg:rowLevel "total" .
        ?o bkg:sourceRow ?row ; bkg:column ?col ; bkg:amount ?a
        FILTER(?col IN (col:expenditure\\/basic, col:expenditure\\/project) && ?a > 0) }}""")
    project = rows(store_dir, PREFIXES + f"""SELECT ?p ?name (COUNT(DISTINCT ?a) AS ?n) WHERE {{
        ?p dcterms:isPartOf <{FINANCE_DOC}> ; a bkg:Project ; skos:prefLabel ?name ; bkg:allocationItem ?a .
        ?a bkg:amount ?x FILTER(?x > 0) }} GROUP BY ?p ?name ORDER BY DESC(?n) ?p LIMIT 1""")[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(server + "/")
            assert drawn(page, '[data-chart="departments"] svg .bar') == min(20, len(totals))
            page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
            page.goto(server + path_of(FINANCE))
            assert drawn(page, '[data-chart="functions"] svg .bar') == len(finance_classes)
            assert drawn(page, '[data-chart="basic-project"] svg .slice') == len(parts) == 2
            assert drawn(page, '[data-chart="funds"] svg .slice') >= 1
            assert drawn(page, '[data-chart="three-public"] svg .bar') >= 1
            page.locator("h3", has_text="图表 charts").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "department.png"))
            page.locator('[data-chart="functions"] svg a', has_text="201").first.click()
            page.wait_for_load_state()
            assert "201" in page.locator("h1").inner_text()
            assert drawn(page, '[data-chart="compare-function"] svg .bar') == len(class_201)
            page.screenshot(path=str(SHOTS / "compare.png"), full_page=True)
            page.goto(server + path_of(project["p"]))
            assert page.locator("h1").inner_text() == project["name"]
            assert drawn(page, '[data-chart="allocations"] svg .slice') == int(project["n"])
            page.screenshot(path=str(SHOTS / "project.png"))
        finally:
            browser.close()
