"""The linked-data site over a store: resource descriptions, pages in Chinese, catalogue, dumps.

Shared by ``budgetkg serve`` (:mod:`budgetkg.web.serve`) and ``budgetkg publish``
(:mod:`budgetkg.web.publish`). Every IRI under the configured base maps to a local path
(``https://w3id.org/budgetkg/id/org/X`` → ``/id/org/X``), so data minted with production
IRIs can be browsed on any host. Every literal is HTML-escaped where it is written.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from budgetkg.errors import BudgetKGError
from budgetkg.store.query import PREFIXES, CannedQuery, Result
from budgetkg.extract.columns import columns_of
from budgetkg.extract.template import kinds as table_kinds
from budgetkg.vocab import BKG

DEFAULT_BASE = "https://w3id.org/budgetkg/"
_PREFIX = ("PREFIX bkg: <https://w3id.org/budgetkg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
           "PREFIX dcterms: <http://purl.org/dc/terms/>\n")
FORMATS = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
           "jsonld": "application/ld+json"}
# The RDF alternates a resource page advertises (and the static export writes): suffix, type, name.
ALTERNATES = ((".ttl", "text/turtle", "Turtle"), (".nt", "application/n-triples", "N-Triples"),
              (".rdf", "application/rdf+xml", "RDF/XML"), (".jsonld", "application/ld+json", "JSON-LD"))
def jsonld(graph) -> str:
    """*graph* as JSON-LD with a @context of the project's prefixes (bkg:, skos:, …)."""
    from budgetkg.extract.emit import PREFIXES
    return graph.serialize(format="json-ld", indent=1, context=dict(PREFIXES))


_BAD_IRI = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f-\x9f]')
_WEB_IRI = re.compile(r"https?://", re.IGNORECASE)
_LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://purl.org/dc/terms/title",
           "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#notation")


class NotFound(BudgetKGError):
    """No resource of that name in the data."""


@dataclass
class Triple:
    p: str
    o: object        # pyoxigraph term


def _amount_properties() -> tuple[set[str], dict[str, str]]:
    """Decimal properties in 万元 (from the ontology's labels and definitions), and zh labels of all terms."""
    from budgetkg.audit.validate import reference_graph
    g = reference_graph()
    amounts = set()
    for p in g.subjects(RDFS.range, XSD.decimal):
        text = " ".join(str(x) for x in (*g.objects(p, RDFS.label), *g.objects(p, SKOS.definition)))
        if "万元" in text and not str(p).endswith("Count"):
            amounts.add(str(p))
    labels = {}
    for s, label in g.subject_objects(RDFS.label):
        if isinstance(label, Literal) and label.language == "zh":
            labels[str(s)] = str(label)
    return amounts, labels


def format_amount(value: str) -> str:
    """1234.5 → 1,234.50 万元 (exact: the printed two decimals; more are kept)."""
    try:
        d = Decimal(value)
    except InvalidOperation:
        return value
    places = max(2, -d.as_tuple().exponent) if isinstance(d.as_tuple().exponent, int) else 2
    return f"{d:,.{places}f} 万元"


def esc(text) -> str:
    return html.escape(str(text), quote=True)


