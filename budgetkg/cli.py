"""Command line: ``budgetkg build | load | query | queries | extract | validate``.

Exit codes (as pySHACL): 0 success, 1 findings of severity error (``build``), 2 errors.
Errors name the file and the place; the other files of a batch are still processed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
import shlex
import sys
from collections import Counter
from pathlib import Path

import click

from budgetkg import __version__
from budgetkg.build import build as build_batch, default_jobs
from budgetkg.extract.emit import to_dataset, to_graph
from budgetkg.errors import BudgetKGError, DisclosureError
from budgetkg.extract.pipeline import DEFAULT_MAX_BYTES, STAGES, extract_records, read_source, segment_source
from budgetkg.store.query import canned_queries, parse_param_options, render, resolve_query, run
from budgetkg.store.guard import refuse_service
from budgetkg.store.embedded import DEFAULT_LOCATION, ensure_ontology, load_rdf_file, memory_store, open_store

log = logging.getLogger("budgetkg")

RDF_FORMATS = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "jsonld": "json-ld"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}


_VERBOSE_HELP = "Log stage counts and timings (-vv for debug)."


def _verbosity(ctx, param, value) -> int:
    if value:
        logging.getLogger().setLevel([logging.WARNING, logging.INFO, logging.DEBUG][min(value, 2)])
    return value


class Commands(click.Group):
    """The command group; every command also takes -v, so that `budgetkg build -v` works as
    `budgetkg -v build` does."""

    def add_command(self, cmd, name=None):
        if not any(p.name == "verbose" for p in cmd.params):
            cmd.params.append(click.Option(["-v", "--verbose"], count=True, expose_value=False,
                                           callback=_verbosity, help=_VERBOSE_HELP))
        super().add_command(cmd, name)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetkg")
@click.option("-v", "--verbose", count=True, help=_VERBOSE_HELP)
def main(verbose: int) -> None:
    """budgetkg: department budget disclosures (部门预算公开) as a knowledge graph."""
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


class ByteSize(click.ParamType):
    """A size in bytes: 5000000, 64M, 1.5G (K, M, G are powers of 1024); 0 for no limit."""

    name = "size"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*", str(value))
        if not m:
            self.fail(f"{value!r} is not a size such as 64M, 500K or 1000000", param, ctx)
        return int(float(m.group(1)) * 1024 ** " KMG".index((m.group(2) or " ").upper()))


CODE_LIST = click.option(
    "--code-list", "code_lists", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE.csv",
    help="A complete official code list (CSV: kind, year, code, name). Codes of that kind and year missing "
         "from it are then warnings (codes-are-in-the-official-list); without one, a code missing from the "
         "bundled, partial list is only noted. Repeatable.")
MAX_BYTES = click.option("--max-bytes", type=ByteSize(), default=DEFAULT_MAX_BYTES, show_default="64M",
                         help="Refuse, unread, any file larger than this (K, M, G suffixes; 0: no limit).")


def _extract_many(files: list[str], base: str | None, show_progress: bool, template: str | None = None,
                  max_bytes: int | None = DEFAULT_MAX_BYTES):
    """Extract every file; yield (path, graph or None). Failures are reported and skipped."""
    with click.progressbar(files, label="extracting", file=sys.stderr,
                           hidden=not show_progress) as bar:
        for path in bar:
            try:
                disclosure, _ = extract_records(read_source(path, max_bytes), template)
            except DisclosureError as exc:
                click.echo(f"error: {exc}", err=True)
                yield path, None
                continue
            except OSError as exc:
                click.echo(f"error: {path}: cannot read: {exc.strerror or exc}", err=True)
                yield path, None
                continue
            for issue in disclosure.issues:
                click.echo(issue.located(path), err=True)
            yield path, to_graph(disclosure, base)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write here instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(sorted(RDF_FORMATS)), default="trig", show_default=True)
@click.option("--base", help="Base IRI for minted resources.", default=None)
@click.option("--debug-stage", type=click.Choice(STAGES),
              help="Dump one stage's intermediate result as JSON instead of RDF (first file only).")
@click.option("--template", default=None, metavar="NAME|FILE.toml",
              help="Read with this template family (see `budgetkg templates`) instead of recognising it.")
@MAX_BYTES
def extract(files, output, fmt, base, debug_stage, template, max_bytes):
    """Extract disclosure FILES into RDF, one named graph per document."""
    if debug_stage:
        try:
            click.echo(_debug_dump(files[0], debug_stage, template, max_bytes))
        except BudgetKGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        return
    graphs, failed = [], 0
    for _, graph in _extract_many(list(files), base, len(files) > 1 and sys.stderr.isatty(), template, max_bytes):
        if graph is None:
            failed += 1
        else:
            graphs.append(graph)
    if fmt in ("turtle",) and len(graphs) > 1:
        click.echo("error: turtle holds one graph; use trig, nquads or jsonld for several files", err=True)
        sys.exit(2)
    data = (graphs[0].serialize(format="turtle") if fmt == "turtle" and graphs
            else to_dataset(graphs).serialize(format=RDF_FORMATS[fmt]))
    if output:
        Path(output).write_text(data, encoding="utf-8")
    else:
        click.echo(data)
    click.echo(f"extracted {len(graphs)} of {len(files)} file(s)"
               f"{f', {failed} failed' if failed else ''}", err=True)
    sys.exit(2 if failed else 0)


def _debug_dump(path: str, stage: str, template: str | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES) -> str:
    source = read_source(path, max_bytes)
    if stage == "lines":
        return json.dumps({"rendering": source.rendering,
                           "lines": [[ln.number, ln.text] + ([ln.page] if ln.page is not None else [])
                                     for ln in source.lines]}, ensure_ascii=False, indent=1)
    if stage == "segments":          # segmentation alone: shown even when the document cannot be extracted
        family, department, seg = segment_source(source, template)

        def span(lines):
            return [lines[0].number, lines[-1].number] if lines else None
        return json.dumps({
            "template": family.id, "department": department,
            "part1": span(seg.part1),
            "tables": {k: {"title": t.title, "number": t.number, "unit": t.unit,
                           "title_line": source.lines[t.start].number, "lines": span(t.lines)}
                       for k, t in seg.tables.items()},
            "unrecognised tables": [{"title": t.title, "title_line": source.lines[t.start].number,
                                     "lines": span(t.lines)} for t in seg.unrecognised],
            "headings": [[source.lines[i].number, role, source.lines[i].text] for i, role in seg.headings],
            "part3": span(seg.part3), "part4": span(seg.part4)}, ensure_ascii=False, indent=1)
    disclosure, seg = extract_records(source, template)
    return json.dumps(dataclasses.asdict(disclosure), ensure_ascii=False, indent=1, default=str)


_READ_OPTIONS = [
    click.option("--store", "store_dir", type=click.Path(file_okay=False), envvar="BUDGETKG_STORE",
                 help=f"Embedded store directory [default: ./{DEFAULT_LOCATION}; env BUDGETKG_STORE]."),
    click.option("--endpoint", envvar="BUDGETKG_ENDPOINT", help="SPARQL 1.1 query endpoint URL of a server."),
]
_WRITE_OPTIONS = [
    click.option("--update-endpoint", envvar="BUDGETKG_UPDATE_ENDPOINT", help="SPARQL 1.1 update endpoint URL."),
    click.option("--store-endpoint", envvar="BUDGETKG_STORE_ENDPOINT",
                 help="SPARQL 1.1 Graph Store Protocol endpoint URL (used to load graphs)."),
]


def store_options(command):
    """For commands that write: --store DIR, or a SPARQL server: --endpoint (query),
    --update-endpoint, --store-endpoint (GSP)."""
    for option in reversed(_READ_OPTIONS + _WRITE_OPTIONS):
        command = option(command)
    return command


def read_store_options(command):
    """For commands that only read: --store DIR or --endpoint (the write endpoints, which they
    would not use, are not offered)."""
    @functools.wraps(command)
    def reader(*args, **kwargs):
        return command(*args, update_endpoint=None, store_endpoint=None, **kwargs)
    for option in reversed(_READ_OPTIONS):
        reader = option(reader)
    return reader


def _open(store_dir, endpoint, update_endpoint, store_endpoint, writable):
    return open_store(store_dir, endpoint=endpoint, update_endpoint=update_endpoint,
                      store_endpoint=store_endpoint, writable=writable)


def _open_for_loading(store_dir, endpoint, update_endpoint, store_endpoint):
    """The writable store with the ontology graphs in place; exit 2 when it cannot be opened."""
    try:
        store = _open(store_dir, endpoint, update_endpoint, store_endpoint, writable=True)
        ensure_ontology(store)
    except BudgetKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    return store


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_options
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Extraction processes, and validation threads [default: number of cores, at most 8].")
@click.option("--force", is_flag=True, help="Reload documents whose source is unchanged since the last build, and "
              "let a document replace a stored one read from another file, or one that held much more.")
@click.option("--base", default=None, help="Base IRI for minted resources.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when stderr is a terminal].")
@click.option("--template", default=None, metavar="NAME|FILE.toml",
              help="Read every document with this template family instead of recognising each one's.")
@click.option("--validate/--no-validate", "check", default=True,
              help="Validate the store (new documents as they load) and print a summary [default: on].")
@CODE_LIST
@MAX_BYTES
def build(paths, store_dir, endpoint, update_endpoint, store_endpoint, jobs, force, base, progress, template, check,
          code_lists, max_bytes):
    """Extract every disclosure under PATHS (files or directories) and load it into the store.

    Each document replaces its own named graph in one transaction. Documents whose
    source SHA-256 is already in the store are skipped unless --force. A stored document is
    replaced by a file of another name, or by one whose extraction holds much less (a table
    gone, a quarter of a table's amounts or of the triples lost), only with --force; two files
    of one disclosure in one build are an error. The whole store is
    validated (see `budgetkg validate`): each new document as it is loaded, the others
    afterwards; then a summary is printed.
    Exit codes: 0 all good, 1 findings of severity error, 2 files failed. Validation
    findings do not change the exit code; `budgetkg validate` exits 1 on violations.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    store = _open_for_loading(store_dir, endpoint, update_endpoint, store_endpoint)
    _load_code_lists(store, code_lists)
    validation = _load_validation(store) if check else None
    console = Console(stderr=True)
    show = console.is_terminal if progress is None else progress
    with Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not show) as bar:
        task = bar.add_task("build", total=None)
        summary = build_batch(paths, store, jobs=jobs or default_jobs(), force=force, base=base, template=template,
                              report=lambda line: bar.console.print(line, markup=False, highlight=False, soft_wrap=True),
                              advance=lambda n: bar.advance(task, n),
                              on_total=lambda n: bar.update(task, total=n),
                              on_loaded=validation.add if validation else None, max_bytes=max_bytes)
    click.echo(f"store: {store}", err=True)
    for line in summary.lines():
        click.echo(line, err=True)
    if check:
        _validation_summary(store, store_dir, endpoint, jobs or default_jobs(), validation)
    sys.exit(summary.exit_code)


