"""The linked-data site over a store: :class:`Site`, what it reads from the store and how its
local paths name IRIs; and :func:`open_site`.

Shared by ``budgetkg serve`` (:mod:`budgetkg.web.serve`) and ``budgetkg publish``
(:mod:`budgetkg.web.publish`). Every IRI under the configured base maps to a local path
(``https://w3id.org/budgetkg/id/org/X`` → ``/id/org/X``), so data minted with production
IRIs can be browsed on any host. A site's pages are written by :mod:`budgetkg.web.pages`, its
catalogue and VoID by :mod:`budgetkg.web.catalog`, its dumps by :mod:`budgetkg.web.dumps`. The
queries it runs are ``queries/site/*.rq``, their values bound as RDF terms.
"""

from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from budgetkg.errors import BudgetKGError, NotFound
from budgetkg.resources import data_dir
from budgetkg.store.query import PREFIXES, sparql
from budgetkg.web.catalog import Catalogue
from budgetkg.web.compare import Comparisons
from budgetkg.web.dumps import DUMP_BATCH, Dumps, dump_chunks
from budgetkg.web.budget import BudgetView
from budgetkg.web.overview import Overview
from budgetkg.web.pages import Pages
from budgetkg.web.syntax import rdflib_term
from budgetkg.web.text import esc, format_amount
from budgetkg.vocab import DATA_BASE

# Imported from here by the server, the export, the command line and the tests.
__all__ = ["DEFAULT_BASE", "DUMP_BATCH", "NotFound", "Site", "Triple", "dump_chunks", "esc", "format_amount",
           "open_site"]

DEFAULT_BASE = DATA_BASE    # the site's default base: the data's
_BAD_IRI = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f-\x9f]')
LABEL_BATCH = 200           # resources whose labels one query asks for


@dataclass
class Triple:
    p: str
    o: object        # pyoxigraph term


def _amount_properties() -> tuple[set[str], dict[str, str]]:
    """Decimal properties in 万元 (from the ontology's labels and definitions), and the zh and en
    labels of every term (language → IRI → label): the ontology's, and the standard vocabularies'."""
    from budgetkg.audit.validate import reference_graph
    g = reference_graph()
    amounts = set()
    for p in g.subjects(RDFS.range, XSD.decimal):
        text = " ".join(str(x) for x in (*g.objects(p, RDFS.label), *g.objects(p, SKOS.definition)))
        if "万元" in text and not str(p).endswith("Count"):
            amounts.add(str(p))
    labels = {}
    for s, label in g.subject_objects(RDFS.label):
        if isinstance(label, Literal) and label.language in ("zh", "en"):
            labels.setdefault(label.language, {})[str(s)] = str(label)
    for iri, (zh, en) in vocabulary_labels().items():
        labels.setdefault("zh", {})[iri], labels.setdefault("en", {})[iri] = zh, en
    return amounts, labels


@lru_cache(maxsize=1)
def vocabulary_labels() -> dict[str, tuple[str, str]]:
    """IRI → (zh, en) of the standard vocabularies' terms the graphs use
    (ontology/vocabulary-labels.toml)."""
    with open(data_dir("ontology") / "vocabulary-labels.toml", "rb") as f:
        return {iri: (t["zh"], t["en"]) for iri, t in tomllib.load(f).items()}


