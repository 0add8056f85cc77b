"""Store benchmark: bulk load, atomic replacement of one document, and a canned query.

Prints figures and ratios; it asserts nothing. Run: .venv/bin/python bench/store_load.py [TRIPLES]
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

from budgetkg.extract.emit import to_graph
from budgetkg.extract.pipeline import extract_file
from budgetkg.store.query import resolve_query, run
from budgetkg.store.embedded import EmbeddedStore, ensure_ontology

SAMPLE = Path(__file__).resolve().parent.parent / "tests/fixtures/samples/xinjiang-government-office-2024.txt"


def main(total: int = 1_000_000) -> None:
    graph = to_graph(extract_file(SAMPLE))
    ntriples = graph.serialize(format="nt")
    per_doc = len(graph)
    copies = max(1, total // per_doc)
    name = "人民政府办公厅"          # each copy is another department: distinct IRIs, as in a real corpus
    documents = [(str(graph.identifier).replace(name, f"{name}{i}"), ntriples.replace(name, f"{name}{i}"),
                  f"bench-{i}") for i in range(copies)]
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "db")
        ensure_ontology(store)
        started = time.perf_counter()
        store.load(documents)
        bulk = time.perf_counter() - started
        started = time.perf_counter()
        store.optimize()
        optimize = time.perf_counter() - started
        triples = copies * per_doc
        print(f"bulk load: {copies} documents, {triples} triples in {bulk:.2f} s "
              f"({triples / bulk:,.0f} triples/s; {bulk * 1e6 / triples:.2f} s per million); optimize {optimize:.2f} s")

        rounds = 10
        started = time.perf_counter()
        for i in range(rounds):
            graph_name, text, _ = documents[i % copies]
            store.replace_graph(graph_name, text, f"replaced-{i}")
        replace = (time.perf_counter() - started) / rounds
        print(f"atomic replacement of one {per_doc}-triple document: {replace * 1000:.0f} ms "
              f"(ratio to bulk-loading the same triples: {replace / (bulk / copies):.1f}x)")

        query = resolve_query("spending-by-function-class")
        started = time.perf_counter()
        rows = len(run(store, query).rows)
        print(f"spending-by-function-class over {triples} triples: {time.perf_counter() - started:.2f} s, {rows} rows")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
