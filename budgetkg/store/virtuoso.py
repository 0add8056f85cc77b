"""Virtuoso 7 (Debian's ``virtuoso-opensource``) as the store: a SPARQL 1.1 server
(:class:`~budgetkg.store.server.RemoteStore`) with what Virtuoso does differently.

* **Its row cap cuts graphs silently.** ``ResultSetMaxRows`` (virtuoso.ini ``[SPARQL]``,
  10,000 by default) stops a SELECT with an ``X-SPARQL-MaxRows`` header, which
  ``RemoteStore`` already turns into :class:`TruncatedResult`; but a CONSTRUCT (and a Graph
  Store GET) is cut at *cap* + 1 triples with no header at all. Here a CONSTRUCT of more
  than *cap* triples raises :class:`TruncatedResult` (the cap is read from the server), and
  :meth:`VirtuosoStore.quads` pages through a graph by SELECT instead, checking the count.
* **It writes booleans as 1 and 0** (``"1"^^xsd:boolean``): results here give them back as
  ``true`` and ``false``, as stored.
* **Its own graphs** (``virtrdf#`` and others) are left out of :meth:`VirtuosoStore.graphs`, so
  that ``repair`` does not drop them as graphs an interrupted load left without a record.
* **Its bulk loader** (``ld_dir`` + ``rdf_loader_run()``, run through ``isql``) is its path for
  large loads: no transaction log (a checkpoint makes the load durable, before the manifest
  records are written), and more loaders can run side by side on more cores. It needs a
  directory the server reads and we write (same machine or a shared volume, listed in
  ``DirsAllowed``). On a 2-core machine it loads a million triples in about the time of one
  Graph Store PUT per document (11 s against 13 s). Without *isql*, :meth:`VirtuosoStore.load`
  PUTs each graph as any server store does.

Writing over HTTP needs ``GRANT SPARQL_UPDATE TO "SPARQL";`` (isql, as dba): then
``/sparql`` takes updates and ``/sparql-graph-crud`` PUTs without credentials; keep such a
server on 127.0.0.1 or behind a proxy. ``/sparql-auth`` and ``/sparql-graph-crud-auth``
ask for HTTP digest credentials, which ``RemoteStore`` does not send.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pyoxigraph as ox

from budgetkg.errors import StoreError, TruncatedResult
from budgetkg.resources import data_dir
from budgetkg.store.manifest import LoadRecord, count_lines, fill, record_update
from budgetkg.store.query import GraphResult, Result, query_form, sparql
from budgetkg.store.server import RemoteStore

log = logging.getLogger(__name__)

ISQL_BINARIES = ("isql-vt", "isql")     # Debian's name, then upstream's
#: Graphs Virtuoso keeps for itself (its RDF-view metadata, the LDP vocabulary, …): not ours to
#: list, and never to drop as graphs an interrupted load left behind.
SYSTEM_GRAPHS = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp", "http://localuriqaserver/")
#: The graph of bulk-loaded triples outside any named graph (our N-Quads have none).
UNNAMED_GRAPH = "urn:budgetkg:unnamed"


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_CANONICAL = {"1": ox.Literal("true", datatype=_BOOLEAN), "0": ox.Literal("false", datatype=_BOOLEAN)}


def _canonical(term):
    """*term*, a boolean written 1 or 0 as ``true`` or ``false``."""
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in _CANONICAL:
        return _CANONICAL[term.value]
    return term


def _sql(text: str) -> str:
    """*text* as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _bulk_load_script(path: Path) -> str:
    """The isql script that bulk-loads the N-Quads file *path* (``queries/store/virtuoso-bulk-load.sql``)."""
    script = (data_dir("queries") / "store" / "virtuoso-bulk-load.sql").read_text(encoding="utf-8")
    parts = {"dir": _sql(str(path.parent)), "file": _sql(path.name), "unnamed": _sql(UNNAMED_GRAPH),
             "path": _sql(str(path))}
    lines = [line for line in script.splitlines() if not line.startswith("--")]
    return "\n".join(lines).format(**parts) + "\n"


