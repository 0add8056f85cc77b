"""The site's HTML pages, in Chinese (with English glosses): the home page and each resource's
page, with a department's tables, projects and indicators, a cited document's citing projects
and a project's indicators.

:class:`Pages` is a part of :class:`budgetkg.web.site.Site`: it reads through the site's
``select``, ``labels``, ``description``, ``disclosures`` and ``status``. Every literal is
HTML-escaped where it is written.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from budgetkg.extract.columns import columns_of
from budgetkg.extract.template import kinds as table_kinds
from budgetkg.vocab import BKG
from budgetkg.web.syntax import ALTERNATES

_WEB_IRI = re.compile(r"https?://", re.IGNORECASE)
SHOWN_VALUES = 200          # values of one property a page lists
_STYLE = ("<style>body{font-family:'WenQuanYi Zen Hei','Noto Sans CJK SC',sans-serif;margin:1.5em;max-width:80em}"
          "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 6px;"
          "vertical-align:top}td.amount{text-align:right;white-space:nowrap}nav a{margin-right:1em}"
          ".violation{color:#a00}.warning{color:#a60}.muted{color:#666}</style>")


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


class Pages:
    """The HTML of a :class:`~budgetkg.web.site.Site`."""

    def page(self, title: str, body: str, alternates: str = "") -> str:
        """A page; *alternates* are <link rel="alternate"> elements for its head."""
        return (f"<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
                + alternates +
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + _STYLE + "</head><body>" + self._nav() +
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

    # ------------------------------------------------------------------ a resource's page

    def resource_html(self, iri: str) -> str:
        triples = self.description(iri)             # NotFound when there is none
        objects = [t.o.value for t in triples if isinstance(t.o, ox.NamedNode)]
        labels = self.labels([iri, *objects, *(t.p for t in triples)])
        types = [t.o.value for t in triples if t.p == str(RDF.type)]
        title = labels.get(iri, iri.rsplit("/", 1)[-1])
        parts = [f"<p class=\"muted\">{esc(iri)}</p>",
                 "<p>类型 type: " + "、".join(self.link(t, labels.get(t, t)) for t in types) + "</p>",
                 "<p>其他格式 other formats: "
                 + " · ".join(f"<a href=\"{esc(self.href(iri, suffix) or '')}\" type=\"{mime}\">{name}</a>"
                              for suffix, mime, name in ALTERNATES) + "</p>",
                 self._properties_html(triples, labels)]
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

    def _properties_html(self, triples: list, labels: dict[str, str]) -> str:
        """The table of a resource's properties (but its types) and their values, by label."""
        by_prop: dict[str, list] = {}
        for t in triples:
            if t.p != str(RDF.type):
                by_prop.setdefault(t.p, []).append(t.o)
        rows = []
        for p in sorted(by_prop, key=lambda p: labels.get(p, self.term_labels.get(p, p))):
            values = sorted(by_prop[p], key=lambda o: labels.get(o.value, o.value) if hasattr(o, "value") else str(o))
            shown = "<br>".join(self.value_html(p, o, labels) for o in values[:SHOWN_VALUES])
            more = (f"<br><span class=\"muted\">… {len(values) - SHOWN_VALUES} more</span>"
                    if len(values) > SHOWN_VALUES else "")
            en = self.term_labels_en.get(p)
            named = self.link(p, labels.get(p, self.term_labels.get(p, p))) + \
                (f" <span class=\"muted\">{esc(en)}</span>" if en else "")
            rows.append(f"<tr><th>{named}</th><td>{shown}{more}</td></tr>")
        return f"<table class=\"properties\">{''.join(rows)}</table>"

    def _department_html(self, dept: str) -> str:
        out = []
        for d in (r for r in self.disclosures() if r["dept"] == dept):
            out.append(f"<h2>{self.link(d['doc'], d['title'] or d['doc'])}</h2>"
                       f"<p class=\"validation\">校验 validation: {self._validation_html(d['doc'])}</p>")
            out.append(self._tables_html(d["doc"]))
        projects = self.select("department-projects", {"dept": ox.NamedNode(dept)})
        items = "".join(f"<tr><td>{self.link(r['p'].value, r['name'].value)}</td><td class=\"amount\">"
                        f"{esc(format_amount(r['amount'].value)) if r['amount'] is not None else ''}</td></tr>"
                        for r in projects)
        out.append(f"<h2>项目 projects ({len(projects)})</h2><table class=\"projects\"><tr><th>项目</th>"
                   f"<th>预算安排规模</th></tr>{items}</table>")
        out.append(self._indicators_html(self.select("department-indicators", {"dept": ox.NamedNode(dept)})))
        return "".join(out)

    def _validation_html(self, doc: str) -> str:
        """What validating disclosure *doc* found, in a sentence."""
        status = self.status(doc)
        if status is None:
            return "未校验 not validated"
        verdict = ("<span class=\"violation\">不符合 does not conform</span>" if status["violation"]
                   else "符合 conforms")
        return (f"{verdict} — {status['violation']} 违规 violations, {status['warning']} 警告 warnings, "
                f"{status['info']} 提示 notes")

    def _indicators_html(self, rows: list[dict], shown: int = 500) -> str:
        items = "".join(f"<tr><td>{self.link(r['i'].value, r['name'].value)}</td>"
                        f"<td>{esc(r['target'].value) if r['target'] is not None else ''}</td></tr>"
                        for r in rows[:shown])
        return (f"<h2>绩效指标 indicators ({len(rows)})</h2><table class=\"indicators\">"
                f"<tr><th>指标</th><th>指标值</th></tr>{items}</table>")

    def _document_html(self, document: str) -> str:
        rows = self.select("citing-projects", {"document": ox.NamedNode(document)})
        items = "".join(f"<tr><td>{self.link(r['p'].value, r['name'].value)}</td>"
                        f"<td>{self.link(r['dept'].value, r['deptName'].value)}</td></tr>" for r in rows)
        return (f"<h2>引用本文件的项目 projects citing this document ({len(rows)})</h2>"
                f"<table class=\"citing\"><tr><th>项目</th><th>部门</th></tr>{items}</table>")

    def _project_html(self, project: str) -> str:
        return self._indicators_html(self.select("project-indicators", {"project": ox.NamedNode(project)}))

    # ------------------------------------------------------------------ a disclosure's tables

    def _tables_html(self, doc: str) -> str:
        """Every table of disclosure *doc*, by number, each with the columns its kind may have
        that it fills (other periods included: 上年：合计, 年初预算：合计 …) and any others."""
        tables, heads = self._read_tables(doc)
        out = []
        known = table_kinds()
        for n in sorted(tables, key=lambda t: (heads[t][0], heads[t][2])):
            _, number, title, kind_id = heads[n]
            kind = known.get(kind_id)
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

    def _read_tables(self, doc: str) -> tuple[dict[str, dict], dict[str, tuple]]:
        """The tables of disclosure *doc*: per table IRI, its rows by index (label as HTML, code,
        amounts by column); and its head: (sort number, number, title, kind)."""
        tables: dict[str, dict] = {}
        heads: dict[str, tuple] = {}
        for r in self.select("disclosure-tables", {"doc": ox.NamedNode(doc)}):
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
        return tables, heads
