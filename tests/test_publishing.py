"""Linked-data publishing: `budgetkg serve` (content negotiation, SPARQL endpoint, DCAT, VoID,
dumps, safety) and `budgetkg publish`, with a real headless Chromium following links."""

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from starlette.testclient import TestClient

from budgetkg.build import build
from budgetkg.store.query import bind_params, canned_queries, run, with_values
from budgetkg.web.serve import build_app
from budgetkg.store.embedded import EmbeddedStore, ensure_ontology

from browser import launch
from conftest import SAMPLES

ARTIFACTS = Path(__file__).parent / "artifacts"
FINANCE = "https://w3id.org/budgetkg/id/org/新疆维吾尔自治区财政厅"
HOSTILE = '<script>alert("x")</script><b>粗体</b>&amp;'


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """The three samples built into an embedded store, plus one resource with hostile literals."""
    path = tmp_path_factory.mktemp("site") / "db"
    store = EmbeddedStore(path)
    ensure_ontology(store)
    summary = build([SAMPLES], store, report=lambda line: None)
    assert summary.exit_code == 0
    store.replace_graph("https://w3id.org/budgetkg/id/test/hostile",
                        f'<https://w3id.org/budgetkg/id/test/hostile> <http://www.w3.org/2004/02/skos/core#prefLabel> '
                        f'"{HOSTILE.replace(chr(34), chr(92) + chr(34))}"@zh .\n'
                        f'<https://w3id.org/budgetkg/id/test/hostile> <http://purl.org/dc/terms/description> '
                        f'"<p onclick=\\"evil()\\">段落</p>" .', "test")
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def client(store_dir):
    return TestClient(build_app(str(store_dir), None, "https://w3id.org/budgetkg/", timeout=3, cap=50))


def _path(iri: str) -> str:
    return "/" + urllib.parse.quote(iri.removeprefix("https://w3id.org/budgetkg/"))


