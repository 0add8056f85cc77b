"""``budgetkg serve``: the linked-data site and a read-only SPARQL endpoint (Starlette + uvicorn).

The application is assembled here (:func:`create_app`) from the site's routes
(:mod:`budgetkg.web.routes`: pages, resources by content negotiation, catalogue, VoID, dumps)
and the endpoint (:mod:`budgetkg.web.endpoint`), whose queries run in child processes
(:mod:`budgetkg.web.query_runner`).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from budgetkg.errors import BudgetKGError
from budgetkg.web.endpoint import SparqlEndpoint
from budgetkg.web.query_runner import QueryRunner
from budgetkg.web.routes import SiteRoutes
from budgetkg.web.site import Site, open_site

# Imported from here by the command line and the tests.
__all__ = ["QueryRunner", "build_app", "create_app", "serve"]


def create_app(site: Site, runner: QueryRunner, site_url: str | None = None) -> Starlette:
    """*site_url*: the public URL the server is reached at, which the catalogue and VoID name
    (its endpoint, dumps); by default the site's base IRI, which maps onto this server. Never
    the request's Host header, which any client sets."""
    public = (site_url or site.base).rstrip("/")
    pages = SiteRoutes(site, public)
    catalog = pages.metadata("/catalog", site.catalog)
    void = pages.metadata("/.well-known/void", site.void)
    routes = [
        Route("/", pages.home),
        Route("/search", pages.search),
        Route("/departments", pages.departments),
        Route("/overview/{rest:path}", pages.view),
        Route("/ranking/{rest:path}", pages.view),
        Route("/compare/{rest:path}", pages.view),
        Route("/sparql", SparqlEndpoint(site, runner, public).handle, methods=["GET", "POST", "OPTIONS"]),
        Route("/catalog", catalog),
        Route("/catalog.{suffix}", catalog),
        Route("/.well-known/void", void),
        Route("/.well-known/void.{suffix}", void),
        Route("/dumps/{path:path}", pages.dumps),
        Route("/favicon.ico", lambda r: Response(status_code=404)),
        Route("/{path:path}", pages.resource),
    ]
    return Starlette(routes=routes)


def build_app(store_dir: str | None, endpoint: str | None, base: str, timeout: float = 10.0,
              cap: int = 10000, base_url: str | None = None, **limits) -> Starlette:
    """*limits*: ``memory`` and ``max_bytes`` of a query, ``concurrent`` queries at once and
    ``waiting`` beyond them (see :class:`QueryRunner`); *base_url* the public URL (see
    :func:`create_app`)."""
    site, location = open_site(store_dir, endpoint, base)
    server = site.store if location is None else None          # probed for Virtuoso once, here
    return create_app(site, QueryRunner(location, server, timeout, cap, **limits), base_url)


def serve(store_dir: str | None, endpoint: str | None, host: str, port: int, base: str,
          timeout: float = 10.0, cap: int = 10000, announce=None, base_url: str | None = None, **limits) -> None:
    """Serve until interrupted. The socket is bound first, so a port in use is a clear error
    (:class:`BudgetKGError`) and *announce* is called with the URL only once it listens (port 0
    picks a free port, which the URL names)."""
    import socket

    import uvicorn

    app = build_app(store_dir, endpoint, base, timeout, cap, base_url=base_url, **limits)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise BudgetKGError(f"cannot listen on {host}:{port}: {exc.strerror or exc} "
                            f"(another server may be using the port; choose another with --port)") from None
    sock.listen(2048)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    if announce:
        announce(f"http://{shown}:{bound}/")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    server.run(sockets=[sock])
