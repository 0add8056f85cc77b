"""The manifest graph both stores keep: one record per graph loaded completely (its source's
SHA-256 and its triple count), and the ontology graphs every store holds."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from budgetkg.errors import StoreError
from budgetkg.resources import ontology_files
from budgetkg.store.query import sparql, with_values

log = logging.getLogger(__name__)

MANIFEST = "urn:budgetkg:manifest"
ONTOLOGY_GRAPH = "urn:budgetkg:ontology:"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class LoadRecord:
    graph: str
    sha256: str
    triples: int


def ontology_graphs() -> list[tuple[str, Path]]:
    return [(ONTOLOGY_GRAPH + path.stem, path) for path in ontology_files()]


def record_update(records: list[LoadRecord]) -> str:
    """SPARQL update replacing the manifest records of *records*' graphs."""
    now = ox.Literal(datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                     datatype=ox.NamedNode(XSD + "dateTime"))
    return with_values(sparql("store/record"), {
        "g": [ox.NamedNode(r.graph) for r in records],
        "sha": [ox.Literal(r.sha256) for r in records],
        "n": [ox.Literal(str(r.triples), datatype=ox.NamedNode(XSD + "integer")) for r in records],
        "at": [now] * len(records)})


_NOT_IN_IRI = re.compile(r"[\x00-\x20<>\"{}|^`\\]")


def fill(name: str, **parts: str) -> str:
    """The query or update ``queries/<name>.rq|ru`` with its ``{graph}`` (a checked IRI),
    ``{ntriples}`` (serialized data), ``{limit}`` and ``{offset}`` (digits) filled in: what SPARQL
    cannot bind (a graph name in DROP, data in INSERT DATA, the numbers of LIMIT and OFFSET)."""
    graph = parts.get("graph")
    if graph is not None and (not graph or _NOT_IN_IRI.search(graph)):
        raise StoreError(f"not a graph IRI: {graph!r}")
    for key in ("limit", "offset"):
        if key in parts and not parts[key].isdigit():
            raise StoreError(f"not a count: {key} = {parts[key]!r}")
    text = sparql(name)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    for key, value in parts.items():
        body = body.replace("{" + key + "}", value)
    return body


def replace_update(graph: str, ntriples: str, record: LoadRecord) -> str:
    """One SPARQL update (one transaction): drop the graph, insert its triples, record it."""
    return fill("store/replace-graph", graph=graph, ntriples=ntriples) + " ;\n" + record_update([record])


def count_lines(ntriples: str) -> int:
    return sum(1 for line in ntriples.splitlines() if line.strip() and not line.startswith("#"))


def unrecorded_graphs(store) -> list[str]:
    """Graphs with no manifest record: what an interrupted load left behind (logged here)."""
    recorded = set(store.records())
    orphans = [g for g in store.graphs() if g != MANIFEST and g not in recorded]
    for graph in orphans:
        log.warning("%s: removing graph <%s>, left incomplete by an interrupted load", store, graph)
    return orphans
