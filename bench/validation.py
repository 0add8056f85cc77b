"""Validation benchmark: the corpus path against per-document pySHACL, on the same documents.

Extracts the three samples (COPIES times each, every copy another department with its own
IRIs), validates them with pySHACL per document (the reference engine, inference off) and
with the corpus path over one embedded store, checks that both give the same findings, and
prints both times and their ratio (the target is at least 10x). Asserts nothing.

Run: .venv/bin/python bench/validation.py [COPIES]
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, URIRef

from budgetkg.extract.emit import to_graph
from budgetkg.extract.pipeline import extract_file
from budgetkg.store.embedded import EmbeddedStore, ensure_ontology
from budgetkg.audit.validate import load_shapes, reference_graph, validate_graph, validate_store

SAMPLES = Path(__file__).resolve().parent.parent / "tests/fixtures/samples"


def documents(copies: int) -> list[Graph]:
    graphs = []
    for path in sorted(SAMPLES.glob("*.txt")):
        graph = to_graph(extract_file(path))
        department = str(graph.identifier).split("/disclosure/", 1)[1].split("/", 1)[0]
        ntriples = graph.serialize(format="nt")
        for i in range(copies):
            name = department if i == 0 else f"{department}{i}"
            copy = Graph(identifier=URIRef(str(graph.identifier).replace(department, name)))
            copy.parse(data=ntriples.replace(department, name), format="nt")
            graphs.append(copy)
    return graphs


def main(copies: int = 1) -> None:
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    shapes = load_shapes()
    graphs = documents(copies)
    triples = sum(len(g) for g in graphs)
    print(f"documents: {len(graphs)}, triples: {triples}, constraints: {len(shapes.constraints)}")

    reference = reference_graph()
    started = time.perf_counter()
    by_pyshacl = [f for g in graphs for f in validate_graph(g, shapes, reference)]
    pyshacl_time = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "db")
        ensure_ontology(store)
        store.load([(str(g.identifier), g.serialize(format="nt"), f"bench-{i}") for i, g in enumerate(graphs)])
        started = time.perf_counter()
        by_corpus = validate_store(store, shapes)
        corpus_time = time.perf_counter() - started

    same = {f.key() for f in by_pyshacl} == {f.key() for f in by_corpus}
    print(f"findings: pySHACL {len(by_pyshacl)}, corpus path {len(by_corpus)}, identical: {'yes' if same else 'NO'}")
    print(f"pySHACL per document: {pyshacl_time:.2f} s ({pyshacl_time / len(graphs):.2f} s per document)")
    print(f"corpus path:          {corpus_time:.2f} s ({corpus_time / len(graphs) * 1000:.0f} ms per document)")
    print(f"ratio: {pyshacl_time / corpus_time:.0f}x (target >= 10x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
