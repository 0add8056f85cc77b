"""``budgetkg serve``: the linked-data site and a read-only SPARQL endpoint (Starlette + uvicorn).

Resources are answered directly (200, with ``Content-Location`` and ``Vary: Accept``), not
by 303 redirects; see the README for why. SPARQL queries run in a child process that opens
the store read-only, so a runaway query is killed at the timeout without harming the
server; the row cap is applied while reading solutions, and a truncated result says so.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, quote
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from budgetkg.errors import BudgetKGError
from budgetkg.store.query import canned_queries, sparql_json
from budgetkg.web.site import FORMATS, NotFound, Site, dump_chunks, esc, open_site
from budgetkg.store.guard import ServiceRefused, deny_network, refuse_service
from budgetkg.web.syntax import serialized

UPDATE = re.compile(r"^\s*((PREFIX|BASE)\s+[^\n]*\n\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
                    re.IGNORECASE)
RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8"}


# ---------------------------------------------------------------------- SPARQL in a child process

def _child(location: str | None, endpoint: str | None, text: str, cap: int, conn,
           memory: int | None = None, max_bytes: int | None = None) -> None:
    try:
        columns = triples = None
        if memory:              # a sort or group that grows past this ends the process, not the server
            import resource
            resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        if location:
            deny_network()       # the embedded store needs no network: a missed SERVICE reaches nobody
            answer = ox.Store.read_only(location).query(text, use_default_graph_as_union=True)
            if isinstance(answer, ox.QueryBoolean):
                conn.send(("ask", bool(answer)))
                return
            if isinstance(answer, ox.QuerySolutions):
                columns = [v.value for v in answer.variables]
                solutions = ([s[c] for c in columns] for s in answer)
            else:
                triples = iter(answer)
        else:
            from budgetkg.store.query import CannedQuery, GraphResult
            from budgetkg.store.server import RemoteStore
            result = RemoteStore(endpoint).query(CannedQuery("sparql", Path("sparql"), text, None, ""), {})
            if isinstance(result, GraphResult):
                triples = iter(result.triples)
            else:
                columns, solutions = result.columns, iter(result.rows)
        items, truncated, size = [], False, 0
        for item in (solutions if columns is not None else triples):
            if len(items) == cap:
                truncated = True
                break
            size += _size(item)
            if max_bytes and size > max_bytes:
                truncated = "bytes"
                break
            items.append(item)
        if columns is not None:
            conn.send(("select", columns, items, truncated))
        else:
            conn.send(("graph", ox.serialize(items, format=ox.RdfFormat.N_TRIPLES), truncated))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
    except Exception as exc:          # reported to the client as the endpoint's error, never a traceback
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _human(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def _size(item) -> int:
    """About how many bytes a solution or triple takes in a response."""
    terms = item if isinstance(item, list) else (item.subject, item.predicate, item.object)
    return sum(16 + len(getattr(t, "value", "") or "") for t in terms if t is not None)


QUERY_MEMORY = 1 << 30          # bytes of heap one query process may use
RESULT_BYTES = 32 << 20         # bytes of terms one result may hold


class QueryRunner:
    """Runs one SPARQL query in a fresh child process with a timeout, a row cap, a cap on the
    result's bytes and a memory ceiling; at most *concurrent* at once (the others wait, up to
    *waiting*, then are turned away), on threads of their own so that pages never wait for them."""

    def __init__(self, location: str | None, endpoint: str | None, timeout: float, cap: int,
                 memory: int = QUERY_MEMORY, max_bytes: int = RESULT_BYTES, concurrent: int | None = None,
                 waiting: int | None = None):
        import os

        import anyio
        self.location, self.endpoint, self.timeout, self.cap = location, endpoint, timeout, cap
        self.memory, self.max_bytes = memory, max_bytes
        self.concurrent = concurrent or max(2, os.cpu_count() or 2)
        self.waiting = waiting if waiting is not None else 8 * self.concurrent
        self.limiter = anyio.CapacityLimiter(self.concurrent)
        self.queued = 0
        self.ctx = multiprocessing.get_context("forkserver")
        self.ctx.set_forkserver_preload(["pyoxigraph"])

    async def submit(self, text: str):
        """Run *text* on the query threads; ("busy", why) when too many queries are waiting."""
        import anyio
        if self.queued >= self.concurrent + self.waiting:
            return ("busy", f"{self.queued} queries are running or waiting; try again shortly")
        self.queued += 1
        try:
            return await anyio.to_thread.run_sync(self.run, text, limiter=self.limiter)
        finally:
            self.queued -= 1

    def run(self, text: str):
        parent, child = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=_child, args=(self.location, self.endpoint, text, self.cap, child,
                                                     self.memory, self.max_bytes), daemon=True)
        proc.start()
        child.close()
        try:
            if not parent.poll(self.timeout):
                proc.kill()
                return ("timeout", f"the query ran longer than the {self.timeout:g} s timeout and was stopped")
            try:
                return parent.recv()
            except EOFError:
                proc.join(5)
                if proc.exitcode is not None and proc.exitcode < 0 or proc.exitcode == 134:
                    return ("memory", f"the query needed more than the {_human(self.memory)} a query may "
                                      f"use and was stopped; narrow it (LIMIT, fewer variables, no cross "
                                      f"product)")
                return ("error", "the query process ended without an answer")
        finally:
            parent.close()
            proc.join(5)


def _result_body(columns: list[str], rows: list[list], fmt: str) -> str:
    """SPARQL results of pyoxigraph terms as CSV (CRLF, per the spec), XML or JSON."""
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if t is None else t.value for t in row])
        return out.getvalue()
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f'<variable name="{xml_escape(c)}"/>' for c in columns]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            for c, t in zip(columns, row):
                if t is None:
                    continue
                if isinstance(t, ox.NamedNode):
                    inner = f"<uri>{xml_escape(t.value)}</uri>"
                elif isinstance(t, ox.BlankNode):
                    inner = f"<bnode>{xml_escape(t.value)}</bnode>"
                else:
                    attr = (f' xml:lang="{xml_escape(t.language)}"' if t.language else
                            f' datatype="{xml_escape(t.datatype.value)}"' if t.datatype else "")
                    inner = f"<literal{attr}>{xml_escape(t.value)}</literal>"
                parts.append(f'<binding name="{xml_escape(c)}">{inner}</binding>')
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts)
    return json.dumps(sparql_json(columns, rows), ensure_ascii=False)


# What a resource is offered as (suffix → media type): FORMATS and the other RDF syntaxes.
RESOURCE_FORMATS = {**FORMATS, "nt": "application/n-triples", "rdf": "application/rdf+xml",
                    "n3": "text/n3; charset=utf-8", "json": "application/json"}


def _accept_entries(request: Request) -> list[tuple[str, float | None]]:
    """(media type, weight) of each entry of the Accept header: weight 1.0 when none is given,
    None when it is malformed (q=1.2.3)."""
    entries = []
    for part in request.headers.get("accept", "").split(","):
        media, _, params = part.strip().partition(";")
        q: float | None = 1.0
        m = re.search(r"q=([0-9.]+)", params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = None
        entries.append((media.strip(), q))
    return entries


def _matches(media: str, mime: str) -> int:
    """How specifically the Accept entry *media* names *mime*: 3 exactly, 2 by ``type/*``,
    1 by ``*/*``, 0 not at all."""
    mime = mime.split(";")[0].lower()
    media = media.lower()
    if media == mime:
        return 3
    if media.endswith("/*") and media != "*/*" and mime.startswith(media[:-1]):
        return 2
    return 1 if media == "*/*" else 0


def _acceptable(request: Request, choices: dict[str, str]) -> bool:
    """False when the request's Accept names media types and none of *choices* nor a wildcard."""
    if not request.headers.get("accept", "").strip() or request.query_params.get("format") in choices:
        return True
    for media, q in _accept_entries(request):
        if q == 0:
            continue                       # q=0: explicitly not wanted
        if any(_matches(media, mime) for mime in choices.values()):
            return True
    return False


