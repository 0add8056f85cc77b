"""The embedded on-disk store: build, resumable rebuilds, atomic replacement, interruption, parameters."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetkg.build import build
from budgetkg.errors import ParameterError, StoreError
from budgetkg.store.query import canned_queries, resolve_query, run
from budgetkg.store import open_store
from budgetkg.store.embedded import MANIFEST, EmbeddedStore

from conftest import SAMPLE_NAMES, SAMPLES, build_ntriples_of, extracted, query_rows, store_of

GOV = "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区人民政府办公厅/2024"
KASHGAR = "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区喀什地区喀什市人民政府办公室/2024"
FINANCE = "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区财政厅/2024"
DOCS = {GOV, KASHGAR, FINANCE}

# Parameter values for the canned queries that need or take one.
PARAMS = {
    "projects-above-amount": {"min": "300"},
    "unit-project-totals": {"name": "财政厅"},
    "describe-resource": {"resource": "https://w3id.org/budgetkg/id/org/新疆维吾尔自治区财政厅"},
    "projects-citing-document": {"number": "新财预【2014】82 号"},
    "departments-citing-document": {"number": "新财库〔2021〕83号"},
    "changes-above-percent": {"percent": "10"},
}


def values(result) -> list:
    if hasattr(result, "triples"):
        return sorted(str(t) for t in result.triples)
    return [[None if t is None else str(t) for t in row] for row in result.rows]


def answers(store) -> dict:
    return {name: values(run(store, q, PARAMS.get(name))) for name, q in canned_queries().items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    location = tmp_path_factory.mktemp("store") / "budgetkg-data"
    store = open_store(location, writable=True)
    from budgetkg.store.embedded import ensure_ontology
    ensure_ontology(store)
    messages = []
    summary = build([SAMPLES], store, jobs=1, report=messages.append)
    yield location, store, summary, messages


def test_build_loads_every_sample_as_its_own_graph(built):
    _, store, summary, messages = built
    assert (summary.found, summary.loaded, summary.failed) == (3, 3, 0), messages
    assert summary.exit_code == 0
    records = store.records()
    assert DOCS <= set(records)
    assert {g for g in store.graphs() if "/disclosure/" in g} == DOCS
    assert sum(records[g].triples for g in DOCS) == summary.triples
    for g in DOCS:
        assert store.triple_count(g) == records[g].triples
    assert any(g.startswith("urn:budgetkg:ontology:") for g in records)


def test_on_disk_store_answers_like_the_in_memory_store(built, sample_graphs):
    _, store, _, _ = built
    memory = store_of(*(graph for _, graph in sample_graphs.values()))
    assert answers(store) == answers(memory)


def test_rebuild_skips_unchanged_sources_unless_forced(built):
    _, store, _, _ = built
    again = build([SAMPLES], store, jobs=1, report=lambda _: None)
    assert (again.loaded, again.skipped, again.triples) == (0, 3, 0)
    forced = build([SAMPLES / "kashgar-city-government-office-2024.txt"], store, force=True, report=lambda _: None)
    assert (forced.loaded, forced.skipped) == (1, 0)
    assert {g for g in store.graphs() if "/disclosure/" in g} == DOCS


def test_a_changed_source_replaces_its_graph_completely(tmp_path):
    store = EmbeddedStore(tmp_path / "db")
    original = SAMPLES / "xinjiang-government-office-2024.txt"
    build([original], store, report=lambda _: None)
    before = store.records()[GOV]
    rows_before = query_rows(store, "largest-three-public-expenses")
    assert [r["total"] for r in rows_before] == ["320.81"]

    changed = tmp_path / original.name          # a corrected copy of the same file
    text = original.read_text(encoding="utf-8")
    assert text.count("320.81") >= 1
    changed.write_text(text.replace("320.81", "321.81"), encoding="utf-8")
    summary = build([changed], store, report=lambda _: None)
    assert summary.loaded == 1
    after = store.records()[GOV]
    assert after.sha256 != before.sha256
    assert store.triple_count(GOV) == after.triples
    # The old figure is gone, not kept beside the new one.
    assert [r["total"] for r in query_rows(store, "largest-three-public-expenses")] == ["321.81"]


def test_a_query_can_be_scoped_to_one_documents_graph(built):
    _, store, _, _ = built
    union = query_rows(store, "tables", drop=())
    one = query_rows(store, "tables", drop=(), graph=KASHGAR)
    assert len(union) == 33 and len(one) == 11
    assert {r["department"] for r in one} == {"https://w3id.org/budgetkg/id/org/新疆维吾尔自治区喀什地区喀什市人民政府办公室"}
    with pytest.raises(StoreError, match="no document graph"):
        query_rows(store, "tables", graph="https://example.org/nothing")


def test_parameters_are_typed_and_injection_is_refused_or_escaped(built):
    _, store, _, _ = built
    q = resolve_query("projects-above-amount")
    amounts = [r["amount"] for r in query_rows(store, "projects-above-amount", params={"min": "1,000"})]
    assert amounts == ["3423.80", "2179.00", "1647.68", "1400.00"]
    for bad in ("1} ; DROP ALL", "100 } ; DROP ALL ; SELECT * {", "1e3", ""):
        with pytest.raises(ParameterError, match="not a decimal"):
            run(store, q, {"min": bad})
    with pytest.raises(ParameterError, match="no parameter"):
        run(store, q, {"minimum": "5"})
    with pytest.raises(ParameterError, match="not an absolute IRI"):
        run(store, resolve_query("describe-resource"), {"resource": "x> } ; DROP ALL ; <y"})
    # A string is escaped: it is searched for literally and the store is untouched.
    before = store.triple_count()
    for hostile in ('"} ; DROP ALL #', "\\\"))} DROP ALL", "财政厅' } ; CLEAR DEFAULT"):
        assert query_rows(store, "unit-project-totals", params={"name": hostile}) == []
    assert store.triple_count() == before
    assert len(query_rows(store, "unit-project-totals", params={"name": "财政厅"})) == 2


def test_unwritten_store_is_an_error_not_an_empty_answer(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "missing")


def _big_graph_file(path: Path, graph: str, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"<{graph}> {{\n")
        for i in range(n):
            fh.write(f'<{graph}/filler/{i}> <https://example.org/p> "filler {i}" .\n')
        fh.write("}\n")


def _kill_when(args: list[str], marker: str, delay: float, cwd: Path) -> subprocess.Popen:
    """Start *args*, wait until its stderr shows *marker*, wait *delay* more, then SIGKILL it."""
    proc = subprocess.Popen(args, cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if marker in line:
            break
    time.sleep(delay)
    finished_early = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not finished_early, f"the load finished before it could be interrupted: {''.join(seen)}"
    assert proc.returncode == -signal.SIGKILL
    return proc


def test_killing_a_replacement_mid_load_leaves_the_previous_document(built, tmp_path):
    location, store, _, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(location, copy)       # the module's store stays open; work on a copy
    before = EmbeddedStore(copy)
    expected = (before.records()[KASHGAR], before.triple_count(KASHGAR), answers(before))
    del before
    big = tmp_path / "big.trig"
    _big_graph_file(big, KASHGAR, 120_000)
    _kill_when([sys.executable, "-m", "budgetkg", "-v", "load", str(big), "--store", str(copy)],
               "replacing graph <" + KASHGAR, 1.0, tmp_path)
    after = open_store(copy)
    assert (after.records()[KASHGAR], after.triple_count(KASHGAR), answers(after)) == expected


BULK_SCRIPT = """
import sys
from budgetkg.store.embedded import EmbeddedStore
store = EmbeddedStore(sys.argv[1])
line = '<https://example.org/s{i}> <https://example.org/p> "x {i}" .'
docs = [(f"https://example.org/new/{d}", "\\n".join(line.format(i=d * 100000 + i) for i in range(100000)), f"sha{d}")
        for d in range(12)]
