"""The site's dumps: N-Quads and TriG of every named graph (``/dumps/all.nq``) or of one
disclosure's graph (``/dumps/<its local path>.trig``).

From an embedded store a dump streams, :data:`DUMP_BATCH` quads at a time (:func:`dump_chunks`);
from a SPARQL server it is read in one query (:meth:`Dumps.dump`), as every query to a server is
a request. :class:`Dumps` is a part of :class:`budgetkg.web.site.Site`.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import pyoxigraph as ox

from budgetkg.store.query import PREFIXES

DUMP_BATCH = 5000


def _serialize(quads, ext: str) -> bytes:
    """*quads* as N-Quads (*ext* ``nq``) or TriG with the project's prefixes."""
    if ext == "nq":
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def dump_chunks(store, graph: str | None, ext: str, deadline: float | None = None):
    """N-Quads or TriG of one graph or of every named graph, *DUMP_BATCH* quads at a time from
    an embedded store (constant memory, whatever the store's size). Past *deadline*
    (``time.monotonic()``) it raises ``TimeoutError``: the response ends unfinished."""
    for name in [graph] if graph else store.graphs():
        batch = []
        for quad in store.quads(name):
            batch.append(quad)
            if len(batch) == DUMP_BATCH:
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError("the dump took longer than its timeout")
                yield _serialize(batch, ext)
                batch = []
        if batch:
            yield _serialize(batch, ext)


class Dumps:
    """Where a :class:`~budgetkg.web.site.Site`'s dumps are, and a dump in one piece."""

    def dump_path(self, graph: str, ext: str) -> str:
        """The local path of *graph*'s dump in *ext* (``nq`` or ``trig``)."""
        local = graph[len(self.base):] if graph.startswith(self.base) else quote(graph, safe="")
        return "/dumps/" + quote(local, safe="/") + "." + ext

    def graph_of_dump(self, local: str) -> str | None:
        """The graph a per-document dump path names, when it is one of the store's graphs."""
        iri = self.base + local
        return iri if iri in self.store.graphs() else None

    def dump(self, graph: str | None, ext: str) -> bytes:
        """N-Quads or TriG of one graph, or of all the document and ontology graphs, from one
        query (for a SPARQL server behind the site)."""
        rows = self.select("quads", {"g": ox.NamedNode(graph)} if graph else None)
        return _serialize([ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows], ext)
