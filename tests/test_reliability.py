"""Nothing lost, nothing reached: the endpoint sends no request to other servers, a stored
disclosure is never silently replaced by less, and one bad document (a corrupt PDF, a name
with characters an IRI may not hold) never stops or miscounts a build."""

import http.server
import os
import random
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from budgetkg.build import build
from budgetkg.cli import main
from budgetkg.extract.identity import iri_segment
from budgetkg.web.serve import QueryRunner, build_app
from budgetkg.store.guard import service_at
from budgetkg.store.embedded import EmbeddedStore, ensure_ontology
from budgetkg.synth.corpus import write_corpus

from conftest import FIXTURES, SAMPLES, query_rows

OFFICE = SAMPLES / "xinjiang-government-office-2024.txt"
OFFICE_IRI = "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区人民政府办公厅/2024"


# ---------------------------------------------------------------------- no outbound requests

class Listener:
    """An HTTP server on 127.0.0.1 that records every request it gets (the 'internal' host)."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"secret"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            do_POST = do_GET

            def log_message(self, *args):
                pass
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/internal"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def listener():
    srv = Listener()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("reliable") / "db"
    store = EmbeddedStore(path)
    ensure_ontology(store)
    assert build([OFFICE], store, report=lambda _: None).loaded == 1
    store.flush()
    del store
    return path


def _service_queries(url: str) -> list[str]:
    """SERVICE as people write it, and as the store's parser also reads it."""
    return [
        f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}",
        f"select ?x where {{ ?s ?p ?o . service silent <{url}> {{ ?x ?p2 ?o2 }} }}",
        f"PREFIX : <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ ?s ?p ?o .SERVICE:internal{{ ?x ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p true . ?s ?p trueSERVICE <{url}> {{ ?x ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o)SERVICE <{url}> {{ ?x ?b ?c }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?x ?b ?c }} }}",
        f"# a comment\nSELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ ?x ?b ?c }} }}",
    ]


def test_the_scan_finds_service_only_where_the_parser_would():
    url = "http://127.0.0.1:1/x"
    for text in _service_queries(url):
        assert service_at(text) is not None, text
    for text in ['SELECT ?service WHERE { ?service ?p "SERVICE <x> {}" } # SERVICE <x> {}',
                 "PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s schema:serviceType ?t ; a <http://x/SERVICE> }",
                 "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT * WHERE { ?s a dcat:DataService }",
                 "SELECT * WHERE { ?s ?p '''multi\nline SERVICE <x> {}''' }"]:
        assert service_at(text) is None, text


@pytest.mark.parametrize("method", ["get", "post-form", "post-body"])
def test_the_endpoint_refuses_service_before_evaluating_it(store_dir, listener, method):
    client = TestClient(build_app(str(store_dir), None, "https://w3id.org/budgetkg/", timeout=10, cap=50))
    for text in _service_queries(listener.url):
        if method == "get":
            r = client.get("/sparql", params={"query": text})
        elif method == "post-form":
            r = client.post("/sparql", data={"query": text})
        else:
            r = client.post("/sparql", content=text.encode(), headers={"content-type": "application/sparql-query"})
        assert r.status_code == 400, (text, r.status_code, r.text)
        assert "SERVICE is refused" in r.text and "secret" not in r.text
    assert listener.hits == []
    # an ordinary query still answers
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) > 1000


def test_a_service_the_scan_missed_still_reaches_nobody(store_dir, listener):
    """The query process of the endpoint has no network: the second line of defence."""
    runner = QueryRunner(str(store_dir), None, timeout=20, cap=10)
    kind, *rest = runner.run(f"SELECT * WHERE {{ ?s ?p ?o . SERVICE <{listener.url}> {{ ?x ?b ?c }} }} LIMIT 1")
    assert kind == "error", (kind, rest)
    assert listener.hits == []


