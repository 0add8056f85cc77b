"""SHACL validation: the shapes of ``shapes/``, run by pySHACL per document or once over a store.

Two engines give the same results:

* :func:`validate_graph` runs pySHACL (the reference) on one document's graph plus the
  ontology and code-list graphs, inference off.
* :func:`validate_store` is the corpus path. Each SHACL-SPARQL constraint runs once over
  many documents with ``$this`` left free and bound by the shape's target class, and each
  ``sh:minCount`` property constraint runs as one ``FILTER NOT EXISTS`` query: thousands of
  per-focus-node queries become one query per constraint. The documents go 50 at a time
  into an in-memory store with the reference graphs, so a document costs the same however
  large the store; :class:`LoadValidation` does the same for a build, from the N-Triples it
  loads.

The shapes use only what both engines implement: node shapes with ``sh:targetClass``,
``sh:sparql`` SELECT constraints that project ``$this``, and property shapes with an IRI
``sh:path`` and ``sh:minCount``. :func:`load_shapes` refuses anything else, so the corpus
path can never silently skip a constraint.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from budgetkg.errors import BudgetKGError
from budgetkg.extract.findings import Finding
from budgetkg.extract.identity import companions
from budgetkg.store.query import at_where, sparql
from budgetkg.vocab import BKG
from budgetkg.audit.shapes import SEVERITIES, Constraint, Shapes, load_shapes, reference_graph

__all__ = ["Shapes", "Constraint", "load_shapes", "reference_graph", "validate_graph", "validate_store",
           "LoadValidation", "document_graphs", "related", "shared_graphs", "summary_line", "merge", "RANK", "SEVERITIES"]

RANK = {"violation": 0, "warning": 1, "info": 2}


def _message(template: str, bindings: dict[str, str]) -> str:
    for var, val in bindings.items():
        template = re.sub(r"\{[?$]" + re.escape(var) + r"\}", lambda _: val, template)
    return template


def document_graphs(store) -> list[str]:
    """The IRIs of *store*'s document graphs (not its ontology and code-list graphs)."""
    return sorted(g for g in store.records() if "/disclosure/" in g)