def is_virtuoso(endpoint: str, timeout: float = 10) -> bool:
    """Whether the SPARQL endpoint is served by Virtuoso (its ``Server`` response header); False
    when it cannot be reached now."""
    request = urllib.request.Request(f"{endpoint}?query=ASK%7B%7D",
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            server = response.headers.get("Server", "")
    except urllib.error.HTTPError as exc:
        server = exc.headers.get("Server", "") if exc.headers else ""
    except (urllib.error.URLError, OSError):
        return False            # not reachable now: the first query says so (a server may start later)
    return server.startswith("Virtuoso")


class VirtuosoStore(RemoteStore):
    """A Virtuoso server. *max_rows* is its ResultSetMaxRows (read from the server when not
    given). *isql* (``host:port``, with *user* and *password*) and *load_dir* (a directory the
    server may read, in its ``DirsAllowed``) turn on the bulk loader for :meth:`load`."""

    def __init__(self, endpoint: str | None, *, update_endpoint: str | None = None,
                 store_endpoint: str | None = None, writable: bool = False, timeout: float = 300,
                 max_rows: int | None = None, isql: str | None = None, user: str = "dba",
                 password: str = "dba", load_dir: str | Path | None = None):
        super().__init__(endpoint, update_endpoint=update_endpoint, store_endpoint=store_endpoint,
                         writable=writable, timeout=timeout)
        if isql and load_dir is None:
            raise StoreError(f"{endpoint}: the bulk loader (isql {isql}) needs a directory the server reads (load_dir)")
        self._max_rows = max_rows
        self.isql, self.user, self.password = isql, user, password
        self.load_dir = Path(load_dir).resolve() if load_dir is not None else None

    # ---------------------------------------------------------------- reading

    @property
    def max_rows(self) -> int:
        """The server's ResultSetMaxRows."""
        if self._max_rows is None:
            rows = self.select(sparql("store/virtuoso-max-rows")).rows
            value = rows[0][0].value if rows and rows[0][0] is not None else ""
            if not value.strip().isdigit():
                raise StoreError(f"{self.endpoint}: cannot read the server's ResultSetMaxRows ({value!r}); "
                                 "give it as max_rows")
            self._max_rows = int(value)
        return self._max_rows

    def graphs(self) -> list[str]:
        """The named graphs, without Virtuoso's own."""
        return [g for g in super().graphs() if not g.startswith(SYSTEM_GRAPHS)]

    def select(self, text: str, bound: dict | None = None, graph: str | None = None, *,
               source: str | None = None) -> Result:
        result = super().select(text, bound, graph, source=source)
        return Result(result.columns, [[_canonical(t) for t in row] for row in result.rows])

    def construct(self, text: str, bound: dict | None = None, graph: str | None = None, *,
                  source: str | None = None) -> GraphResult:
        """A CONSTRUCT or DESCRIBE query; more triples than ResultSetMaxRows is a cut result."""
        result = super().construct(text, bound, graph, source=source)
        result = GraphResult([ox.Triple(t.subject, t.predicate, _canonical(t.object)) for t in result.triples])
        if len(result.triples) > self.max_rows:
            raise TruncatedResult(
                f"{self.endpoint}: the server cut the {query_form(text)} result at its ResultSetMaxRows "
                f"({self.max_rows} triples; Virtuoso sends no header for a graph): raise ResultSetMaxRows "
                "in virtuoso.ini [SPARQL] or narrow the query")
        return result

    def quads(self, graph: str) -> list:
        """The quads of *graph*, a page of ResultSetMaxRows - 1 rows at a time (a page of exactly
        the cap is flagged as cut), checked against the graph's triple count."""
        limit = max(1, self.max_rows - 1)
        name = ox.NamedNode(graph)          # checks the IRI before it goes into the text
        quads: list = []
        while True:
            rows = self.select(fill("store/virtuoso-graph-page", graph=name.value, limit=str(limit),
                                    offset=str(len(quads)))).rows
            quads.extend(ox.Quad(s, p, o, name) for s, p, o in rows)
            if len(rows) < limit:
                break
        expected = self.triple_count(graph)
        if len(quads) != expected:
            raise TruncatedResult(f"{self.endpoint}: read {len(quads)} triples of <{graph}> page by page, "
                                  f"but it holds {expected}")
        return quads

    # ---------------------------------------------------------------- writing

    def load(self, documents: list[tuple[str, str, str]]) -> list[LoadRecord]:
        """Graphs not yet in the store, (graph, N-Triples, SHA-256) each: through the bulk loader
        when *isql* is set (one N-Quads file, ``ld_dir``, ``rdf_loader_run()``, ``checkpoint``,
        then the triple counts checked), else a Graph Store PUT each. The manifest records are
        written last, so an interrupted load leaves unrecorded graphs for ``repair``."""
        if not self.isql or not documents:
            return super().load(documents)
        records = [LoadRecord(g, sha, count_lines(nt)) for g, nt, sha in documents]
        self.load_dir.mkdir(parents=True, exist_ok=True)
        path = self.load_dir / f"budgetkg-{uuid.uuid4().hex}.nq"
        try:
            with path.open("wb") as out:
                for (graph, ntriples, _), record in zip(documents, records):
                    out.write(self._nquads(graph, ntriples, record.triples))
            log.info("%s: bulk loading %d graphs (%d triples) from %s", self, len(records),
                     sum(r.triples for r in records), path)
            self._isql(_bulk_load_script(path), marker="LOAD-ERROR: ")
        finally:
            path.unlink(missing_ok=True)
        counts = {g.value: int(n.value) for g, n in
                  self.select(sparql("store/triple-counts"), {"g": [ox.NamedNode(r.graph) for r in records]}).rows}
        short = [r.graph for r in records if counts.get(r.graph, 0) != r.triples]
        if short:
            raise StoreError(f"{self}: the bulk loader stored other triple counts than given for "
                             f"{len(short)} graph(s), first <{short[0]}> ({counts.get(short[0], 0)} of "
                             f"{next(r.triples for r in records if r.graph == short[0])})")
        self.update(record_update(records))
        return records

    def _nquads(self, graph: str, ntriples: str, statements: int) -> bytes:
        """*ntriples* as N-Quads in *graph*. Written as our serializers write (one statement a line,
        ending " .", no comment), the graph goes in by one replacement (a literal holds no raw
        newline); anything else is parsed and written again."""
        name = ox.NamedNode(graph)
        text = ntriples if ntriples.endswith("\n") else ntriples + "\n"
        if not text.startswith("#") and "\n#" not in text and text.count(" .\n") == statements:
            return text.replace(" .\n", f" {name} .\n").encode("utf-8")
        try:
            triples = ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            return ox.serialize([ox.Quad(t.subject, t.predicate, t.object, name) for t in triples],
                                format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise StoreError(f"{self}: graph <{graph}> is not valid N-Triples: {exc}") from None

    def _isql(self, script: str, marker: str | None = None) -> str:
        """Run *script* through Virtuoso's isql; an error (or a line with *marker*) is a StoreError."""
        binary = next((b for b in map(shutil.which, ISQL_BINARIES) if b), None)
        if binary is None:
            raise StoreError(f"{self}: the bulk loader needs Virtuoso's isql (isql-vt; Debian: virtuoso-opensource-7-bin)")
        try:
            done = subprocess.run([binary, self.isql, self.user, self.password], input=script,
                                  capture_output=True, text=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise StoreError(f"{self}: isql {self.isql} took more than {self.timeout:.0f} s") from None
        except OSError as exc:
            raise StoreError(f"{self}: cannot run {binary}: {exc}") from None
        output = done.stdout + done.stderr
        errors = [line.strip() for line in output.splitlines() if "*** Error" in line or (marker and marker in line)]
        if done.returncode != 0 or errors:
            raise StoreError(f"{self}: isql {self.isql} failed: {'; '.join(errors) or output.strip()[-300:]}")
        return output
