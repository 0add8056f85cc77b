"""Canned SPARQL queries (queries/*.rq) run over an embedded pyoxigraph store."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import BudgetKGError, UnknownQuery
from .resources import ontology_files, query_files


@dataclass
class CannedQuery:
    name: str
    path: Path
    text: str
    title: str | None
    description: str
    params: list[str] = field(default_factory=list)


def parse_header(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    title, description, params = None, [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        if key == "title":
            title = value.strip()
        elif key == "description":
            description.append(value.strip())
        elif key == "param":
            params.append(value.strip())
    return CannedQuery(path.stem, path, text, title, " ".join(description), params)


def canned_queries() -> dict[str, CannedQuery]:
    return {name: parse_header(path) for name, path in query_files().items()}


def resolve_query(name_or_file: str) -> CannedQuery:
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return parse_header(path)
    queries = canned_queries()
    if name_or_file not in queries:
        raise UnknownQuery(f"no canned query {name_or_file!r}; known: {', '.join(sorted(queries))}")
    return queries[name_or_file]


_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
            ".jsonld": ox.RdfFormat.JSON_LD, ".nt": ox.RdfFormat.N_TRIPLES}


def memory_store(with_ontology: bool = True) -> ox.Store:
    store = ox.Store()
    if with_ontology:
        for path in ontology_files():
            store.load(path=str(path), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.NamedNode(f"urn:budgetkg:ontology:{path.stem}"))
    return store


def load_rdf(store: ox.Store, path: Path) -> None:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BudgetKGError(f"{path}: unknown RDF format (use .trig, .nq, .ttl, .nt or .jsonld)")
    try:
        store.load(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise BudgetKGError(f"{path}: not valid {fmt.name}: {exc}") from None


_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def _value(term) -> str | None:
    """Display value; amounts (xsd:decimal, 万元) are shown with at least two decimals as printed."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype and term.datatype.value == _DECIMAL:
        value = Decimal(term.value)
        return str(value.quantize(Decimal("0.01"))) if -value.as_tuple().exponent < 2 else str(value)
    return term.value


@dataclass
class Result:
    columns: list[str]
    rows: list[list]          # pyoxigraph terms or None

    def values(self) -> list[dict[str, str | None]]:
        return [{c: _value(t) for c, t in zip(self.columns, row)} for row in self.rows]


def run(store: ox.Store, query: CannedQuery) -> Result:
    try:
        solutions = store.query(query.text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise BudgetKGError(f"{query.path}: SPARQL syntax error: {exc}") from None
    columns = [v.value for v in solutions.variables]
    rows = [[solution[c] for c in columns] for solution in solutions]
    return Result(columns, rows)


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        bindings = []
        for row in result.rows:
            b = {}
            for c, term in zip(result.columns, row):
                if term is None:
                    continue
                if isinstance(term, ox.Literal):
                    entry = {"type": "literal", "value": _value(term)}
                    if term.language:
                        entry["xml:lang"] = term.language
                    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                        entry["datatype"] = term.datatype.value
                else:
                    entry = {"type": "uri", "value": term.value}
                b[c] = entry
            bindings.append(b)
        return json.dumps({"head": {"vars": result.columns}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.values():
            writer.writerow(["" if v is None else v for v in row.values()])
        return out.getvalue()
    rows = [[("" if v is None else v) for v in r.values()] for r in result.values()]
    widths = [max([_width(c)] + [_width(r[i]) for r in rows]) for i, c in enumerate(result.columns)]
    lines = [" | ".join(_pad(c, w) for c, w in zip(result.columns, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    lines.extend(" | ".join(_pad(v, w) for v, w in zip(r, widths)) for r in rows)
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