def _wants(request: Request, choices: dict[str, str], default: str) -> str:
    """The format a request asks for: ``format=`` parameter, else its Accept header: the entry
    naming one of *choices* exactly or by ``type/*`` with the highest weight (exact before
    ``type/*`` at equal weights; ``type/*`` covering *default* chooses it), else *default*
    (``*/*`` or nothing named). An entry with q=0 or a malformed weight chooses nothing."""
    asked = request.query_params.get("format")
    if asked in choices:
        return asked
    best, best_rank = default, (0.0, 0)
    for media, q in _accept_entries(request):
        if not q:
            continue
        for key in ([default] if default in choices and _matches(media, choices[default]) == 2 else choices):
            specific = _matches(media, choices[key])
            if specific >= 2 and (q, specific) > best_rank:
                best, best_rank = key, (q, specific)
    return best


def _link_header(canonical: str, local: str | None, suffixes, fmt: str) -> str:
    """A Link header: the *canonical* IRI and, at *local* (a path) with each of *suffixes* but
    *fmt*'s, its alternates with their media types."""
    links = [f'<{quote(canonical, safe=":/#%~()")}>; rel="canonical"']
    if local:
        links += [f'<{local}.{suffix}>; rel="alternate"; type="{RESOURCE_FORMATS[suffix].split(";")[0]}"'
                  for suffix in suffixes if suffix != fmt]
    return ", ".join(links)