def test_query_refuses_a_file_with_service_unless_allowed(store_dir, listener, tmp_path):
    rq = tmp_path / "federated.rq"
    rq.write_text(f"# title: federated\nSELECT ?x WHERE {{\n  SERVICE <{listener.url}> {{ ?x ?p ?o }}\n}}\n",
                  encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(rq), "--store", str(store_dir)])
    assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{rq}, line 3: SERVICE is refused" in result.output
    assert listener.hits == []
    allowed = CliRunner().invoke(main, ["query", str(rq), "--store", str(store_dir), "--allow-service",
                                        "--format", "csv"])
    assert allowed.exit_code == 0, allowed.output
    assert "secret" in allowed.output and listener.hits


# ---------------------------------------------------------------------- no silent replacement

@pytest.fixture
def stored(tmp_path):
    store = EmbeddedStore(tmp_path / "db")
    assert build([OFFICE], store, report=lambda _: None).loaded == 1
    return store, store.records()[OFFICE_IRI].triples


def _refused(store, path, triples, *, force=False):
    messages = []
    summary = build([path], store, force=force, report=messages.append)
    return summary, [m for m in messages if m.startswith("error:")], store.records()[OFFICE_IRI].triples


def test_a_fake_file_with_the_right_heading_does_not_replace_a_whole_document(stored, tmp_path):
    store, triples = stored
    fake = tmp_path / OFFICE.name
    fake.write_text("新疆维吾尔自治区人民政府办公厅\n2024 年部门预算公开\n"
                    "第一部分 2024年新疆维吾尔自治区人民政府办公厅部门概况\n本单位今日召开会议，研究部署近期工作。\n"
                    "第三部分 2024 年部门预算情况说明\n新闻：自治区召开工作会议。\n2024年2月1日\n", encoding="utf-8")
    summary, errors, after = _refused(store, fake, triples)
    assert (summary.loaded, summary.failed, after) == (0, 1, triples)
    assert len(errors) == 1 and str(fake) in errors[0] and "lose data" in errors[0]
    assert "tables missing: carryover (28 amounts)" in errors[0] and "--force" in errors[0]
    forced, _, after = _refused(store, fake, triples, force=True)
    assert forced.loaded == 1 and after < 100


def test_a_text_cut_after_part_three_does_not_replace_the_whole(stored, tmp_path):
    store, triples = stored
    cut = tmp_path / OFFICE.name
    lines = OFFICE.read_text(encoding="utf-8").splitlines()
    cut.write_text("\n".join(lines[:700]), encoding="utf-8")
    summary, errors, after = _refused(store, cut, triples)
    assert (summary.loaded, summary.failed, after) == (0, 1, triples)
    assert "PerformanceTable falls from 13 to 0" in errors[0]


def test_a_damaged_pdf_that_loses_a_table_does_not_replace_the_whole(tmp_path):
    """pdfminer half-reads a damaged copy: the page of 表3 is gone from the file."""
    pikepdf = pytest.importorskip("pikepdf")
    original = FIXTURES / "pdf" / "xinjiang-government-office-2024.pdf"
    store = EmbeddedStore(tmp_path / "db")
    assert build([original], store, report=lambda _: None).loaded == 1
    triples = store.records()[OFFICE_IRI].triples
    import pdfplumber
    with pdfplumber.open(original) as pdf:
        page = next(i for i, p in enumerate(pdf.pages)
                    if re.sub(r"\s", "", p.extract_text() or "").startswith("部门支出总体情况表"))
    damaged = tmp_path / original.name
    with pikepdf.open(original) as pdf:
        del pdf.pages[page]
        pdf.save(damaged)
    messages = []
    summary = build([damaged], store, report=messages.append)
    assert (summary.loaded, summary.failed) == (0, 1), messages
    assert store.records()[OFFICE_IRI].triples == triples
    assert any("table expenditure" in m or "tables missing: " in m and "expenditure" in m for m in messages), messages


def test_another_file_of_a_stored_disclosure_replaces_it_only_with_force(stored, tmp_path):
    store, triples = stored
    other = tmp_path / "downloaded-again.txt"
    other.write_text(OFFICE.read_text(encoding="utf-8").replace("320.81", "321.81"), encoding="utf-8")
    summary, errors, _ = _refused(store, other, triples)
    assert (summary.loaded, summary.failed) == (0, 1)
    assert "from a different file" in errors[0] and OFFICE.name in errors[0]
    assert [r["total"] for r in query_rows(store, "largest-three-public-expenses")] == ["320.81"]
    messages = []
    forced = build([other], store, force=True, report=messages.append)
    assert forced.loaded == 1 and any("replaces the stored disclosure" in m and "(--force)" in m for m in messages)
    assert [r["total"] for r in query_rows(store, "largest-three-public-expenses")] == ["321.81"]