def related(store, documents: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The disclosures of *store* a rule reads beside each of *documents* (by default every
    document graph): the :func:`~budgetkg.extract.identity.companions` found in the store (last
    year's disclosure, a final account's budget), and for a department budget the 单位预算 of
    the units it lists (``queries/audit/unit-budgets.rq``). Only documents with some are keys."""
    every = set(document_graphs(store))
    wanted = every if documents is None else set(documents)
    found: dict[str, list[str]] = {}
    for d in wanted:
        cs = [c for c in companions(d) if c in every and c != d]
        if cs:
            found[d] = cs
    result = store.select(sparql("audit/unit-budgets"), {}, source="queries/audit/unit-budgets.rq")
    for d, unit in result.rows:
        if d.value in wanted and unit.value in every and unit.value != d.value:
            found.setdefault(d.value, [])
            if unit.value not in found[d.value]:
                found[d.value].append(unit.value)
    return found


def _document_of(node: str, documents) -> str | None:
    """The longest of *documents* (a set of IRIs) that is *node* or a path prefix of it."""
    if node in documents:
        return node
    cut = node.rfind("/")
    while cut > 0:
        if node[:cut] in documents:
            return node[:cut]
        cut = node.rfind("/", 0, cut)
    return None


# ------------------------------------------------------------------ reference engine (pySHACL)

def validate_graph(doc_graph: Graph, shapes: Shapes, reference: Graph | None = None,
                   beside: Iterable[Graph] = ()) -> list[Finding]:
    """pySHACL on one document's graph (plus the reference graph and, *beside* it, the graphs of
    its companions, whose own findings are left out), inference off."""
    from pyshacl import validate

    data = Graph()
    data += doc_graph
    data += reference if reference is not None else reference_graph()
    others: set[str] = set()
    for graph in beside:
        data += graph
        others |= {str(d) for d in graph.subjects(RDF.type, BKG.Disclosure)}
    _, report, text = validate(data, shacl_graph=shapes.graph, inference="none", advanced=False,
                               allow_warnings=True, meta_shacl=False)
    if not isinstance(report, Graph):              # pySHACL's ValidationFailure
        raise BudgetKGError(f"pySHACL could not validate: {text.strip()}")
    documents = {str(d) for d in doc_graph.subjects(RDF.type, BKG.Disclosure)}
    by_key = {(c.shape, c.path): c for c in shapes.constraints}
    findings = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = str(report.value(r, SH.focusNode))
        shape = report.value(r, SH.sourceShape)
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        constraint = by_key.get((str(shape), None))
        if constraint is None and path is not None:       # a property shape: named by its node shape and path
            constraint = by_key.get((str(shapes.graph.value(None, SH.property, shape)), str(path)))
        shape_iri = constraint.shape if constraint else str(shape)
        findings.append(Finding(SEVERITIES[str(report.value(r, SH.resultSeverity))], shape_iri,
                                str(report.value(r, SH.resultMessage)), object=focus,
                                document=_document_of(focus, documents),
                                value=None if value is None or (path is None and value == URIRef(focus)) else str(value),
                                path=str(path) if path is not None else None))
    others -= documents
    if others:
        # a companion's IRI may be a prefix of the document's (…/2024 of …/2024/final): the
        # document's own nodes are its own, whatever else they fall under
        findings = [f for f in findings if f.document is not None or _document_of(f.object, others) is None]
    return sorted(findings, key=_order)


# ------------------------------------------------------------------ corpus engine

def corpus_query(c: Constraint) -> tuple[str, dict]:
    """The constraint as one query over every focus node of its target class, and its bound terms."""
    import pyoxigraph as ox
    if c.path:
        return sparql("audit/missing-property"), {"target": ox.NamedNode(c.target), "path": ox.NamedNode(c.path)}
    text = at_where(c.select.replace("$this", "?this"), f"\n  ?this a <{c.target}> .")
    if text is None:
        raise BudgetKGError(f"{c.file}: the constraint's query has no WHERE {{ … }} clause")
    return text, {}


CHUNK = 50   # documents validated together in one in-memory store (see validate_store)


def validate_store(store, shapes: Shapes, documents: list[str] | None = None, jobs: int = 1,
                   chunk: int = CHUNK) -> list[Finding]:
    """Every constraint over *documents* (by default every document graph of *store*, and
    the focus nodes outside them), *jobs* at a time (Oxigraph evaluates a query, loads and
    dumps without holding Python's GIL, so threads use the cores).

    The store is validated *chunk* documents at a time: their graphs and every graph
    that is not a document's (ontology, code lists, manifest, anything loaded beside them)
    are copied into an in-memory store, and each constraint runs once over it. Every rule
    reads one disclosure and the reference graphs (its focus nodes are disclosures and the
    tables, performance tables and indicators under them), so the findings are those of the
    whole store, and the cost per document does not grow with the store. On a province's
    year (11M triples) the rules take about 13 ms of CPU per document over a chunk and 105 ms
    over the whole store; copying a chunk out of the on-disk store adds about 30 ms per
    document. A server's graphs are copied out the same way (one request a graph), so that no
    rule runs over a whole server (where a rule over a million triples can pass its time
    limit). ``chunk=0`` runs each constraint once over the whole store instead.
    """
    every = set(document_graphs(store))
    documents = list(documents) if documents is not None else sorted(every)
    known = set(documents)
    if chunk:
        shared = shared_graphs(store, every | known)
        groups = [documents[i:i + chunk] for i in range(0, len(documents), chunk)] or [[]]
        # A document's related disclosures (last year's, a final account's budget, a department's
        # units' budgets) are copied in beside it; their own findings come from their own chunk.
        rel = related(store, known)
        beside = [[c for c in dict.fromkeys(c for d in group for c in rel.get(d, ())) if c not in group]
                  for group in groups]
        extra = {c for cs in beside for c in cs}
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            batches = pool.map(lambda n: _run_all(_chunk_store(store, shared, groups[n] + beside[n]), shapes),
                               range(len(groups)))
            found = _findings((pair for batch in batches for pair in batch), known | extra)
            return [f for f in found if f.document is None or f.document in known]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = pool.map(lambda c: (c, _run(store, c)), shapes.constraints)
        return [f for f in _findings(results, every | known) if f.document is None or f.document in known]


def _run(store, c: Constraint):
    text, bound = corpus_query(c)
    return store.select(text, bound, source=c.file)


def _run_all(store, shapes: Shapes) -> list:
    return [(c, _run(store, c)) for c in shapes.constraints]


def shared_graphs(store, documents: set[str]) -> list[tuple[object, bytes]]:
    """(graph, N-Triples) of every graph of *store* that is not one of *documents* nor the
    manifest (which no rule reads, and which grows with the store)."""
    import pyoxigraph as ox

    from budgetkg.store.manifest import MANIFEST
    graphs = [ox.DefaultGraph()] + [ox.NamedNode(g) for g in store.graphs() if g not in documents and g != MANIFEST]
    return [(g, store.ntriples(g.value if isinstance(g, ox.NamedNode) else None)) for g in graphs]


def _memory_store(shared: list[tuple[object, bytes]], documents: Iterable[tuple[str, bytes]]):
    """An in-memory store of the *shared* graphs and *documents* ((graph IRI, N-Triples) each)."""
    import pyoxigraph as ox

    from budgetkg.store.embedded import EmbeddedStore
    chunk = EmbeddedStore(None)
    for graph, data in shared:
        chunk.ox.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    for iri, data in documents:
        chunk.ox.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    return chunk


def _chunk_store(store, shared: list[tuple[object, bytes]], documents: list[str]):
    """An in-memory store of *documents*' graphs, copied from *store*, and the *shared* graphs."""
    return _memory_store(shared, ((iri, store.ntriples(iri)) for iri in documents))


class LoadValidation:
    """Validation of the documents a build loads, as it loads them, from their N-Triples in
    hand (reading them back from an on-disk store costs more than validating them).

    :meth:`add` takes each document once it is loaded; every *chunk* documents go into an
    in-memory store with the *shared* graphs (see :func:`shared_graphs`) and the constraints
    run over it in a background thread, one chunk at a time, while the build goes on.
    :meth:`finish` adds the store's other documents. A document added twice (the same
    disclosure in two files) is validated there too: the store holds only the later one; so is a
    document that rules read beside others (:func:`related`), once they are all in the store.
    """

    def __init__(self, shapes: Shapes, shared: list[tuple[object, bytes]], chunk: int = CHUNK):
        self.shapes, self.shared, self.chunk = shapes, shared, max(1, chunk)
        self.pending: list[tuple[str, str]] = []
        self.covered: set[str] = set()
        self.repeated: set[str] = set()
        self.results: list = []
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.running = None
        self.error: BudgetKGError | None = None

    def add(self, graph: str, ntriples: str) -> None:
        if graph in self.covered:
            self.repeated.add(graph)
            return
        self.covered.add(graph)
        self.pending.append((graph, ntriples))
        if len(self.pending) >= self.chunk:
            self._submit()

    def _submit(self) -> None:
        self._collect()
        group, self.pending = self.pending, []
        if group and self.error is None:
            self.running = self.pool.submit(self._validate, group)

    def _collect(self) -> None:
        """Wait for the chunk in progress; keep its results, or the error that stopped it."""
        if self.running is None:
            return
        try:
            self.results.extend(self.running.result())
        except BudgetKGError as exc:
            self.error = exc
        except (SyntaxError, ValueError, RuntimeError) as exc:     # pyoxigraph's own errors
            self.error = BudgetKGError(f"validation of loaded documents failed: {exc}")
        self.running = None

    def _validate(self, group: list[tuple[str, str]]) -> list:
        store = _memory_store(self.shared, ((iri, ntriples.encode("utf-8")) for iri, ntriples in group))
        return _run_all(store, self.shapes)

    def finish(self, store, jobs: int = 1) -> list[Finding]:
        """The findings of the whole *store*, once every chunk is validated: the documents
        added here from their chunks, the store's others (unchanged since an earlier build,
        loaded otherwise, or added twice) read back from it. Raises the error that stopped
        validation, if one did (the build itself went on)."""
        self._submit()
        self._collect()
        self.pool.shutdown()
        if self.error is not None:
            raise self.error
        # A document read beside others (last year's disclosure, its budget, its units' budgets,
        # in the store now, loaded in this build or before) is validated again from the store,
        # with them; so is one of the store's documents that had none until this build.
        rel = related(store)
        again = {d for d in rel if d in self.covered}
        covered = self.covered - self.repeated - again
        findings = [f for f in _findings(self.results, self.covered) if f.document not in self.repeated | again]
        rest = [d for d in document_graphs(store) if d not in covered]
        if rest:
            findings = merge(findings, validate_store(store, self.shapes, documents=rest, jobs=jobs))
        return findings


def summary_line(findings: list[Finding]) -> str:
    """``validation: 3 violation, 35 warning, 26 info in 3 document(s)``, as `build` prints it."""
    counts = ", ".join(f"{sum(f.severity == s for f in findings)} {s}" for s in ("violation", "warning", "info"))
    return f"validation: {counts} in {len({f.document for f in findings})} document(s)"


def merge(*lists: list[Finding]) -> list[Finding]:
    """Findings of several runs, each once, in report order."""
    unique = {f.key(): f for findings in lists for f in findings}
    return sorted(unique.values(), key=_order)


def _findings(results, documents: set[str]) -> list[Finding]:
    """Findings from (constraint, result) pairs, each once, in report order."""
    findings, seen = [], set()
    for c, result in results:
        for row in result.rows:
            bound = {col: term for col, term in zip(result.columns, row) if term is not None}
            focus = bound["this"].value
            value = bound.get("value")
            value = value.value if value is not None else None
            strings = {k: (t.value if hasattr(t, "value") else str(t)) for k, t in bound.items()}
            f = Finding(c.severity, c.shape, _message(c.message, strings), object=focus,
                        document=_document_of(focus, documents), value=None if c.path or value == focus else value,
                        path=c.path or (bound["path"].value if "path" in bound else None))
            if f.key() not in seen:
                seen.add(f.key())
                findings.append(f)
    return sorted(findings, key=_order)


def _order(f: Finding) -> tuple:
    return (f.document or "", RANK[f.severity], f.code, f.object, f.value or "", f.message)