class Site(Pages, BudgetView, Overview, Comparisons, Catalogue, Dumps):
    """What the server and the static export show, read from *store* (embedded or remote)."""

    def __init__(self, store, base: str = DEFAULT_BASE, findings: list | None = None, static: bool = False):
        """*findings* are the store's validation findings; None when validation could not run."""
        self.store = store
        self.static = static          # a static export: no endpoint, search filters the home page
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.amounts, labels = _amount_properties()
        self.term_labels, self.term_labels_en = labels.get("zh", {}), labels.get("en", {})
        self._findings = findings
        self._validated = self.store.version()
        self._validating = False

    @property
    def findings(self) -> list | None:
        """The store's validation findings. When the store has changed since they were found
        (a build beside a running server), they are found again in the background and the
        earlier ones shown meanwhile."""
        version = self.store.version()
        if version is not None and version != self._validated and not self._validating:
            self._validating = True
            threading.Thread(target=self._revalidate, args=(version,), daemon=True).start()
        return self._findings

    def _revalidate(self, version) -> None:
        from budgetkg.audit.validate import load_shapes, validate_store
        try:
            found = validate_store(self.store, load_shapes())
        except (BudgetKGError, OSError):
            found = None
        self._findings, self._validated, self._validating = found, version, False

    # ------------------------------------------------------------------ IRIs and paths

    def iri(self, path: str) -> str:
        """The IRI a local path names (path without the leading slash)."""
        iri = self.base + path
        if _BAD_IRI.search(iri):
            raise NotFound(f"not a resource name: {path}")
        try:
            ox.NamedNode(iri)                # e.g. a bad percent-encoding (%zz) or a '[': no IRI
        except ValueError:
            raise NotFound(f"not a resource name: {path}") from None
        return iri

    def href(self, iri: str, suffix: str = "") -> str | None:
        """The local link for *iri*, or None when it is outside the base."""
        if not iri.startswith(self.base) or _BAD_IRI.search(iri):
            return None
        local = iri[len(self.base):].split("#", 1)[0]
        return "/" + quote(local, safe="/-_.~()（）") + suffix

    # ------------------------------------------------------------------ what the site reads

    def select(self, name: str, bound: dict | None = None, limit: int | None = None,
               offset: int = 0) -> list[dict]:
        """The rows (variable → pyoxigraph term or None) of the query ``queries/site/<name>.rq``
        with *bound* variables (RDF terms, or lists of them: one row each), at most *limit* of
        them from *offset* on (a page of a province-wide list)."""
        text = sparql("site/" + name)
        if limit is not None:
            text += f"\nLIMIT {int(limit)}"
        if offset:
            text += f"\nOFFSET {int(offset)}"
        result = self.store.select(text, bound, source=f"queries/site/{name}.rq")
        return [dict(zip(result.columns, row)) for row in result.rows]

    def _triples(self, iri: str) -> list[dict]:
        """The concise bounded description as rows of ?s ?p ?o: every triple with *iri* as subject
        (the data has no blank nodes to follow). Hash IRIs of the ontology (``…/ontology#X``)
        are described by their document, ``…/ontology``."""
        if iri.rstrip("/").endswith("/ontology"):
            return self.select("namespace-description", {"namespace": ox.Literal(iri + "#")})
        return self.select("resource-description", {"s": ox.NamedNode(iri)})

    def description(self, iri: str) -> list[Triple]:
        """The triples of *iri*'s page; NotFound when there are none (an IRI unknown, or only
        ever an object: nothing to describe)."""
        triples = [Triple(r["p"].value, r["o"]) for r in self._triples(iri)]
        if not triples:
            raise NotFound(iri)
        return triples

    def graph(self, iri: str) -> Graph:
        """The description as an rdflib graph, for Turtle and JSON-LD."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for r in self._triples(iri):
            g.add((URIRef(r["s"].value), URIRef(r["p"].value), rdflib_term(r["o"])))
        return g

    def labels(self, iris) -> dict[str, str]:
        """The best label of each IRI: zh prefLabel, title, label or notation."""
        iris = [i for i in set(iris) if not _BAD_IRI.search(i)]
        out: dict[str, str] = {}
        for chunk in range(0, len(iris), LABEL_BATCH):
            rows = self.select("labels", {"s": [ox.NamedNode(i) for i in iris[chunk:chunk + LABEL_BATCH]]})
            ranked = sorted(rows, key=lambda r: (int(r["rank"].value),
                                                 0 if getattr(r["l"], "language", None) == "zh" else 1))
            for r in ranked:
                out.setdefault(r["s"].value, r["l"].value)
        for i in iris:
            if i not in out and i in self.term_labels:
                out[i] = self.term_labels[i]
        return out

    def departments(self, search: str | None = None) -> list[tuple[str, str]]:
        """(IRI, name) of every department with a disclosure, by name; with *search*, those
        whose name holds each of its words."""
        found = sorted({(r["d"].value, r["name"].value) for r in self.select("departments")}, key=lambda x: x[1])
        if search:
            words = search.split()
            found = [(d, n) for d, n in found if all(w in n for w in words)]
        return found

    def disclosures(self) -> list[dict]:
        """Every disclosure: doc, title, dept, year and n (its triples), as strings or None."""
        return [{k: (v.value if v is not None else None) for k, v in r.items()} for r in self.select("disclosures")]

    def status(self, doc: str) -> dict[str, int] | None:
        """The validation findings of disclosure *doc* by severity; None when not validated."""
        if self.findings is None:
            return None
        counts = {"violation": 0, "warning": 0, "info": 0}
        for f in self.findings:
            if f.document == doc:
                counts[f.severity] += 1
        return counts


def open_site(store_dir: str | None, endpoint: str | None, base: str = DEFAULT_BASE,
              static: bool = False) -> tuple[Site, str | None]:
    """The site over the store at *store_dir* (opened read-only) or the server at *endpoint*,
    with the store's validation findings; and the store's directory (None for a server)."""
    from budgetkg.store import server_store
    from budgetkg.store.embedded import Snapshot
    from budgetkg.audit.validate import load_shapes, validate_store
    if endpoint:
        store, location = server_store(endpoint), None
    else:
        location = str(Path(store_dir or "budgetkg-data"))
        if not Path(location).is_dir():
            raise BudgetKGError(f"{location}: no store here; run `budgetkg build` first or pass --store DIR")
        store = Snapshot(location)
    try:
        findings = validate_store(store, load_shapes())
    except (BudgetKGError, OSError):      # e.g. the endpoint is down: pages say "not validated"
        findings = None
    return Site(store, base, findings, static), location