def _load_code_lists(store, paths) -> list[tuple[str, str]]:
    """Load each complete official code list (--code-list FILE.csv) into *store*, replacing the
    list of the same kind and year, and return its graphs ((IRI, N-Triples) each); a list that
    cannot be read stops the command (exit 2)."""
    import hashlib

    from budgetkg.extract.codes import read_code_list
    loaded: list[tuple[str, str]] = []
    for path in paths:
        try:
            graphs = read_code_list(path)
        except BudgetKGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        for iri, nt in graphs.items():
            store.replace_graph(iri, nt, sha)
            loaded.append((iri, nt))
        click.echo(f"code list: {path}: {', '.join(iri.rsplit('/', 2)[-2] + ' ' + iri.rsplit('/', 1)[-1] for iri in graphs)}",
                   err=True)
    return loaded


def _load_validation(store):
    """Validation of the documents as the build loads them (an embedded store only: a server's
    other graphs are not at hand, so its whole store is validated afterwards)."""
    from budgetkg.audit.validate import LoadValidation, document_graphs, load_shapes, shared_graphs
    if not hasattr(store, "ox"):
        return None
    try:
        return LoadValidation(load_shapes(), shared_graphs(store, set(document_graphs(store))))
    except BudgetKGError:
        return None             # reported when the summary loads the shapes again


