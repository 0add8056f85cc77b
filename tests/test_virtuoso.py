"""Virtuoso 7 (Debian's package) as the store, started on 127.0.0.1 by tests/virtuoso.py.

The samples and three real documents (a budget, its final account, another final account) are
built into it with the command line; every canned query, `validate` and a `serve` page answer as
over the embedded store; its row cap (ResultSetMaxRows) is an error, never a short answer; its
bulk loader (budgetkg.store.virtuoso.VirtuosoStore) loads what the embedded store loads.

The queries and shapes are written in the SPARQL both engines read alike (full IRIs, no
Chinese REGEX, no CONCAT of a Chinese constant with stored text: Virtuoso 7.2's differences).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections import Counter

import pytest
from click.testing import CliRunner

from budgetkg.cli import main
from budgetkg.errors import StoreError, TruncatedResult
from budgetkg.extract.emit import to_ntriples
from budgetkg.store import open_store
from budgetkg.store.embedded import ensure_ontology
from budgetkg.store.query import canned_queries, parse_header, run
from budgetkg.store.virtuoso import VirtuosoStore, is_virtuoso

from conftest import SAMPLE_NAMES, SAMPLES, extracted
from test_store import FINANCE, PARAMS
from virtuoso import Virtuoso

pytestmark = pytest.mark.slow     # Debian's package installed the first time; two servers, six documents

REAL = SAMPLES.parent / "real"
BASE = "https://w3id.org/budgetkg/"
DEPARTMENT = "https://w3id.org/budgetkg/id/org/新疆维吾尔自治区财政厅"
EVERY = "# title: every triple\n# description: more rows than the row cap\n"

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The three samples, a budget with its final account, and a final account with a 三公 budget column."""
    directory = tmp_path_factory.mktemp("corpus")
    for path in [*SAMPLES.glob("*.txt"), REAL / "swu_2023_budget.pdf", REAL / "swu_2023_final.pdf",
                 REAL / "putuo_czj_2024_final.pdf"]:
        (directory / path.name).symlink_to(path)
    return directory


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))       # ResultSetMaxRows 10000, Virtuoso's default
    yield server
    server.stop()


@pytest.fixture(scope="module")
def built(virtuoso, corpus):
    """`budgetkg build CORPUS --endpoint … --update-endpoint … --store-endpoint …` into Virtuoso."""
    return CliRunner().invoke(main, ["build", str(corpus), "--no-progress", "-j", "1", *virtuoso.options()])


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, corpus):
    """`budgetkg build CORPUS --store DIR`: (DIR, the command's result)."""
    location = tmp_path_factory.mktemp("embedded") / "db"
    result = CliRunner().invoke(main, ["build", str(corpus), "--no-progress", "-j", "1", "--store", str(location)])
    assert result.exit_code == 0, result.output
    return location, result


@pytest.fixture(scope="module")
def validated(virtuoso, built, embedded):
    """`budgetkg validate --format json` over Virtuoso and over the embedded store."""
    runner = CliRunner()
    return (runner.invoke(main, ["validate", "--format", "json", *virtuoso.options(writing=False)]),
            runner.invoke(main, ["validate", "--format", "json", "--store", str(embedded[0])]))


def _summary(output: str) -> list[str]:
    """A build's summary lines, without those naming the store."""
    return [line for line in output.splitlines()
            if not line.startswith(("store:", "report:")) and ": warning:" not in line]


def _rows(result) -> list:
    """A result as sorted rows of N-Triples terms (or sorted triples): ties are ordered as the engine likes."""
    if hasattr(result, "triples"):
        return sorted(str(t) for t in result.triples)
    return sorted(tuple("" if t is None else str(t) for t in row) for row in result.rows)


def _refusal(exc: StoreError) -> str:
    text = str(exc)
    return text[text.find("Virtuoso "):][:200] if "Virtuoso " in text else text[:200]


# ---------------------------------------------------------------------- the command line, as over the embedded store

