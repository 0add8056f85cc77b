"""Query benchmark: every canned query of queries/ on a large embedded store.

Either point it at a store (``--store``; bench/full_year.py --keep leaves one of the full
year), or let it build one: ``--years N --departments D`` generates N years of D synthetic
disclosures each (``budgetkg synth``, years ending 2024) and builds them into one store,
about 4,500 triples per document. Each query runs three times (``--runs``); the first (cold) and best
times are printed with the row count, and the queries slower than the 1 s target are named.
Parameters without defaults are filled from the store (a department's IRI; the policy
document cited by the most projects). Asserts nothing.

With ``--keep DIR`` the generated store is built in DIR and left there for later runs
with ``--store DIR``.

Run: .venv/bin/python bench/queries.py --store DIR [NAME ...]
     .venv/bin/python bench/queries.py --years 4 --departments 2509 [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from budgetkg.store.query import canned_queries, run
from budgetkg.store.embedded import EmbeddedStore
from budgetkg.audit.validate import document_graphs
from budgetkg.synth.corpus import write_corpus

TARGET = 1.0
BUDGETKG = str(Path(sys.executable).parent / "budgetkg")
PICK = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?dept ?number WHERE {
  { SELECT ?dept WHERE { ?d bkg:department ?dept } LIMIT 1 }
  { SELECT ?number (COUNT(?p) AS ?n) WHERE { ?p a bkg:Project ; bkg:cites ?doc . ?doc eli:id_local ?number }
    GROUP BY ?number ORDER BY DESC(?n) LIMIT 1 }
}"""


def build_years(root: Path, years: int, departments: int, jobs: int) -> Path:
    db = root / "db"
    for year in range(2024 - years + 1, 2025):
        corpus = root / f"corpus-{year}"
        t = time.perf_counter()
        write_corpus(corpus, departments, year, seed=1, defect_share=0.1, report=lambda _: None)
        subprocess.run([BUDGETKG, "build", str(corpus), "--store", str(db), "--no-validate", "-j", str(jobs),
                        "--no-progress"], check=True, stderr=subprocess.DEVNULL)
        print(f"  built {year}: {departments} documents in {time.perf_counter() - t:.0f} s", flush=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--departments", type=int, default=2509)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3, help="times each query is run (first is cold)")
    parser.add_argument("--keep", type=Path, help="build the store here and leave it")
    parser.add_argument("names", nargs="*", help="only these canned queries")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    # a temporary directory only for a store built here and not kept
    scratch = contextlib.nullcontext() if args.store or args.keep else \
        tempfile.TemporaryDirectory(prefix="budgetkg-queries-")
    with scratch as tmp:
        db = args.store or build_years(args.keep or Path(tmp), args.years, args.departments, args.jobs)
        store = EmbeddedStore(db)
        triples = len(store.ox)
        print(f"store {db}: {len(document_graphs(store))} documents, {triples:,} quads")
        pick = list(store.ox.query(PICK, use_default_graph_as_union=True))
        fill = {"resource": pick[0]["dept"].value, "number": pick[0]["number"].value} if pick else {}
        slow = []
        print(f"{'query':40} {'rows':>7} {'cold s':>8} {'best s':>8}")
        for name, canned in sorted(canned_queries().items()):
            if args.names and name not in args.names:
                continue
            params = {p.name: fill[p.name] for p in canned.params if p.default is None and p.name in fill}
            times, rows = [], 0
            for _ in range(args.runs):
                t = time.perf_counter()
                result = run(store, canned, params)
                rows = len(getattr(result, "rows", None) or getattr(result, "triples", []) or [])
                times.append(time.perf_counter() - t)
            flag = "  MISS" if min(times) > TARGET else ""
            if flag:
                slow.append(name)
            print(f"{name:40} {rows:>7} {times[0]:>8.2f} {min(times):>8.2f}{flag}", flush=True)
        print(f"\n{len(slow)} of the queries run over the {TARGET:.0f} s target"
              + (f": {', '.join(slow)}" if slow else ""))


if __name__ == "__main__":
    main()
