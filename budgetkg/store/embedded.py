"""The triple store: an embedded pyoxigraph directory (default) or any SPARQL 1.1 server.

Every disclosure is one named graph; the ontology and code lists each have their own
graph (``urn:budgetkg:ontology:<name>``). A *manifest* graph records every graph that
was loaded completely, with the SHA-256 of its source and its triple count:

* replacing a document's graph and updating its manifest record is one transaction,
  so readers never see half a document and a crash leaves the previous state;
* the bulk path (``load``, not transactional) writes the manifest records only
  after the data, so a graph without a record is an interrupted load; ``repair()``
  removes such graphs before the store is used again;
* ``build`` skips sources whose SHA-256 is already recorded (resumable builds).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from budgetkg.errors import StoreError
from budgetkg.store.manifest import (MANIFEST, LoadRecord, count_lines, ontology_graphs, record_update,
                                     replace_update, unrecorded_graphs)
from budgetkg.store.query import GraphResult, Result, query_form, sparql, with_values

log = logging.getLogger(__name__)

DEFAULT_LOCATION = Path("budgetkg-data")
XSD = "http://www.w3.org/2001/XMLSchema#"

__all__ = ["EmbeddedStore", "Snapshot", "MANIFEST", "LoadRecord", "ensure_ontology", "load_rdf_file",
           "memory_store", "is_store", "count_lines"]


def as_quad(ntriple_line: str, graph: str) -> str:
    """``<s> <p> <o> .`` → ``<s> <p> <o> <graph> .`` (the statement's final dot is the line's last character)."""
    statement = ntriple_line.rstrip()
    if not statement.endswith("."):
        raise StoreError(f"not an N-Triples statement: {ntriple_line[:80]!r}")
    return f"{statement[:-1].rstrip()} <{graph}> .\n"


def _quads(graph: str, ntriples: str, statements: int) -> bytes:
    """*ntriples* as N-Quads in *graph*, UTF-8. The usual writers (rdflib, Oxigraph, our own)
    end every statement with " .\\n", and a literal cannot hold a raw newline, so one
    replacement over the text does it; any other layout goes line by line (:func:`as_quad`)."""
    text = ntriples if ntriples.endswith("\n") else ntriples + "\n"
    # with no comment line, as many " .\n" as statements means every statement ends so
    if not text.startswith("#") and "\n#" not in text and text.count(" .\n") == statements:
        return text.replace(" .\n", f" <{graph}> .\n").encode("utf-8")
    return "".join(as_quad(line, graph) for line in ntriples.splitlines() if line.strip()).encode("utf-8")


class EmbeddedStore:
    """A pyoxigraph store on disk (or in memory when *path* is None)."""


    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else None
        try:
            self.ox = ox.Store(str(self.path)) if self.path is not None else ox.Store()
        except (OSError, RuntimeError) as exc:
            hint = " (is another budgetkg or oxigraph process using it?)" if "lock" in str(exc).lower() else ""
            raise StoreError(f"{self.path}: cannot open the store: {exc}{hint}") from None

    @classmethod
    def read_only(cls, path: str | Path) -> "EmbeddedStore":
        """The store at *path*, opened read-only (other read-only openers may share it)."""
        store = cls.__new__(cls)
        store.path = Path(path)
        try:
            store.ox = ox.Store.read_only(str(store.path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{store.path}: cannot open the store read-only: {exc}") from None
        return store

    def __str__(self) -> str:
        return str(self.path) if self.path else "in-memory store"

    def version(self) -> tuple | None:
        """A token that changes when the store on disk changes (None in memory)."""
        return directory_version(self.path) if self.path is not None else None

    # ---------------------------------------------------------------- reading

    in_process = True       # queries run in this process: many small ones are cheap, quads stream

    def _evaluate(self, text: str, bound: dict | None, graph: str | None, source: str | None):
        options: dict = {}
        if graph:
            if graph not in self.records():
                raise StoreError(f"{self}: no document graph <{graph}>")
            options["default_graph"] = [ox.NamedNode(graph)] + [ox.NamedNode(g) for g, _ in ontology_graphs()]
        else:
            options["use_default_graph_as_union"] = True
        where = source or str(self)
        try:
            answer = self.ox.query(with_values(text, bound or {}), **options)
            if isinstance(answer, ox.QuerySolutions):
                columns = [v.value for v in answer.variables]
                return Result(columns, [[s[c] for c in columns] for s in answer])
            if isinstance(answer, ox.QueryBoolean):
                return Result(["answer"], [[ox.Literal(str(bool(answer)).lower(), datatype=ox.NamedNode(XSD + "boolean"))]])
            return GraphResult(list(answer))
        except SyntaxError as exc:
            raise StoreError(f"{where}: SPARQL syntax error: {exc}") from None
        except (RuntimeError, ValueError, OSError) as exc:     # evaluation errors arrive while reading
            raise StoreError(f"{where}: the query failed: {exc}") from None

    def select(self, text: str, bound: dict | None = None, graph: str | None = None, *,
               source: str | None = None) -> Result:
        """A SELECT or ASK query over the union of the graphs (or one document's *graph*), with
        *bound* variables (RDF terms, or lists of them) as a VALUES block; *source* names the
        query in errors."""
        result = self._evaluate(text, bound, graph, source)
        if not isinstance(result, Result):
            raise StoreError(f"{source or self}: a {query_form(text)} query gives a graph; run it as construct")
        return result

    def construct(self, text: str, bound: dict | None = None, graph: str | None = None, *,
                  source: str | None = None) -> GraphResult:
        """A CONSTRUCT or DESCRIBE query (see :meth:`select`)."""
        result = self._evaluate(text, bound, graph, source)
        if not isinstance(result, GraphResult):
            raise StoreError(f"{source or self}: a {query_form(text)} query gives rows; run it as select")
        return result

    def quads(self, graph: str):
        """The quads of *graph*, streamed."""
        return self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def ntriples(self, graph: str | None) -> bytes:
        """*graph* (None: the default graph) as N-Triples."""
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES,
                            from_graph=ox.NamedNode(graph) if graph else ox.DefaultGraph())

    def records(self) -> dict[str, LoadRecord]:
        return {s["g"].value: LoadRecord(s["g"].value, s["sha"].value, int(s["n"].value))
                for s in self.ox.query(sparql("store/records"))}

    def graphs(self) -> list[str]:
        return [g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)]

    def triple_count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self.ox)
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    # ---------------------------------------------------------------- writing

    def replace_graph(self, graph: str, ntriples: str, sha256: str) -> LoadRecord:
        """Replace *graph* with *ntriples* and record it, atomically."""
        record = LoadRecord(graph, sha256, count_lines(ntriples))
        log.info("%s: replacing graph <%s> (%d triples)", self, graph, record.triples)
        try:
            self.ox.update(replace_update(graph, ntriples, record))
        except SyntaxError as exc:
            raise StoreError(f"{self}: graph <{graph}> is not valid N-Triples: {exc}") from None
        return record

    def update(self, text: str) -> None:
        try:
            self.ox.update(text)
        except SyntaxError as exc:
            raise StoreError(f"{self}: SPARQL update syntax error: {exc}") from None

    def load(self, documents: list[tuple[str, str, str]]) -> list[LoadRecord]:
        """Fast path for graphs not yet in the store: (graph, ntriples, sha256) each.

        ``load`` is not transactional; the manifest records are written after it,
        in one transaction, so an interruption leaves unrecorded graphs for ``repair``.
        """
        records = [LoadRecord(g, sha, count_lines(nt)) for g, nt, sha in documents]
        log.info("%s: bulk loading %d graphs (%d triples)", self, len(records), sum(r.triples for r in records))
        # one bytes object per document, joined once: no list of every line of the chunk
        data = b"".join(_quads(graph, ntriples, r.triples) for (graph, ntriples, _), r in zip(documents, records))
        self.ox.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
        self.ox.update(record_update(records))
        return records

    def repair(self) -> list[str]:
        """Remove graphs an interrupted bulk load left without a manifest record."""
        orphans = unrecorded_graphs(self)
        for graph in orphans:
            self.ox.remove_graph(ox.NamedNode(graph))
        return orphans

    def optimize(self) -> None:
        self.ox.optimize()

    def flush(self) -> None:
        if self.path is not None:
            self.ox.flush()


def is_store(path: Path) -> bool:
    """Whether *path* holds an Oxigraph (RocksDB) store."""
    return (path / "CURRENT").is_file() and (path / "IDENTITY").is_file()


def directory_version(path: Path) -> tuple:
    """Names, sizes and times of a store's files but its logs: what a write changes."""
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path)
                            if not e.name.startswith("LOG")))
    except OSError:
        return ()