def test_build_into_virtuoso_loads_what_the_embedded_store_loads(virtuoso, built, embedded):
    assert built.exit_code == 0, built.output
    assert "6 loaded" in built.output
    remote, local = virtuoso.store(writable=False, bulk=False), open_store(embedded[0])
    assert remote.records() == local.records()
    assert sorted(remote.graphs()) == sorted(local.graphs())                   # Virtuoso's own graphs left out
    for graph in local.records():
        assert remote.triple_count(graph) == local.triple_count(graph), graph


def test_build_into_virtuoso_reports_as_into_the_embedded_store(built, embedded):
    assert _summary(built.output) == _summary(embedded[1].output)


def test_every_canned_query_gives_the_embedded_stores_rows(virtuoso, built, embedded):
    remote, local = virtuoso.remote(writable=False), open_store(embedded[0])
    differ = {}
    for name, query in canned_queries().items():
        expected = _rows(run(local, query, PARAMS.get(name)))
        try:
            got = _rows(run(remote, query, PARAMS.get(name)))
        except StoreError as exc:
            differ[name] = f"refused: {_refusal(exc)}"
            continue
        if got != expected:
            example = sorted(set(expected) - set(got))[:1] or sorted(set(got) - set(expected))[:1]
            differ[name] = f"{len(got)} rows, embedded {len(expected)}; e.g. {example}"
    assert not differ, "\n".join(f"{name}: {why}" for name, why in differ.items())


def test_the_canned_queries_virtuoso_runs_give_the_embedded_stores_rows(virtuoso, built, embedded):
    """Today's subset of the test above: the queries without an escaped name or a Chinese pattern."""
    remote, local = virtuoso.remote(writable=False), open_store(embedded[0])
    same = 0
    for name, query in canned_queries().items():
        if "\\/" in query.text or re.search(r"REGEX\([^)]*\"[^\"]*[^\x00-\x7f]", query.text):
            continue
        assert _rows(run(remote, query, PARAMS.get(name))) == _rows(run(local, query, PARAMS.get(name))), name
        same += 1
    assert same >= 15


def test_query_on_the_command_line_prints_the_same_csv(virtuoso, built, embedded):
    runner = CliRunner()
    for name in ("tables", "departments", "budget-execution", "three-public-execution", "project-expenditure"):
        remote = runner.invoke(main, ["query", name, "--format", "csv", *virtuoso.options(writing=False)])
        local = runner.invoke(main, ["query", name, "--format", "csv", "--store", str(embedded[0])])
        assert remote.exit_code == local.exit_code == 0, remote.output[-2000:]
        (head, *rows), (local_head, *local_rows) = remote.output.splitlines(), local.output.splitlines()
        assert (head, sorted(rows)) == (local_head, sorted(local_rows)), name


def test_validate_finds_and_says_what_it_finds_in_the_embedded_store(validated):
    remote, local = validated
    assert remote.exit_code == local.exit_code, remote.output[-3000:]
    reports = [json.loads(result.output) for result in (remote, local)]
    assert reports[0]["summary"] == reports[1]["summary"]
    found = [Counter((r["document"], r["focus"], r["shape"], r["severity"], r["value"], r["message"])
                     for r in report["results"]) for report in reports]
    assert found[0] == found[1]


def _page(store_dir, endpoint) -> list[str]:
    from starlette.testclient import TestClient

    from budgetkg.web.serve import build_app
    client = TestClient(build_app(store_dir, endpoint, BASE, timeout=60))
    response = client.get("/" + urllib.parse.quote(DEPARTMENT.removeprefix(BASE)), headers={"accept": "text/html"})
    assert response.status_code == 200, response.text[:2000]
    return response.text


def test_serve_over_virtuoso_answers_a_department_page(virtuoso, built):
    page = _page(None, virtuoso.endpoint)
    assert "新疆维吾尔自治区财政厅" in page and "2,179.00 万元" in page and "财政业务费" in page