class Site:
    """What the server and the static export show, read from *store* (embedded or remote)."""

    def __init__(self, store, base: str = DEFAULT_BASE, findings: list | None = None, static: bool = False):
        """*findings* are the store's validation findings; None when validation could not run."""
        self.store = store
        self.static = static          # a static export: no endpoint, search filters the home page
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.amounts, self.term_labels = _amount_properties()
        self._findings = findings
        self._validated = self._version()
        self._validating = False

    def _version(self):
        version = getattr(self.store, "version", None)
        return version() if version is not None else None

    @property
    def findings(self) -> list | None:
        """The store's validation findings. When the store has changed since they were found
        (a build beside a running server), they are found again in the background and the
        earlier ones shown meanwhile."""
        version = self._version()
        if version is not None and version != self._validated and not self._validating:
            self._validating = True
            threading.Thread(target=self._revalidate, args=(version,), daemon=True).start()
        return self._findings

    @findings.setter
    def findings(self, value: list | None) -> None:
        self._findings = value

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
        return iri

    def href(self, iri: str, suffix: str = "") -> str | None:
        """The local link for *iri*, or None when it is outside the base."""
        if not iri.startswith(self.base) or _BAD_IRI.search(iri):
            return None
        local = iri[len(self.base):].split("#", 1)[0]
        return "/" + quote(local, safe="/-_.~()（）") + suffix

    # ------------------------------------------------------------------ queries

    def select(self, text: str) -> list[dict]:
        result = self.store.query(CannedQuery("site", Path("site"), text, None, ""), {})
        assert isinstance(result, Result)
        return [dict(zip(result.columns, row)) for row in result.rows]

    def _triples(self, iri: str) -> list[dict]:
        """The concise bounded description as rows of ?s ?p ?o: every triple with *iri* as subject
        (the data has no blank nodes to follow). Hash IRIs of the ontology (``…/ontology#X``)
        are described by their document, ``…/ontology``."""
        if iri.rstrip("/").endswith("/ontology"):
            return self.select(f"SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{iri}#\")) }}")
        return [dict(r, s=ox.NamedNode(iri)) for r in self.select(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")]

    def description(self, iri: str) -> list[Triple]:
        return [Triple(r["p"].value, r["o"]) for r in self._triples(iri)]

    def graph(self, iri: str) -> Graph:
        """The description as an rdflib graph, for Turtle and JSON-LD."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for r in self._triples(iri):
            g.add((URIRef(r["s"].value), URIRef(r["p"].value), _rdflib(r["o"])))
        return g

    def labels(self, iris) -> dict[str, str]:
        """The best label of each IRI: zh prefLabel, title, label or notation."""
        iris = [i for i in set(iris) if not _BAD_IRI.search(i)]
        out: dict[str, str] = {}
        for chunk in range(0, len(iris), 200):
            values = " ".join(f"<{i}>" for i in iris[chunk:chunk + 200])
            rows = self.select(f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ "
                               + " ".join(f"<{p}>" for p in _LABELS) + " } ?s ?p ?l }")
            ranked = sorted(rows, key=lambda r: (_LABELS.index(r["p"].value),
                                                 0 if getattr(r["l"], "language", None) == "zh" else 1))
            for r in ranked:
                out.setdefault(r["s"].value, r["l"].value)
        for i in iris:
            if i not in out and i in self.term_labels:
                out[i] = self.term_labels[i]
        return out

    def departments(self, search: str | None = None) -> list[tuple[str, str]]:
        rows = self.select(_PREFIX +
                           "SELECT DISTINCT ?d ?name WHERE { ?doc a bkg:Disclosure ; bkg:department ?d . "
                           "?d skos:prefLabel ?name }")
        found = sorted({(r["d"].value, r["name"].value) for r in rows}, key=lambda x: x[1])
        if search:
            words = search.split()
            found = [(d, n) for d, n in found if all(w in n for w in words)]
        return found

    def disclosures(self) -> list[dict]:
        rows = self.select(_PREFIX +
                           "SELECT ?doc ?title ?dept ?year ?n WHERE { ?doc a bkg:Disclosure ; bkg:department ?dept . "
                           "OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc bkg:fiscalYear ?year } "
                           "OPTIONAL { ?doc bkg:tripleCount ?n } } ORDER BY ?doc")
        return [{k: (v.value if v is not None else None) for k, v in r.items()} for r in rows]

    def status(self, doc: str) -> dict[str, int] | None:
        if self.findings is None:
            return None
        counts = {"violation": 0, "warning": 0, "info": 0}
        for f in self.findings:
            if f.document == doc:
                counts[f.severity] += 1
        return counts

    # ------------------------------------------------------------------ HTML

    def page(self, title: str, body: str, alternates: str = "") -> str:
        """A page; *alternates* are <link rel="alternate"> elements for its head."""
        return (f"<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
                + alternates +
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<style>body{font-family:'WenQuanYi Zen Hei','Noto Sans CJK SC',sans-serif;margin:1.5em;max-width:80em}"
                "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 6px;"
                "vertical-align:top}td.amount{text-align:right;white-space:nowrap}nav a{margin-right:1em}"
                ".violation{color:#a00}.warning{color:#a60}.muted{color:#666}</style></head><body>"
                + self._nav() +
                f"<h1>{esc(title)}</h1>{body}</body></html>")

    def _nav(self) -> str:
        if self.static:
            return ("<nav><a href=\"/\">首页 Home</a><a href=\"/catalog.ttl\">数据目录 Catalogue</a>"
                    "<a href=\"/dumps/all.nq\">N-Quads</a></nav>")
        return ("<nav><a href=\"/\">首页 Home</a><a href=\"/sparql\">SPARQL</a><a href=\"/catalog\">数据目录 Catalogue</a>"
                "<a href=\"/dumps/all.nq\">N-Quads</a><form action=\"/search\" style=\"display:inline\">"
                "<input name=\"q\" placeholder=\"搜索部门 search\"><button>搜索</button></form></nav>")

    def link(self, iri: str, label: str | None = None) -> str:
        text = esc(label if label is not None else iri)
        href = self.href(iri)
        if href:
            return f"<a href=\"{esc(href)}\">{text}</a>"
        if _WEB_IRI.match(iri):
            return f"<a href=\"{esc(iri)}\" rel=\"external nofollow\">{text}</a>"
        return f"<span class=\"iri\">{text}</span>"          # javascript:, data:, urn: …: shown, never a link

    def value_html(self, prop: str, term, labels: dict[str, str]) -> str:
        if isinstance(term, ox.NamedNode):
            return self.link(term.value, labels.get(term.value, term.value))
        if isinstance(term, ox.Literal):
            if term.datatype is not None and term.datatype.value == str(XSD.decimal) and prop in self.amounts:
                return f"<span class=\"amount\">{esc(format_amount(term.value))}</span>"
            return esc(term.value)
        return esc(str(term))

    def home_html(self, search: str | None = None) -> str:
        rows = self.departments(search)
        items = "".join(f"<li>{self.link(d, n)}</li>" for d, n in rows)
        heading = f"<p>搜索“{esc(search)}”：{len(rows)} 个部门</p>" if search else f"<p>{len(rows)} 个部门 departments</p>"
        search_box = ("<p><input id=\"filter\" placeholder=\"按名称筛选 filter by name\" oninput=\"for(const li of "
                      "document.querySelectorAll('ul.departments li'))li.hidden=!li.textContent.includes(this.value)\"></p>"
                      if self.static else "")
        return self.page("部门预算公开 budgetkg", f"{heading}{search_box}<ul class=\"departments\">{items}</ul>")

    def resource_html(self, iri: str) -> str:
        triples = self.description(iri)
        if not triples:                  # unknown, or only ever an object: nothing to describe
            raise NotFound(iri)
        objects = [t.o.value for t in triples if isinstance(t.o, ox.NamedNode)]
        labels = self.labels([iri, *objects, *(t.p for t in triples)])
        types = [t.o.value for t in triples if t.p == str(RDF.type)]
        title = labels.get(iri, iri.rsplit("/", 1)[-1])
        parts = [f"<p class=\"muted\">{esc(iri)}</p>",
                 "<p>类型 type: " + "、".join(self.link(t, labels.get(t, t)) for t in types) + "</p>",
                 "<p>其他格式 other formats: "
                 + " · ".join(f"<a href=\"{esc(self.href(iri, suffix) or '')}\" type=\"{mime}\">{name}</a>"
                              for suffix, mime, name in ALTERNATES) + "</p>"]
        by_prop: dict[str, list] = {}
        for t in triples:
            if t.p != str(RDF.type):
                by_prop.setdefault(t.p, []).append(t.o)
        rows = []
        for p in sorted(by_prop, key=lambda p: labels.get(p, self.term_labels.get(p, p))):
            values = sorted(by_prop[p], key=lambda o: labels.get(o.value, o.value) if hasattr(o, "value") else str(o))
            shown = "<br>".join(self.value_html(p, o, labels) for o in values[:200])
            more = f"<br><span class=\"muted\">… {len(values) - 200} more</span>" if len(values) > 200 else ""
            rows.append(f"<tr><th>{self.link(p, labels.get(p, self.term_labels.get(p, p)))}</th><td>{shown}{more}</td></tr>")
        parts.append(f"<table class=\"properties\">{''.join(rows)}</table>")
        if str(BKG.Department) in types or "http://www.w3.org/ns/org#Organization" in types:
            parts.append(self._department_html(iri))
        if "http://data.europa.eu/eli/ontology#LegalResource" in types:
            parts.append(self._document_html(iri))
        if str(BKG.Project) in types:
            parts.append(self._project_html(iri))
        local = self.href(iri)
        alternates = ("".join(f'<link rel="alternate" type="{mime}" href="{esc(local + suffix)}">'
                             for suffix, mime, _ in ALTERNATES)
                              if local else "")
        return self.page(title, "".join(parts), alternates)

    def _department_html(self, dept: str) -> str:
        out = []
        docs = [r for r in self.disclosures() if r["dept"] == dept]
        for d in docs:
            status = self.status(d["doc"])
            if status is None:
                summary = "未校验 not validated"
            else:
                verdict = ("<span class=\"violation\">不符合 does not conform</span>" if status["violation"]
                           else "符合 conforms")
                summary = (f"{verdict} — {status['violation']} 违规 violations, {status['warning']} 警告 warnings, "
                           f"{status['info']} 提示 notes")
            out.append(f"<h2>{self.link(d['doc'], d['title'] or d['doc'])}</h2>"
                       f"<p class=\"validation\">校验 validation: {summary}</p>")
            out.append(self._tables_html(d["doc"]))
        projects = self.select(_PREFIX +
                               f"SELECT ?p ?name ?amount WHERE {{ ?p a bkg:Project ; bkg:department <{dept}> ; "
                               "skos:prefLabel ?name OPTIONAL { ?p bkg:budgetAmount ?amount } } ORDER BY ?name")
        items = "".join(f"<tr><td>{self.link(r['p'].value, r['name'].value)}</td><td class=\"amount\">"
                        f"{esc(format_amount(r['amount'].value)) if r['amount'] is not None else ''}</td></tr>"
                        for r in projects)
        out.append(f"<h2>项目 projects ({len(projects)})</h2><table class=\"projects\"><tr><th>项目</th>"
                   f"<th>预算安排规模</th></tr>{items}</table>")
        indicators = self.select(_PREFIX +
                                 "SELECT ?i ?name ?target ?table WHERE { ?doc bkg:department "
                                 f"<{dept}> ; bkg:performanceTable ?table . ?table bkg:indicator ?i . "
                                 "?i skos:prefLabel ?name OPTIONAL { ?i bkg:targetText ?target } } ORDER BY ?table ?i")
        out.append(self._indicators_html(indicators))
        return "".join(out)

    def _indicators_html(self, rows: list[dict], shown: int = 500) -> str:
        items = "".join(f"<tr><td>{self.link(r['i'].value, r['name'].value)}</td>"
                        f"<td>{esc(r['target'].value) if r['target'] is not None else ''}</td></tr>"
                        for r in rows[:shown])
        return (f"<h2>绩效指标 indicators ({len(rows)})</h2><table class=\"indicators\">"
                f"<tr><th>指标</th><th>指标值</th></tr>{items}</table>")

    def _tables_html(self, doc: str) -> str:
        rows = self.select(_PREFIX +
                           "SELECT ?t ?n ?title ?kind ?row ?i ?label ?code ?col ?amount ?project ?projectName WHERE { "
                           f"<{doc}> bkg:table ?t . ?t dcterms:title ?title . OPTIONAL {{ ?t bkg:tableNumber ?n }} "
                           "OPTIONAL { ?t bkg:tableKind ?kind } ?row bkg:inTable ?t ; bkg:rowIndex ?i . "
                           "OPTIONAL { ?row bkg:rowLabel ?label } "
                           "OPTIONAL { ?row bkg:functionCode|bkg:economicCode ?c . ?c skos:notation ?code } "
                           "OPTIONAL { ?row bkg:project ?project . ?project skos:prefLabel ?projectName } "
                           "OPTIONAL { ?o bkg:sourceRow ?row ; bkg:column ?col ; bkg:amount ?amount } }")
        tables: dict[str, dict] = {}
        heads: dict[str, tuple] = {}
        for r in rows:
            n = r["t"].value
            number = int(r["n"].value) if r["n"] is not None else None
            heads[n] = (number if number is not None else 99, number, r["title"].value,
                        r["kind"].value.rsplit("/", 1)[-1] if r["kind"] is not None else "")
            row = tables.setdefault(n, {}).setdefault(int(r["i"].value), {"label": "", "code": "", "cells": {}})
            if r["label"] is not None:
                row["label"] = esc(r["label"].value)
            if r["project"] is not None:
                row["label"] = self.link(r["project"].value, r["projectName"].value)
            if r["code"] is not None:
                row["code"] = r["code"].value
            if r["col"] is not None:
                row["cells"][r["col"].value.rsplit("/", 1)[-1]] = r["amount"].value
        out = []
        known = table_kinds()
        for n in sorted(tables, key=lambda t: (heads[t][0], heads[t][2])):
            _, number, title, kind_id = heads[n]
            kind = known.get(kind_id)
            # every column the kind may have, other periods included (上年：合计, 年初预算：合计 …)
            columns = list(dict.fromkeys((key, zh) for _, key, zh, _ in (columns_of(kind) if kind else ())))
            keys = {k for row in tables[n].values() for k in row["cells"]}
            columns = [c for c in columns if c[0] in keys] + [(k, k) for k in sorted(keys - {c[0] for c in columns})]
            head = "".join(f"<th>{esc(label)}</th>" for _, label in columns)
            body = "".join(
                f"<tr><td>{esc(row['code'])}</td><td>{row['label']}</td>"
                + "".join(f"<td class=\"amount\">{esc(format_amount(row['cells'][k])) if k in row['cells'] else ''}</td>"
                          for k, _ in columns) + "</tr>"
                for _, row in sorted(tables[n].items()))
            heading = f"表{number} {title}" if number else title
            out.append(f"<h3>{esc(heading)}</h3><table class=\"budget-table\" data-table=\"{esc(kind_id)}\">"
                       f"<tr><th>编码</th><th>科目/项目</th>{head}</tr>{body}</table>")
        return "".join(out)

    def _document_html(self, document: str) -> str:
        rows = self.select(_PREFIX +
                           f"SELECT DISTINCT ?p ?name ?dept ?deptName WHERE {{ ?p bkg:cites <{document}> ; a bkg:Project ; "
                           "skos:prefLabel ?name ; bkg:department ?dept . ?dept skos:prefLabel ?deptName } "
                           "ORDER BY ?deptName ?name")
        items = "".join(f"<tr><td>{self.link(r['p'].value, r['name'].value)}</td>"
                        f"<td>{self.link(r['dept'].value, r['deptName'].value)}</td></tr>" for r in rows)
        return (f"<h2>引用本文件的项目 projects citing this document ({len(rows)})</h2>"
                f"<table class=\"citing\"><tr><th>项目</th><th>部门</th></tr>{items}</table>")

    def _project_html(self, project: str) -> str:
        rows = self.select(_PREFIX +
                           "SELECT ?i ?name ?target WHERE { ?t bkg:aboutProject "
                           f"<{project}> ; bkg:indicator ?i . ?i skos:prefLabel ?name "
                           "OPTIONAL { ?i bkg:targetText ?target } } ORDER BY ?i")
        return self._indicators_html(rows)

    # ------------------------------------------------------------------ catalogue and dumps

    # Who publishes the catalogue, the endpoint and the dumps, and under which licence: the
    # defaults of Site.catalog and Site.void, which a deployment overrides.
    CATALOG_PUBLISHER = "budgetkg"
    CATALOG_LICENCE = "https://creativecommons.org/licenses/by/4.0/"

    def catalog(self, site_url: str, publisher: str = CATALOG_PUBLISHER, licence: str = CATALOG_LICENCE,
                endpoint: bool = True) -> Graph:
        """DCAT, conforming to DCAT-AP 3.0 (checked by tests/test_dcat_ap.py with SEMIC's shapes):
        one dataset per disclosure with its two dumps, and the endpoint as a data service.
        *publisher* is the name of the agent (``<site_url>/catalog#publisher``) that publishes the
        catalogue, the endpoint and the dumps; *licence* the IRI of the licence they are under.
        Dates are only those the store records: a disclosure's signing date (bkg:dateSigned) is its
        dcterms:issued, the time its graph was loaded (prov:generatedAtTime) the dcterms:modified
        of the dataset and its dumps, the latest of them the catalogue's. Without *endpoint* (the
        static export, which has none) there is no data service."""
        from rdflib.namespace import DCAT, DCTERMS, FOAF
        g = Graph()
        g.bind("dcat", str(DCAT))
        g.bind("dcterms", str(DCTERMS))
        g.bind("foaf", str(FOAF))
        cat = URIRef(site_url + "/catalog")
        service = URIRef(site_url + "/sparql")
        agent = URIRef(site_url + "/catalog#publisher")
        lic = URIRef(licence)
        g.add((cat, RDF.type, DCAT.Catalog))
        g.add((cat, DCTERMS.title, Literal("部门预算公开知识图谱", lang="zh")))
        g.add((cat, DCTERMS.title, Literal("Department budget disclosures knowledge graph", lang="en")))
        g.add((cat, DCTERMS.description, Literal(
            "从部门预算、决算公开文件中抽取的数据：每份公开文件一个数据集，附 N-Quads 与 TriG 下载"
            + ("，并提供 SPARQL 查询端点。" if endpoint else "。"), lang="zh")))
        g.add((cat, DCTERMS.description, Literal(
            "Data extracted from Chinese department budget and final-account disclosures: one dataset per "
            "disclosure, each downloadable as N-Quads and TriG" + (", and a SPARQL query endpoint." if endpoint else "."),
            lang="en")))
        g.add((cat, DCTERMS.publisher, agent))
        g.add((cat, DCTERMS.license, lic))
        g.add((cat, FOAF.homepage, URIRef(site_url + "/")))
        g.add((URIRef(site_url + "/"), RDF.type, FOAF.Document))
        g.add((agent, RDF.type, FOAF.Agent))
        g.add((agent, FOAF.name, Literal(publisher)))
        g.add((lic, RDF.type, DCTERMS.LicenseDocument))
        if endpoint:
            g.add((cat, DCAT.service, service))
            g.add((service, RDF.type, DCAT.DataService))
            g.add((service, DCTERMS.title, Literal("部门预算公开知识图谱 SPARQL 查询", lang="zh")))
            g.add((service, DCTERMS.title, Literal("Department budget disclosures knowledge graph SPARQL query",
                                                   lang="en")))
            g.add((service, DCTERMS.description, Literal("只读的 SPARQL 1.1 查询端点，覆盖目录中的全部数据集。", lang="zh")))
            g.add((service, DCTERMS.description, Literal(
                "A read-only SPARQL 1.1 query endpoint over every dataset of the catalogue.", lang="en")))
            g.add((service, DCAT.endpointURL, service))
            g.add((service, DCAT.endpointDescription, service))      # GET without a query: its service description
            protocol = URIRef("https://www.w3.org/TR/sparql11-protocol/")
            g.add((service, DCTERMS.conformsTo, protocol))
            g.add((protocol, RDF.type, DCTERMS.Standard))
            g.add((service, DCTERMS.publisher, agent))
            g.add((service, DCTERMS.license, lic))
        facts = self._catalog_facts()
        latest = None
        for d in self.disclosures():
            ds = URIRef(d["doc"])
            fact = facts.get(d["doc"], {})
            g.add((cat, DCAT.dataset, ds))
            if endpoint:
                g.add((service, DCAT.servesDataset, ds))
            g.add((ds, RDF.type, DCAT.Dataset))
            for lang, text in self._dataset_texts(d, fact).items():
                g.add((ds, DCTERMS.title, Literal(text[0], lang=lang)))
                g.add((ds, DCTERMS.description, Literal(text[1], lang=lang)))
            if fact.get("signed"):
                g.add((ds, DCTERMS.issued, Literal(fact["signed"], datatype=XSD.date)))
            loaded = Literal(fact["loaded"], datatype=XSD.dateTime) if fact.get("loaded") else None
            if loaded is not None:
                g.add((ds, DCTERMS.modified, loaded))
                if latest is None or loaded.toPython() > latest.toPython():
                    latest = loaded
            for ext, media, name in (("nq", "application/n-quads", "N-Quads"), ("trig", "application/trig", "TriG")):
                dist = URIRef(site_url + self.dump_path(d["doc"], ext))
                mediatype = URIRef("http://www.iana.org/assignments/media-types/" + media)
                g.add((ds, DCAT.distribution, dist))
                g.add((dist, RDF.type, DCAT.Distribution))
                g.add((dist, DCTERMS.title, Literal(f"{name} 下载", lang="zh")))
                g.add((dist, DCTERMS.title, Literal(f"{name} download", lang="en")))
                g.add((dist, DCAT.accessURL, dist))
                g.add((dist, DCAT.downloadURL, dist))
                g.add((dist, DCAT.mediaType, mediatype))
                g.add((mediatype, RDF.type, DCTERMS.MediaType))
                g.add((dist, DCTERMS.license, lic))
                if loaded is not None:
                    g.add((dist, DCTERMS.modified, loaded))
        if latest is not None:
            g.add((cat, DCTERMS.modified, latest))
        return g

    def _catalog_facts(self) -> dict[str, dict]:
        """Per disclosure IRI, what the catalogue says of it beyond :meth:`disclosures`: its
        department's name, phase (budget or final), signing date and when its graph was loaded."""
        rows = self.select(_PREFIX + "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
                           "SELECT ?doc ?name ?phase ?signed ?loaded WHERE { ?doc a bkg:Disclosure . "
                           "OPTIONAL { ?doc bkg:department/skos:prefLabel ?name } "
                           "OPTIONAL { ?doc bkg:phase ?phase } OPTIONAL { ?doc bkg:dateSigned ?signed } "
                           "OPTIONAL { ?doc prov:generatedAtTime ?loaded } }")
        facts: dict[str, dict] = {}
        for r in sorted(rows, key=lambda r: 0 if getattr(r.get("name"), "language", None) == "zh" else 1):
            fact = facts.setdefault(r["doc"].value, {})
            for key in ("name", "phase", "signed", "loaded"):
                if r.get(key) is not None:
                    fact.setdefault(key, r[key].value)
        return facts

    @staticmethod
    def _dataset_texts(d: dict, fact: dict) -> dict[str, tuple[str, str]]:
        """The title and description of a disclosure's dataset in zh and en, from its title (a
        row of :meth:`disclosures`), department, year and phase, as far as the store has them."""
        name = fact.get("name") or ""
        year = d.get("year") or ""
        phase_zh, phase_en = {"budget": ("预算", "budget"), "final": ("决算", "final-account")}.get(
            fact.get("phase") or "", ("", ""))
        zh = f"{name}{year + '年' if year else ''}部门{phase_zh}公开"
        en = " ".join(w for w in (year, "department", phase_en, "disclosure") if w) + (f" of {name}" if name else "")
        return {"zh": (d.get("title") or zh, f"从{zh}文件中抽取的结构化数据（RDF）。"),
                "en": (en[0].upper() + en[1:], f"Structured data (RDF) extracted from the {en}.")}

    def void(self, site_url: str, licence: str = CATALOG_LICENCE, endpoint: bool = True) -> Graph:
        """VoID in VoID, DCAT and Dublin Core terms alone: the whole store and one subset per named
        graph, each named by its graph IRI (dcterms:identifier) and, for a disclosure, linked to
        its DCAT dataset in the catalogue (the disclosure IRI, dcterms:source). *licence*: the IRI
        of the licence of the whole (dcterms:license), as in the catalogue."""
        from rdflib.namespace import DCTERMS, VOID
        g = Graph()
        g.bind("void", str(VOID))
        g.bind("dcterms", str(DCTERMS))
        ds = URIRef(site_url + "/.well-known/void#dataset")
        g.add((ds, RDF.type, VOID.Dataset))
        g.add((ds, DCTERMS.title, Literal("部门预算公开知识图谱", lang="zh")))
        g.add((ds, DCTERMS.title, Literal("Department budget disclosures knowledge graph", lang="en")))
        g.add((ds, DCTERMS.license, URIRef(licence)))
        g.add((URIRef(licence), RDF.type, DCTERMS.LicenseDocument))
        g.add((ds, DCTERMS.isReferencedBy, URIRef(site_url + "/catalog")))
        if endpoint:                   # the static export has none
            g.add((ds, VOID.sparqlEndpoint, URIRef(site_url + "/sparql")))
        g.add((ds, VOID.dataDump, URIRef(site_url + "/dumps/all.nq")))
        g.add((ds, VOID.uriSpace, Literal(self.base)))
        from budgetkg.extract.emit import PREFIXES
        for prefix in ("bkg", "qb", "skos", "org", "prov", "dcterms", "eli", "dcat"):
            g.add((ds, VOID.vocabulary, URIRef(PREFIXES[prefix])))
        total = 0
        for name, count in self.graph_counts():
            total += count
            sub = URIRef(site_url + "/.well-known/void#" + quote(name, safe=""))
            g.add((ds, VOID.subset, sub))
            g.add((sub, RDF.type, VOID.Dataset))
            g.add((sub, DCTERMS.identifier, Literal(name)))
            g.add((sub, VOID.triples, Literal(count)))
            if "/disclosure/" in name:
                g.add((sub, DCTERMS.source, URIRef(name)))          # its dcat:Dataset in /catalog
                g.add((sub, VOID.dataDump, URIRef(site_url + self.dump_path(name, "nq"))))
        g.add((ds, VOID.triples, Literal(total)))
        return g

    def graph_counts(self) -> list[tuple[str, int]]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        return [(r["g"].value, int(r["n"].value)) for r in rows]

    def dump_path(self, graph: str, ext: str) -> str:
        local = graph[len(self.base):] if graph.startswith(self.base) else quote(graph, safe="")
        return "/dumps/" + quote(local, safe="/") + "." + ext

    def graph_of_dump(self, local: str) -> str | None:
        """The graph a per-document dump path names, when it is one of the store's graphs."""
        iri = self.base + local
        return iri if iri in self.store.graphs() else None

    def dump(self, graph: str | None, ext: str) -> bytes:
        """N-Quads or TriG of one graph, or of all the document and ontology graphs."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }} BIND(<{graph}> AS ?g)" if graph else "GRAPH ?g { ?s ?p ?o }"
        rows = self.select(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}")
        quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        fmt = ox.RdfFormat.N_QUADS if ext == "nq" else ox.RdfFormat.TRIG
        kwargs = {} if ext == "nq" else {"prefixes": PREFIXES}
        return ox.serialize(quads, format=fmt, **kwargs)


DUMP_BATCH = 5000


def dump_chunks(store, graph: str | None, ext: str, deadline: float | None = None):
    """N-Quads or TriG of one graph or of every named graph, *DUMP_BATCH* quads at a time from
    an embedded store (constant memory, whatever the store's size). Past *deadline*
    (``time.monotonic()``) it raises ``TimeoutError``: the response ends unfinished."""
    import time
    fmt = ox.RdfFormat.N_QUADS if ext == "nq" else ox.RdfFormat.TRIG
    kwargs = {} if ext == "nq" else {"prefixes": PREFIXES}
    names = [ox.NamedNode(graph)] if graph else [g for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode)]
    for name in names:
        batch = []
        for quad in store.ox.quads_for_pattern(None, None, None, name):
            batch.append(quad)
            if len(batch) == DUMP_BATCH:
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError("the dump took longer than its timeout")
                yield ox.serialize(batch, format=fmt, **kwargs)
                batch = []
        if batch:
            yield ox.serialize(batch, format=fmt, **kwargs)


def open_site(store_dir: str | None, endpoint: str | None, base: str = DEFAULT_BASE,
              static: bool = False) -> tuple[Site, str | None]:
    """The site over the store at *store_dir* (opened read-only) or the server at *endpoint*,
    with the store's validation findings; and the store's directory (None for a server)."""
    from budgetkg.store.server import RemoteStore
    from budgetkg.store.embedded import Snapshot
    from budgetkg.audit.validate import load_shapes, validate_store
    if endpoint:
        store, location = RemoteStore(endpoint), None
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


def _rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value if term.datatype else None
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            datatype = None                  # a plain string (RDF 1.1), written so in every syntax
        return Literal(term.value, datatype=URIRef(datatype) if datatype else None)
    from rdflib import BNode
    return BNode(str(term.value))
