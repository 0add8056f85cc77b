"""Options and store openers the commands share."""

from __future__ import annotations

import functools
import re
import sys

import click

from budgetkg.errors import BudgetKGError
from budgetkg.extract.pipeline import DEFAULT_MAX_BYTES
from budgetkg.store import open_store
from budgetkg.store.embedded import DEFAULT_LOCATION, ensure_ontology

RDF_FORMATS = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "jsonld": "json-ld"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}


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


_BULK_OPTIONS = [
    click.option("--bulk-loader", metavar="HOST:PORT", envvar="BUDGETKG_BULK_LOADER",
                 help="Virtuoso only: load through its bulk loader (ld_dir, rdf_loader_run), reached by isql at "
                      "HOST:PORT, instead of one Graph Store request per document; for large loads. Needs "
                      "--bulk-load-dir; isql's user and password are BUDGETKG_ISQL_USER and "
                      "BUDGETKG_ISQL_PASSWORD [default: dba, dba]."),
    click.option("--bulk-load-dir", type=click.Path(file_okay=False), envvar="BUDGETKG_BULK_LOAD_DIR",
                 help="A directory Virtuoso may read (in its DirsAllowed) where the bulk loader's file is written."),
]


def bulk_options(command):
    """For `build`: Virtuoso's bulk loader (--bulk-loader, --bulk-load-dir)."""
    for option in reversed(_BULK_OPTIONS):
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


def _open_for_loading(store_dir, endpoint, update_endpoint, store_endpoint, bulk_loader=None, bulk_load_dir=None):
    """The writable store with the ontology graphs in place (loading through Virtuoso's bulk
    loader when *bulk_loader* is given); exit 2 when it cannot be opened."""
    import os
    bulk = None
    if bool(bulk_loader) != bool(bulk_load_dir):
        click.echo("error: the bulk loader needs both --bulk-loader HOST:PORT and --bulk-load-dir DIR", err=True)
        sys.exit(2)
    if bulk_loader:
        bulk = dict(isql=bulk_loader, load_dir=bulk_load_dir, user=os.environ.get("BUDGETKG_ISQL_USER", "dba"),
                    password=os.environ.get("BUDGETKG_ISQL_PASSWORD", "dba"))
    try:
        store = open_store(store_dir, endpoint=endpoint, update_endpoint=update_endpoint,
                           store_endpoint=store_endpoint, writable=True, bulk=bulk)
        ensure_ontology(store)
    except BudgetKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    return store


