"""``budgetkg build``: extract every disclosure of a batch and load it into the store.

Extraction runs in worker processes (``--jobs``); the parent only loads, so results
stream into the store and the corpus is never held in memory. Documents already in the
store under the same source SHA-256 are skipped unless ``force``. New documents go
through the bulk path in chunks; documents that replace a graph go through the
transactional path one by one.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from budgetkg.extract.emit import to_ntriples
from budgetkg.errors import BudgetKGError, DisclosureError
from budgetkg.extract.pipeline import DEFAULT_MAX_BYTES, extract_records, read_source, size_problem
from budgetkg.replacing import why_not_replace

if TYPE_CHECKING:
    from budgetkg.store import Store

log = logging.getLogger(__name__)

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
    facts: dict[str, int] = field(default_factory=dict)           # table kind → amounts read
    things: dict[str, int] = field(default_factory=dict)          # class IRI → resources of it


# A replacement that keeps less than this share of the stored document's facts in a table, or
# of its triples, is a loss: the new file is more likely damaged or cut than corrected.
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
        """0 every file loaded (extraction warnings and validation findings are reported, and
        ``budgetkg validate`` exits 1 on violations), 2 files that could not be extracted or loaded."""
        return 2 if self.failed else 0

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
    files, errors, seen = [], [], set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DISCLOSURE_SUFFIXES
                           and not p.name.upper().startswith("README"))
            if not found:
                errors.append(f"{path}: no disclosure files in this directory "
                              f"(looked for {' '.join(sorted(DISCLOSURE_SUFFIXES))})")
        elif path.is_file():
            found = [path]
        else:
            errors.append(f"{path}: no such file or directory")
            continue
        for p in found:
            key = p.resolve()
            if key not in seen:                # one file named twice (or by two routes) is read once
                seen.add(key)
                files.append(p)
    return files, errors


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract_one(path: str, sha256: str, base: str | None = None, template: str | None = None,
                max_bytes: int | None = DEFAULT_MAX_BYTES) -> Outcome:
    """Extract one file into N-Triples. Errors become an Outcome, never an exception."""
    outcome = Outcome(path, sha256)
    try:
        disclosure, _ = extract_records(read_source(path, max_bytes), template)
        outcome.graph, outcome.ntriples = to_ntriples(disclosure, base)
    except DisclosureError as exc:
        outcome.error = str(exc)
        return outcome
    except OSError as exc:
        outcome.error = f"{path}: cannot read: {exc.strerror or exc}"
        return outcome
    except RecursionError as exc:
        outcome.error = f"{path}: cannot be read: nested too deeply ({exc})"
        return outcome
    except (ArithmeticError, LookupError, ValueError, TypeError, AttributeError, AssertionError,
            RuntimeError) as exc:    # a bug met on one document never stops the batch: reported with the file
        log.exception("%s: extraction failed", path)
        outcome.error = f"{path}: extraction failed with an internal error ({type(exc).__name__}: {exc}); " \
                        f"please report it with the file"
        return outcome
    outcome.issues = [(i.severity, i.located(path)) for i in disclosure.issues]
    outcome.facts = {kind: sum(len(row.cells) for row in table.rows) for kind, table in disclosure.tables.items()}
    outcome.things = _things(outcome.ntriples)
    return outcome


_TYPE = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <"


def _things(ntriples: str) -> dict[str, int]:
    counts: Counter = Counter()
    for line in ntriples.splitlines():
        at = line.find(_TYPE)
        if at > 0:
            counts[line[at + len(_TYPE):line.rindex(">")]] += 1
    return dict(counts)


def _extract_all(todo: list[tuple[Path, str]], jobs: int, base: str | None,
                 template: str | None = None) -> Iterator[Outcome]:
    """Extract every (path, sha); the build has checked their sizes already."""
    if jobs <= 1 or len(todo) <= 1:
        for path, sha in todo:
            yield extract_one(str(path), sha, base, template, None)
        return
    # A bounded window of submitted documents, yielded in order: the workers stay busy while
    # the store loads, and results never pile up faster than they are loaded (pool.map would
    # submit the whole corpus at once and hold every finished graph until its turn).
    queue = iter(todo)
    while True:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_die_with_parent) as pool:
            window = deque((path, sha, pool.submit(extract_one, str(path), sha, base, template, None))
                           for path, sha in islice(queue, jobs * IN_FLIGHT_PER_JOB))
            if not window:
                return
            broken = False
            while window:
                path, sha, future = window.popleft()
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    # a worker died (killed, out of memory, a crash in a native library): every
                    # document in flight is read again, each alone in a fresh process, which
                    # tells the one at fault from the ones that only shared its pool
                    broken = True
                    queue = chain([(path, sha)] + [(p, s) for p, s, _ in window], queue)
                    break
                for next_path, next_sha in islice(queue, 1):
                    window.append((next_path, next_sha,
                                   pool.submit(extract_one, str(next_path), next_sha, base, template, None)))
                yield outcome
            if not broken:
                return
        for path, sha in islice(queue, jobs * IN_FLIGHT_PER_JOB + 1):
            yield _extract_alone(path, sha, base, template)


def _extract_alone(path: Path, sha: str, base: str | None, template: str | None) -> Outcome:
    with ProcessPoolExecutor(max_workers=1, initializer=_die_with_parent) as pool:
        try:
            return pool.submit(extract_one, str(path), sha, base, template, None).result()
        except BrokenProcessPool:
            return Outcome(str(path), sha, error=f"{path}: the extraction process ended abruptly while "
                                                 f"reading this file (out of memory, or a crash)")


def _die_with_parent() -> None:
    """In a worker: end when the build's process ends, however it ends (even ``kill -9``)."""
    import ctypes
    import signal
    import sys
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)        # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def build(paths: Iterable[str | Path], store, *, jobs: int = 1, force: bool = False, base: str | None = None,
          template: str | None = None, report: Callable[[str], None] = print, advance: Callable[[int], None] | None = None,
          on_total: Callable[[int], None] | None = None,
          on_loaded: Callable[[str, str], None] | None = None,
          max_bytes: int | None = DEFAULT_MAX_BYTES) -> Summary:
    """Extract and load every disclosure under *paths* into *store*; report problems as they come.

    *on_loaded* is called with each document's graph IRI and N-Triples once they are in the
    store (the build's validation, :class:`budgetkg.audit.validate.LoadValidation`, takes them there).
    """
    on_loaded = on_loaded or (lambda graph, ntriples: None)
    summary = Summary()
    recorded, todo = _plan(paths, store, force, max_bytes, report, summary)
    if on_total:
        on_total(len(todo))
    loading = _Loading(store, summary, report, on_loaded, recorded, force)
    for outcome in _extract_all(todo, max(1, jobs), base, template):
        if advance:
            advance(1)
        loading.take(outcome)
    loading.finish()
    return summary


