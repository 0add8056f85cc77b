"""Canned SPARQL queries (queries/*.rq): headers, typed parameters, results and their rendering.

A query file starts with comment lines: ``# title:``, ``# description:`` and one
``# param: NAME TYPE [= DEFAULT] description`` per parameter. Parameter values are
parsed and type-checked into RDF terms (``iri``, ``string``, ``decimal``, ``integer``,
``year``) and bound in a VALUES block as escaped N-Triples terms; a raw value is never
pasted into the query text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from budgetkg.errors import BudgetKGError, ParameterError, UnknownQuery
from budgetkg.resources import data_dir, query_files

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class Param:
    name: str
    type: str            # iri | string | decimal | integer | year
    default: str | None
    description: str


@dataclass
class CannedQuery:
    name: str
    path: Path
    text: str
    title: str | None
    description: str
    params: list[Param] = field(default_factory=list)


_PARAM = re.compile(r"(?P<name>[A-Za-z_]\w*)\s+(?P<type>iri|string|decimal|integer|year|document)"
                    r"(?:\s*=\s*(?P<default>\S+))?\s*(?P<description>.*)")


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
            m = _PARAM.fullmatch(value.strip())
            if not m:
                raise BudgetKGError(f"{path}: bad '# param:' line {line!r}; "
                                    "write '# param: NAME iri|string|decimal|integer|year|document [= DEFAULT] description'")
            default = m["default"]
            if default is not None and len(default) >= 2 and default[0] == default[-1] == '"':
                default = default[1:-1]
            params.append(Param(m["name"], m["type"], default, m["description"]))
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


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER_TEXT = re.compile(r"[+-]?\d+")


def typed_term(param: Param, value: str):
    """Parse *value* as *param*'s declared type into an RDF term; raise ParameterError if it is not one."""
    def bad(why: str):
        return ParameterError(f"--param {param.name}={value!r}: {why}")
    if param.type == "iri":
        if not _IRI.fullmatch(value):
            raise bad("not an absolute IRI (no spaces, quotes, <>, {} or backslashes)")
        return ox.NamedNode(value)
    if param.type == "string":
        return ox.Literal(value)
    if param.type == "document":
        from budgetkg.extract.narrative.citations import normalize_number
        number = normalize_number(value)
        if number is None:
            raise bad("not a document number such as 新财库〔2021〕83号 or 财政部令第69号")
        return ox.Literal(number)
    if param.type == "decimal":
        text = value.replace(",", "")
        if not _DECIMAL_TEXT.fullmatch(text):
            raise bad("not a decimal number such as 1000 or 15131.50")
        return ox.Literal(str(Decimal(text)), datatype=ox.NamedNode(XSD + "decimal"))
    if param.type == "integer":
        if not _INTEGER_TEXT.fullmatch(value):
            raise bad("not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if not re.fullmatch(r"\d{4}", value):
        raise bad("not a four-digit year")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYear"))


def bind_params(query: CannedQuery, given: dict[str, str]) -> dict[str, object]:
    """Check *given* against the query's declared parameters; return name → typed term."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {', '.join(unknown)} (it takes: {known})")
    bound = {}
    for name, param in declared.items():
        value = given.get(name, param.default)
        if value is None:
            raise ParameterError(f"query {query.name!r} needs --param {name}=… ({param.type}: {param.description})")
        bound[name] = typed_term(param, value)
    return bound


def parse_param_options(options: tuple[str, ...] | list[str]) -> dict[str, str]:
    given = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {option!r}: write NAME=VALUE")
        given[name.strip()] = value
    return given


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def at_where(text: str, insertion: str) -> str | None:
    """*text* with *insertion* at the start of its (outermost, first) WHERE clause, after the
    comment lines that head a query file; None when it has no ``WHERE {``."""
    header_end = 0
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        header_end += len(line)
    m = _WHERE.search(text, header_end)
    return f"{text[:m.end()]}{insertion}{text[m.end():]}" if m else None


def returns_graph(text: str) -> bool:
    """Whether *text* is a CONSTRUCT or DESCRIBE query (its answer is triples, not rows)."""
    return query_form(text) in ("CONSTRUCT", "DESCRIBE")


def with_values(text: str, bound: dict) -> str:
    """Bind parameters by an inline VALUES block at the start of the (outermost) WHERE clause.

    The values are RDF terms already parsed and type-checked (``typed_term``), or lists of
    them: a list binds its variable to each of its terms in turn (one row each, the single
    terms repeated). Their N-Triples serialization escapes quotes, braces and backslashes, so
    a value cannot end the literal or the block it sits in.
    """
    if not bound:
        return text
    names = " ".join(f"?{name}" for name in bound)
    lengths = {len(v) for v in bound.values() if isinstance(v, (list, tuple))}
    if len(lengths) > 1:
        raise ParameterError(f"cannot bind lists of different lengths to {names}")
    count = lengths.pop() if lengths else 1
    rows = " ".join("(" + " ".join(str(v[i] if isinstance(v, (list, tuple)) else v) for v in bound.values()) + ")"
                    for i in range(count))
    bound_text = at_where(text, f"\n  VALUES ({names}) {{ {rows} }}\n")
    if bound_text is None:
        raise ParameterError("cannot bind parameters: the query has no WHERE { … } clause")
    return bound_text


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword outside comments, strings and IRIs."""
    code = re.sub(r"#[^\n]*|<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", " ", text)
    m = _FORM.search(code)
    return m.group(1).upper() if m else "SELECT"


@lru_cache(maxsize=None)
def sparql(name: str) -> str:
    """The text of one of the application's own queries or updates: ``queries/<name>.rq`` or
    ``.ru`` (``site/labels``, ``store/records``, …). Canned queries are ``queries/*.rq``; the
    application's are in the sub-folders, so that no SPARQL text is written in the code."""
    root = data_dir("queries")
    for suffix in (".rq", ".ru"):
        path = root / f"{name}{suffix}"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise BudgetKGError(f"{root}: no query file {name}.rq or {name}.ru")


_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
            ".jsonld": ox.RdfFormat.JSON_LD, ".nt": ox.RdfFormat.N_TRIPLES}


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BudgetKGError(f"{path}: unknown RDF format (use .trig, .nq, .ttl, .nt or .jsonld)")
    return fmt


_DECIMAL = XSD + "decimal"
PREFIXES = {"bkg": "https://w3id.org/budgetkg/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#",
            "org": "http://www.w3.org/ns/org#", "dcterms": "http://purl.org/dc/terms/",
            "xsd": XSD, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "prov": "http://www.w3.org/ns/prov#", "qb": "http://purl.org/linked-data/cube#"}


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


@dataclass
class GraphResult:
    """The triples a CONSTRUCT or DESCRIBE query returned."""

    triples: list


def run(store, query: CannedQuery, params: dict[str, str] | None = None,
        graph: str | None = None) -> Result | GraphResult:
    """Run *query* with typed *params* over *store*'s union of graphs, or over one document's *graph*."""
    bound = bind_params(query, params or {})
    if returns_graph(query.text):
        return store.construct(query.text, bound, graph, source=str(query.path))
    return store.select(query.text, bound, graph, source=str(query.path))


def sparql_json(columns: list[str], rows: list[list], display: bool = False) -> dict:
    """SPARQL 1.1 Query Results JSON of pyoxigraph terms (None for unbound); *display* writes
    amounts with two decimals as the command line shows them, else each literal as stored."""
    bindings = []
    for row in rows:
        b = {}
        for c, term in zip(columns, row):
            if term is None:
                continue
            if isinstance(term, ox.Literal):
                entry = {"type": "literal", "value": _value(term) if display else term.value}
                if term.language:
                    entry["xml:lang"] = term.language
                elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    entry["datatype"] = term.datatype.value
            elif isinstance(term, ox.BlankNode):
                entry = {"type": "bnode", "value": term.value}
            else:
                entry = {"type": "uri", "value": term.value}
            b[c] = entry
        bindings.append(b)
    return {"head": {"vars": columns}, "results": {"bindings": bindings}}


def render(result: Result | GraphResult, fmt: str, width: int | None = None) -> str:
    """*result* as *fmt* (table, csv, json; turtle for a graph); a table is cut to *width*."""
    if isinstance(result, GraphResult):
        if fmt not in ("turtle", "table"):
            raise BudgetKGError(f"a CONSTRUCT/DESCRIBE result is RDF; use --format turtle, not {fmt}")
        return ox.serialize(result.triples, format=ox.RdfFormat.TURTLE,
                            prefixes=PREFIXES).decode("utf-8")
    if fmt == "turtle":
        raise BudgetKGError("--format turtle is for CONSTRUCT/DESCRIBE queries; use table, csv or json")
    if fmt == "json":
        return json.dumps(sparql_json(result.columns, result.rows, display=True), ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.values():
            writer.writerow(["" if v is None else v for v in row.values()])
        return out.getvalue()
    from budgetkg.store.table import table
    return table(result.columns, [[("" if v is None else v) for v in r.values()] for r in result.values()], width)


