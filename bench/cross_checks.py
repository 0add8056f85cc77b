"""What the rules across documents cost: the corpus path's validation of a synthetic corpus with
every rule, against the same without the four rules that read another document (last year's
budget, last year's 三公 table, last year's final account, a department's units' budgets).

Two corpora: a province's year (N departments, one year, no unit budgets: the rules find no
other document and must cost little), and N departments over three years with unit budgets
(where they compare). Prints the times (best of REPEAT) and each ratio; the target is at most
1.20. Asserts nothing.

Run: .venv/bin/python bench/cross_checks.py [N] [REPEAT]
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from budgetkg.audit.validate import load_shapes, validate_store
from budgetkg.build import build
from budgetkg.store.embedded import EmbeddedStore, ensure_ontology
from budgetkg.synth.corpus import write_corpus, write_years

ACROSS = ("a-change-on-last-year-s-budget-agrees-with-last-year-s-budget.ttl",
          "a-three-public-change-on-last-year-s-budget-agrees-with-last-year-s-table.ttl",
          "final-opening-balance-equals-last-year-s-closing-balance.ttl",
          "a-department-s-tables-equal-the-sum-of-its-units-tables.ttl")


def store_of(folder: Path) -> EmbeddedStore:
    store = EmbeddedStore(None)
    ensure_ontology(store)
    build([folder], store, jobs=2, report=lambda _: None)
    return store


def best(store, shapes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        validate_store(store, shapes, jobs=2)
        times.append(time.perf_counter() - start)
    return min(times)


def main(n: int, repeat: int) -> None:
    every = load_shapes()
    without = replace(every, constraints=[c for c in every.constraints if c.file not in ACROSS])
    assert len(every.constraints) - len(without.constraints) == len(ACROSS)
    print(f"python {platform.python_version()}, {n} departments, best of {repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        one, three = Path(tmp) / "one", Path(tmp) / "three"
        write_corpus(one, n, 2024, seed=5, styles=("tsv", "wrapped"), report=lambda _: None)
        write_years(three, n, 2024, 3, seed=5, styles=("tsv", "wrapped"), unit_share=0.5, report=lambda _: None)
        for name, folder in (("one year", one), ("three years, unit budgets", three)):
            store = store_of(folder)
            documents = sum(1 for g in store.records() if "/disclosure/" in g)
            t_without, t_every = best(store, without, repeat), best(store, every, repeat)
            print(f"{name:28} {documents:5} documents  without {t_without:7.2f} s  with {t_every:7.2f} s  "
                  f"ratio {t_every / t_without:5.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
