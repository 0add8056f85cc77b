"""``budgetkg load | query | queries | templates``: RDF files into a store, canned queries over it."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import click

from budgetkg.errors import BudgetKGError
from budgetkg.store.query import Result, canned_queries, parse_param_options, render, resolve_query, run
from budgetkg.store.table import with_names
from budgetkg.store.guard import refuse_service
from budgetkg.store.embedded import load_rdf_file, memory_store

from budgetkg.cli import main
from budgetkg.cli.extracting import _extract_many
from budgetkg.cli.options import TEXT_SUFFIXES, _open, _open_for_loading, read_store_options, store_options


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


def _to_a_file() -> bool:
    """Whether standard output is a regular file (`> out.csv`), not a terminal or a pipe."""
    import os
    import stat
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


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
                   "show Chinese as garbled text (written anyway when the output is a file: > out.csv).")
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
        width = None
        if fmt == "table" and isinstance(result, Result):
            result = with_names(result, store)           # a name beside each column of IRIs
            width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        bom = fmt == "csv" and (excel or _to_a_file())      # Excel and WPS read UTF-8 CSV by its BOM
        click.echo(("\ufeff" if bom else "") + render(result, fmt, width), nl=False)
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


