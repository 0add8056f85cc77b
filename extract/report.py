"""Validation findings as an audit report: text and HTML for a person, JSON for tools, and the
standard ``sh:ValidationReport`` in Turtle.

Findings are grouped by document and ordered by severity. Each names the rule (its title in
Chinese and English and its file), the source line of the row, table or statement it concerns,
and the figures involved, which the rule's message states (expected, found, difference).
Text renderings carry no page numbers; a page is given where the source had pages.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import asdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .query import CannedQuery
from .validate import RANK, Finding, Shapes

SEVERITY_ZH = {"violation": "违规 (Violation)", "warning": "警告 (Warning)", "info": "提示 (Info)"}


def source_lines(store, findings: list[Finding]) -> dict[str, int]:
    """bkg:sourceLine of every focus and value node the findings name."""
    nodes = sorted({n for f in findings for n in (f.value, f.focus) if n and n.startswith("http")})
    lines: dict[str, int] = {}
    for i in range(0, len(nodes), 500):
        values = " ".join(f"<{n}>" for n in nodes[i:i + 500])
        text = ("SELECT ?n ?line WHERE { VALUES ?n { " + values + " } "
                "?n <https://w3id.org/budgetkg/ontology#sourceLine> ?line }")
        result = store.query(CannedQuery("source-lines", None, text, None, ""), {})
        for n, line in result.rows:
            lines[n.value] = int(line.value)
    return lines


def _line(f: Finding, lines: dict[str, int]) -> int | None:
    return lines.get(f.value or "") or lines.get(f.focus)


def summary(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(f"{counts[s]} {s}" for s in sorted(counts, key=RANK.get)) or "no findings"


def _grouped(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.document or "", RANK[f.severity], f.shape, f.message)):
        out.setdefault(f.document or "(no document)", []).append(f)
    return out


def render_text(findings: list[Finding], shapes: Shapes, lines: dict[str, int]) -> str:
    titles = shapes.titles()
    out = [f"预算公开检查报告 / audit report: {summary(findings)}"]
    for document, items in _grouped(findings).items():
        out.append("")
        out.append(f"== {document}  ({summary(items)})")
        for f in items:
            zh, en, file = titles.get(f.shape, ("", "", ""))
            line = _line(f, lines)
            where = f"第{line}行 / line {line}" if line else "全文 / document"
            out.append(f"[{SEVERITY_ZH[f.severity]}] {where}: {f.message}")
            out.append(f"    规则 / rule: {zh} / {en} ({file})")
    return "\n".join(out) + "\n"


def render_html(findings: list[Finding], shapes: Shapes, lines: dict[str, int]) -> str:
    e = html.escape
    titles = shapes.titles()
    parts = ["<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\">",
             "<title>预算公开检查报告 / audit report</title>",
             "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px;"
             "vertical-align:top}table{border-collapse:collapse}.violation{color:#a00}.warning{color:#a60}"
             ".info{color:#555}</style></head><body>",
             f"<h1>预算公开检查报告 / audit report</h1><p>{e(summary(findings))}</p>"]
    for document, items in _grouped(findings).items():
        parts.append(f"<h2>{e(document)}</h2><p>{e(summary(items))}</p><table><tr><th>严重程度 / severity</th>"
                     "<th>位置 / where</th><th>问题 / finding</th><th>规则 / rule</th></tr>")
        for f in items:
            zh, en, file = titles.get(f.shape, ("", "", ""))
            line = _line(f, lines)
            parts.append(f"<tr class=\"{f.severity}\"><td>{e(SEVERITY_ZH[f.severity])}</td>"
                         f"<td>{e(f'第{line}行 / line {line}' if line else '全文 / document')}</td>"
                         f"<td>{e(f.message)}</td><td>{e(zh)}<br>{e(en)}<br><code>{e(file)}</code></td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_json(findings: list[Finding], shapes: Shapes, lines: dict[str, int]) -> str:
    titles = shapes.titles()
    rows = []
    for f in findings:
        zh, en, file = titles.get(f.shape, ("", "", ""))
        rows.append({**asdict(f), "line": _line(f, lines), "rule": {"zh": zh, "en": en, "file": file}})
    conforms = not any(f.severity == "violation" for f in findings)
    return json.dumps({"conforms": conforms, "summary": dict(Counter(f.severity for f in findings)),
                       "results": rows}, ensure_ascii=False, indent=2) + "\n"


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
        g.add((r, SH.focusNode, URIRef(f.focus)))
        g.add((r, SH.sourceShape, URIRef(f.shape) if f.shape.startswith("http") else Literal(f.shape)))
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
    lines = source_lines(store, findings)
    return {"text": render_text, "html": render_html, "json": render_json}[fmt](findings, shapes, lines)
