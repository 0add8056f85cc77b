"""Stream dumps: extraction time and recovery of the text pdfminer and pdftotext dump from PDFs.

    .venv/bin/python bench/stream_dumps.py [--synthetic 20]

Dumps every PDF of tests/fixtures (the sample PDFs and the real ones) and N synthetic PDFs
(``budgetkg synth --pdf``) with both tools, extracts each dump in this process, and prints per
dump the time of the extraction (read, segment, tables, narrative: ``extract_records``), whether
it was recognised as a stream dump, and the table figures recovered against the PDF path
(right / the PDF path's figures in the tables the reader reads, and wrong, which must be 0).
Issue 28 asks for under 2 s per dumped document on one core. Asserts nothing.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from stream_dumps import PDFS, compare, dumps_of, extract  # noqa: E402


def main(synthetic: int) -> None:
    from budgetkg.synth.corpus import write_corpus

    print(f"machine: {platform.machine()}, CPython {platform.python_version()}")
    times: list[float] = []
    right = scope = wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = list(PDFS)
        if synthetic:
            write_corpus(Path(tmp) / "synth", synthetic, 2024, seed=28, pdf=True, report=lambda *_: None)
            pdfs += sorted((Path(tmp) / "synth").glob("*.pdf"))
        print(f"{'document':44s} {'tool':9s} {'read as':8s} {'seconds':>7s} {'right':>9s} {'wrong':>5s}")
        for pdf in pdfs:
            reference = extract(pdf)
            for tool, dump in dumps_of(pdf, Path(tmp) / "dumps").items():
                started = time.perf_counter()
                disclosure = extract(dump)
                elapsed = time.perf_counter() - started
                times.append(elapsed)
                found = compare(reference, disclosure)
                right, scope, wrong = right + found["right"], scope + found["scope"], wrong + len(found["wrong"])
                print(f"{pdf.stem[:44]:44s} {tool:9s} {disclosure.rendering:8s} {elapsed:7.3f} "
                      f"{found['right']:4d}/{found['scope']:<4d} {len(found['wrong']):5d}")
    print(f"\n{len(times)} dumps: median {statistics.median(times):.3f} s, max {max(times):.3f} s "
          f"(limit 2 s); recovered {right} of {scope} figures ({100 * right / max(scope, 1):.1f}%), wrong {wrong}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=20, help="synthetic PDFs to dump as well")
    main(parser.parse_args().synthetic)
