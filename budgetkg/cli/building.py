"""``budgetkg build``: documents into a store, validated as they load."""

from __future__ import annotations

import shlex
import sys
from collections import Counter
from pathlib import Path

import click

from budgetkg.build import build as build_batch, default_jobs
from budgetkg.errors import BudgetKGError

from budgetkg.cli import main
from budgetkg.cli.options import CODE_LIST, MAX_BYTES, _open_for_loading, bulk_options, store_options


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_options
@bulk_options
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
def build(paths, store_dir, endpoint, update_endpoint, store_endpoint, bulk_loader, bulk_load_dir, jobs, force, base,
          progress, template, check, code_lists, max_bytes):
    """Extract every disclosure under PATHS (files or directories) and load it into the store.

    Each document replaces its own named graph in one transaction. Documents whose
    source SHA-256 is already in the store are skipped unless --force. A stored document is
    replaced by a file of another name, or by one whose extraction holds much less (a table
    gone, a quarter of a table's amounts or of the triples lost), only with --force; two files
    of one disclosure in one build are an error. The whole store is
    validated (see `budgetkg validate`): each new document as it is loaded, the others
    afterwards; then a summary is printed.
    Exit codes: 0 every file loaded (extraction warnings and validation findings are
    reported, not failures; `budgetkg validate` exits 1 on violations), 2 a file failed.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    store = _open_for_loading(store_dir, endpoint, update_endpoint, store_endpoint, bulk_loader, bulk_load_dir)
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
    if not store.in_process:
        return None
    try:
        return LoadValidation(load_shapes(), shared_graphs(store, set(document_graphs(store))))
    except BudgetKGError:
        return None             # reported when the summary loads the shapes again


def _validation_summary(store, store_dir, endpoint, jobs: int, validation=None) -> None:
    """Counts of the store's validation findings by severity, and the documents with violations
    (with *validation*, those of the documents it saw as they were loaded, and the rest)."""
    from budgetkg.audit.coverage import coverage
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
    try:
        for line in coverage(store).lines():
            click.echo(line, err=True)
    except BudgetKGError as exc:
        click.echo(f"coverage: not counted ({exc})", err=True)
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


