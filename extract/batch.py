"""``budgetkg build``: extract every disclosure of a batch and load it into the store.

Extraction runs in worker processes (``--jobs``); the parent only loads, so results
stream into the store and the corpus is never held in memory. Documents already in the
store under the same source SHA-256 are skipped unless ``force``. New documents go
through the bulk path in chunks; documents that replace a graph go through the
transactional path one by one.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .emit import to_ntriples
from .errors import BudgetKGError, DisclosureError
from .pipeline import extract_records, read_source

DISCLOSURE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text", ".pdf"}
BULK_CHUNK = 50        # documents per bulk load (peak memory grows with it)
IN_FLIGHT_PER_JOB = 16  # documents submitted ahead per extraction process (enough to keep it busy
                        # while the parent bulk-loads a chunk, about 2 s for 50 documents)
BULK_MIN = 20          # fewer new documents than this are loaded one transaction each


@dataclass
class Outcome:
    """What extracting one file produced; picklable, so workers can return it."""

    path: str
    sha256: str
    graph: str | None = None
    ntriples: str | None = None
    issues: list[tuple[str, str]] = field(default_factory=list)   # (severity, located message)
    error: str | None = None


@dataclass
class Summary:
    found: int = 0
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    triples: int = 0
    findings: Counter = field(default_factory=Counter)

    @property
    def exit_code(self) -> int:
        """0 all good, 1 findings of severity error, 2 files that could not be extracted or loaded."""
        if self.failed:
            return 2
        return 1 if self.findings.get("error") or self.findings.get("violation") else 0

    def lines(self) -> list[str]:
        by_severity = ", ".join(f"{n} {s}" for s, n in sorted(self.findings.items())) or "none"
        return [f"documents: {self.found} found, {self.loaded} loaded, {self.skipped} unchanged (skipped), "
                f"{self.failed} failed",
                f"triples loaded: {self.triples}",
                f"extraction findings by severity: {by_severity}"]


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand directories (recursively) into disclosure files; return (files, errors).

    In a directory, README files are documentation, not disclosures, and are passed over.
    """
    files, errors = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DISCLOSURE_SUFFIXES
                                and not p.name.upper().startswith("README")))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{path}: no such file or directory")
    return files, errors


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract_one(path: str, sha256: str, base: str | None = None, template: str | None = None) -> Outcome:
    """Extract one file into N-Triples. Errors become an Outcome, never an exception."""
    outcome = Outcome(path, sha256)
    try:
        disclosure, _ = extract_records(read_source(path), template)
        outcome.graph, outcome.ntriples = to_ntriples(disclosure, base)
    except DisclosureError as exc:
        outcome.error = str(exc)
        return outcome
    except OSError as exc:
        outcome.error = f"{path}: cannot read: {exc.strerror or exc}"
        return outcome
    outcome.issues = [(i.severity, i.located(path)) for i in disclosure.issues]
    return outcome


def _extract_all(todo: list[tuple[Path, str]], jobs: int, base: str | None,
                 template: str | None = None) -> Iterator[Outcome]:
    if jobs <= 1 or len(todo) <= 1:
        for path, sha in todo:
            yield extract_one(str(path), sha, base, template)
        return
    # A bounded window of submitted documents, yielded in order: the workers stay busy while
    # the store loads, and results never pile up faster than they are loaded (pool.map would
    # submit the whole corpus at once and hold every finished graph until its turn).
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        queue = iter(todo)
        window = deque(pool.submit(extract_one, str(path), sha, base, template)
                       for path, sha in islice(queue, jobs * IN_FLIGHT_PER_JOB))
        while window:
            outcome = window.popleft().result()
            for path, sha in islice(queue, 1):
                window.append(pool.submit(extract_one, str(path), sha, base, template))
            yield outcome


def build(paths: Iterable[str | Path], store, *, jobs: int = 1, force: bool = False, base: str | None = None,
          template: str | None = None, report: Callable[[str], None] = print, advance: Callable[[int], None] | None = None,
          on_total: Callable[[int], None] | None = None,
          on_loaded: Callable[[str, str], None] | None = None) -> Summary:
    """Extract and load every disclosure under *paths* into *store*; report problems as they come.

    *on_loaded* is called with each document's graph IRI and N-Triples once they are in the
    store (the build's validation, :class:`budgetkg.validate.LoadValidation`, takes them there).
    """
    on_loaded = on_loaded or (lambda graph, ntriples: None)
    summary = Summary()
    files, errors = discover(paths)
    for error in errors:
        report(f"error: {error}")
    summary.failed += len(errors)
    summary.found = len(files)
    recorded = store.records()
    loaded_shas = {r.sha256 for r in recorded.values()}
    todo = []
    for path in files:
        try:
            sha = file_sha256(path)
        except OSError as exc:
            report(f"error: {path}: cannot read: {exc.strerror or exc}")
            summary.failed += 1
            continue
        if sha in loaded_shas and not force:
            summary.skipped += 1
            continue
        todo.append((path, sha))
    if on_total:
        on_total(len(todo))

    pending: list[Outcome] = []
    bulk_used = False
    seen: dict[str, str] = {}

    def flush() -> None:
        nonlocal bulk_used
        if not pending:
            return
        if len(pending) >= BULK_MIN:
            records = store.bulk_load([(o.graph, o.ntriples, o.sha256) for o in pending])
            bulk_used = True
        else:
            records = [store.replace_graph(o.graph, o.ntriples, o.sha256) for o in pending]
        for o in pending:
            on_loaded(o.graph, o.ntriples)
        summary.triples += sum(r.triples for r in records)
        summary.loaded += len(records)
        pending.clear()

    for outcome in _extract_all(todo, max(1, jobs), base, template):
        if advance:
            advance(1)
        if outcome.error:
            report(f"error: {outcome.error}")
            summary.failed += 1
            continue
        for severity, message in outcome.issues:
            summary.findings[severity] += 1
            report(message)
        repeated = outcome.graph in seen
        if repeated:
            report(f"warning: {outcome.path} is the same disclosure as {seen[outcome.graph]} "
                   f"(<{outcome.graph}>); the later file replaces the earlier")
        seen[outcome.graph] = outcome.path
        try:
            if outcome.graph in recorded or repeated:
                flush()
                record = store.replace_graph(outcome.graph, outcome.ntriples, outcome.sha256)
                on_loaded(outcome.graph, outcome.ntriples)
                summary.triples += record.triples
                summary.loaded += 1
            else:
                pending.append(outcome)
                if len(pending) >= BULK_CHUNK:
                    flush()
        except BudgetKGError as exc:
            report(f"error: {outcome.path}: not loaded: {exc}")
            summary.failed += 1
    try:
        flush()
        if bulk_used:
            store.optimize()
        store.flush()
    except BudgetKGError as exc:
        report(f"error: loading failed: {exc}")
        summary.failed += 1
    return summary


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
