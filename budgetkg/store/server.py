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
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from budgetkg.errors import StoreError, TruncatedResult
from budgetkg.store.query import CannedQuery, GraphResult, Result, with_values
from budgetkg.store.embedded import RECORDS_QUERY, BKG, LoadRecord, count_lines, ontology_graphs, record_update, unrecorded_graphs


TRUNCATION_HEADERS = ("X-SPARQL-MaxRows",)
def _term(binding: dict):
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
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

    def _ask(self, text: str) -> bool:
        return self._select(text).rows[0][0].value == "true"

    def query(self, canned: CannedQuery, bound: dict, graph: str | None = None):
        default_graphs = []
        if graph:
            if graph not in self.records():
                raise StoreError(f"{self}: no document graph <{graph}>")
            default_graphs = [graph] + [g for g, _ in ontology_graphs()]
        text = with_values(canned.text, bound)
        if re.search(r"\b(CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE):
            body = self._request(text, TURTLE, default_graphs)
            try:
                return GraphResult(list(ox.parse(body, format=ox.RdfFormat.TURTLE)))
            except SyntaxError:
                raise TruncatedResult(f"{self.endpoint}: the RDF result is incomplete (it does not parse); "
                                      "the query probably timed out on the server") from None
        result = self._select(text, default_graphs)
        if not result.rows and not graph:
            self._check_union_default_graph()
        return result

    def _check_union_default_graph(self) -> None:
        """An empty answer is suspicious when the default graph is not the union of the named graphs."""
        probe = f"<{BKG}LoadedGraph>"
        if not self._ask(f"ASK {{ ?s a {probe} }}") and self._ask(f"ASK {{ GRAPH ?g {{ ?s a {probe} }} }}"):
            raise StoreError(
                f"{self.endpoint}: the server's default graph does not include its named graphs, so queries "
                "see no data. Oxigraph: start it with --union-default-graph; Fuseki: tdb2:unionDefaultGraph "
                "true; GraphDB and Virtuoso do this by default.")

    def records(self) -> dict[str, LoadRecord]:
        result = self._select(RECORDS_QUERY)
        return {g.value: LoadRecord(g.value, sha.value, int(n.value)) for g, sha, n in result.rows}

    def graphs(self) -> list[str]:
        result = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [row[0].value for row in result.rows]

    def triple_count(self, graph: str | None = None) -> int:
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        return int(self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").rows[0][0].value)

    # ---------------------------------------------------------------- writing

    def update(self, text: str) -> None:
        if not self.update_endpoint:
            raise StoreError(f"{self.endpoint}: writing needs --update-endpoint")
        sw = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint)
        sw.setMethod(POST)
        sw.setTimeout(self.timeout)
        sw.setQuery(text)
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

    def bulk_load(self, documents: list[tuple[str, str, str]]) -> list[LoadRecord]:
        records = [LoadRecord(g, sha, count_lines(nt)) for g, nt, sha in documents]
        for graph, ntriples, _ in documents:
            self._put(graph, ntriples)
        self.update(record_update(records))
        return records

    def repair(self) -> list[str]:
        orphans = unrecorded_graphs(self)
        for graph in orphans:
            self.update(f"DROP SILENT GRAPH <{graph}>")
        return orphans

    def optimize(self) -> None:
        """Servers manage their own storage."""

    def flush(self) -> None:
        """Every request is already committed by the server."""