class Snapshot(EmbeddedStore):
    """A store opened read-only beside its writer (``build`` may run at the same time): it
    reads the state at opening, and opens again when the store on disk has changed, checked at
    most every *interval* seconds, so that a long-running reader (``serve``) follows builds."""

    def __init__(self, path: str | Path, interval: float = 1.0):
        self.path = Path(path)
        if not is_store(self.path):
            raise StoreError(f"{self.path}: not a budgetkg store (no Oxigraph database here); "
                             f"run `budgetkg build --store {self.path}` first")
        self.interval = interval
        self._lock = threading.Lock()
        self._checked = 0.0
        self._version = directory_version(self.path)
        self._ox = self._open()

    def _open(self):
        try:
            return ox.Store.read_only(str(self.path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{self.path}: cannot open the store read-only: {exc}") from None

    @property
    def ox(self):
        now = time.monotonic()
        if now - self._checked >= self.interval:
            with self._lock:
                self._checked = now
                version = directory_version(self.path)
                if version != self._version:
                    self._ox, self._version = self._open(), version
        return self._ox

    def version(self) -> tuple:
        self.ox                                  # noqa: B018 - reopens when the store changed
        return self._version

    def repair(self) -> list[str]:
        """A reader does not repair; the next build does."""
        return []


def ensure_ontology(store) -> int:
    """Load or refresh the ontology and code-list graphs whose files changed; return how many."""
    recorded = store.records()
    changed = 0
    for graph, path in ontology_graphs():
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if graph in recorded and recorded[graph].sha256 == sha:
            continue
        triples = ox.parse(data, format=ox.RdfFormat.TURTLE)
        ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        store.replace_graph(graph, ntriples, sha)
        changed += 1
    return changed


def load_rdf_file(store, path: Path) -> list[LoadRecord]:
    """Load an RDF file; each of its named graphs replaces the graph of that name, atomically.

    Triples outside any named graph go into a graph named by the file's URI.
    """
    from budgetkg.store.query import rdf_format
    fmt = rdf_format(path)
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    default = path.resolve().as_uri()
    graphs: dict[str, list[str]] = {}
    try:
        for quad in ox.parse(data, format=fmt, base_iri=default):
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else default
            graphs.setdefault(name, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    except SyntaxError as exc:
        raise StoreError(f"{path}: not valid {fmt.name}: {exc}") from None
    return [store.replace_graph(name, "\n".join(lines), sha) for name, lines in graphs.items()]


def memory_store(with_ontology: bool = True) -> EmbeddedStore:
    store = EmbeddedStore(None)
    if with_ontology:
        ensure_ontology(store)
    return store
