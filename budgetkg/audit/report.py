"""Validation findings as an audit report: text and HTML for a person, JSON for tools, and the
standard ``sh:ValidationReport`` in Turtle.

Findings are grouped by document (named by its file) and ordered by place, then severity.
Each names the rule (its title in Chinese and English and its file), the file, page (for a
PDF) and line of the row, table or statement it concerns, and the figures involved, which
the rule's message states (expected, found, difference).
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import asdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

import pyoxigraph as ox

from budgetkg.store.query import sparql
from budgetkg.audit.coverage import Coverage, coverage
from budgetkg.audit.validate import RANK, Shapes
from budgetkg.extract.findings import Finding

SEVERITY_ZH = {"violation": "违规 (Violation)", "warning": "警告 (Warning)", "info": "提示 (Info)"}


BKG = "https://w3id.org/budgetkg/ontology#"


class Places(dict):
    """Where findings are: node → (line, page) of the focus and value nodes they name, and
    document → the file it was read from."""

    def __init__(self):
        super().__init__()
        self.files: dict[str, str] = {}

    def line(self, f: Finding) -> int | None:
        return (self.get(f.value or "") or self.get(f.object) or (None, None))[0]

    def page(self, f: Finding) -> int | None:
        return (self.get(f.value or "") or self.get(f.object) or (None, None))[1]

    def where(self, f: Finding) -> str:
        """第12页 page 12, 第340行 line 340 (a text has no pages; a finding about the whole
        document says so)."""
        line, page = self.line(f), self.page(f)
        parts = []
        if page:
            parts.append(f"第{page}页 page {page}")
        if line:
            parts.append(f"第{line}行 line {line}")
        return ", ".join(parts) if parts else "全文 / document"


def source_lines(store, findings: list[Finding]) -> Places:
    """bkg:sourceLine (and bkg:sourcePage, for PDFs) of every focus and value node the findings
    name, and the file of every document they are about."""
    places = Places()
    nodes = sorted({n for f in findings for n in (f.value, f.object) if n and n.startswith("http")})
    for i in range(0, len(nodes), 500):
        bound = {"n": [ox.NamedNode(n) for n in nodes[i:i + 500]]}
        for n, line, page in store.select(sparql("audit/source-lines"), bound).rows:
            places[n.value] = (int(line.value), int(page.value) if page is not None else None)
    documents = sorted({f.document for f in findings if f.document})
    for i in range(0, len(documents), 500):
        bound = {"d": [ox.NamedNode(d) for d in documents[i:i + 500]]}
        for d, file in store.select(sparql("audit/source-files"), bound).rows:
            places.files[d.value] = file.value
    return places


def summary(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(f"{counts[s]} {s}" for s in sorted(counts, key=RANK.get)) or "no findings"


def _grouped(findings: list[Finding], places: Places) -> dict[str, list[Finding]]:
    """Findings by document (in the order of their files), each document's in the order of
    their places (line), then by severity; findings about a whole document first."""
    out: dict[str, list[Finding]] = {}
    documents = sorted({f.document or "" for f in findings}, key=lambda d: (places.files.get(d, ""), d))
    for d in documents:
        items = [f for f in findings if (f.document or "") == d]
        items.sort(key=lambda f: (places.line(f) or 0, RANK[f.severity], f.code, f.message))
        out[d or "(no document)"] = items
    return out


def _heading(document: str, places: Places) -> str:
    file = places.files.get(document)
    return f"{file} — {document}" if file else document


def render_text(findings: list[Finding], shapes: Shapes, places: Places, covered: Coverage | None = None) -> str:
    titles = shapes.titles()
    out = [f"预算公开检查报告 / audit report: {summary(findings)}"]
    out += covered.lines() if covered else []
    for document, items in _grouped(findings, places).items():
        out.append("")
        out.append(f"== {_heading(document, places)}  ({summary(items)})")
        file = places.files.get(document)
        for f in items:
            zh, en, rule_file = titles.get(f.code, ("", "", ""))
            where = places.where(f)
            out.append(f"[{SEVERITY_ZH[f.severity]}] {file + ', ' if file else ''}{where}: {f.message}")
            out.append(f"    规则 / rule: {zh} / {en} ({rule_file})")
    return "\n".join(out) + "\n"


def render_html(findings: list[Finding], shapes: Shapes, places: Places, covered: Coverage | None = None) -> str:
    e = html.escape
    titles = shapes.titles()
    parts = ["<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\">",
             "<title>预算公开检查报告 / audit report</title>",
             "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px;"
             "vertical-align:top}table{border-collapse:collapse}.violation{color:#a00}.warning{color:#a60}"
             ".info{color:#555}</style></head><body>",
             f"<h1>预算公开检查报告 / audit report</h1><p>{e(summary(findings))}</p>"]
    parts += [f"<p class=\"coverage\">{e(line)}</p>" for line in (covered.lines() if covered else [])]
    for document, items in _grouped(findings, places).items():
        parts.append(f"<h2>{e(_heading(document, places))}</h2><p>{e(summary(items))}</p><table><tr>"
                     "<th>严重程度 / severity</th><th>位置 / where</th><th>问题 / finding</th><th>规则 / rule</th></tr>")
        for f in items:
            zh, en, rule_file = titles.get(f.code, ("", "", ""))
            parts.append(f"<tr class=\"{f.severity}\"><td>{e(SEVERITY_ZH[f.severity])}</td>"
                         f"<td>{e(places.where(f))}</td>"
                         f"<td>{e(f.message)}</td><td>{e(zh)}<br>{e(en)}<br><code>{e(rule_file)}</code></td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_json(findings: list[Finding], shapes: Shapes, places: Places, covered: Coverage | None = None) -> str:
    titles = shapes.titles()
    rows = []
    for items in _grouped(findings, places).values():
        for f in items:
            zh, en, file = titles.get(f.code, ("", "", ""))
            # in SHACL's words (a result's focus node and source shape), as this report always wrote them
            rows.append({"document": f.document, "focus": f.object, "shape": f.code, "severity": f.severity,
                         "message": f.message, "value": f.value, "path": f.path,
                         "file": places.files.get(f.document or ""), "page": places.page(f),
                         "line": places.line(f), "rule": {"zh": zh, "en": en, "file": file}})
    conforms = not any(f.severity == "violation" for f in findings)
    out = {"conforms": conforms, "summary": dict(Counter(f.severity for f in findings)), "results": rows}
    if covered is not None:
        out["coverage"] = asdict(covered)
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def report_graph(findings: list[Finding]) -> Graph:
    """The standard sh:ValidationReport."""
    g = Graph()
    g.bind("sh", str(SH))
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not any(f.severity == "violation" for f in findings))))
    for f in findings:
        r = BNode()
        g.add((report, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, URIRef(f.object)))
        g.add((r, SH.sourceShape, URIRef(f.code) if f.code.startswith("http") else Literal(f.code)))
        g.add((r, SH.resultSeverity, SH[f.severity.capitalize()]))
        g.add((r, SH.resultMessage, Literal(f.message)))
        if f.path:
            g.add((r, SH.resultPath, URIRef(f.path)))
            g.add((r, SH.sourceConstraintComponent, SH.MinCountConstraintComponent))
        else:
            g.add((r, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        if f.value:
            g.add((r, SH.value, URIRef(f.value) if f.value.startswith("http") else Literal(f.value)))
    return g


def render(findings: list[Finding], shapes: Shapes, store, fmt: str) -> str:
    if fmt == "turtle":
        return report_graph(findings).serialize(format="turtle")
    places = source_lines(store, findings)
    return {"text": render_text, "html": render_html, "json": render_json}[fmt](findings, shapes, places,
                                                                                coverage(store))