def _negotiated(request: Request, choices: dict[str, str], default: str) -> str | None:
    """The format of *choices* to answer with, or None when the request accepts none (406)."""
    return _wants(request, choices, default) if _acceptable(request, choices) else None


def _not_acceptable(choices: dict[str, str]) -> PlainTextResponse:
    offered = ", ".join(dict.fromkeys(mime.split(";")[0] for mime in choices.values()))
    return PlainTextResponse(f"406 Not Acceptable: offered {offered}", status_code=406,
                             headers={"Vary": "Accept", "Access-Control-Allow-Origin": "*"})


# What the catalogue, VoID and the endpoint's service description are offered as.
RDF_ONLY = {key: RESOURCE_FORMATS[key] for key in ("ttl", "nt", "rdf", "jsonld")}
CORS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type, Accept",
             "Access-Control-Max-Age": "86400"}
SD = "http://www.w3.org/ns/sparql-service-description#"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
# What /sparql answers with (see _result_body and the sparql route): results of SELECT and ASK
# in JSON, XML or CSV; CONSTRUCT and DESCRIBE graphs in N-Triples.
RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "N-Triples")


def service_description(site: Site, public: str, union: bool):
    """The SPARQL 1.1 Service Description of ``<public>/sparql``. *union*: the default graph is
    the union of the named graphs (the embedded store, queried with that option), described
    with its named graphs; a server behind is not assumed to do so."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF, RDFS
    sd = Namespace(SD)
    g = Graph()
    g.bind("sd", SD)
    g.bind("dcterms", str(DCTERMS))
    g.bind("formats", W3C_FORMATS)
    endpoint = URIRef(public + "/sparql")
    g.add((endpoint, RDF.type, sd.Service))
    g.add((endpoint, sd.endpoint, endpoint))
    g.add((endpoint, sd.supportedLanguage, sd.SPARQL11Query))
    g.add((endpoint, DCTERMS.title, Literal("部门预算公开知识图谱 SPARQL 查询", lang="zh")))
    for name in RESULT_FORMAT_IRIS:
        g.add((endpoint, sd.resultFormat, URIRef(W3C_FORMATS + name)))
    if union:
        g.add((endpoint, sd.feature, sd.UnionDefaultGraph))
        dataset, default = BNode(), BNode()
        g.add((endpoint, sd.defaultDataset, dataset))
        g.add((dataset, RDF.type, sd.Dataset))
        g.add((dataset, sd.defaultGraph, default))
        g.add((default, RDF.type, sd.Graph))
        g.add((default, DCTERMS.description, Literal("the union of the named graphs", lang="en")))
        g.add((default, RDFS.seeAlso, URIRef(public + "/.well-known/void#dataset")))
        for name in sorted(site.store.graphs()):
            named = BNode()
            g.add((dataset, sd.namedGraph, named))
            g.add((named, RDF.type, sd.NamedGraph))
            g.add((named, sd.name, URIRef(name)))
    return g


# ---------------------------------------------------------------------- the application

def create_app(site: Site, runner: QueryRunner, site_url: str | None = None) -> Starlette:
    """*site_url*: the public URL the server is reached at, which the catalogue and VoID name
    (its endpoint, dumps); by default the site's base IRI, which maps onto this server. Never
    the request's Host header, which any client sets."""
    public = (site_url or site.base).rstrip("/")

    def url_of(request: Request) -> str:
        return public

    def unavailable(exc: Exception) -> HTMLResponse:
        body = site.page("服务暂不可用 Service unavailable",
                         f"<p>数据存储无法访问 the data store cannot be reached: {esc(exc)}</p>")
        return HTMLResponse(body, status_code=503)

    async def guarded(func, *args):
        try:
            return await run_in_threadpool(func, *args)
        except NotFound:
            raise
        except BudgetKGError as exc:
            return unavailable(exc)
        except OSError as exc:
            return unavailable(exc)

    async def home(request: Request):
        result = await guarded(site.home_html, None)
        return result if isinstance(result, Response) else HTMLResponse(result)

    async def search(request: Request):
        q = request.query_params.get("q", "").strip()
        result = await guarded(site.home_html, q or None)
        return result if isinstance(result, Response) else HTMLResponse(result)

    def described(request: Request, g, fmt: str, path: str, canonical: str) -> Response:
        """*g* (a graph with no page of its own) as *fmt*, with the headers of a resource."""
        response = _rdf_response(g, fmt)
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = f"{path}.{fmt}"
        response.headers["Link"] = _link_header(canonical, path, RDF_ONLY, fmt)
        response.headers.update(CORS)
        return response

    def metadata(path: str, build):
        """The route of ``path`` and of ``path.<suffix>``: *build*(public URL) as RDF_ONLY."""
        async def answer(request: Request):
            suffix = request.path_params.get("suffix")
            if suffix is not None:
                if suffix not in RDF_ONLY:
                    return _not_found(site, request.url.path)
                fmt = suffix
            else:
                fmt = _negotiated(request, RDF_ONLY, "ttl")
                if fmt is None:
                    return _not_acceptable(RDF_ONLY)
            g = await guarded(build, url_of(request))
            if isinstance(g, Response):
                return g
            return described(request, g, fmt, path, public + path)
        return answer

    catalog = metadata("/catalog", site.catalog)
    void = metadata("/.well-known/void", site.void)

    dumping = [0]

    async def dumps(request: Request):
        path = request.path_params["path"]
        m = re.fullmatch(r"(.+)\.(nq|trig)", path)
        if not m:
            return _not_found(site, path)
        local, ext = m.groups()
        if local == "all":
            graph = None
        else:
            graph = await guarded(site.graph_of_dump, local)
            if isinstance(graph, Response):
                return graph
            if graph is None:
                return _not_found(site, path)
        media = "application/n-quads" if ext == "nq" else "application/trig"
        if not hasattr(site.store, "ox"):                 # a server behind: one query, in memory
            body = await guarded(site.dump, graph, ext)
            if isinstance(body, Response):
                return body
            return Response(body, media_type=media)
        if dumping[0] >= MAX_DUMPS:
            return PlainTextResponse(f"503 Service Unavailable: {MAX_DUMPS} dumps are being sent; "
                                     f"try again shortly", status_code=503, headers={"Retry-After": "10"})
        dumping[0] += 1
        deadline = time.monotonic() + DUMP_TIMEOUT

        def chunks():
            try:
                yield from dump_chunks(site.store, graph, ext, deadline)
            finally:
                dumping[0] -= 1
        return StreamingResponse(iterate_in_threadpool(chunks()), media_type=media)

    union = runner.location is not None      # the child queries the embedded store with a union default graph

    async def sparql(request: Request):
        """The endpoint, with CORS on every answer and a preflight answer for OPTIONS."""
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT)
        response = await query(request)
        response.headers.update(CORS)
        response.headers["Access-Control-Expose-Headers"] = "X-BudgetKG-Truncated"
        return response

    async def query(request: Request):
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip()
            if ctype == "application/sparql-update":
                return _refuse_update()
            body = await _body(request, MAX_BODY)
            if body is None:
                return PlainTextResponse(f"413 Content Too Large: a request body may hold at most "
                                         f"{_human(MAX_BODY)}", status_code=413)
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            elif ctype in ("application/x-www-form-urlencoded", ""):
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    return _refuse_update()
                text = (form.get("query") or [""])[0]
            else:
                return PlainTextResponse("415 Unsupported Media Type: send the query as "
                                         "application/sparql-query or as an HTML form's query field",
                                         status_code=415)
        else:
            if "update" in request.query_params:
                return _refuse_update()
            text = request.query_params.get("query")
            if text is None:            # a browser gets the query page, an RDF client the service description
                fmt = _wants(request, {"html": FORMATS["html"], **RDF_ONLY}, "html")
                if fmt == "html":
                    response = HTMLResponse(_query_page(site))
                else:
                    g = await guarded(service_description, site, url_of(request), union)
                    if isinstance(g, Response):
                        return g
                    response = _rdf_response(g, fmt)
                response.headers["Vary"] = "Accept"
                return response
        if not text.strip():
            return PlainTextResponse("400 Bad Request: the query is empty", status_code=400)
        if UPDATE.match(text):
            return _refuse_update()
        try:
            refuse_service(text, "the query")
        except ServiceRefused as exc:
            return PlainTextResponse(f"400 Bad Request: {exc}", status_code=400)
        answer = await runner.submit(text)
        kind = answer[0]
        if kind == "busy":
            return PlainTextResponse(f"503 Service Unavailable: {answer[1]}", status_code=503,
                                     headers={"Retry-After": "5"})
        if kind == "memory":
            return PlainTextResponse(f"503 Service Unavailable: {answer[1]}", status_code=503)
        if kind == "syntax":
            return PlainTextResponse(f"400 Bad Request: malformed SPARQL query: {answer[1]}", status_code=400)
        if kind == "timeout":
            return PlainTextResponse(f"503 Service Unavailable: {answer[1]}", status_code=503)
        if kind == "error":
            return PlainTextResponse(f"503 Service Unavailable: the query failed: {answer[1]}", status_code=503)
        headers = {}
        if kind == "ask":
            fmt = _wants(request, RESULT_TYPES, "json")
            if fmt == "xml":
                body = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                        f"<boolean>{'true' if answer[1] else 'false'}</boolean></sparql>\n")
            elif fmt == "csv":
                body = f"_askResult\r\n{'true' if answer[1] else 'false'}\r\n"
            else:
                body = json.dumps({"head": {}, "boolean": answer[1]})
            return Response(body, media_type=RESULT_TYPES[fmt])
        if kind == "graph":
            _, ntriples, truncated = answer
            if truncated:
                cut = _human(runner.max_bytes) if truncated == "bytes" else f"{runner.cap} triples"
                headers["X-BudgetKG-Truncated"] = f"true; the result was cut at {cut}"
            return Response(ntriples, media_type="application/n-triples", headers=headers)
        _, columns, rows, truncated = answer
        if truncated == "bytes":
            headers["X-BudgetKG-Truncated"] = (f"true; the result was cut at {len(rows)} rows, "
                                               f"at {_human(runner.max_bytes)}")
        elif truncated:
            headers["X-BudgetKG-Truncated"] = f"true; the result was cut at {runner.cap} rows"
        fmt = _wants(request, RESULT_TYPES, "json")
        return Response(_result_body(columns, rows, fmt), media_type=RESULT_TYPES[fmt], headers=headers)

    async def resource(request: Request):
        path = request.path_params["path"]
        fmt = None
        m = re.fullmatch(r"(.+)\.(ttl|jsonld|html|nt|rdf|n3)", path)
        if m:
            path, fmt = m.groups()
        if fmt is None and not _acceptable(request, RESOURCE_FORMATS):
            return _not_acceptable(RESOURCE_FORMATS)
        fmt = fmt or _wants(request, RESOURCE_FORMATS, "html")
        try:
            iri = site.iri(path)
            if fmt == "html":
                body = await guarded(site.resource_html, iri)
                if isinstance(body, Response):
                    return body
                response = HTMLResponse(body)
            else:
                g = await guarded(site.graph, iri)
                if isinstance(g, Response):
                    return g
                if len(g) == 0:          # unknown, or only ever an object: nothing to describe
                    return _not_found(site, path)
                response = _rdf_response(g, fmt)
        except NotFound:
            return _not_found(site, path)
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = (site.href(iri, "." + ("jsonld" if fmt == "json" else fmt))
                                                 or request.url.path)
        response.headers["Link"] = _link_header(iri, site.href(iri), ("html", "ttl", "jsonld", "nt", "rdf"), fmt)
        response.headers.update(CORS)
        return response

    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"]),
        Route("/catalog", catalog),
        Route("/catalog.{suffix}", catalog),
        Route("/.well-known/void", void),
        Route("/.well-known/void.{suffix}", void),
        Route("/dumps/{path:path}", dumps),
        Route("/favicon.ico", lambda r: Response(status_code=404)),
        Route("/{path:path}", resource),
    ]
    return Starlette(routes=routes)


