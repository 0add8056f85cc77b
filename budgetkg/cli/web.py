"""``budgetkg serve | publish``: the linked-data site, live or as static files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from budgetkg.errors import BudgetKGError
from budgetkg.store.embedded import DEFAULT_LOCATION

from budgetkg.cli import main
from budgetkg.cli.options import ByteSize


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


