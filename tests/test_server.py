"""A real Oxigraph server (the `oxigraph` binary from PyPI) as the store, started on 127.0.0.1."""

import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetkg.build import build
from budgetkg.cli import main
from budgetkg.errors import StoreError, TruncatedResult
from budgetkg.store.query import canned_queries, parse_header, run
from budgetkg.store.server import RemoteStore
from budgetkg.store import open_store
from budgetkg.store.embedded import ensure_ontology

from conftest import SAMPLES
from test_store import GOV, answers, values


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server binary is missing: install the test extras (pip install -e '.[test]')")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, location: Path, *options: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location),
                                      "--bind", f"127.0.0.1:{self.port}", *options],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"oxigraph exited: {self.proc.stderr.read().decode()}")
                time.sleep(0.1)
        raise RuntimeError("oxigraph did not start")

    def store(self, writable: bool = True) -> RemoteStore:
        return RemoteStore(f"{self.url}/query", update_endpoint=f"{self.url}/update",
                           store_endpoint=f"{self.url}/store", writable=writable)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("oxigraph"), "--union-default-graph")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def server_built(server):
    store = server.store()
    ensure_ontology(store)
    messages = []
    summary = build([SAMPLES], store, jobs=1, report=messages.append)
    assert (summary.loaded, summary.failed) == (3, 0), messages
    return store, summary


@pytest.fixture(scope="module")
def embedded_built(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("embedded") / "db", writable=True)
    ensure_ontology(store)
    build([SAMPLES], store, jobs=1, report=lambda _: None)
    return store


def test_every_canned_query_answers_the_same_on_the_server_and_embedded(server_built, embedded_built):
    store, _ = server_built
    remote, local = answers(store), answers(embedded_built)
    assert remote.keys() == canned_queries().keys()
    for name in remote:
        assert remote[name] == local[name], name
    # the samples print every code under one name: the consensus query has nothing to list
    # (tests/test_research_queries.py gives it a renamed code)
    # and the samples are budgets: the execution queries need final accounts beside them
    # (tests/test_final_accounts.py runs them on a real budget and its final accounts); they are of
    # one year, so year-over-year has no last year to compare with (tests/test_year_over_year.py), and
    # no unit's budget is there to consolidate (tests/test_cross_year_and_consolidation.py)
    quiet = {"codes-printed-with-different-names", "budget-execution", "three-public-execution", "year-over-year",
             "consolidation"}
    assert all(remote[name] for name in remote if name not in quiet), [n for n in remote if not remote[n]]


def test_validation_over_the_server_finds_what_it_finds_in_the_embedded_store(server_built, embedded_built):
    """A server's documents are validated chunk by chunk as the embedded store's are (copied out
    a graph a request), and the two give the same findings; so does one rule run over the whole
    server (chunk=0)."""
    from budgetkg.audit.validate import load_shapes, validate_store
    store, _ = server_built
    shapes = load_shapes()
    local = validate_store(embedded_built, shapes)
    assert local and validate_store(store, shapes) == local
    assert validate_store(store, shapes, chunk=0) == local


def test_one_document_scope_works_on_the_server(server_built, embedded_built):
    store, _ = server_built
    q = canned_queries()["tables"]
    assert values(run(store, q, None, GOV)) == values(run(embedded_built, q, None, GOV))
    assert len(run(store, q, None, GOV).rows) == 11


def test_server_build_is_resumable_and_records_the_same_graphs(server_built, embedded_built):
    store, first = server_built
    again = build([SAMPLES], store, jobs=1, report=lambda _: None)
    assert (again.loaded, again.skipped) == (0, 3)
    assert store.records() == embedded_built.records()
    assert store.triple_count(GOV) == embedded_built.triple_count(GOV)


def test_cli_build_and_query_against_the_server(tmp_path):
    srv = Server(tmp_path / "srv", "--union-default-graph")
    try:
        endpoints = ["--endpoint", f"{srv.url}/query", "--update-endpoint", f"{srv.url}/update",
                     "--store-endpoint", f"{srv.url}/store"]
        runner = CliRunner()
        built = runner.invoke(main, ["build", str(SAMPLES / "kashgar-city-government-office-2024.txt"),
                                     "--no-progress", *endpoints])
        assert built.exit_code == 0, built.output
        assert "1 loaded" in built.output
        result = runner.invoke(main, ["query", "tables", "--format", "csv", "--endpoint", f"{srv.url}/query"])
        assert result.exit_code == 0, result.output
        assert result.output.count("喀什市人民政府办公室") == 11
        refused = runner.invoke(main, ["build", str(SAMPLES), "--no-progress", "--endpoint", f"{srv.url}/query"])
        assert refused.exit_code == 2 and "needs --update-endpoint" in refused.output
    finally:
        srv.stop()


def test_a_server_without_a_union_default_graph_is_named_not_silently_empty(tmp_path):
    srv = Server(tmp_path / "srv")
    try:
        store = srv.store()
        build([SAMPLES / "kashgar-city-government-office-2024.txt"], store, report=lambda _: None)
        with pytest.raises(StoreError, match="--union-default-graph"):
            run(store, canned_queries()["tables"])
    finally:
        srv.stop()


def test_a_query_that_times_out_on_oxigraph_is_an_error_not_a_partial_result(tmp_path):
    srv = Server(tmp_path / "srv", "--union-default-graph", "--timeout-s", "1")
    try:
        data = "".join(f"<https://example.org/{i}> <https://example.org/p> <https://example.org/{i % 50}> .\n"
                       for i in range(20000)).encode()
        urllib.request.urlopen(urllib.request.Request(f"{srv.url}/store?default", data=data, method="POST",
                                                      headers={"Content-Type": "application/n-triples"})).read()
        heavy = tmp_path / "heavy.rq"
        heavy.write_text("# title: cross join\n# description: slow on purpose\n"
                         "SELECT ?a ?b ?c WHERE { ?a <https://example.org/p> ?x . ?b <https://example.org/p> ?x . "
                         "?c <https://example.org/p> ?x }\n", encoding="utf-8")
        with pytest.raises(TruncatedResult, match="incomplete"):
            run(srv.store(writable=False), parse_header(heavy))
    finally:
        srv.stop()


class _RowCapHandler(http.server.BaseHTTPRequestHandler):
    """Answers like Virtuoso at its ResultSetMaxRows cap: HTTP 200, a valid body, and the header."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"head": {"vars": ["x"]},
                           "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("X-SPARQL-MaxRows", "1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_row_capped_result_is_an_error_even_when_its_body_is_valid():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _RowCapHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        store = RemoteStore(f"http://127.0.0.1:{httpd.server_address[1]}/sparql")
        with pytest.raises(TruncatedResult, match="X-SPARQL-MaxRows"):
            run(store, canned_queries()["departments"])
    finally:
        httpd.shutdown()


def test_an_unreachable_endpoint_is_a_clear_error():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreError, match="cannot reach"):
        run(store, canned_queries()["departments"])
