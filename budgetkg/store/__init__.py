"""Triple stores: the embedded Oxigraph store, a SPARQL 1.1 server, and the canned queries run on them.

:class:`Store` is what the rest of the application asks of a store; :class:`~budgetkg.store.embedded.EmbeddedStore`
(pyoxigraph, on disk or in memory) and :class:`~budgetkg.store.server.RemoteStore` (any SPARQL 1.1 server)
implement it. Every SPARQL text they run is a file under ``queries/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from budgetkg.errors import StoreError
from budgetkg.store.manifest import LoadRecord
from budgetkg.store.query import GraphResult, Result


@runtime_checkable
class Store(Protocol):
    """A triple store of named graphs, one per document, and a manifest of the graphs loaded completely."""

    #: True when queries run in this process (many small queries are cheap, graphs stream);
    #: False for a server, where one large request beats many small ones.
    in_process: bool

    def select(self, text: str, bound: dict | None = None, graph: str | None = None, *,
               source: str | None = None) -> Result:
        """A SELECT or ASK query over the union of the graphs, or over one document's *graph*."""

    def construct(self, text: str, bound: dict | None = None, graph: str | None = None, *,
                  source: str | None = None) -> GraphResult:
        """A CONSTRUCT or DESCRIBE query."""

    def update(self, text: str) -> None:
        """A SPARQL update."""

    def load(self, documents: list[tuple[str, str, str]]) -> list[LoadRecord]:
        """Graphs not yet in the store, (graph, N-Triples, SHA-256) each, the fast way; records them after."""

    def replace_graph(self, graph: str, ntriples: str, sha256: str) -> LoadRecord:
        """Replace one graph and its record (atomically where the store can)."""

    def graphs(self) -> list[str]:
        """The named graphs."""

    def records(self) -> dict[str, LoadRecord]:
        """The manifest's records: the graphs loaded completely."""

    def quads(self, graph: str) -> Iterable:
        """The quads of one graph."""

    def ntriples(self, graph: str | None) -> bytes:
        """One graph (None: the default graph) as N-Triples."""

    def triple_count(self, graph: str | None = None) -> int: ...

    def repair(self) -> list[str]: ...

    def version(self) -> tuple | None: ...

    def optimize(self) -> None: ...

    def flush(self) -> None: ...


def server_store(endpoint: str | None, **options) -> Store:
    """The store of the SPARQL server at *endpoint*: a :class:`~budgetkg.store.virtuoso.VirtuosoStore`
    when Virtuoso answers there (it cuts a CONSTRUCT at its row cap without saying so, which that
    class detects), else a :class:`~budgetkg.store.server.RemoteStore`."""
    from budgetkg.store.server import RemoteStore
    from budgetkg.store.virtuoso import VirtuosoStore, is_virtuoso
    bulk = options.pop("bulk", None)
    if endpoint and is_virtuoso(endpoint):
        return VirtuosoStore(endpoint, **options, **(bulk or {}))
    if bulk:
        raise StoreError(f"{endpoint or options.get('store_endpoint')}: the bulk loader is Virtuoso's, and this "
                         f"server is not Virtuoso (or --endpoint is not given to tell)")
    return RemoteStore(endpoint, **options)


def open_store(location: str | Path | None = None, *, endpoint: str | None = None,
               update_endpoint: str | None = None, store_endpoint: str | None = None,
               writable: bool = False, bulk: dict | None = None) -> Store:
    """The embedded store at *location* (default ./budgetkg-data), or the SPARQL server at *endpoint*;
    *bulk* (isql, load_dir, user, password) loads a Virtuoso server through its bulk loader."""
    if endpoint or update_endpoint or store_endpoint:
        remote = server_store(endpoint, update_endpoint=update_endpoint, store_endpoint=store_endpoint,
                              writable=writable, bulk=bulk)
        if writable:          # listing a server's graphs scans it; only writers need the repair
            remote.repair()
        return remote
    if bulk:
        raise StoreError("the bulk loader is a Virtuoso server's: give its --endpoint and --store-endpoint")
    from budgetkg.store.embedded import DEFAULT_LOCATION, EmbeddedStore, Snapshot, is_store
    path = Path(location) if location else DEFAULT_LOCATION
    if not writable:          # readers never take the writer's lock: they run beside a build
        if not path.exists():
            raise StoreError(f"{path}: no store here; run `budgetkg build` first or pass --store DIR")
        return Snapshot(path)
    if path.is_dir() and any(path.iterdir()) and not is_store(path):
        raise StoreError(f"{path}: this directory holds other files, not a budgetkg store; "
                         f"give an empty or new directory for a new store")
    store = EmbeddedStore(path)
    store.repair()
    return store