MAX_BODY = 1 << 20          # bytes of a POSTed query or form
MAX_DUMPS = 2               # dumps streamed at once
DUMP_TIMEOUT = 600.0        # seconds one dump may take


async def _body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is larger than *limit* (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _rdf_response(g, fmt: str) -> Response:
    """*g* as *fmt* (a key of RESOURCE_FORMATS but html); JSON-LD carries a @context of the
    project's prefixes, and application/json gets the same JSON-LD."""
    return Response(serialized(g, fmt), media_type=RESOURCE_FORMATS[fmt])


def _not_found(site: Site, path: str) -> HTMLResponse:
    return HTMLResponse(site.page("未找到 Not found", f"<p>没有这个资源 no such resource: {esc(path)}</p>"),
                        status_code=404)


def _refuse_update() -> PlainTextResponse:
    return PlainTextResponse("403 Forbidden: this endpoint is read-only; SPARQL updates are refused",
                             status_code=403)


def _query_page(site: Site) -> str:
    options = "".join(f"<option value=\"{esc(q.text)}\">{esc(name)}: {esc(q.title or '')}</option>"
                      for name, q in sorted(canned_queries().items()) if not q.params)
    body = ("<form method=\"post\" action=\"/sparql\" id=\"query-form\">"
            f"<p><select id=\"canned\" onchange=\"document.getElementById('query').value=this.value\">"
            f"<option value=\"\">— 预置查询 canned queries —</option>{options}</select></p>"
            "<p><textarea name=\"query\" id=\"query\" rows=\"16\" cols=\"100\">"
            "SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea></p>"
            "<p><select name=\"format\"><option>json</option><option>xml</option><option>csv</option></select> "
            "<button>执行 run</button></p></form>"
            "<p class=\"muted\">只读 read-only; 超时与行数上限见响应头 X-BudgetKG-Truncated.</p>")
    return site.page("SPARQL 查询 query", body)


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


def build_app(store_dir: str | None, endpoint: str | None, base: str, timeout: float = 10.0,
              cap: int = 10000, base_url: str | None = None, **limits) -> Starlette:
    """*limits*: ``memory`` and ``max_bytes`` of a query, ``concurrent`` queries at once and
    ``waiting`` beyond them (see :class:`QueryRunner`); *base_url* the public URL (see
    :func:`create_app`)."""
    site, location = open_site(store_dir, endpoint, base)
    return create_app(site, QueryRunner(location, endpoint, timeout, cap, **limits), base_url)
