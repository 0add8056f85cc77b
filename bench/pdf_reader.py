"""PDF reader speed and memory against pdfplumber's own parse of the same pages.

    .venv/bin/python bench/pdf_reader.py [--pages 300]

Prints, for the dense table pages of the sample PDFs (tests/fixtures/pdf):
  - bare pdfplumber: open + every page's chars (the floor any pdfplumber reader pays);
  - budgetkg's reader (read_pdf: chars, de-duplication, ruled tables, cells, lines);
  - their ratio (target <= 1.25x) and pages/s on one core (target >= 5);
  - de-duplication: pdfplumber's dedupe_chars against ours on the fake-bold fixture;
  - peak RSS reading a long PDF (the samples concatenated to --pages pages; target < 300 MB),
    each measured in a fresh process.
Needs pikepdf (a test extra) to build the long PDF.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDFS = ROOT / "tests" / "fixtures" / "pdf"
SAMPLES = sorted(PDFS.glob("*.pdf"))


def _table_pages(path: Path) -> list[int]:
    import pdfplumber
    from budgetkg.extract.pdf.grid import TABLE_SETTINGS
    out = []
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages):
            tables = page.find_tables(TABLE_SETTINGS)
            if tables and sum(len(t.rows) for t in tables) >= 15:
                out.append(i)
            page.close()
    return out


def _subset(path: Path, pages: list[int], out: Path) -> None:
    import pikepdf
    with pikepdf.open(path) as pdf:
        new = pikepdf.Pdf.new()
        new.pages.extend(pdf.pages[i] for i in pages)
        new.save(out)


def _long(paths: list[Path], pages: int, out: Path) -> None:
    import pikepdf
    new = pikepdf.Pdf.new()
    sources = [pikepdf.open(p) for p in paths]
    while len(new.pages) < pages:
        for src in sources:
            new.pages.extend(src.pages[: pages - len(new.pages)])
    new.save(out)
    for src in sources:
        src.close()


def bare(path: str) -> dict:
    """pdfplumber alone: open, and every page's characters."""
    import pdfplumber
    started = time.perf_counter()
    n = chars = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars += len(page.chars)
            page.close()
            n += 1
    return {"seconds": time.perf_counter() - started, "pages": n, "chars": chars}


def reader(path: str) -> dict:
    from budgetkg.extract.pdf import read_pdf
    importlib.import_module("pdfplumber")    # before the clock, as in bare(): read_pdf imports it lazily
    started = time.perf_counter()
    source = read_pdf(path)
    return {"seconds": time.perf_counter() - started, "lines": len(source.lines)}


def child(kind: str, path: str) -> dict:
    """Run one measurement in a fresh process; report its time and peak RSS."""
    code = (f"import json, resource, sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import pdf_reader as b; "
            f"r = b.{kind}({path!r}); r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; "
            f"print(json.dumps(r))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="length of the long PDF for peak memory")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        dense = []
        for path in SAMPLES:
            pages = _table_pages(path)
            out = Path(tmp) / f"dense-{path.stem}.pdf"
            _subset(path, pages, out)
            dense.append(out)
        bare_s = read_s = 0.0
        n_pages = 0
        for path in dense:
            b = min((child("bare", str(path)) for _ in range(args.repeat)), key=lambda r: r["seconds"])
            r = min((child("reader", str(path)) for _ in range(args.repeat)), key=lambda r: r["seconds"])
            bare_s += b["seconds"]
            read_s += r["seconds"]
            n_pages += b["pages"]
        print(f"dense table pages: {n_pages} (from {len(dense)} documents, best of {args.repeat})")
        print(f"  pdfplumber open + chars : {bare_s:7.2f} s  {n_pages / bare_s:6.1f} pages/s")
        print(f"  budgetkg read_pdf       : {read_s:7.2f} s  {n_pages / read_s:6.1f} pages/s/core "
              f"(target >= 5)")
        print(f"  ratio reader / bare     : {read_s / bare_s:7.2f} x   (target <= 1.25 x)")

        import pdfplumber
        from pdfplumber.utils.text import dedupe_chars
        from budgetkg.extract.pdf.chars import dedupe
        with pdfplumber.open(PDFS / "hostile" / "fake-bold.pdf") as pdf:
            pages = [p.chars for p in pdf.pages]
        t0 = time.perf_counter()
        stock = [dedupe_chars(c) for c in pages]
        t1 = time.perf_counter()
        ours = [dedupe(c)[0] for c in pages]
        t2 = time.perf_counter()
        print(f"de-duplication, fake-bold fixture ({sum(map(len, pages))} chars on {len(pages)} pages): "
              f"pdfplumber {t1 - t0:.3f} s, budgetkg {t2 - t1:.3f} s, identical output: {stock == ours}")

        long = Path(tmp) / "long.pdf"
        _long(SAMPLES, args.pages, long)
        b = child("bare", str(long))
        r = child("reader", str(long))
        print(f"long PDF: {b['pages']} pages: pdfplumber {b['seconds']:.1f} s, peak {b['peak_mb']:.0f} MB; "
              f"budgetkg {r['seconds']:.1f} s, peak {r['peak_mb']:.0f} MB (target < 300 MB); "
              f"ratio {r['seconds'] / b['seconds']:.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
