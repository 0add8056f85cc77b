"""``budgetkg publish``: the site as static files, for any static web server.

Layout (served from the root of a host): ``index.html``; per resource ``<path>/index.html``,
``<path>.ttl`` and ``<path>.jsonld``; ``catalog.ttl``; ``.well-known/void``; ``dumps/``.
Links are root-relative, so a page links to ``/id/org/X``, which a static server answers
with ``/id/org/X/index.html``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from .errors import BudgetKGError
from .site import DEFAULT_BASE, Site, open_site


def resources(site: Site) -> list[str]:
    """Every IRI under the base that is the subject of a triple (hash IRIs by their document)."""
    rows = site.select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{site.base}\")) }}")
    return sorted({r["s"].value.split("#", 1)[0] for r in rows})


def _target(out: Path, href: str) -> Path:
    path = (out / unquote(href).lstrip("/")).resolve()
    if out.resolve() not in path.parents and path != out.resolve():
        raise BudgetKGError(f"{href}: outside the output directory")
    return path


def publish(store_dir: str | None, endpoint: str | None, out: Path, base: str = DEFAULT_BASE,
            site_url: str = "") -> int:
    site, _ = open_site(store_dir, endpoint, base, static=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(site.home_html(), encoding="utf-8")
    count = 0
    for iri in resources(site):
        href = site.href(iri)
        if href is None or href == "/":
            continue
        page = _target(out, href) / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(site.resource_html(iri), encoding="utf-8")
        g = site.graph(iri)
        _target(out, href + ".ttl").write_text(g.serialize(format="turtle"), encoding="utf-8")
        _target(out, href + ".jsonld").write_text(g.serialize(format="json-ld", indent=1), encoding="utf-8")
        count += 1
    (out / "catalog.ttl").write_text(site.catalog(site_url).serialize(format="turtle"), encoding="utf-8")
    (out / ".well-known").mkdir(exist_ok=True)
    (out / ".well-known" / "void").write_text(site.void(site_url).serialize(format="turtle"), encoding="utf-8")
    dumps = out / "dumps"
    dumps.mkdir(exist_ok=True)
    for ext in ("nq", "trig"):
        (dumps / f"all.{ext}").write_bytes(site.dump(None, ext))
    for d in site.disclosures():
        for ext in ("nq", "trig"):
            target = _target(out, site.dump_path(d["doc"], ext))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(site.dump(d["doc"], ext))
    return count
