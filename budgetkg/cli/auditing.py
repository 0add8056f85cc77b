"""``budgetkg validate``: the audit of a store, of RDF files or of documents read on the fly."""

from __future__ import annotations

import sys

import click

from budgetkg.build import default_jobs
from budgetkg.errors import BudgetKGError

from budgetkg.cli import main
from budgetkg.cli.building import _load_code_lists
from budgetkg.cli.storing import _data_store
from budgetkg.cli.options import CODE_LIST, _open, read_store_options


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
    from budgetkg.audit.validate import (RANK, document_graphs, load_shapes, reference_graph, related, validate_graph,
                                         validate_store)
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
            beside = related(store)
            for iri, graph in graphs.items():
                findings.extend(validate_graph(graph, shapes, reference,
                                               [graphs[c] for c in beside.get(iri, ()) if c in graphs]))
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
    from rdflib import Graph, URIRef

    from budgetkg.audit.validate import document_graphs
    for iri in document_graphs(store):
        yield Graph(identifier=URIRef(iri)).parse(data=store.ntriples(iri).decode("utf-8"), format="nt")


