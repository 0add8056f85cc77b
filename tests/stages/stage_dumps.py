"""Compact, readable dumps of each extraction stage, for the golden files of tests/fixtures/stages/.

Each dump is plain text, one fact per line, with the source line numbers a reader needs to check
it against the document (tests/fixtures/stages/README.md says what was checked). They are kept
short on purpose: a few rows per table, counts for the rest.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF

from budgetkg.extract.emit import to_graph
from budgetkg.extract.pipeline import extract_records, read_source, segment_source
from budgetkg.vocab import BKG

STAGES = ("segments", "tables", "narrative", "emit")

_cache: dict[str, tuple] = {}


def extracted(path: Path):
    """(source, disclosure, segments) of a sample, read once per test session."""
    key = str(path)
    if key not in _cache:
        source = read_source(path)
        disclosure, seg = extract_records(source)
        _cache[key] = (source, disclosure, seg)
    return _cache[key]


def _nonblank(lines) -> list[int]:
    return [ln.number for ln in lines if ln.text.strip()]


def _span(lines) -> str:
    if not lines:
        return "none"
    text = _nonblank(lines)
    first, last = (text[0], text[-1]) if text else ("-", "-")
    return (f"lines {lines[0].number}-{lines[-1].number}; {len(text)} non-blank, "
            f"first {first}, last {last}")


def segments_dump(path: Path) -> str:
    source = read_source(path)
    family, department, seg = segment_source(source)
    out = [f"# segments of {path.name} (pipeline.segment_source)",
           f"template: {family.id}",
           f"department: {department}",
           f"part1: {_span(seg.part1)}",
           "tables (in printed order):"]
    for kind, t in sorted(seg.tables.items(), key=lambda kv: kv[1].start):
        body = _nonblank(t.lines)
        out.append(f"  {kind}: {t.label} | unit {t.unit} | title line {source.lines[t.start].number} | "
                   f"body {body[0] if body else '-'}-{body[-1] if body else '-'}")
    out.append("unrecognised tables: " + (", ".join(f"{t.title} (line {source.lines[t.start].number})"
                                                    for t in seg.unrecognised) or "none"))
    out.append("duplicate tables: " + (", ".join(f"{t.label} (line {n})" for t, n in seg.duplicate_tables)
                                       or "none"))
    out.append("headings:")
    for i, role in seg.headings:
        out.append(f"  line {source.lines[i].number} {role}: {source.lines[i].text.strip()}")
    out.append(f"part3 (explanation): {_span(seg.part3)}; explanation heading found: {seg.part3_found}")
    out.append(f"part4 (glossary): {_span(seg.part4)}")
    return "\n".join(out) + "\n"


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _row(row) -> str:
    cells = " ".join(f"{k}={_amount(v)}" for k, v in row.cells.items()) or "no amounts"
    extra = []
    if row.side:
        extra.append(row.side)
    if row.project:
        extra.append(f"project {row.project}")
    if row.unit:
        extra.append(f"unit {row.unit}")
    if row.unplaced:
        extra.append(f"unplaced [{row.unplaced}]")
    tail = f" | {'; '.join(extra)}" if extra else ""
    return f"    row {row.index} line {row.line} | {row.code or '-'} | {row.label or '-'} | {row.level} | {cells}{tail}"


def _sample_rows(table) -> list:
    """The first two rows, the first 项-level (7-digit) row and the first 款-level row, the first
    expenditure-side row of a two-sided table, the first row with unplaced numbers and the last row."""
    rows = table.rows
    picked = list(rows[:2])
    for test in (lambda r: r.code and len(r.code) == 7, lambda r: r.code and len(r.code) == 5,
                 lambda r: r.side == "expenditure", lambda r: r.unplaced):
        found = next((r for r in rows if test(r)), None)
        if found is not None:
            picked.append(found)
    if rows:
        picked.append(rows[-1])
    seen: set[int] = set()
    return [r for r in sorted(picked, key=lambda r: r.index) if not (r.index in seen or seen.add(r.index))]


def tables_dump(path: Path) -> str:
    _, d, _ = extracted(path)
    out = [f"# tables of {path.name} (pipeline.extract_records: Disclosure.tables); amounts in 万元",
           f"department: {d.department} | year {d.year} | phase {d.phase} | scope {d.scope} | "
           f"template {d.template} | rendering {d.rendering} | signed {d.date_signed}"]
    for kind, t in d.tables.items():
        unplaced = sum(1 for r in t.rows if r.unplaced)
        out.append(f"{kind}: {t.label} | {t.status} | unit {t.unit} | first body line {t.line} | "
                   f"{len(t.rows)} rows | {sum(len(r.cells) for r in t.rows)} amounts | "
                   f"{unplaced} rows with unplaced numbers")
        out.append(f"  columns: {' '.join(t.columns) or '-'}")
        if t.note:
            out.append(f"  note: {t.note}")
        if t.raw_text and t.status == "unparsed":
            out.append(f"  raw text: {len(t.raw_text.splitlines())} lines")
        for row in _sample_rows(t):
            out.append(_row(row))
    return "\n".join(out) + "\n"


def _short(text: str | None, n: int = 40) -> str:
    if text is None:
        return "-"
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


def narrative_dump(path: Path) -> str:
    _, d, _ = extracted(path)
    ov = d.overview
    out = [f"# narrative of {path.name} (overview, projects, citations, performance tables, explanation)"]
    out.append(f"overview: first line {ov.line} | functions {len(ov.functions_text or '')} chars: "
               f"{_short(ov.functions_text, 30)}")
    out.append(f"  divisions {ov.division_count} stated, {len(ov.divisions)} listed: {'、'.join(ov.divisions)}")
    out.append(f"  units {len(ov.units)}: " + "; ".join(f"{u.position} {u.name}{' (head)' if u.is_head else ''}"
                                                         for u in ov.units))
    s = ov.staffing
    if s is not None:
        out.append(f"  staffing: authorized {s.authorized}, actual {s.actual}, active {s.active} ({s.active_change:+d}), "
                   f"retired {s.retired} ({s.retired_change:+d}), veterans {s.retired_veterans} "
                   f"({s.retired_veterans_change:+d})" if None not in (s.active_change, s.retired_change,
                                                                      s.retired_veterans_change)
                   else f"  staffing: {s}")
    out.append(f"projects: {len(d.projects)}")
    for p in d.projects:
        period = f"{p.period_start}..{p.period_end}" if p.period_start else f"unparsed {p.period!r}"
        out.append(f"  line {p.line} | {p.name} | {_amount(p.amount) if p.amount is not None else '-'} | "
                   f"unit {p.unit or '-'} | {period} | {len(p.items)} allocation items | "
                   f"cites {', '.join(c.key for c in p.citations if c.kind != 'title') or '-'}")
    out.append(f"confidential projects: {len(d.confidential)}")
    kinds = Counter(c.kind for c in d.citations)
    out.append(f"citations: {len(d.citations)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
               f"first five: {', '.join(c.key for c in d.citations[:5])}")
    n_ind = sum(len(t.indicators) for t in d.performance)
    n_unparsed = sum(len(t.unparsed) for t in d.performance)
    weights = Counter(str(sum((i.weight or Decimal(0) for i in t.indicators), Decimal(0))) for t in d.performance)
    out.append(f"performance tables: {len(d.performance)} "
               f"({sum(1 for t in d.performance if t.kind == 'department')} department); "
               f"{n_ind} indicators; {n_unparsed} rows kept as text; weight sums: "
               + ", ".join(f"{w} x{n}" for w, n in sorted(weights.items())))
    for t in d.performance[:2]:
        out.append(f"  {t.label} | {t.project or '-'} | {len(t.indicators)} indicators")
        for i in t.indicators[:2]:
            v = i.value
            out.append(f"    line {i.line} | {i.level1 or '-'} / {i.level2 or '-'} / {i.name} | {v.text!r} -> "
                       f"{v.kind} {v.comparator or ''} {v.target if v.target is not None else ''} "
                       f"{v.unit or ''}{v.target_date or ''} | weight {i.weight}")
    ex = d.explanation
    out.append(f"change statements: {len(ex.statements)}")
    for st in ex.statements[:3] + ex.statements[-1:]:
        out.append(f"  line {st.line} | {st.subject} | amount {st.amount} | share {st.share} | change {st.change} | "
                   f"percent {st.percent} | reason {_short(st.reason, 24)}")
    for name in ("three_public", "operating", "procurement", "assets", "performance", "carryover", "fiscal", "basic"):
        fig = getattr(ex, name)
        if fig is not None:
            values = ", ".join(f"{k}={_amount(v)}" for k, v in fig.values.items())
            out.append(f"{name}: line {fig.line} | {values}")
    out.append(f"issues: {len(d.issues)}")
    for issue in d.issues:
        out.append(f"  line {issue.line} | {_short(issue.message, 70)}")
    return "\n".join(out) + "\n"


def _short_iri(term, doc: str) -> str:
    text = str(term)
    for prefix, ns in (("bkg:", str(BKG)), ("qb:", "http://purl.org/linked-data/cube#"),
                       ("skos:", "http://www.w3.org/2004/02/skos/core#"), ("org:", "http://www.w3.org/ns/org#"),
                       ("dcat:", "http://www.w3.org/ns/dcat#"), ("eli:", "http://data.europa.eu/eli/ontology#")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text.replace(doc, "<doc>") if isinstance(term, URIRef) else term.n3()


def emit_dump(path: Path) -> str:
    _, d, _ = extracted(path)
    g = to_graph(d)
    doc = str(g.identifier)
    out = [f"# emit of {path.name} (emit.to_graph): one named graph", f"graph: {doc}", f"triples: {len(g)}",
           "subjects by rdf:type:"]
    types = Counter(_short_iri(o, doc) for o in g.objects(None, RDF.type))
    for name, n in sorted(types.items()):
        out.append(f"  {name} {n}")
    out.append("amounts of each table's last row (<doc> is the graph name):")
    for kind, t in d.tables.items():
        if not t.rows:
            continue
        row = t.rows[-1]
        for key in row.cells:
            obs = URIRef(f"{doc}/table/{kind}/row/{row.index}/{key}")
            for value in g.objects(obs, BKG.amount):
                out.append(f"  <doc>/table/{kind}/row/{row.index}/{key} bkg:amount {value.n3()}")
    return "\n".join(out) + "\n"


DUMPS = {"segments": segments_dump, "tables": tables_dump, "narrative": narrative_dump, "emit": emit_dump}
