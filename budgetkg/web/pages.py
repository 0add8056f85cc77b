"""The site's HTML pages, in Chinese (with English glosses): the home page and each resource's
page, with a department's tables, projects and indicators, a cited document's citing projects
and a project's indicators.

:class:`Pages` is a part of :class:`budgetkg.web.site.Site`: it reads through the site's
``select``, ``labels``, ``description``, ``disclosures`` and ``status``. Every literal is
HTML-escaped where it is written.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from budgetkg.vocab import BKG
from budgetkg.web.charts import Bar, donut
from budgetkg.web.sheets import Sheet
from budgetkg.web.syntax import ALTERNATES
from budgetkg.web.text import esc, format_amount

_WEB_IRI = re.compile(r"https?://", re.IGNORECASE)
SHOWN_VALUES = 200          # values of one property a page lists
_STYLE = ("<style>body{font-family:'WenQuanYi Zen Hei','Noto Sans CJK SC',sans-serif;margin:1.5em;max-width:80em;"
          "color:#222;line-height:1.45}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;"
          "padding:3px 6px;vertical-align:top}thead th{background:#eef2f7}td.amount{text-align:right;"
          "white-space:nowrap;font-variant-numeric:tabular-nums}nav{padding-bottom:.5em;border-bottom:1px solid #ccc}"
          "nav a{margin-right:1em}.violation{color:#a00}.warning{color:#a60}.muted{color:#666}"
          "figure.chart{margin:.8em 0;max-width:100%}figcaption{font-weight:bold;margin-bottom:.3em}"
          "svg.chart a text{fill:#1a4f8b;text-decoration:underline}svg.chart rect.bar:hover,svg.chart path.slice:hover"
          "{opacity:.75}details{margin:.4em 0}summary{cursor:pointer}p.table-status{margin:.3em 0}"
          ".status-DeclaredEmpty{color:#555}.status-Absent,.status-Unparsed{color:#a00}"
          "tr.level-total,tr.level-class{font-weight:bold}p.lead{font-size:1.1em}table.identity th,table.totals th"
          "{text-align:left;font-weight:normal;background:#f6f6f6}div.charts{display:flex;flex-wrap:wrap;gap:0 2em}"
          "</style>")


def latest_disclosure(rows: list[dict]) -> str:
    """Of a department's disclosures (department-disclosures rows), the latest year's: its
    budget before its final account, the department's before a unit's."""
    order = {"budget": 0, "final": 1}
    return sorted(rows, key=lambda r: (-int(r["year"] or 0), order.get(r["phase"], 2),
                                       r["scope"] != "department", r["doc"]))[0]["doc"]


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
            return ("<nav><a href=\"/\">首页 Home</a><a href=\"/departments\">部门 departments</a>"
                    "<a href=\"/compare/three-public\">“三公”比较 compare</a><a href=\"/catalog.ttl\">数据目录 Catalogue</a>"
                    "<a href=\"/dumps/all.nq\">N-Quads</a></nav>")
        return ("<nav><a href=\"/\">首页 Home</a><a href=\"/departments\">部门 departments</a>"
                "<a href=\"/compare/three-public\">“三公”比较 compare</a>"
                "<a href=\"/sparql\">SPARQL</a><a href=\"/catalog\">数据目录 Catalogue</a>"
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
        """The home page (the corpus at a glance), or with *search* the departments whose names
        hold its words."""
        if search:
            return self.departments_html(search)
        view = self.overview()
        return self.page(view.title, view.body)

    def view_html(self, view) -> str:
        return self.page(view.title, view.body)

    # ------------------------------------------------------------------ a resource's page

    def resource_html(self, iri: str) -> str:
        triples = self.description(iri)             # NotFound when there is none
        objects = [t.o.value for t in triples if isinstance(t.o, ox.NamedNode)]
        labels = self.labels([iri, *objects, *(t.p for t in triples)])
        types = [t.o.value for t in triples if t.p == str(RDF.type)]
        title = labels.get(iri, iri.rsplit("/", 1)[-1])
        formats = ("<p>其他格式 other formats: "
                   + " · ".join(f"<a href=\"{esc(self.href(iri, suffix) or '')}\" type=\"{mime}\">{name}</a>"
                                for suffix, mime, name in ALTERNATES) + "</p>")
        parts = [f"<p class=\"muted\">{esc(iri)}</p>",
                 "<p>类型 type: " + "、".join(self.link(t, labels.get(t, t)) for t in types) + "</p>", formats]
        budget = ""
        if str(BKG.Department) in types or "http://www.w3.org/ns/org#Organization" in types:
            budget += self._department_html(iri)
        if str(BKG.Disclosure) in types:
            budget += self.budget_html(iri)
        properties = self._properties_html(triples, labels)
        if budget:          # a budget first; the resource's every property after it, folded
            parts += [budget, f"<details class=\"properties-box\"><summary><b>全部属性 every property "
                              f"({len(triples)})</b></summary>{properties}</details>"]
        else:
            parts.append(properties)
        if "http://data.europa.eu/eli/ontology#LegalResource" in types:
            parts.append(self._document_html(iri))
        if str(BKG.Project) in types:
            parts.insert(3, self._allocations_html(iri))
            parts.append(self._indicators_html(self.select("project-indicators", {"project": ox.NamedNode(iri)})))
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
        """A department's disclosures by year, then the budget page of its latest (a budget
        before a final account, the department's before a unit's)."""
        rows = self.department_years(dept)
        if not rows:
            return ""
        return self.years_html(dept, rows) + self.budget_html(latest_disclosure(rows))

    def resource_sheet(self, iri: str):
        """The figures of *iri*'s page as a :class:`Sheet`: a disclosure's (or a department's
        latest disclosure's) tables, cell by cell; any other resource's properties."""
        triples = self.description(iri)             # NotFound when there is none
        types = {t.o.value for t in triples if t.p == str(RDF.type)}
        if str(BKG.Disclosure) in types:
            return self.budget_sheet(iri)
        if str(BKG.Department) in types or "http://www.w3.org/ns/org#Organization" in types:
            rows = self.department_years(iri)
            if rows:
                return self.budget_sheet(latest_disclosure(rows))
        labels = self.labels([t.p for t in triples])
        return Sheet([("property", "属性", "property IRI"), ("label", "属性名", "property"), ("value", "值", "value")],
                     [{"property": t.p, "label": labels.get(t.p, self.term_labels.get(t.p, t.p)),
                       "value": t.o.value} for t in triples])

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

    def _allocations_html(self, project: str) -> str:
        """A project's allocations (资金分配), as a chart where their amounts are printed."""
        rows = self.select("project-allocations", {"project": ox.NamedNode(project)})
        parts = [Bar(r["label"].value if r["label"] is not None else r["a"].value.rsplit("/", 1)[-1],
                     (Decimal(r["amount"].value),)) for r in rows]
        chart = donut(parts, "资金分配")
        return (f'<h2>资金分配 allocation ({len(parts)})</h2><figure class="chart" data-chart="allocations">'
                f'{chart}</figure>' if chart else "")