print("bulk loading starts", file=sys.stderr, flush=True)
store.load(docs)
print("finished", file=sys.stderr, flush=True)
"""


def test_killing_a_bulk_load_loses_only_the_unfinished_graphs(built, tmp_path):
    location, _, _, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(location, copy)
    before = EmbeddedStore(copy)
    expected = ({g: r for g, r in before.records().items()}, answers(before))
    del before
    _kill_when([sys.executable, "-c", BULK_SCRIPT, str(copy)], "bulk loading starts", 2.0, tmp_path)
    raw = EmbeddedStore(copy)
    left_over = [g for g in raw.graphs() if g.startswith("https://example.org/new/")]
    del raw
    after = open_store(copy)            # opening repairs: unrecorded graphs are interrupted loads
    assert not [g for g in after.graphs() if g.startswith("https://example.org/new/")]
    assert (after.records(), answers(after)) == expected
    assert MANIFEST not in after.records()
    print(f"graphs written before the kill and removed by repair: {len(left_over)}")


def test_repair_removes_graphs_that_have_no_manifest_record(tmp_path):
    """The state a crash between bulk_load and its manifest transaction leaves behind."""
    import pyoxigraph as ox
    store = EmbeddedStore(tmp_path / "db")
    build([SAMPLES / "kashgar-city-government-office-2024.txt"], store, report=lambda _: None)
    store.ox.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                         ox.Literal("half"), ox.NamedNode("https://example.org/unrecorded")))
    assert "https://example.org/unrecorded" in store.graphs()
    assert store.repair() == ["https://example.org/unrecorded"]
    assert "https://example.org/unrecorded" not in store.graphs()
    assert KASHGAR in store.graphs() and KASHGAR in store.records()


def test_a_locked_store_is_a_clear_error(built):
    location, _, _, _ = built
    with pytest.raises(StoreError, match="cannot open the store"):
        EmbeddedStore(location)


def test_two_files_of_one_disclosure_in_a_batch_are_an_error_naming_both(tmp_path):
    original = SAMPLES / "xinjiang-government-office-2024.txt"
    later = tmp_path / "later.txt"
    later.write_text(original.read_text(encoding="utf-8").replace("320.81", "321.81"), encoding="utf-8")
    store = EmbeddedStore(tmp_path / "db")
    messages = []
    summary = build([original, later], store, report=messages.append)
    assert (summary.loaded, summary.failed, summary.exit_code) == (1, 1, 2)
    error = [m for m in messages if m.startswith("error:")]
    assert len(error) == 1 and str(later) in error[0] and str(original) in error[0], error
    assert "same disclosure" in error[0]
    # the first file read is the one kept, whole
    assert [r["total"] for r in query_rows(store, "largest-three-public-expenses")] == ["320.81"]
    assert store.triple_count(GOV) == store.records()[GOV].triples


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_builds_ntriples_are_the_graphs_triples(name):
    """The build writes each document's N-Triples without an rdflib graph (emit.Triples):
    the same triples, each once, with literals escaped as rdflib escapes them."""
    lines = build_ntriples_of(*extracted(SAMPLES / f"{name}.txt"))
    assert any(line.endswith('"@zh .') for line in lines) and any("XMLSchema#decimal> ." in line for line in lines)


def test_triples_escape_literals_as_rdflib_does():
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    from budgetkg.extract.emit import Triples
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    objects = [Literal('引号"与\\反斜杠\n换行\r回车', lang="zh"), Literal("12.50", datatype=XSD.decimal),
               Literal("plain"), URIRef("https://example.org/o")]
    triples, graph = Triples(s), Graph()
    for o in objects + objects[:1]:
        triples.add((s, p, o))
        graph.add((s, p, o))
    assert len(triples) == len(graph) == 4
    assert sorted(triples.ntriples().splitlines()) == sorted(graph.serialize(format="nt").splitlines())
    assert len(list(triples.triples((None, p, None)))) == 4
    with pytest.raises(NotImplementedError):             # only what the emitter asks of a graph
        list(triples.triples((s, None, None)))


def test_a_document_becomes_nquads_in_one_pass_or_line_by_line():
    from budgetkg.store.embedded import _quads, as_quad, count_lines
    graph = "https://example.org/g"
    usual = '<https://example.org/s> <https://example.org/p> "a .\\n b" .\n<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n'
    by_line = "".join(as_quad(line, graph) for line in usual.splitlines()).encode()
    assert _quads(graph, usual, count_lines(usual)) == by_line
    assert _quads(graph, usual.rstrip("\n"), count_lines(usual)) == by_line
    # a comment line ending like a statement, and a statement with no space before its dot
    odd = '# a comment .\n<https://example.org/s> <https://example.org/p> <https://example.org/o>.\n'
    quads = _quads(graph, odd, count_lines(odd))
    assert quads == "".join(as_quad(line, graph) for line in odd.splitlines()).encode()
    assert quads.endswith(b"<https://example.org/o> <https://example.org/g> .\n")
