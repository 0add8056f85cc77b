import csv
import io
from pathlib import Path

import pytest

from budgetkg.extract.emit import to_graph
from budgetkg.extract.pipeline import extract_file
from budgetkg.store.query import render, resolve_query, run
from budgetkg.store.embedded import memory_store

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "samples"
EXPECTED = FIXTURES / "expected"
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.txt"))

_cache: dict = {}


def extracted(path: Path):
    key = str(path)
    if key not in _cache:
        disclosure = extract_file(path)
        _cache[key] = (disclosure, to_graph(disclosure))
    return _cache[key]


def build_ntriples_of(disclosure, graph) -> list[str]:
    """The N-Triples lines a build writes for *disclosure* (emit.to_ntriples, no rdflib graph),
    checked to be *graph*'s triples, each once; returned for further checks."""
    from budgetkg.extract.emit import to_ntriples
    iri, ntriples = to_ntriples(disclosure)
    lines = ntriples.splitlines()
    assert iri == str(graph.identifier)
    assert len(lines) == len(set(lines)) == len(graph)
    assert sorted(lines) == sorted(graph.serialize(format="nt").splitlines())
    return lines


def store_of(*graphs):
    store = memory_store()
    for g in graphs:
        store.replace_graph(str(g.identifier), g.serialize(format="nt"), "test")
    return store


def query_rows(store, name: str, drop=("department",), params=None, graph=None) -> list[dict]:
    result = run(store, resolve_query(name), params, graph)
    rows = list(csv.DictReader(io.StringIO(render(result, "csv"))))
    return [{k: v for k, v in r.items() if k not in drop} for r in rows]


@pytest.fixture(scope="session")
def sample_graphs():
    return {name: extracted(SAMPLES / f"{name}.txt") for name in SAMPLE_NAMES}


def pytest_addoption(parser):
    """``--update-golden``: rewrite the stage golden files (tests/fixtures/stages/) from what the
    stages give now, printing each file's unified diff; read the diffs before accepting them."""
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/fixtures/stages/ golden files from the current output "
                          "(prints the diffs; read them before accepting)")
