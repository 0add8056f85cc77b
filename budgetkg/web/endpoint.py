"""The read-only SPARQL endpoint, ``/sparql``: the SPARQL 1.1 protocol (GET, POSTed query or
form), CORS, its service description, its HTML query form, and the results in JSON, XML or CSV
(SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE). Updates and SERVICE are refused; queries run
in child processes (:mod:`budgetkg.web.query_runner`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from budgetkg.store.guard import ServiceRefused, refuse_service
from budgetkg.store.query import canned_queries, sparql, sparql_json
from budgetkg.web.conneg import CORS, RDF_ONLY, rdf_response, wants
from budgetkg.web.query_runner import QueryRunner, human
from budgetkg.web.routes import guarded
from budgetkg.web.site import Site, esc
from budgetkg.web.syntax import FORMATS

UPDATE = re.compile(r"^\s*((PREFIX|BASE)\s+[^\n]*\n\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
                    re.IGNORECASE)
RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8"}
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type, Accept",
             "Access-Control-Max-Age": "86400"}
SD = "http://www.w3.org/ns/sparql-service-description#"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
# What /sparql answers with (see result_body and SparqlEndpoint): results of SELECT and ASK
# in JSON, XML or CSV; CONSTRUCT and DESCRIBE graphs in N-Triples.
RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "N-Triples")
MAX_BODY = 1 << 20          # bytes of a POSTed query or form
# How a query that has no result is answered, by the runner's kind of answer: status, text, headers.
FAILURES = {"busy": (503, "503 Service Unavailable: ", {"Retry-After": "5"}),
            "memory": (503, "503 Service Unavailable: ", {}),
            "syntax": (400, "400 Bad Request: malformed SPARQL query: ", {}),
            "timeout": (503, "503 Service Unavailable: ", {}),
            "error": (503, "503 Service Unavailable: the query failed: ", {})}


class SparqlEndpoint:
    """The ``/sparql`` route (:meth:`handle`) over *site*, running queries with *runner*;
    *public* is the server's public URL, which its service description names."""

    def __init__(self, site: Site, runner: QueryRunner, public: str):
        self.site, self.runner, self.public = site, runner, public
        self.union = runner.location is not None   # the child queries the embedded store with a union default graph

    async def handle(self, request: Request) -> Response:
        """The endpoint, with CORS on every answer and a preflight answer for OPTIONS."""
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT)
        response = await self._query(request)
        response.headers.update(CORS)
        response.headers["Access-Control-Expose-Headers"] = "X-BudgetKG-Truncated"
        return response

    async def _query(self, request: Request) -> Response:
        if request.method == "POST":
            text = await self._posted(request)
        elif "update" in request.query_params:
            return _refuse_update()
        else:
            text = request.query_params.get("query")
            if text is None:            # a browser gets the query page, an RDF client the service description
                return await self._describe(request)
        if isinstance(text, Response):
            return text
        if not text.strip():
            return PlainTextResponse("400 Bad Request: the query is empty", status_code=400)
        if UPDATE.match(text):
            return _refuse_update()
        try:
            refuse_service(text, "the query")
        except ServiceRefused as exc:
            return PlainTextResponse(f"400 Bad Request: {exc}", status_code=400)
        return self._answer(request, await self.runner.submit(text))

    async def _posted(self, request: Request) -> str | Response:
        """The query a POST sends, or the answer refusing it."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip()
        if ctype == "application/sparql-update":
            return _refuse_update()
        body = await _body(request, MAX_BODY)
        if body is None:
            return PlainTextResponse(f"413 Content Too Large: a request body may hold at most "
                                     f"{human(MAX_BODY)}", status_code=413)
        if ctype == "application/sparql-query":
            return body.decode("utf-8", "replace")
        if ctype in ("application/x-www-form-urlencoded", ""):
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                return _refuse_update()
            return (form.get("query") or [""])[0]
        return PlainTextResponse("415 Unsupported Media Type: send the query as "
                                 "application/sparql-query or as an HTML form's query field",
                                 status_code=415)

    async def _describe(self, request: Request) -> Response:
        """The query page, or the service description in the RDF syntax asked for."""
        fmt = wants(request, {"html": FORMATS["html"], **RDF_ONLY}, "html")
        if fmt == "html":
            response = HTMLResponse(query_page(self.site))
        else:
            g = await guarded(self.site, service_description, self.site, self.public, self.union)
            if isinstance(g, Response):
                return g
            response = rdf_response(g, fmt)
        response.headers["Vary"] = "Accept"
        return response

    def _answer(self, request: Request, answer: tuple) -> Response:
        """The runner's *answer* as a response in the format the request asks for."""
        kind = answer[0]
        if kind in FAILURES:
            status, text, headers = FAILURES[kind]
            return PlainTextResponse(text + answer[1], status_code=status, headers=headers)
        if kind == "ask":
            fmt = wants(request, RESULT_TYPES, "json")
            return Response(ask_body(answer[1], fmt), media_type=RESULT_TYPES[fmt])
        headers = {}
        if kind == "graph":
            _, ntriples, truncated = answer
            if truncated:
                cut = human(self.runner.max_bytes) if truncated == "bytes" else f"{self.runner.cap} triples"
                headers["X-BudgetKG-Truncated"] = f"true; the result was cut at {cut}"
            return Response(ntriples, media_type="application/n-triples", headers=headers)
        _, columns, rows, truncated = answer
        if truncated == "bytes":
            headers["X-BudgetKG-Truncated"] = (f"true; the result was cut at {len(rows)} rows, "
                                               f"at {human(self.runner.max_bytes)}")
        elif truncated:
            headers["X-BudgetKG-Truncated"] = f"true; the result was cut at {self.runner.cap} rows"
        fmt = wants(request, RESULT_TYPES, "json")
        return Response(result_body(columns, rows, fmt), media_type=RESULT_TYPES[fmt], headers=headers)


