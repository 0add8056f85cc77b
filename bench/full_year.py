"""Full-year benchmark: a province's year of disclosures, generated and built end to end.

For each corpus size (default 500, 1,000 and 2,509, the finance department's yearly target)
it writes the synthetic corpus (``budgetkg synth``: all three text styles, 10% of the
documents with a planted defect), runs ``budgetkg build`` in a subprocess (extraction in
parallel, streamed into a fresh embedded store, each chunk of documents validated as it is
loaded), then validates the loaded store again as ``budgetkg validate`` does, and prints:

- generation and build (extract + load + validate) times, documents/s, ms per document;
- the peak resident memory of the build's process tree (the CLI and its extraction workers,
  summed, sampled every 0.2 s) and of the second validation (this process);
- the time of the second validation, and whether its counts equal those the build printed;
- validation recall and precision against the corpus manifest;
- the scaling ratio: build seconds per document at each size over that at the smallest
  (1.0 or less is linear or better).

With ``--phase both`` each department's final account of the year (部门决算) is written
beside its budget (twice the documents; sizes count departments), and the final accounts'
年初预算 statements are checked against their budgets. With ``--pdf N`` it also prints N of
the documents as PDFs, builds those, and extrapolates the PDF build of the full year from
pages/s. Asserts nothing.

Run: .venv/bin/python bench/full_year.py [--sizes 500,1000,2509] [--jobs 2] [--phase budget|final|both]
     [--pdf 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from budgetkg.build import default_jobs
from budgetkg.store.embedded import EmbeddedStore
from budgetkg.synth.corpus import write_corpus
from budgetkg.synth.score import score
from budgetkg.audit.validate import load_shapes, summary_line, validate_store

BUDGETKG = str(Path(sys.executable).parent / "budgetkg")


def _tree_rss(root: int) -> int:
    """Resident bytes of *root* and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(pid, 0) for pid in tree)


def run_measured(args: list[str]) -> tuple[float, int, str]:
    """Run *args*; return its wall time, the peak RSS of its process tree, and its stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err[-2000:]}")
    return time.perf_counter() - start, peak, err


def one_size(root: Path, n: int, jobs: int, pdf: bool = False, styles=("tsv", "wrapped", "raw"),
             phase: str = "budget") -> dict:
    corpus, db = root / f"corpus-{n}{'-pdf' if pdf else ''}", root / f"db-{n}{'-pdf' if pdf else ''}"
    t = time.perf_counter()
    manifest = write_corpus(corpus, n, 2024, seed=1, defect_share=0.1, pdf=pdf, styles=styles,
                            report=lambda _: None, phase=phase)
    generate = time.perf_counter() - t
    build, peak, err = run_measured([BUDGETKG, "build", str(corpus), "--store", str(db),
                                     "-j", str(jobs), "--no-progress"])
    triples = next((line.split(":")[1].strip() for line in err.splitlines() if line.startswith("triples loaded")), "?")
    stated = next((line for line in err.splitlines() if line.startswith("validation:")), "validation: not run")
    store = EmbeddedStore(db)
    shapes = load_shapes()
    t = time.perf_counter()
    findings = validate_store(store, shapes, jobs=jobs)
    validation = time.perf_counter() - t
    result = score(manifest, findings, shapes)
    same = stated == summary_line(findings)
    pages = 0
    if pdf:
        import pdfplumber
        for path in corpus.glob("*.pdf"):
            with pdfplumber.open(path) as doc:
                pages += len(doc.pages)
    return {"n": len(manifest["documents"]), "generate": generate, "build": build, "validate": validation, "peak": peak,
            "triples": triples, "score": result, "store": db, "pages": pages, "stated": stated, "same": same}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,1000,2509")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--pdf", type=int, default=0, help="also build N documents as PDFs and extrapolate")
    parser.add_argument("--keep", type=Path, help="keep the largest store here (for bench/queries.py)")
    parser.add_argument("--phase", choices=("budget", "final", "both"), default="budget",
                        help="budgets, their final accounts, or both (sizes count departments)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"jobs {args.jobs}; phase {args.phase}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="budgetkg-bench-") as tmp:
        for n in sizes:
            r = one_size(Path(tmp), n, args.jobs, phase=args.phase)
            rows.append(r)
            n = r["n"]
            print(f"\n{n} documents ({r['triples']} triples): generated in {r['generate']:.1f} s")
            print(f"  build (extract + load + validate): {r['build']:.1f} s = {r['build'] / 60:.1f} min, "
                  f"{n / r['build']:.1f} documents/s ({r['build'] / n * 1000:.0f} ms per document); "
                  f"peak memory {r['peak'] / 2**20:.0f} MiB (CLI and workers)")
            print(f"  the build's {r['stated']}")
            print(f"  validating the loaded store again (as `budgetkg validate` does): {r['validate']:.1f} s, "
                  f"same counts as the build: {'yes' if r['same'] else 'NO'}")
            print("  " + "\n  ".join(r["score"].lines()[:3]))
        print(f"\nvalidation peak memory (this process): "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        base = rows[0]["build"] / rows[0]["n"]
        print("\nscaling (build seconds per document over that at the smallest size; <= 1.0 is linear or better):")
        for r in rows:
            per = r["build"] / r["n"]
            print(f"  {r['n']:>6} documents: {per * 1000:6.0f} ms/document  ratio {per / base:.2f}")
        if args.pdf:
            p = one_size(Path(tmp), args.pdf, args.jobs, pdf=True, styles=("tsv", "wrapped"))
            per_page = p["build"] / p["pages"]
            full = sizes[-1] * p["pages"] / args.pdf * per_page
            print(f"\nPDF: {args.pdf} documents, {p['pages']} pages built in {p['build']:.1f} s = "
                  f"{p['pages'] / p['build'] / args.jobs:.1f} pages/s/core; rendering took {p['generate']:.1f} s")
            print(f"  extrapolated full year of PDFs ({sizes[-1]} documents): {full / 60:.1f} min "
                  f"(build, validation included, at this page rate)")
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(rows[-1]["store"], args.keep)
            print(f"\nstore of {sizes[-1]} documents kept in {args.keep}")


if __name__ == "__main__":
    main()