def _plan(paths: Iterable[str | Path], store, force: bool, max_bytes: int | None, report: Callable[[str], None],
          summary: Summary) -> tuple[dict, list[tuple[Path, str]]]:
    """The store's records, and the (file, SHA-256) of every disclosure under *paths* to extract:
    not those that cannot be read or are too large (reported, failed), nor those stored unchanged
    (skipped) unless *force*."""
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
            too_large = size_problem(path, max_bytes)
            if too_large:                       # refused before a byte is read, even for its hash
                report(f"error: {path}: {too_large}")
                summary.failed += 1
                continue
            sha = file_sha256(path)
        except OSError as exc:
            report(f"error: {path}: cannot read: {exc.strerror or exc}")
            summary.failed += 1
            continue
        if sha in loaded_shas and not force:
            summary.skipped += 1
            continue
        todo.append((path, sha))
    return recorded, todo


@dataclass
class _Loading:
    """Loading a build's extracted documents as they come: a new one queued for the next bulk
    chunk, one that replaces a stored graph in a transaction of its own; counted in *summary*."""

    store: Store
    summary: Summary
    report: Callable[[str], None]
    on_loaded: Callable[[str, str], None]
    recorded: dict                      # graph IRI → the stored document's record
    force: bool
    pending: list[Outcome] = field(default_factory=list)
    bulk_used: bool = False
    seen: dict[str, str] = field(default_factory=dict)     # graph IRI → the file read for it in this build

    def take(self, outcome: Outcome) -> None:
        """Load *outcome*, queue it, or report why it is not loaded."""
        if not self._admitted(outcome):
            return
        for severity, message in outcome.issues:
            self.summary.findings[severity] += 1
            self.report(message)
        if outcome.graph in self.recorded:
            self.flush()
            self.load_each([outcome])
        else:
            self.pending.append(outcome)
            if len(self.pending) >= BULK_CHUNK:
                self.flush()

    def _admitted(self, outcome: Outcome) -> bool:
        """Whether *outcome* is to be loaded: extracted, not a disclosure already read in this
        build, and allowed to replace the stored one; if not, reported and counted failed."""
        if outcome.error:
            return self._fail(f"error: {outcome.error}")
        if outcome.graph in self.seen:
            return self._fail(f"error: {outcome.path}: not loaded: it is the same disclosure (<{outcome.graph}>) as "
                              f"{self.seen[outcome.graph]}, read earlier in this build; give one file per disclosure")
        self.seen[outcome.graph] = outcome.path
        try:
            if outcome.graph in self.recorded:
                refusal = why_not_replace(self.store, self.recorded[outcome.graph], outcome, self.force, self.report)
                if refusal:
                    return self._fail(f"error: {outcome.path}: not loaded: {refusal}")
        except BudgetKGError as exc:
            return self._fail(f"error: {outcome.path}: not loaded: cannot compare it with the stored disclosure: {exc}")
        return True

    def _fail(self, message: str) -> bool:
        self.report(message)
        self.summary.failed += 1
        return False

    def load_each(self, outcomes: list[Outcome]) -> None:
        """One transaction per document: a document the store refuses fails alone."""
        for o in outcomes:
            try:
                record = self.store.replace_graph(o.graph, o.ntriples, o.sha256)
            except (BudgetKGError, SyntaxError, ValueError, OSError) as exc:
                self.report(f"error: {o.path}: not loaded: {exc}")
                self.summary.failed += 1
                continue
            self.on_loaded(o.graph, o.ntriples)
            self.summary.triples += record.triples
            self.summary.loaded += 1

    def flush(self) -> None:
        """Load the queued documents: in bulk, or one by one when they are few or the bulk load fails."""
        if not self.pending:
            return
        chunk = list(self.pending)
        self.pending.clear()
        if len(chunk) < BULK_MIN:
            self.load_each(chunk)
            return
        try:
            records = self.store.load([(o.graph, o.ntriples, o.sha256) for o in chunk])
        except (BudgetKGError, SyntaxError, ValueError, OSError) as exc:
            # the bulk path is not transactional: drop what it left, then load one by one so
            # that the documents the store accepts get in and the others are named
            self.report(f"warning: bulk loading {len(chunk)} documents failed ({exc}); loading them one by one")
            self.store.repair()
            self.load_each(chunk)
            return
        self.bulk_used = True
        for o in chunk:
            self.on_loaded(o.graph, o.ntriples)
        self.summary.triples += sum(r.triples for r in records)
        self.summary.loaded += len(records)

    def finish(self) -> None:
        """Load what is still queued, optimize the store after bulk loads, and flush it."""
        try:
            self.flush()
            if self.bulk_used:
                self.store.optimize()
            self.store.flush()
        except BudgetKGError as exc:
            self.report(f"error: loading failed: {exc}")
            self.summary.failed += 1


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