def _validation_summary(store, store_dir, endpoint, jobs: int, validation=None) -> None:
    """Counts of the store's validation findings by severity, and the documents with violations
    (with *validation*, those of the documents it saw as they were loaded, and the rest)."""
    from budgetkg.audit.validate import load_shapes, summary_line, validate_store
    try:
        if validation is not None:
            findings = validation.finish(store, jobs)
        else:
            findings = validate_store(store, load_shapes(), jobs=jobs)
    except BudgetKGError as exc:
        click.echo(f"validation: not run ({exc})", err=True)
        return
    click.echo(summary_line(findings), err=True)
    violations = Counter(f.document or "" for f in findings if f.severity == "violation")
    for doc, n in sorted(violations.items()):
        click.echo(f"  {n} violation(s): {doc}", err=True)
    if endpoint:
        where = f" --endpoint {endpoint}"
    elif store_dir:
        where = f" --store {shlex.quote(str(store_dir))}"
    else:
        where = ""          # the default store in the working directory, which validate also opens
    click.echo(f"report: budgetkg validate{where}", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@store_options
def load(files, store_dir, endpoint, update_endpoint, store_endpoint):
    """Load RDF FILES (.trig .nq .ttl .nt .jsonld) into the store.

    Each named graph in a file replaces the graph of that name in one transaction.
    """
    failed = 0
    store = _open_for_loading(store_dir, endpoint, update_endpoint, store_endpoint)
    for path in map(Path, files):
        try:
            records = load_rdf_file(store, path)
        except BudgetKGError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        click.echo(f"{path}: {len(records)} graph(s), {sum(r.triples for r in records)} triples", err=True)
    store.flush()
    sys.exit(2 if failed else 0)


def _data_store(paths, base: str | None):
    """An in-memory store of *paths*: RDF files loaded, disclosure texts extracted on the fly.
    Returns it and the number of files that failed (each reported)."""
    store, failed = memory_store(), 0
    for path in map(Path, paths):
        if path.suffix.lower() in TEXT_SUFFIXES or path.suffix.lower() == ".pdf":
            for _, graph in _extract_many([str(path)], base, False):
                if graph is None:
                    failed += 1
                else:
                    store.replace_graph(str(graph.identifier), graph.serialize(format="nt"), "")
        else:
            try:
                load_rdf_file(store, path)
            except BudgetKGError as exc:
                click.echo(f"error: {exc}", err=True)
                failed += 1
    return store, failed


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="RDF graphs to validate (.trig .nq .ttl .nt .jsonld). Repeatable.")
@read_store_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle", "html"]), default="text",
              show_default=True)
