"""``budgetkg publish``: the site as static files, for any static web server.

Layout (served from the root of a host): ``index.html`` (the corpus at a glance) and
``departments/index.html`` (every department, filtered by name in the browser); per resource
``<path>/index.html``, ``<path>.ttl``, ``<path>.nt``, ``<path>.rdf`` and ``<path>.jsonld`` (every
alternate its page advertises) and, for a department or a disclosure, ``<path>.csv``; every
overview, ranking and comparison page the store gives (``overview/2024/budget/index.html``,
``compare/function/201/2024/budget/index.html`` …) with its ``.csv``; ``catalog.ttl``, ``.nt``, ``.rdf`` and ``.jsonld``; ``.well-known/void`` (Turtle)
and ``.well-known/void.ttl``, ``.nt``, ``.rdf``, ``.jsonld``; ``dumps/``. The catalogue and
VoID name *site_url*'s IRIs; without one, relative IRIs (N-Triples, which has none, the base
IRI's, as the server does by default).
Links are root-relative, so a page links to ``/id/org/X``, which a static server answers
with ``/id/org/X/index.html``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from rdflib.namespace import RDF

from budgetkg.errors import BudgetKGError, NotFound
from budgetkg.vocab import BKG
from budgetkg.web.site import DEFAULT_BASE, Site, dump_chunks, open_site
from budgetkg.web.syntax import ALTERNATES, serialized


def resources(site: Site) -> list[str]:
    """Every IRI under the base that is the subject of a triple (hash IRIs by their document)."""
    rows = site.select("resources", {"base": ox.Literal(site.base)})
    return sorted({r["s"].value.split("#", 1)[0] for r in rows})


def _target(out: Path, href: str) -> Path:
    path = (out / unquote(href).lstrip("/")).resolve()
    if out.resolve() not in path.parents and path != out.resolve():
        raise BudgetKGError(f"{href}: outside the output directory")
    return path


# The export's own files: a resource whose IRI maps onto one of them is not written (it would
# overwrite the home page or a dump, or be overwritten by it).
RESERVED = {"index.html", "catalog.ttl", "catalog.nt", "catalog.rdf", "catalog.jsonld", ".well-known", "dumps",
            "sparql", "search", "catalog", "departments", "overview", "ranking", "compare"}


def _write_dump(site: Site, graph: str | None, ext: str, target: Path) -> None:
    """A dump written as it is read (an embedded store), or in one piece (a server)."""
    if not site.store.in_process:
        target.write_bytes(site.dump(graph, ext))
        return
    with open(target, "wb") as fh:
        for chunk in dump_chunks(site.store, graph, ext):
            fh.write(chunk)


def publish(store_dir: str | None, endpoint: str | None, out: Path, base: str = DEFAULT_BASE,
            site_url: str = "", report=lambda line: None) -> int:
    """Write the static site of the store at *store_dir* or the server at *endpoint* into *out*;
    return how many resource pages were written (*report* is told of those left out)."""
    site, _ = open_site(store_dir, endpoint, base, static=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(site.home_html(), encoding="utf-8")
    (out / "departments").mkdir(exist_ok=True)
    (out / "departments" / "index.html").write_text(site.departments_html(), encoding="utf-8")
    count = sum(_write_resource(site, out, iri, report) for iri in resources(site))
    _write_views(site, out, report)
    _write_metadata(site, out, site_url)
    _write_dumps(site, out)
    return count


def _write_resource(site: Site, out: Path, iri: str, report) -> bool:
    """Write *iri*'s page and its RDF alternates; False when they are left out."""
    href = site.href(iri)
    if href is None or href == "/":
        return False
    first = unquote(href).lstrip("/").split("/", 1)[0]
    if first in RESERVED or first.split(".", 1)[0] in RESERVED:
        report(f"warning: <{iri}> maps onto the export's own {first}; its page is not written")
        return False
    try:
        page = _target(out, href) / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(site.resource_html(iri), encoding="utf-8")
        g = site.graph(iri)
        for suffix, _, _ in ALTERNATES:
            _target(out, href + suffix).write_text(serialized(g, suffix), encoding="utf-8")
        if {str(BKG.Department), str(BKG.Disclosure)} & {str(o) for o in g.objects(None, RDF.type)}:
            _target(out, href + ".csv").write_text(site.resource_sheet(iri).csv(), encoding="utf-8")
    except (OSError, BudgetKGError) as exc:      # e.g. one IRI is a prefix path of another's file
        report(f"warning: <{iri}>: its page cannot be written ({exc}); left out")
        return False
    return True


def _write_views(site: Site, out: Path, report) -> None:
    """Every overview, ranking and comparison page the store gives, each with its CSV."""
    for path in site.comparison_paths():
        try:
            view = site.view_of(unquote(path))       # as the server sees it: decoded
        except NotFound:
            report(f"warning: {path}: nothing to show; not written")
            continue
        page = _target(out, path) / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(site.view_html(view), encoding="utf-8")
        _target(out, path + ".csv").write_text(view.sheet.csv(), encoding="utf-8")


def _write_metadata(site: Site, out: Path, site_url: str) -> None:
    """The catalogue and VoID, in every RDF syntax of ALTERNATES (VoID also as .well-known/void)."""
    # Without an absolute *site_url* the catalogue and VoID name relative IRIs (/catalog …), which
    # Turtle, RDF/XML and JSON-LD resolve against where they are fetched from; N-Triples has no
    # relative IRIs, so its copies name the base IRI's, as the server does by default.
    absolute = urlsplit(site_url).scheme != ""
    server_url = site_url if absolute else site.base.rstrip("/")
    (out / ".well-known").mkdir(exist_ok=True)
    # a static site has no SPARQL endpoint: its catalogue has no data service, its VoID no endpoint
    for name, describe in (("catalog", lambda url: site.catalog(url, endpoint=False)),
                           (".well-known/void", lambda url: site.void(url, endpoint=False))):
        graph = describe(site_url)
        if name != "catalog":
            (out / name).write_text(serialized(graph, ".ttl"), encoding="utf-8")
        for suffix, _, _ in ALTERNATES:
            g = graph if absolute or suffix != ".nt" else describe(server_url)
            (out / f"{name}{suffix}").write_text(serialized(g, suffix), encoding="utf-8")


def _write_dumps(site: Site, out: Path) -> None:
    """dumps/all.nq and .trig, and both of each disclosure's graph."""
    dumps = out / "dumps"
    dumps.mkdir(exist_ok=True)
    for ext in ("nq", "trig"):
        _write_dump(site, None, ext, dumps / f"all.{ext}")
    for d in site.disclosures():
        for ext in ("nq", "trig"):
            target = _target(out, site.dump_path(d["doc"], ext))
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_dump(site, d["doc"], ext, target)
