"""The site's routes but the SPARQL endpoint: the home page and search, each resource (its page
or its RDF, by content negotiation), the catalogue and VoID, and the dumps.

Resources are answered directly (200, with ``Content-Location`` and ``Vary: Accept``), not by
303 redirects; see docs/linked-data.md for why. Pages are read on worker threads (:func:`guarded`), and
a store that cannot be reached gives a 503 page.
"""

from __future__ import annotations

import re
import time

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse

from budgetkg.errors import BudgetKGError
from budgetkg.web.conneg import (CORS, RDF_ONLY, RESOURCE_FORMATS, acceptable, link_header, negotiated,
                                 not_acceptable, rdf_response, wants)
from budgetkg.errors import NotFound
from budgetkg.web.site import Site, dump_chunks, esc

MAX_DUMPS = 2               # dumps streamed at once
DUMP_TIMEOUT = 600.0        # seconds one dump may take
_RESOURCE = re.compile(r"(.+)\.(ttl|jsonld|html|nt|rdf|n3|csv)")
CSV_TYPE = "text/csv; charset=utf-8"
_DUMP = re.compile(r"(.+)\.(nq|trig)")


async def guarded(site: Site, func, *args):
    """*func*(*args*) on a worker thread; a 503 page when the store cannot be reached."""
    try:
        return await run_in_threadpool(func, *args)
    except NotFound:
        raise
    except (BudgetKGError, OSError) as exc:
        body = site.page("服务暂不可用 Service unavailable",
                         f"<p>数据存储无法访问 the data store cannot be reached: {esc(exc)}</p>")
        return HTMLResponse(body, status_code=503)


def not_found(site: Site, path: str) -> HTMLResponse:
    return HTMLResponse(site.page("未找到 Not found", f"<p>没有这个资源 no such resource: {esc(path)}</p>"),
                        status_code=404)


class SiteRoutes:
    """The handlers of the site's routes over *site*; *public* is the server's public URL,
    which the catalogue and VoID name."""

    def __init__(self, site: Site, public: str):
        self.site, self.public = site, public
        self.dumping = 0                # dumps being streamed

    async def home(self, request: Request) -> Response:
        """The corpus at a glance; ``?format=csv``: its figures."""
        return await self._view(request, "/", self.site.overview)

    async def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        result = await guarded(self.site, self.site.home_html, q or None)
        return result if isinstance(result, Response) else HTMLResponse(result)

    async def departments(self, request: Request) -> Response:
        result = await guarded(self.site, self.site.departments_html, None)
        return result if isinstance(result, Response) else HTMLResponse(result)

    async def view(self, request: Request) -> Response:
        """An overview, ranking or comparison page (``/compare/function/201/2024/budget``), or its
        CSV (``….csv`` or ``?format=csv``); ``/compare/function?code=201`` names the first."""
        path = request.url.path
        code = request.query_params.get("code", "")
        if path.rstrip("/") == "/compare/function" and code:
            path = self.site.compare_function_href(code)
        return await self._view(request, path, lambda: self.site.view_of(path.removesuffix(".csv")))

    async def _view(self, request: Request, path: str, build) -> Response:
        site = self.site
        try:
            view = await guarded(site, build)
        except NotFound:
            return not_found(site, path)
        if isinstance(view, Response):
            return view
        if path.endswith(".csv") or request.query_params.get("format") == "csv":
            return Response(view.sheet.csv(), media_type=CSV_TYPE, headers=CORS)
        return HTMLResponse(site.view_html(view))

    async def resource(self, request: Request) -> Response:
        """A resource's page or RDF: by its suffix (``.ttl`` …), else by the Accept header."""
        site, path = self.site, request.path_params["path"]
        fmt = None
        m = _RESOURCE.fullmatch(path)
        if m:
            path, fmt = m.groups()
        if fmt == "csv" or (fmt is None and request.query_params.get("format") == "csv"):
            return await self._resource_csv(path)
        if fmt is None and not acceptable(request, RESOURCE_FORMATS):
            return not_acceptable(RESOURCE_FORMATS)
        fmt = fmt or wants(request, RESOURCE_FORMATS, "html")
        try:
            iri = site.iri(path)
            if fmt == "html":
                body = await guarded(site, site.resource_html, iri)
                if isinstance(body, Response):
                    return body
                response = HTMLResponse(body)
            else:
                g = await guarded(site, site.graph, iri)
                if isinstance(g, Response):
                    return g
                if len(g) == 0:          # unknown, or only ever an object: nothing to describe
                    return not_found(site, path)
                response = rdf_response(g, fmt)
        except NotFound:
            return not_found(site, path)
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = (site.href(iri, "." + ("jsonld" if fmt == "json" else fmt))
                                                 or request.url.path)
        response.headers["Link"] = link_header(iri, site.href(iri), ("html", "ttl", "jsonld", "nt", "rdf"), fmt)
        response.headers.update(CORS)
        return response

    async def _resource_csv(self, path: str) -> Response:
        """The figures of a department's or a disclosure's budget page, as CSV."""
        site = self.site
        try:
            sheet = await guarded(site, site.resource_sheet, site.iri(path))
        except NotFound:
            return not_found(site, path)
        if isinstance(sheet, Response):
            return sheet
        return Response(sheet.csv(), media_type=CSV_TYPE, headers=CORS)

    def metadata(self, path: str, build):
        """The route of ``path`` and of ``path.<suffix>``: *build*(public URL) as RDF_ONLY, with
        the headers of a resource."""
        async def answer(request: Request) -> Response:
            suffix = request.path_params.get("suffix")
            if suffix is not None:
                if suffix not in RDF_ONLY:
                    return not_found(self.site, request.url.path)
                fmt = suffix
            else:
                fmt = negotiated(request, RDF_ONLY, "ttl")
                if fmt is None:
                    return not_acceptable(RDF_ONLY)
            g = await guarded(self.site, build, self.public)
            if isinstance(g, Response):
                return g
            response = rdf_response(g, fmt)
            response.headers["Vary"] = "Accept"
            response.headers["Content-Location"] = f"{path}.{fmt}"
            response.headers["Link"] = link_header(self.public + path, path, RDF_ONLY, fmt)
            response.headers.update(CORS)
            return response
        return answer

    async def dumps(self, request: Request) -> Response:
        """``/dumps/all.nq`` …: streamed from an embedded store, at most MAX_DUMPS at once; in
        one piece from a server behind."""
        site, path = self.site, request.path_params["path"]
        m = _DUMP.fullmatch(path)
        if not m:
            return not_found(site, path)
        local, ext = m.groups()
        if local == "all":
            graph = None
        else:
            graph = await guarded(site, site.graph_of_dump, local)
            if isinstance(graph, Response):
                return graph
            if graph is None:
                return not_found(site, path)
        media = "application/n-quads" if ext == "nq" else "application/trig"
        if not site.store.in_process:                     # a server behind: one query, in memory
            body = await guarded(site, site.dump, graph, ext)
            if isinstance(body, Response):
                return body
            return Response(body, media_type=media)
        if self.dumping >= MAX_DUMPS:
            return PlainTextResponse(f"503 Service Unavailable: {MAX_DUMPS} dumps are being sent; "
                                     f"try again shortly", status_code=503, headers={"Retry-After": "10"})
        self.dumping += 1
        return StreamingResponse(iterate_in_threadpool(self._chunks(graph, ext, time.monotonic() + DUMP_TIMEOUT)),
                                 media_type=media)

    def _chunks(self, graph: str | None, ext: str, deadline: float):
        try:
            yield from dump_chunks(self.site.store, graph, ext, deadline)
        finally:
            self.dumping -= 1