@click.option("--severity", type=click.Choice(["violation", "warning", "info"]), default="info", show_default=True,
              help="Show findings of this severity and above.")
@click.option("--engine", type=click.Choice(["corpus", "pyshacl"]), default="corpus", show_default=True,
              help="corpus: each rule once over all documents; pyshacl: the reference engine, per document.")
@click.option("--base", default=None, help="Base IRI when FILES are extracted on the fly.")
@CODE_LIST
def validate(files, data, store_dir, endpoint, update_endpoint, store_endpoint, fmt, severity, engine, base,
             code_lists):
    """Check disclosures against the SHACL shapes of shapes/ and print an audit report.

    FILES are disclosure texts (extracted on the fly) or RDF files; --data takes RDF files;
    without either, the store is validated. Exit codes (as pySHACL): 0 conforms (warnings
    and notes allowed), 1 violations found, 2 error.
    """
    from budgetkg.audit.report import render as render_report
    from budgetkg.extract.identity import companions
    from budgetkg.audit.validate import RANK, document_graphs, load_shapes, reference_graph, validate_graph, validate_store
    try:
        shapes = load_shapes()
        if files or data:
            store, failed = _data_store(list(files) + list(data), base)
            lists = _load_code_lists(store, code_lists)
        else:
            if code_lists:
                click.echo("error: --code-list with a store: load the list into the store with "
                           "`budgetkg build --code-list FILE.csv PATHS`, then validate it", err=True)
                sys.exit(2)
            store, failed = _open(store_dir, endpoint, update_endpoint, store_endpoint, writable=False), 0
            lists = []
        if not document_graphs(store):
            click.echo(f"error: nothing was validated: {store} holds no disclosure "
                       f"(build one first: budgetkg build FILE…)", err=True)
            sys.exit(2)
        if engine == "pyshacl":
            findings = []
            reference = reference_graph()
            for _, nt in lists:            # the lists loaded beside the documents, which it reads
                reference.parse(data=nt, format="nt")
            graphs = {str(g.identifier): g for g in _rdflib_graphs(store)}
            for iri, graph in graphs.items():
                findings.extend(validate_graph(graph, shapes, reference,
                                               [graphs[c] for c in companions(iri) if c in graphs]))
        else:
            findings = validate_store(store, shapes, jobs=default_jobs())
    except BudgetKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    shown = [f for f in findings if RANK[f.severity] <= RANK[severity]]
    click.echo(render_report(shown, shapes, store, fmt), nl=False)
    if failed:
        sys.exit(2)
    sys.exit(1 if any(f.severity == "violation" for f in findings) else 0)


