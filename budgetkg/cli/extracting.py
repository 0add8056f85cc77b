"""``budgetkg extract``: documents to RDF files, and every stage's dump (``--debug-stage``)."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from budgetkg.extract.emit import to_dataset, to_graph
from budgetkg.errors import BudgetKGError, DisclosureError
from budgetkg.extract.pipeline import DEFAULT_MAX_BYTES, STAGES, extract_records, read_source, segment_source

from budgetkg.cli import main
from budgetkg.cli.options import MAX_BYTES, RDF_FORMATS


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
    return json.dumps(_json_keys(dataclasses.asdict(disclosure)), ensure_ascii=False, indent=1, default=str)


def _json_keys(value):
    """*value* with every mapping key a string: a record keyed by a pair (a project by name
    and unit) is dumped with the pair joined by " | "."""
    if isinstance(value, dict):
        return {(" | ".join(map(str, k)) if isinstance(k, tuple) else k): _json_keys(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_keys(v) for v in value]
    return value