def sparql_json(client, text: str) -> dict:
    r = client.post("/sparql", data={"query": text}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return r.json()


# ---------------------------------------------------------------------- content negotiation

@pytest.mark.parametrize("iri", [FINANCE, "https://w3id.org/budgetkg/id/document/新财预〔2014〕82号",
                                 "https://w3id.org/budgetkg/code/function/2024/2010601"])
def test_one_iri_as_html_turtle_and_json_ld(client, iri):
    html = client.get(_path(iri), headers={"accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.headers["vary"] == "Accept"
    turtle = client.get(_path(iri), headers={"accept": "text/turtle"})
    jsonld = client.get(_path(iri), headers={"accept": "application/ld+json"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    a = Graph().parse(data=turtle.text, format="turtle")
    b = Graph().parse(data=jsonld.text, format="json-ld")
    assert len(a) > 3 and isomorphic(a, b)
    assert {str(s) for s in a.subjects()} == {iri}                  # its concise bounded description
    by_suffix = Graph().parse(data=client.get(_path(iri) + ".ttl").text, format="turtle")
    assert isomorphic(a, by_suffix)
    assert isomorphic(b, Graph().parse(data=client.get(_path(iri) + ".jsonld").text, format="json-ld"))
    assert client.get(_path(iri) + ".html").text == html.text


def test_department_page_shows_tables_projects_indicators_and_validation(client):
    page = client.get(_path(FINANCE)).text
    assert "新疆维吾尔自治区财政厅" in page
    assert 'data-table="general-budget-projects"' in page and "2,179.00 万元" in page       # 表7 财政业务费
    assert "财政业务费" in page and "绩效指标 indicators" in page
    assert "不符合 does not conform" in page and "4 违规 violations" in page


def test_home_page_lists_departments_and_search_finds_by_name(client):
    home = client.get("/").text
    assert "3 个部门" in home and "新疆维吾尔自治区喀什地区喀什市人民政府办公室" in home
    found = client.get("/search", params={"q": "财政"}).text
    assert "1 个部门" in found and "新疆维吾尔自治区财政厅" in found and "喀什" not in found.split("<h1>", 1)[1]
    assert "0 个部门" in client.get("/search", params={"q": "<script>"}).text
    assert "<script>" not in client.get("/search", params={"q": "<script>"}).text


def test_policy_document_page_lists_every_citing_project(client):
    rows = sparql_json(client, "PREFIX bkg: <https://w3id.org/budgetkg/ontology#> SELECT ?doc (COUNT(DISTINCT ?p) AS ?n) "
                               "WHERE { ?p a bkg:Project ; bkg:cites ?doc } GROUP BY ?doc ORDER BY DESC(?n) LIMIT 1")
    doc = rows["results"]["bindings"][0]["doc"]["value"]
    n = int(rows["results"]["bindings"][0]["n"]["value"])
    page = client.get(_path(doc)).text
    assert n >= 2 and f"projects citing this document ({n})" in page


# ---------------------------------------------------------------------- SPARQL endpoint

EXAMPLE_PARAMS = {"number": "新财预〔2014〕82号", "resource": FINANCE}


def test_every_canned_query_through_the_endpoint_equals_the_embedded_store(store_dir):
    store = EmbeddedStore.read_only(store_dir)
    uncapped = TestClient(build_app(str(store_dir), None, "https://w3id.org/budgetkg/", timeout=60, cap=10**7))
    queries = canned_queries()
    for name, q in sorted(queries.items()):
        given = {p.name: EXAMPLE_PARAMS[p.name] for p in q.params if p.default is None}
        expected = run(store, q, given)
        text = with_values(q.text, bind_params(q, given))
        response = uncapped.post("/sparql", data={"query": text}, headers={"accept": "application/sparql-results+json"})
        assert response.status_code == 200, (name, response.text)
        if not hasattr(expected, "columns"):                          # CONSTRUCT / DESCRIBE: N-Triples
            got = {str(t) for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}
            assert got == {str(t) for t in expected.triples} and got, name
            continue
        rows = [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]
        want = [{c: t.value for c, t in zip(expected.columns, row) if t is not None} for row in expected.rows]
        assert sorted(map(json.dumps, rows)) == sorted(map(json.dumps, want)), name
    assert len(queries) >= 20


def test_endpoint_formats_cap_update_refusal_and_errors(client):
    query = "SELECT ?t ?n WHERE { ?t <https://w3id.org/budgetkg/ontology#tableNumber> ?n } ORDER BY ?t LIMIT 5"
    xml = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert len(ET.fromstring(xml.text).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 5
    table = client.get("/sparql", params={"query": query, "format": "csv"})
    assert list(csv.reader(io.StringIO(table.text)))[0] == ["t", "n"] and len(table.text.splitlines()) == 6
    capped = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert "cut at 50 rows" in capped.headers["x-budgetkg-truncated"] and len(capped.json()["results"]["bindings"]) == 50
    assert "x-budgetkg-truncated" not in client.get("/sparql", params={"query": query}).headers
    for refused in (client.post("/sparql", data={"update": "DROP ALL"}),
                    client.post("/sparql", content="DROP ALL", headers={"content-type": "application/sparql-update"}),
                    client.get("/sparql", params={"query": "PREFIX x: <urn:x>\nDELETE WHERE { ?s ?p ?o }"})):
        assert refused.status_code == 403 and "read-only" in refused.text
    assert sparql_json(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["results"]["bindings"][0]["n"]["value"] != "0"
    bad = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert bad.status_code == 400 and "malformed SPARQL" in bad.text
    assert "canned" in client.get("/sparql").text                     # the query page


def test_a_runaway_query_is_stopped_at_the_timeout(client):
    started = time.perf_counter()
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    assert r.status_code == 503 and "3 s timeout" in r.text
    assert time.perf_counter() - started < 15
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True   # still serving


# ---------------------------------------------------------------------- catalogue, VoID, dumps

def test_dcat_void_and_dumps(client, store_dir):
    store = EmbeddedStore.read_only(store_dir)
    total = len(store.ox)
    catalog = Graph().parse(data=client.get("/catalog").text, format="turtle")
    datasets = set(catalog.objects(None, URIRef_("http://www.w3.org/ns/dcat#dataset")))
    assert len(datasets) == 3
    void = Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    triples = URIRef_("http://rdfs.org/ns/void#triples")
    subsets = list(void.objects(None, URIRef_("http://rdfs.org/ns/void#subset")))
    assert sum(int(void.value(s, triples)) for s in subsets) == total
    assert any(str(o).endswith("/sparql") for o in void.objects(None, URIRef_("http://rdfs.org/ns/void#sparqlEndpoint")))
    whole = ox.Store()
    whole.load(client.get("/dumps/all.nq").content, format=ox.RdfFormat.N_QUADS)
    assert len(whole) == total
    one = list(datasets)[0]
    dist = client.get("/dumps/" + urllib.parse.quote(str(one).removeprefix("https://w3id.org/budgetkg/")) + ".trig")
    part = ox.Store()
    part.load(dist.content, format=ox.RdfFormat.TRIG)
    assert {q.graph_name.value for q in part} == {str(one)}


def URIRef_(iri):
    from rdflib import URIRef
    return URIRef(iri)


# ---------------------------------------------------------------------- safety

def test_hostile_literals_are_escaped(client):
    page = client.get("/id/test/hostile").text
    assert "<script>" not in page and "<b>粗体" not in page and "<p onclick" not in page
    assert "&lt;script&gt;" in page and "&lt;p onclick=" in page


@pytest.mark.parametrize("path", ["/id/org/没有这个部门", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/dumps/../../../etc/passwd", "/dumps/%2e%2e%2f%2e%2e%2fetc%2fpasswd.nq",
                                  "/id/org/x%3E%20%3Chttp:%2F%2Fevil%3E", "/dumps/nothing.nq"])
def test_unknown_and_traversing_paths_get_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "root:" not in r.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_endpoint_that_is_down_gives_a_503_page():
    app = build_app(None, f"http://127.0.0.1:{_free_port()}/query", "https://w3id.org/budgetkg/")
    r = TestClient(app).get("/")
    assert r.status_code == 503 and "cannot be reached" in r.text and "Traceback" not in r.text


# ---------------------------------------------------------------------- a real server and a real browser

class Process:
    def __init__(self, args, url):
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                return
            except (OSError, urllib.error.HTTPError):
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode())
                time.sleep(0.2)
        raise RuntimeError(f"{args} did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="module")
def server(store_dir):
    port = _free_port()
    exe = str(Path(sys.executable).parent / "budgetkg")
    p = Process([exe, "serve", "--store", str(store_dir), "--port", str(port), "--timeout", "5"],
                f"http://127.0.0.1:{port}/")
    yield f"http://127.0.0.1:{port}"
    p.stop()


ROUTE = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?deptName ?name ?docLabel ?otherName ?amount WHERE {
  ?p a bkg:Project ; skos:prefLabel ?name ; bkg:department ?dept ; bkg:cites ?doc .
  ?other a bkg:Project ; skos:prefLabel ?otherName ; bkg:cites ?doc .
  FILTER(?other != ?p && STR(?otherName) != STR(?name))
  ?dept skos:prefLabel ?deptName .
  ?doc skos:notation ?notation . OPTIONAL { ?doc dcterms:title ?title }
  BIND(COALESCE(?title, ?notation) AS ?docLabel)
  ?row bkg:project ?p . ?obs bkg:sourceRow ?row ; bkg:column <https://w3id.org/budgetkg/column/general-budget-projects/total> ; bkg:amount ?amount .
} ORDER BY ?deptName ?name ?docLabel ?otherName LIMIT 1"""


def _route(store_dir):
    """A department, one of its 表7 projects, a document it cites that another project cites too."""
    from budgetkg.web.site import format_amount
    store = EmbeddedStore.read_only(store_dir)
    result = store.select(ROUTE)
    dept, name, doc, other, amount = (t.value for t in result.rows[0])
    return dept, name, doc, other, format_amount(amount)


def _browse(page, home: str, shots: Path, route):
    """Home → department (its 表7 and amounts) → project → a document it cites → another project citing it."""
    dept, name, doc, other, amount = route
    shots.mkdir(parents=True, exist_ok=True)
    page.goto(home + "/")
    page.screenshot(path=str(shots / "1-home.png"))
    page.get_by_role("link", name=dept, exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == dept
    t7 = page.locator('table[data-table="general-budget-projects"]')
    box = page.locator("details", has=t7)
    if box.get_attribute("open") is None:          # a long table is folded: open it as a reader would
        box.locator("summary").click()
    row = t7.locator("tr", has_text=name).first
    assert amount in row.inner_text(), (amount, row.inner_text())
    page.screenshot(path=str(shots / "2-department.png"))
    page.locator("table.projects a", has_text=name).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == name
    page.screenshot(path=str(shots / "3-project.png"))
    page.locator("table.properties a", has_text=doc).first.click()
    page.wait_for_load_state()
    assert doc in page.locator("h1").inner_text()
    citing = page.locator("table.citing a[href*='/project/']")
    names = [citing.nth(i).inner_text() for i in range(citing.count())]
    assert name in names and other in names
    page.screenshot(path=str(shots / "4-document.png"))
    citing.filter(has_text=other).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == other
    page.screenshot(path=str(shots / "5-other-project.png"))


def test_a_browser_follows_links_from_department_to_project_to_document_and_back(server, store_dir):
    from playwright.sync_api import sync_playwright
    route = _route(store_dir)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            _browse(browser.new_page(), server, ARTIFACTS / "serve", route)
        finally:
            browser.close()


def test_the_static_export_opens_in_the_browser_with_working_links(store_dir, tmp_path):
    from playwright.sync_api import sync_playwright
    out = tmp_path / "site"
    exe = str(Path(sys.executable).parent / "budgetkg")
    done = subprocess.run([exe, "publish", "--store", str(store_dir), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (out / "dumps" / "all.nq").stat().st_size > 0 and (out / ".well-known" / "void").exists()
    turtle = Graph().parse(out / "id" / "org" / "新疆维吾尔自治区财政厅.ttl", format="turtle")
    jsonld = Graph().parse(out / "id" / "org" / "新疆维吾尔自治区财政厅.jsonld", format="json-ld")
    assert isomorphic(turtle, jsonld)
    port = _free_port()
    static = Process([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(out)],
                     f"http://127.0.0.1:{port}/")
    try:
        with sync_playwright() as p:
            browser = launch(p)
            try:
                _browse(browser.new_page(), f"http://127.0.0.1:{port}", ARTIFACTS / "static", _route(store_dir))
            finally:
                browser.close()
    finally:
        static.stop()


def test_the_catalogue_names_the_configured_url_never_the_host_header(client, store_dir):
    """A client's Host header once became the catalogue's IRI (Host: attacker.example)."""
    for path in ("/catalog", "/.well-known/void"):
        hostile = client.get(path, headers={"host": "attacker.example", "accept": "text/turtle"}).text
        assert "attacker.example" not in hostile and "https://w3id.org/budgetkg/sparql" in hostile
    configured = TestClient(build_app(str(store_dir), None, "https://w3id.org/budgetkg/", timeout=3, cap=50,
                                      base_url="https://budgets.example.org/kg/"))
    catalog = configured.get("/catalog", headers={"host": "attacker.example"}).text
    assert "<https://budgets.example.org/kg/catalog>" in catalog and "attacker.example" not in catalog


@pytest.mark.parametrize("iri", [FINANCE, "https://w3id.org/budgetkg/code/function/2024/2010601"])
def test_content_negotiation_offers_every_rdf_syntax_or_says_406(client, iri):
    from rdflib import Graph as G
    path = _path(iri)
    turtle = G().parse(data=client.get(path, headers={"accept": "text/turtle"}).text, format="turtle")
    assert len(turtle) > 0
    for accept, syntax in (("application/n-triples", "nt"), ("application/rdf+xml", "xml"), ("text/n3", "n3"),
                           ("application/ld+json", "json-ld"), ("application/json", "json-ld")):
        r = client.get(path, headers={"accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept), (accept, r.headers)
        assert isomorphic(G().parse(data=r.text, format=syntax), turtle), accept
        assert r.headers["access-control-allow-origin"] == "*" and r.headers["vary"] == "Accept"
    assert '"@context"' in client.get(path, headers={"accept": "application/ld+json"}).text
    refused = client.get(path, headers={"accept": "image/png"})
    assert refused.status_code == 406 and "text/turtle" in refused.text
    assert client.get(path, headers={"accept": "image/png, */*;q=0.1"}).status_code == 200
    page = client.get(path, headers={"accept": "text/html"})
    assert f'<link rel="alternate" type="text/turtle" href="{path}.ttl">' in page.text
    assert f'<{path}.ttl>; rel="alternate"; type="text/turtle"' in page.headers["link"]
    assert client.get(path + ".nt").headers["content-type"].startswith("application/n-triples")


def test_void_uses_only_void_dcat_and_dublin_core_terms_and_links_the_catalogue(client):
    void = Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    allowed = ("http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/",
               "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert {str(p) for p in void.predicates()} and all(str(p).startswith(allowed) for p in void.predicates())
    void_ns = "http://rdfs.org/ns/void#"
    defined = {"Dataset", "subset", "triples", "dataDump", "sparqlEndpoint", "uriSpace", "vocabulary"}
    assert {str(p)[len(void_ns):] for p in void.predicates() if str(p).startswith(void_ns)} <= defined
    catalog = Graph().parse(data=client.get("/catalog").text, format="turtle")
    datasets = set(catalog.objects(None, URIRef_("http://www.w3.org/ns/dcat#dataset")))
    sources = set(void.objects(None, URIRef_("http://purl.org/dc/terms/source")))
    assert datasets and datasets == sources                  # each disclosure's subset names its dataset
    assert URIRef_("https://w3id.org/budgetkg/ontology#") in set(void.objects(None, URIRef_(void_ns + "vocabulary")))


@pytest.mark.parametrize("iri", [FINANCE, "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区财政厅/2024",
                                 "https://w3id.org/budgetkg/id/document/新财预〔2014〕82号",
                                 "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区财政厅/2024/table/three-public"])
def test_every_property_and_type_is_shown_by_its_name_in_zh_and_en(client, iri):
    """No property or type of a page is shown by its IRI: budgetkg's terms by the ontology's
    labels, the standard vocabularies' (org, skos, dcterms, qb, prov …) by
    ontology/vocabulary-labels.toml, each with its English name beside it."""
    import re as regex
    page = client.get(_path(iri), headers={"accept": "text/html"}).text
    properties = regex.search(r'<table class="properties">(.*?)</table>', page).group(1)
    heads = regex.findall(r"<tr><th>(.*?)</th>", properties)
    types = regex.search(r"<p>类型 type: (.*?)</p>", page).group(1)
    assert heads and types
    shown = [regex.sub(r"<[^>]+>", "", h) for h in heads] + regex.findall(r">([^<]+)</a>", types)
    assert not [s for s in shown if "http" in s or "#" in s], shown
    assert all('class="muted"' in h for h in heads), heads