def _rdflib_graphs(store):
    """Each document graph of an embedded *store*, as an rdflib graph (for the reference engine)."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from budgetkg.audit.validate import document_graphs
    if not hasattr(store, "ox"):
        raise BudgetKGError("--engine pyshacl reads the graphs of an embedded store, not of a server")
    for iri in document_graphs(store):
        quads = store.ox.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        nt = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                          format=ox.RdfFormat.N_TRIPLES)
        yield Graph(identifier=URIRef(iri)).parse(data=nt.decode("utf-8"), format="nt")


@main.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter the query declares (see `budgetkg queries`). Repeatable.")
@read_store_options
@click.option("--graph", default=None, metavar="IRI",
              help="Query one document's graph (its disclosure IRI) instead of the union of all graphs.")
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Query these files in memory instead of a store: RDF (.trig .nq .ttl .nt .jsonld) "
                   "or disclosure texts, extracted on the fly. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "turtle"]), default="table",
              show_default=True)
@click.option("--base", default=None, help="Base IRI when --data is extracted on the fly.")
@click.option("--allow-service", is_flag=True,
              help="Let a .rq file use SERVICE, which sends requests to other SPARQL endpoints "
                   "(refused by default).")
@click.option("--excel", is_flag=True,
              help="With --format csv: begin with a UTF-8 byte-order mark, without which Excel and WPS "
                   "show Chinese as garbled text.")
def query(name, params, store_dir, endpoint, update_endpoint, store_endpoint, graph, data, fmt, base,
          allow_service, excel):
    """Run canned query NAME (see `budgetkg queries`) or a .rq file over the store."""
    failed = 0
    try:
        canned = resolve_query(name)
        if not allow_service:
            refuse_service(canned.text, str(canned.path))
        given = parse_param_options(params)
        if data:
            store, failed = _data_store(data, base)
        else:
            store = _open(store_dir, endpoint, update_endpoint, store_endpoint, writable=False)
        result = run(store, canned, given, graph)
        if excel and fmt != "csv":
            raise BudgetKGError("--excel is for --format csv")
        click.echo(("\ufeff" if excel else "") + render(result, fmt), nl=False)
    except BudgetKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if failed:
        sys.exit(2)
    about = [p for p in canned.params if p.type == "iri"]
    if not hasattr(result, "columns") and not result.triples and about:
        # a description (CONSTRUCT) of a resource the store knows nothing about
        named = ", ".join(f"{p.name}={given.get(p.name, p.default)}" for p in about)
        click.echo(f"not found: the store has nothing about {named}", err=True)
        sys.exit(1)
    sys.exit(0)


@main.command("templates")
@click.option("--kinds", "show_kinds", is_flag=True, help="List the canonical table kinds instead.")
def list_templates(show_kinds):
    """List the template families (ontology/templates/*.toml) and the tables each prints, or
    with --kinds the canonical table kinds every family's tables are recognised as."""
    from budgetkg.extract.template import families, kinds
    if show_kinds:
        for kind in kinds().values():
            if kind.rows == "none":            # performance tables and headings: not budget tables
                continue
            click.echo(f"{kind.id}\n    {kind.zh} / {kind.en}")
        return
    for family in families().values():
        what = f"{family.phase}, {family.unit}" + (f", scope {family.scope}" if family.scope else "")
        click.echo(f"{family.id}  ({what})\n    {family.title} / {family.title_en}")
        for layout in family.tables:
            click.echo(f"    {layout.kind.id:<22} {layout.label}")


@main.command("queries")
def list_queries():
    """List the canned queries with their titles and parameters."""
    for name, q in sorted(canned_queries().items()):
        click.echo(f"{name}\n    {q.title}\n    {q.description}")
        for p in q.params:
            default = f" (default {p.default or chr(34) * 2})" if p.default is not None else ""
            click.echo(f"    --param {p.name}=<{p.type}>{default}: {p.description}")


@main.command()
@click.option("--store", "store_dir", type=click.Path(file_okay=False), envvar="BUDGETKG_STORE",
              help=f"Embedded store directory [default: ./{DEFAULT_LOCATION}; env BUDGETKG_STORE].")
@click.option("--endpoint", envvar="BUDGETKG_ENDPOINT", help="SPARQL 1.1 query endpoint URL of a server.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--base", default=None, help="Base IRI of the data, mapped to this server's paths "
              "[default: https://w3id.org/budgetkg/].")
@click.option("--base-url", default=None, metavar="URL",
              help="The public URL this server is reached at, which the catalogue and VoID name "
                   "[default: the base IRI, which maps onto this server]; never taken from a request's Host.")
@click.option("--timeout", default=10.0, show_default=True, help="SPARQL query timeout, seconds.")
@click.option("--max-rows", default=10000, show_default=True, help="SPARQL result row cap.")
@click.option("--max-result-bytes", type=ByteSize(), default="32M", show_default=True,
              help="SPARQL result size cap (the terms' text).")
@click.option("--query-memory", type=ByteSize(), default="1G", show_default=True,
              help="Memory one SPARQL query process may use; a query that needs more is stopped.")
@click.option("--max-queries", type=click.IntRange(1, 64), default=None,
              help="SPARQL queries evaluated at once [default: number of cores, at least 2]; pages are "
                   "served beside them.")
@click.option("--max-waiting", type=click.IntRange(0, 10000), default=None,
              help="SPARQL queries waiting their turn before more are turned away (503) "
                   "[default: 8 x --max-queries].")
def serve(store_dir, endpoint, host, port, base, base_url, timeout, max_rows, max_result_bytes, query_memory,
          max_queries, max_waiting):
    """Serve the store as linked data: a page per resource (HTML, Turtle, JSON-LD by content
    negotiation or suffix), a read-only SPARQL endpoint at /sparql, DCAT at /catalog, VoID at
    /.well-known/void and dumps under /dumps/."""
    from budgetkg.web.serve import serve as run_server
    from budgetkg.web.site import DEFAULT_BASE
    try:
        run_server(store_dir, endpoint, host, port, base or DEFAULT_BASE, timeout, max_rows,
                   announce=lambda url: click.echo(f"serving on {url}", err=True), base_url=base_url,
                   memory=query_memory, max_bytes=max_result_bytes, concurrent=max_queries, waiting=max_waiting)
    except BudgetKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@main.command()
@click.option("--store", "store_dir", type=click.Path(file_okay=False), envvar="BUDGETKG_STORE",
              help=f"Embedded store directory [default: ./{DEFAULT_LOCATION}; env BUDGETKG_STORE].")
@click.option("--endpoint", envvar="BUDGETKG_ENDPOINT", help="SPARQL 1.1 query endpoint URL of a server.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--base", default=None, help="Base IRI of the data [default: https://w3id.org/budgetkg/].")
@click.option("--base-url", default=None, metavar="URL",
              help="The public URL the export will be served at, which the catalogue and VoID name "
                   "(absolute IRIs) [default: relative IRIs, resolved against where they are fetched from].")
def publish(store_dir, endpoint, out_dir, base, base_url):
    """Export the site as static files: HTML, .ttl and .jsonld per resource, the catalogue,
    VoID and the dumps, for any static web server."""
    from budgetkg.web.publish import publish as run_publish
    from budgetkg.web.site import DEFAULT_BASE
    try:
        site_url = ""
        if base_url:
            from urllib.parse import urlsplit
            parts = urlsplit(base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
                raise click.BadParameter("an absolute http(s) URL without query or fragment", param_hint="--base-url")
            site_url = base_url.rstrip("/")
        count = run_publish(store_dir, endpoint, Path(out_dir), base or DEFAULT_BASE, site_url=site_url,
                            report=lambda line: click.echo(line, err=True))
    except BudgetKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"{out_dir}: {count} resources", err=True)


@main.command()
@click.option("-n", "--departments", type=click.IntRange(1), required=True, help="How many disclosures.")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Budget year.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--pdf", is_flag=True, help="Write PDFs instead of texts (needs reportlab: budgetkg[pdf]).")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed writes the same corpus.")
@click.option("--defects", "defect_share", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of documents that get a planted defect (listed in manifest.json).")
@click.option("--styles", default="tsv,wrapped,raw", show_default=True,
              help="Text styles to draw from (comma-separated): tsv, wrapped, raw.")
@click.option("--phase", type=click.Choice(["budget", "final", "both"]), default="budget", show_default=True,
              help="Budgets (部门预算), their final accounts (部门决算, the national nine tables), or both.")
def synth(departments, year, out_dir, pdf, seed, defect_share, styles, phase):
    """Generate a synthetic province corpus: disclosures of departments of the region, its
    prefectures and counties, whose tables add up, whose projects cite a shared pool of
    policy documents, with a manifest of planted defects for scoring validation. With
    --phase final or both, each department's final account of the year too."""
    from budgetkg.synth.corpus import write_corpus
    try:
        write_corpus(Path(out_dir), departments, year, seed, defect_share, pdf,
                     tuple(s.strip() for s in styles.split(",") if s.strip()),
                     report=lambda line: click.echo(line, err=True), phase=phase)
    except ImportError as exc:
        click.echo(f"error: --pdf needs reportlab (pip install 'budgetkg[pdf]'): {exc}", err=True)
        sys.exit(2)
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)