def test_serve_over_virtuoso_answers_the_department_page_of_the_embedded_store(virtuoso, built, embedded):
    # the page split at its tags, in any order: a department's types come in the store's order
    remote, local = (sorted(re.sub(r"(<[/a-z][^>]*>)", r"\n\1", page).splitlines())
                     for page in (_page(None, virtuoso.endpoint), _page(str(embedded[0]), None)))
    assert remote == local


# ---------------------------------------------------------------------- the row cap

def test_a_select_past_result_set_max_rows_is_an_error_not_a_short_answer(virtuoso, built, tmp_path):
    every = tmp_path / "every.rq"
    every.write_text(EVERY + "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(every), "--format", "csv", *virtuoso.options(writing=False)])
    assert result.exit_code != 0
    assert "ResultSetMaxRows" in result.output and "10000" in result.output
    with pytest.raises(TruncatedResult, match="X-SPARQL-MaxRows"):
        run(virtuoso.remote(writable=False), parse_header(every))


def test_a_construct_past_result_set_max_rows_is_an_error_on_the_virtuoso_store(virtuoso, built):
    """Virtuoso cuts a CONSTRUCT at ResultSetMaxRows + 1 triples and says nothing (no header)."""
    text = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert len(virtuoso.remote(writable=False).construct(text).triples) == virtuoso.max_rows + 1   # cut, silently
    store = virtuoso.store(writable=False, bulk=False)
    assert store.max_rows == virtuoso.max_rows                                  # read from the server
    with pytest.raises(TruncatedResult, match="ResultSetMaxRows"):
        store.construct(text)
    assert len(store.construct(text + " LIMIT 10").triples) == 10


def test_a_construct_past_the_cap_is_an_error_on_the_command_line(virtuoso, built, tmp_path):
    every = tmp_path / "every.rq"
    every.write_text(EVERY + "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(every), "--format", "turtle", *virtuoso.options(writing=False)])
    assert result.exit_code != 0 and "ResultSetMaxRows" in result.output


def test_a_graph_larger_than_the_cap_is_read_page_by_page_as_stored(virtuoso, built, embedded):
    local = open_store(embedded[0])
    assert local.triple_count(FINANCE) > virtuoso.max_rows
    quads = virtuoso.store(writable=False, bulk=False).quads(FINANCE)
    # as stored: Virtuoso writes true as "1"^^xsd:boolean, the store gives it back as "true"
    assert sorted(map(str, quads)) == sorted(map(str, local.quads(FINANCE)))


def test_a_graph_with_blank_nodes_is_read(virtuoso, built, embedded):
    graph = "urn:budgetkg:ontology:budget"
    assert len(virtuoso.store(writable=False, bulk=False).quads(graph)) == open_store(embedded[0]).triple_count(graph)


# ---------------------------------------------------------------------- the bulk loader

@pytest.fixture(scope="module")
def bulk(tmp_path_factory):
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso-bulk"))
    yield server
    server.stop()


def _documents() -> list[tuple[str, str, str]]:
    documents = []
    for name in SAMPLE_NAMES:
        graph, ntriples = to_ntriples(extracted(SAMPLES / f"{name}.txt")[0])
        documents.append((graph, ntriples, f"sha-of-{name}"))
    return documents


def test_the_bulk_loader_loads_and_records_what_the_embedded_store_does(bulk, tmp_path):
    store, local = bulk.store(), open_store(tmp_path / "db", writable=True)
    for each in (store, local):
        ensure_ontology(each)
    documents = _documents()
    assert store.load(documents) == local.load(documents)
    assert store.records() == local.records()
    assert list(bulk.load_dir.iterdir()) == []                                 # its file is removed
    for graph, _, _ in documents:
        assert store.triple_count(graph) == local.triple_count(graph)
    for name in ("tables", "departments", "indicators", "change-statements", "table-cells"):
        query = canned_queries()[name]
        assert _rows(run(store, query, PARAMS.get(name))) == _rows(run(local, query, PARAMS.get(name))), name


def test_a_bulk_load_that_fails_records_nothing(bulk):
    good = ("https://w3id.org/budgetkg/id/test/good", '<https://w3id.org/budgetkg/id/test/good> '
            '<http://www.w3.org/2004/02/skos/core#prefLabel> "好" .\n', "sha-good")
    with pytest.raises(StoreError, match="not valid N-Triples"):
        bulk.store().load([good, ("https://w3id.org/budgetkg/id/test/bad", "<broken\n", "sha-bad")])
    # a statement too many terms long reaches the loader, which refuses it (isql's LOAD_LIST names it)
    extra = ("https://w3id.org/budgetkg/id/test/bad", '<https://w3id.org/budgetkg/id/test/bad> '
             '<http://www.w3.org/2004/02/skos/core#prefLabel> "x" <https://w3id.org/budgetkg/id/test/extra> .\n', "sha-bad")
    with pytest.raises(StoreError, match="LOAD-ERROR: .*NQuads RDF loader"):
        bulk.store().load([good, extra])
    refused = VirtuosoStore(bulk.endpoint, update_endpoint=bulk.endpoint, store_endpoint=bulk.store_endpoint,
                            writable=True, isql=bulk.isql_address, password="not-the-password", load_dir=bulk.load_dir)
    with pytest.raises(StoreError, match="isql .* failed"):
        refused.load([good])
    store = bulk.store()
    assert good[0] not in store.records()
    store.repair()                      # what the loader stored before it stopped has no record: removed
    assert good[0] not in store.graphs()
    assert list(bulk.load_dir.iterdir()) == []


def test_the_bulk_loader_needs_a_directory_the_server_reads(bulk):
    with pytest.raises(StoreError, match="load_dir"):
        VirtuosoStore(bulk.endpoint, update_endpoint=bulk.endpoint, store_endpoint=bulk.store_endpoint,
                      writable=True, isql=bulk.isql_address)


def test_virtuoso_is_told_apart_by_its_answers(virtuoso, tmp_path):
    assert is_virtuoso(virtuoso.endpoint)
    from test_server import Server
    oxigraph = Server(tmp_path / "oxigraph", "--union-default-graph")
    try:
        assert not is_virtuoso(f"{oxigraph.url}/query")
    finally:
        oxigraph.stop()


def test_build_loads_through_the_bulk_loader_when_asked(bulk, tmp_path, caplog):
    """`budgetkg build --bulk-loader HOST:PORT --bulk-load-dir DIR` loads a large batch (20 new
    documents or more, build.BULK_MIN) through isql's bulk loader, as its log says, and stores what
    the embedded store does."""
    from budgetkg.build import BULK_MIN
    from budgetkg.synth.corpus import write_corpus
    write_corpus(tmp_path / "in", BULK_MIN, 2024, seed=3, styles=("tsv",), report=lambda _: None)
    caplog.set_level("INFO", logger="budgetkg.store.virtuoso")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--endpoint", bulk.endpoint,
                                       "--update-endpoint", bulk.endpoint, "--store-endpoint", bulk.store_endpoint,
                                       "--bulk-loader", bulk.isql_address, "--bulk-load-dir", str(bulk.load_dir),
                                       "--no-validate"])
    assert result.exit_code == 0, result.output
    assert f"bulk loading {BULK_MIN} graphs" in caplog.text and f"{BULK_MIN} loaded" in result.output
    embedded = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--store", str(tmp_path / "db"),
                                         "--no-validate"])
    assert embedded.exit_code == 0, embedded.output
    local, remote = open_store(tmp_path / "db"), bulk.store(writable=False, bulk=False)
    graphs = [g for g in local.records() if "/disclosure/" in g]
    assert len(graphs) == BULK_MIN
    for graph in graphs:
        assert remote.triple_count(graph) == local.triple_count(graph), graph
    assert list(bulk.load_dir.iterdir()) == []