# ---------------------------------------------------------------------- every bad document fails alone

def _corrupt(source: bytes, seed: int) -> bytes:
    rnd = random.Random(seed)
    data = bytearray(source)
    how = seed % 3
    if how == 0:                                   # flipped bytes
        for _ in range(rnd.randint(1, 40)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
    elif how == 1:                                 # cut short
        data = data[:rnd.randrange(len(data) // 4, len(data))]
    else:                                          # a run overwritten
        at, n = rnd.randrange(len(data)), rnd.randint(10, 3000)
        data[at:at + n] = bytes(rnd.randrange(256) for _ in range(min(n, len(data) - at)))
    return bytes(data)


def test_a_batch_of_corrupted_pdfs_always_finishes_with_right_counts(tmp_path):
    """Seeds 0 and 3 damage the page tree so that pdfplumber's close() fails too (it used to
    hide the real error and crash the whole build)."""
    source = (FIXTURES / "pdf" / "kashgar-city-government-office-2024.pdf").read_bytes()
    batch = tmp_path / "batch"
    batch.mkdir()
    for seed in range(12):
        (batch / f"damaged-{seed:02d}.pdf").write_bytes(_corrupt(source, seed))
    store = EmbeddedStore(tmp_path / "db")
    messages = []
    summary = build([batch], store, jobs=2, report=messages.append)
    errors = [m for m in messages if m.startswith("error:")]
    assert summary.found == 12 and summary.loaded + summary.failed == 12, summary
    assert summary.failed == len(errors) >= 6
    assert all("damaged-" in e and ".pdf" in e for e in errors), errors
    assert "damaged-00.pdf: corrupt or truncated PDF" in "\n".join(errors)
    assert "Traceback" not in "\n".join(messages)
    assert len(store.records()) == summary.loaded


def test_a_batch_of_corrupted_texts_always_finishes_with_right_counts(tmp_path):
    source = OFFICE.read_bytes()
    batch = tmp_path / "batch"
    batch.mkdir()
    for seed in range(8):
        (batch / f"damaged-{seed:02d}.txt").write_bytes(_corrupt(source, seed))
    summary = build([batch], EmbeddedStore(tmp_path / "db"), jobs=1, report=lambda _: None)
    # eight files of one disclosure: at most one loads, the others fail or are refused by name
    assert summary.found == 8 and summary.loaded + summary.failed == 8 and summary.loaded <= 1


def _with_bad_characters(corpus: Path, out: Path) -> list[str]:
    """Each synthetic disclosure with a private-use glyph, U+FFFD or a C1 control in its
    department's name; return the names."""
    out.mkdir()
    names = []
    for k, path in enumerate(sorted(corpus.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        odd = ["\ue5e5", "\ufffd", "\x85"][k % 3]
        name = path.stem.split("-", 1)[1]
        bad = name[:2] + odd + name[2:]
        (out / path.name).write_text(text.replace(name, bad), encoding="utf-8")
        names.append(bad)
    return names


@pytest.mark.parametrize("count", [3, 21])          # one transaction each, and the bulk path
def test_names_with_characters_an_iri_may_not_hold_load_with_a_warning(tmp_path, count):
    write_corpus(tmp_path / "corpus", count, 2024, 7, 0.0, False, ("tsv",), report=lambda _: None)
    names = _with_bad_characters(tmp_path / "corpus", tmp_path / "odd")
    store = EmbeddedStore(tmp_path / "db")
    messages = []
    summary = build([tmp_path / "odd"], store, jobs=2, report=messages.append)
    assert (summary.loaded, summary.failed) == (count, 0), [m for m in messages if "error" in m]
    warned = [m for m in messages if "characters that are not text" in m or "control characters (U+0085) removed" in m]
    assert len(warned) == count, messages
    # a glyph of a private font or U+FFFD is kept as printed (escaped in the IRI); a control
    # character is junk in the text and removed
    kept = [n.replace("\x85", "") for n in names]
    stored = {r["name"] for r in query_rows(store, "departments", drop=())}
    assert all(any(s.endswith(n) for s in stored) for n in kept), (kept, stored)
    assert all(iri_segment(n) in "\n".join(store.records()) for n in kept)
    again = build([tmp_path / "odd"], store, report=lambda _: None)
    assert (again.skipped, again.failed) == (count, 0)


# ---------------------------------------------------------------------- smaller items

def test_one_file_given_twice_is_read_once_and_an_empty_directory_is_an_error(tmp_path):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"x")
    messages = []
    summary = build([OFFICE, OFFICE, SAMPLES / ".." / "samples" / OFFICE.name, empty],
                    EmbeddedStore(tmp_path / "db"), report=messages.append)
    assert (summary.found, summary.loaded, summary.failed) == (1, 1, 1)
    assert any(str(empty) in m and "no disclosure files" in m for m in messages)


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_a_build_is_killed(tmp_path):
    write_corpus(tmp_path / "corpus", 60, 2024, 3, 0.0, False, ("tsv",), report=lambda _: None)
    exe = str(Path(sys.executable).parent / "budgetkg")
    proc = subprocess.Popen([exe, "build", str(tmp_path / "corpus"), "--store", str(tmp_path / "db"),
                             "-j", "2", "--no-validate"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    workers = []
    while time.time() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the build started no workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(Path(f"/proc/{w}").exists() and
                                         "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1][:3]
                                         for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1][:3]]
    assert alive == []


# ---------------------------------------------------------------------- readers beside a writer

def test_readers_run_beside_a_build_and_a_path_that_is_not_a_store_is_refused(tmp_path):
    db = tmp_path / "db"
    writer = EmbeddedStore(db)                       # holds the store's lock, as a running build does
    ensure_ontology(writer)
    build([OFFICE], writer, report=lambda _: None)
    writer.flush()
    for args in (["query", "departments", "--store", str(db), "--format", "csv"],
                 ["validate", "--store", str(db), "--format", "json"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "lock" not in result.output.lower()
    assert "新疆维吾尔自治区人民政府办公厅" in CliRunner().invoke(
        main, ["query", "departments", "--store", str(db), "--format", "csv"]).output
    del writer
    elsewhere = tmp_path / "photos"
    elsewhere.mkdir()
    result = CliRunner().invoke(main, ["query", "departments", "--store", str(elsewhere)])
    assert result.exit_code == 2 and "not a budgetkg store" in result.output
    assert list(elsewhere.iterdir()) == []           # no database was created there
    (elsewhere / "holiday.jpg").write_bytes(b"\xff\xd8")
    result = CliRunner().invoke(main, ["build", str(OFFICE), "--store", str(elsewhere), "--no-validate"])
    assert result.exit_code == 2 and "not a budgetkg store" in result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["holiday.jpg"]


def test_the_server_follows_a_build_into_the_store_it_serves(tmp_path):
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    ensure_ontology(store)
    build([OFFICE], store, report=lambda _: None)
    store.flush()
    client = TestClient(build_app(str(db), None, "https://w3id.org/budgetkg/", timeout=10, cap=50))
    kashgar = "喀什市人民政府办公室"
    assert "新疆维吾尔自治区人民政府办公厅" in client.get("/").text and kashgar not in client.get("/").text
    build([SAMPLES / "kashgar-city-government-office-2024.txt"], store, report=lambda _: None)
    store.flush()
    deadline = time.time() + 10
    while kashgar not in client.get("/").text and time.time() < deadline:
        time.sleep(0.2)
    assert kashgar in client.get("/").text
    link = re.search(r'href="(/id/org/[^"]+)"[^>]*>[^<]*' + kashgar, client.get("/").text)
    assert link, "the home page links the new department"
    page = client.get(link.group(1))
    assert page.status_code == 200 and kashgar in page.text
    assert kashgar in client.get("/catalog", headers={"accept": "text/turtle"}).text


# ---------------------------------------------------------------------- size limit

def test_a_file_above_the_size_limit_is_refused_unread(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:                     # sparse: 3 GB on paper, nothing on disk
        fh.truncate(3 * 1024 ** 3)
    messages = []
    summary = build([huge, OFFICE], EmbeddedStore(tmp_path / "db"), report=messages.append)
    assert (summary.loaded, summary.failed) == (1, 1)
    assert any(str(huge) in m and "more than the limit of 67,108,864 (--max-bytes)" in m for m in messages)
    result = CliRunner().invoke(main, ["extract", str(OFFICE), "--max-bytes", "10K", "-o", str(tmp_path / "x.trig")])
    assert result.exit_code == 2 and "(--max-bytes); not read" in result.output
    result = CliRunner().invoke(main, ["extract", str(OFFICE), "--max-bytes", "1M", "-o", str(tmp_path / "x.trig")])
    assert result.exit_code == 0


# ---------------------------------------------------------------------- smaller items of the endpoint and the export

def test_odd_requests_get_answers_not_errors(store_dir):
    client = TestClient(build_app(str(store_dir), None, "https://w3id.org/budgetkg/", timeout=10, cap=50))
    r = client.get("/catalog", headers={"accept": "text/turtle;q=1.2.3, application/ld+json;q=0.5"})
    assert r.status_code == 200
    assert client.get("/id/org/x%00").status_code == 404
    assert client.get("/id/org/%C2%85x").status_code == 404


def test_javascript_and_data_iris_are_shown_not_linked_and_reserved_paths_do_not_break_publish(tmp_path):
    db = tmp_path / "db"
    store = EmbeddedStore(db)
    ensure_ontology(store)
    build([OFFICE], store, report=lambda _: None)
    base = "https://w3id.org/budgetkg/"
    hostile = (f"<{base}id/test/links> <http://purl.org/dc/terms/source> <javascript:alert(1)> .\n"
               f"<{base}id/test/links> <http://purl.org/dc/terms/relation> <data:text/html,<b>x</b>> .\n"
               f"<{base}id/test/links> <http://purl.org/dc/terms/relation> <https://example.org/page> .\n")
    hostile = hostile.replace("<b>x</b>", "%3Cb%3Ex%3C/b%3E")
    store.replace_graph(f"{base}id/test/links", hostile, "test-links")
    store.replace_graph(f"{base}index.html", f"<{base}index.html> <http://purl.org/dc/terms/title> \"x\" .\n"
                                             f"<{base}dumps/all.nq> <http://purl.org/dc/terms/title> \"y\" .\n",
                        "test-reserved")
    store.flush()
    del store
    client = TestClient(build_app(str(db), None, base, timeout=10, cap=50))
    page = client.get("/id/test/links").text
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page and 'href="data:' not in page
    assert 'href="https://example.org/page"' in page
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["publish", "--store", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "maps onto the export's own" in result.output
    assert (out / "index.html").is_file() and (out / "dumps" / "all.nq").is_file()
    assert 'href="javascript:' not in (out / "id" / "test" / "links" / "index.html").read_text(encoding="utf-8")


def test_blank_pages_are_called_blank(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    pdf = pikepdf.new()
    for _ in range(30):
        pdf.add_blank_page()
    blank = tmp_path / "blank.pdf"
    pdf.save(blank)
    from budgetkg.errors import UnreadablePdf
    from budgetkg.extract.pipeline import extract_file
    with pytest.raises(UnreadablePdf, match=r"blank.pdf, page 1: no text: all 30 page\(s\) are blank"):
        extract_file(blank)


# ---------------------------------------------------------------------- bounded memory, bounded waiting

CROSS = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?a ?b ?c"


def test_a_query_past_its_memory_ceiling_is_stopped_and_results_are_capped_in_bytes(store_dir):
    runner = QueryRunner(str(store_dir), None, timeout=60, cap=10 ** 9, memory=300 << 20, max_bytes=200 << 10)
    kind, message = runner.run(CROSS)                # a sort over 10^12 rows: far past 300 MB
    assert kind == "memory" and "300 MB" in message
    kind, columns, rows, truncated = runner.run("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert kind == "select" and truncated == "bytes"
    assert 200 < len(rows) < 20000                  # cut near 200 KB of terms, not at the row cap
    client = TestClient(build_app(str(store_dir), None, "https://w3id.org/budgetkg/", timeout=10, cap=10 ** 6,
                                  max_bytes=100 << 10))
    r = client.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "format": "csv"})
    assert r.status_code == 200 and r.headers["X-BudgetKG-Truncated"].endswith("rows, at 100 KB")
    assert len(r.content) < 1 << 20


def test_a_request_body_past_its_limit_is_refused_unread(store_dir):
    client = TestClient(build_app(str(store_dir), None, "https://w3id.org/budgetkg/", timeout=10, cap=50))
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 << 20)
    r = client.post("/sparql", content=big.encode(), headers={"content-type": "application/sparql-query"})
    assert r.status_code == 413
    r = client.post("/sparql", data={"query": big})
    assert r.status_code == 413
    r = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_dumps_stream_whole_and_in_order(store_dir):
    import pyoxigraph as ox
    from budgetkg.web import site as site_module
    client = TestClient(build_app(str(store_dir), None, "https://w3id.org/budgetkg/", timeout=10, cap=50))
    whole = ox.Store()
    whole.load(client.get("/dumps/all.nq").content, format=ox.RdfFormat.N_QUADS)
    reference = ox.Store.read_only(str(store_dir))
    assert len(whole) == len(reference) > 10000
    trig = ox.Store()
    trig.load(client.get("/dumps/all.trig").content, format=ox.RdfFormat.TRIG)
    assert len(trig) == len(reference)
    assert site_module.DUMP_BATCH < len(reference) / 2       # so the dump came in several chunks


def test_pages_answer_while_slow_queries_wait_their_turn(store_dir):
    """45 slow queries at once: two run, two wait, the rest are turned away at once (503) and
    the home page is served while the two run (it used to wait for all 40 worker threads)."""
    port = _free_port()
    exe = str(Path(sys.executable).parent / "budgetkg")
    proc = subprocess.Popen([exe, "serve", "--store", str(store_dir), "--port", str(port), "--timeout", "4",
                             "--max-queries", "2", "--max-waiting", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/")
        import urllib.parse
        import urllib.request
        done, busy, lock = [], [], threading.Lock()

        def slow():
            url = base + "/sparql?query=" + urllib.parse.quote(CROSS)
            try:
                urllib.request.urlopen(url, timeout=60).read()
            except urllib.error.HTTPError as exc:
                with lock:
                    (busy if exc.code == 503 and "Retry-After" in exc.headers else done).append(exc.code)
                return
            with lock:
                done.append(200)
        threads = [threading.Thread(target=slow) for _ in range(45)]
        for t in threads:
            t.start()
        deadline = time.time() + 10
        while len(busy) < 41 and time.time() < deadline:
            time.sleep(0.05)
        assert len(busy) == 41, (len(busy), done)
        home = urllib.request.urlopen(base + "/", timeout=60).read().decode()
        with lock:
            finished_before_home = len(done)
        assert "新疆维吾尔自治区人民政府办公厅" in home
        assert finished_before_home == 0                 # the page did not wait for a slow query
        for t in threads:
            t.join(60)
        assert len(done) == 4                              # each stopped at its timeout (503)
    finally:
        proc.terminate()
        proc.wait(10)


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str) -> None:
    import urllib.request
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def test_extraction_grows_linearly_with_the_input(tmp_path):
    """A complexity check, not a speed target: eight times the text may take about eight
    times as long, never the sixty-four times of a quadratic step (joining wrapped lines
    used to rescan everything joined so far: 16 copies of this sample took 55 s)."""
    from budgetkg.extract.pipeline import extract_file
    text = (SAMPLES / "xinjiang-finance-department-2024.txt").read_text(encoding="utf-8")
    times = {}
    for n in (2, 16):
        path = tmp_path / f"x{n}.txt"
        path.write_text(text * n, encoding="utf-8")
        started = time.perf_counter()
        extract_file(path)
        times[n] = time.perf_counter() - started
    assert times[16] < 24 * times[2], times