def ask_body(value: bool, fmt: str) -> str:
    """An ASK query's result in *fmt* (a key of RESULT_TYPES)."""
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n")
    if fmt == "csv":
        return f"_askResult\r\n{'true' if value else 'false'}\r\n"
    return json.dumps({"head": {}, "boolean": value})


def result_body(columns: list[str], rows: list[list], fmt: str) -> str:
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
            parts += [f'<binding name="{xml_escape(c)}">{_xml_term(t)}</binding>'
                      for c, t in zip(columns, row) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts)
    return json.dumps(sparql_json(columns, rows), ensure_ascii=False)


def _xml_term(t) -> str:
    """A term of SPARQL results in XML."""
    if isinstance(t, ox.NamedNode):
        return f"<uri>{xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{xml_escape(t.value)}</bnode>"
    attr = (f' xml:lang="{xml_escape(t.language)}"' if t.language else
            f' datatype="{xml_escape(t.datatype.value)}"' if t.datatype else "")
    return f"<literal{attr}>{xml_escape(t.value)}</literal>"


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


def _example_query() -> str:
    """The query the form shows first: ``queries/site/example.rq`` without its header."""
    lines = sparql("site/example").splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines).strip()


def query_page(site: Site) -> str:
    """The endpoint's HTML form, with the canned queries that take no parameter to choose from."""
    options = "".join(f"<option value=\"{esc(q.text)}\">{esc(name)}: {esc(q.title or '')}</option>"
                      for name, q in sorted(canned_queries().items()) if not q.params)
    body = ("<form method=\"post\" action=\"/sparql\" id=\"query-form\">"
            f"<p><select id=\"canned\" onchange=\"document.getElementById('query').value=this.value\">"
            f"<option value=\"\">— 预置查询 canned queries —</option>{options}</select></p>"
            "<p><textarea name=\"query\" id=\"query\" rows=\"16\" cols=\"100\">"
            f"{esc(_example_query())}</textarea></p>"
            "<p><select name=\"format\"><option>json</option><option>xml</option><option>csv</option></select> "
            "<button>执行 run</button></p></form>"
            "<p class=\"muted\">只读 read-only; 超时与行数上限见响应头 X-BudgetKG-Truncated.</p>")
    return site.page("SPARQL 查询 query", body)


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


def _refuse_update() -> PlainTextResponse:
    return PlainTextResponse("403 Forbidden: this endpoint is read-only; SPARQL updates are refused",
                             status_code=403)
