"""A SPARQL 1.1 server as the store: SPARQLWrapper for query and update, the Graph Store Protocol for loads.

Partial results are errors. Servers differ in how they cut a result short:

* Virtuoso stops at ``ResultSetMaxRows`` and says so only in the ``X-SPARQL-MaxRows`` header;
* Oxigraph answers HTTP 200 and ends the streamed body with an error text when a query
  times out (``--timeout-s``), so the JSON does not parse.

Both raise :class:`TruncatedResult`; a result is used only when its whole body parses.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
from SPARQLWrapper import INSERT, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from budgetkg.errors import StoreError, TruncatedResult
from budgetkg.store.manifest import LoadRecord, count_lines, fill, ontology_graphs, record_update, unrecorded_graphs
from budgetkg.store.query import GraphResult, Result, query_form, returns_graph, sparql, with_values


TRUNCATION_HEADERS = ("X-SPARQL-MaxRows",)


def _term(binding: dict):
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":          # Virtuoso names them nodeID://b123: keep what a blank node id may hold
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", value))
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


class RemoteStore:
    """A SPARQL 1.1 server: query endpoint, and for writing, update and Graph Store endpoints."""

    def __init__(self, endpoint: str | None, *, update_endpoint: str | None = None,
                 store_endpoint: str | None = None, writable: bool = False, timeout: float = 300):
        if not endpoint:
            raise StoreError("--update-endpoint and --store-endpoint need --endpoint (the query URL) too")
        if writable and not (update_endpoint and store_endpoint):
            raise StoreError(f"{endpoint}: loading into a SPARQL server needs --update-endpoint (SPARQL update) "
                             "and --store-endpoint (Graph Store Protocol)")
        self.endpoint, self.update_endpoint, self.store_endpoint = endpoint, update_endpoint, store_endpoint
        self.timeout = timeout

    def __str__(self) -> str:
        return self.endpoint

    # ---------------------------------------------------------------- reading

    def _request(self, text: str, return_format: str, default_graphs: list[str] = ()):
        sw = SPARQLWrapper(self.endpoint)
        sw.setQuery(text)
        # SPARQLWrapper guesses the form from the text, and a word in a comment ("loaded") can
        # make it take a query for an update; the form is ours to say.
        sw.queryType = query_form(text)
        sw.setMethod(POST)
        sw.setReturnFormat(return_format)
        sw.setTimeout(self.timeout)
        for graph in default_graphs:
            sw.addDefaultGraph(graph)
        try:
            response = sw.query().response
            body = response.read()
        except SPARQLWrapperException as exc:
            raise StoreError(f"{self.endpoint}: the server refused the query: {exc}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{self.endpoint}: cannot reach the SPARQL endpoint: {exc}") from None
        if response.headers.get("X-SQL-State") == "S1TAT":      # Virtuoso: a partial result, anytime query
            raise TruncatedResult(f"{self.endpoint}: the server stopped the query at its time limit and sent "
                                  "what it had (X-SQL-State: S1TAT); raise its limit or narrow the query")
        for header in TRUNCATION_HEADERS:
            if response.headers.get(header):
                raise TruncatedResult(f"{self.endpoint}: the server truncated the result at "
                                      f"{response.headers[header]} rows ({header}); raise the server's row "
                                      "limit (Virtuoso: ResultSetMaxRows) or narrow the query")
        return body

    def _select(self, text: str, default_graphs: list[str] = ()) -> Result:
        body = self._request(text, JSON, default_graphs)
        try:
            data = json.loads(body)
            columns = data["head"].get("vars", [])
            bindings = data["results"]["bindings"] if "results" in data else None
        except (ValueError, KeyError, TypeError):
            tail = body[-200:].decode("utf-8", "replace").strip()
            raise TruncatedResult(f"{self.endpoint}: the result is incomplete (the body is not a whole SPARQL "
                                  f"JSON document; it ends with {tail[-120:]!r}). The query probably timed out "
                                  "on the server.") from None
        if bindings is None:       # ASK
            value = str(bool(data.get("boolean"))).lower()
            return Result(["answer"], [[ox.Literal(value, datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#boolean"))]])
        return Result(columns, [[_term(b[c]) if c in b else None for c in columns] for b in bindings])

    in_process = False      # every query is a request: one large one beats many small ones

    def _ask(self, name: str) -> bool:
        return self._select(sparql(name)).rows[0][0].value == "true"

    def _default_graphs(self, graph: str | None) -> list[str]:
        if not graph:
            return []
        if graph not in self.records():
            raise StoreError(f"{self}: no document graph <{graph}>")
        return [graph] + [g for g, _ in ontology_graphs()]

    def select(self, text: str, bound: dict | None = None, graph: str | None = None, *,
               source: str | None = None) -> Result:
        """A SELECT or ASK query over the union of the graphs, or over one document's *graph*."""
        if returns_graph(text):
            raise StoreError(f"{source or self}: a {query_form(text)} query gives a graph; run it as construct")
        result = self._select(with_values(text, bound or {}), self._default_graphs(graph))
        if not result.rows and not graph:
            self._check_union_default_graph()
        return result

    def construct(self, text: str, bound: dict | None = None, graph: str | None = None, *,
                  source: str | None = None) -> GraphResult:
        """A CONSTRUCT or DESCRIBE query."""
        if not returns_graph(text):
            raise StoreError(f"{source or self}: a {query_form(text)} query gives rows; run it as select")
        body = self._request(with_values(text, bound or {}), TURTLE, self._default_graphs(graph))
        try:
            return GraphResult(list(ox.parse(body, format=ox.RdfFormat.TURTLE)))
        except SyntaxError:
            raise TruncatedResult(f"{self.endpoint}: the RDF result is incomplete (it does not parse); "
                                  "the query probably timed out on the server") from None

    def quads(self, graph: str):
        """The quads of *graph*, in one request."""
        name = ox.NamedNode(graph)
        triples = self.construct(sparql("store/graph-triples"), {"g": name}).triples
        return [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]

    def ntriples(self, graph: str | None) -> bytes:
        """*graph* as N-Triples (None: the default graph, which a server shows as the union)."""
        if graph is None:
            return b""          # a server's default graph is the union of its named graphs: nothing of its own
        return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in self.quads(graph)],
                            format=ox.RdfFormat.N_TRIPLES)

    def version(self) -> None:
        """A server does not say when it changed."""
        return None

    def _check_union_default_graph(self) -> None:
        """An empty answer is suspicious when the default graph is not the union of the named graphs."""
        if not self._ask("store/loaded-in-default-graph") and self._ask("store/loaded-in-named-graph"):
            raise StoreError(
                f"{self.endpoint}: the server's default graph does not include its named graphs, so queries "
                "see no data. Oxigraph: start it with --union-default-graph; Fuseki: tdb2:unionDefaultGraph "
                "true; GraphDB and Virtuoso do this by default.")

    def records(self) -> dict[str, LoadRecord]:
        result = self._select(sparql("store/records"))
        return {g.value: LoadRecord(g.value, sha.value, int(n.value)) for g, sha, n in result.rows}

    def graphs(self) -> list[str]:
        result = self._select(sparql("store/graphs"))
        return [row[0].value for row in result.rows]

    def triple_count(self, graph: str | None = None) -> int:
        bound = {"g": ox.NamedNode(graph)} if graph else {}
        return int(self._select(with_values(sparql("store/triple-count"), bound)).rows[0][0].value)

    # ---------------------------------------------------------------- writing

    def update(self, text: str) -> None:
        if not self.update_endpoint:
            raise StoreError(f"{self.endpoint}: writing needs --update-endpoint")
        sw = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint)
        sw.setMethod(POST)
        sw.setTimeout(self.timeout)
        sw.setQuery(text)
        sw.queryType = INSERT        # any update form: SPARQLWrapper then POSTs it as an update
        try:
            sw.query()
        except SPARQLWrapperException as exc:
            raise StoreError(f"{self.update_endpoint}: the server refused the update: {exc}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{self.update_endpoint}: cannot reach the update endpoint: {exc}") from None

    def _put(self, graph: str, ntriples: str) -> None:
        """Graph Store Protocol: PUT replaces the named graph in one request."""
        if not self.store_endpoint:
            raise StoreError(f"{self.endpoint}: loading needs --store-endpoint (Graph Store Protocol)")
        url = f"{self.store_endpoint}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(url, data=ntriples.encode("utf-8"), method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise StoreError(f"{self.store_endpoint}: PUT graph <{graph}> failed: HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{self.store_endpoint}: cannot reach the Graph Store endpoint: {exc}") from None

    def replace_graph(self, graph: str, ntriples: str, sha256: str) -> LoadRecord:
        """PUT the graph (atomic on the server), then record it. A crash in between leaves an
        unrecorded or stale-recorded graph, which ``repair`` or the next build replaces."""
        record = LoadRecord(graph, sha256, count_lines(ntriples))
        self._put(graph, ntriples)
        self.update(record_update([record]))
        return record

    def load(self, documents: list[tuple[str, str, str]]) -> list[LoadRecord]:
        records = [LoadRecord(g, sha, count_lines(nt)) for g, nt, sha in documents]
        for graph, ntriples, _ in documents:
            self._put(graph, ntriples)
        self.update(record_update(records))
        return records

    def repair(self) -> list[str]:
        orphans = unrecorded_graphs(self)
        for graph in orphans:
            self.update(fill("store/drop-graph", graph=graph))
        return orphans

    def optimize(self) -> None:
        """Servers manage their own storage."""

    def flush(self) -> None:
        """Every request is already committed by the server."""
