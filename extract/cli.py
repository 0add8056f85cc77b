"""Command line: ``budgetkg extract | query | queries``.

Exit codes (as pySHACL): 0 success, 2 error. Errors name the file and the place;
the other files of a batch are still processed.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .emit import to_dataset, to_graph
from .errors import BudgetKGError, DisclosureError
from .pipeline import STAGES, extract_records, read_source
from .query import canned_queries, load_rdf, memory_store, render, resolve_query, run

log = logging.getLogger("budgetkg")

RDF_FORMATS = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "jsonld": "json-ld"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetkg")
@click.option("-v", "--verbose", count=True, help="Log stage counts and timings (-vv for debug).")
def main(verbose: int) -> None:
    """budgetkg: department budget disclosures (部门预算公开) as a knowledge graph."""
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _extract_many(files: list[str], base: str | None, show_progress: bool):
    """Extract every file; yield (path, graph or None). Failures are reported and skipped."""
    with click.progressbar(files, label="extracting", file=sys.stderr,
                           hidden=not show_progress) as bar:
        for path in bar:
            try:
                disclosure, _ = extract_records(read_source(path))
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
def extract(files, output, fmt, base, debug_stage):
    """Extract disclosure FILES into RDF, one named graph per document."""
    if debug_stage:
        click.echo(_debug_dump(files[0], debug_stage))
        return
    graphs, failed = [], 0
    for _, graph in _extract_many(list(files), base, len(files) > 1 and sys.stderr.isatty()):
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


def _debug_dump(path: str, stage: str) -> str:
    source = read_source(path)
    if stage == "lines":
        return json.dumps({"rendering": source.rendering,
                           "lines": [[ln.number, ln.text] for ln in source.lines]}, ensure_ascii=False, indent=1)
    disclosure, seg = extract_records(source)
    if stage == "segments":
        return json.dumps({
            "part1": [seg.part1[0].number, seg.part1[-1].number] if seg.part1 else None,
            "tables": {n: {"title": t.title, "lines": [t.lines[0].number, t.lines[-1].number] if t.lines else None}
                       for n, t in seg.tables.items()},
            "part3": bool(seg.part3), "part4": bool(seg.part4)}, ensure_ascii=False, indent=1)
    return json.dumps(dataclasses.asdict(disclosure), ensure_ascii=False, indent=1, default=str)


@main.command()
@click.argument("name")
@click.option("--data", "data", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="RDF (.trig .nq .ttl .nt .jsonld) or a disclosure text to extract on the fly. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--base", default=None, help="Base IRI when --data is extracted on the fly.")
def query(name, data, fmt, base):
    """Run canned query NAME (see `budgetkg queries`) or a .rq file over --data."""
    try:
        canned = resolve_query(name)
        store = memory_store()
        failed = 0
        for path in map(Path, data):
            if path.suffix.lower() in TEXT_SUFFIXES:
                for _, graph in _extract_many([str(path)], base, False):
                    if graph is None:
                        failed += 1
                        continue
                    load_rdf_graph(store, graph)
            else:
                load_rdf(store, path)
        click.echo(render(run(store, canned), fmt), nl=False)
    except BudgetKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    sys.exit(2 if failed else 0)


def load_rdf_graph(store, graph) -> None:
    import pyoxigraph as ox
    store.load(input=graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ox.NamedNode(str(graph.identifier)))


@main.command("queries")
def list_queries():
    """List the canned queries with their titles."""
    for name, q in sorted(canned_queries().items()):
        click.echo(f"{name}\n    {q.title}\n    {q.description}")
