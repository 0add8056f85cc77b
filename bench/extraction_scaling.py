"""Extraction time against input size: is it linear?

    .venv/bin/python bench/extraction_scaling.py [--copies 1,4,16,64]

Writes the finance department's sample (the largest, 108 KB) repeated COPIES times as one
text, extracts each in a fresh process (`budgetkg extract`, as a user would) and prints the
size, the time, the time per MB and its ratio to the smallest. Linear time keeps the ratio
near 1 (startup makes the smallest size dearer per MB, so a falling ratio is fine); a
quadratic step would make it grow with the size (before the fix, 16 copies took 55 s and
the ratio was 2.3; see the README). Asserts nothing.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "samples" / "xinjiang-finance-department-2024.txt"


def main(copies: list[int]) -> None:
    exe = str(Path(sys.executable).parent / "budgetkg")
    text = SAMPLE.read_text(encoding="utf-8")
    print(f"machine: {platform.machine()}, CPython {platform.python_version()}; input: {SAMPLE.name} x N")
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in copies:
            path = Path(tmp) / f"x{n}.txt"
            path.write_text(text * n, encoding="utf-8")
            mb = path.stat().st_size / 2 ** 20
            started = time.perf_counter()
            done = subprocess.run([exe, "extract", str(path), "-o", str(Path(tmp) / "out.trig"),
                                   "--max-bytes", "0"], capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            if done.returncode != 0:
                print(f"x{n}: failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            per_mb = elapsed / mb
            first = first or per_mb
            print(f"x{n:<4} {mb:7.2f} MB  {elapsed:7.2f} s  {per_mb:6.2f} s/MB  ratio {per_mb / first:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", default="1,4,16,64")
    main([int(c) for c in parser.parse_args().copies.split(",")])
