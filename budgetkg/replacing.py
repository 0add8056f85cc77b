"""Whether a newly extracted document may replace the stored one of the same identity: what
the stored one holds, and what the replacement would lose."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from budgetkg.store.manifest import count_lines
from budgetkg.store.query import sparql

if TYPE_CHECKING:
    from budgetkg.build import Outcome

KEEP_AT_LEAST = 0.75


@dataclass
class Stored:
    """What a stored disclosure holds, to compare a replacement with."""

    file: str | None
    facts: dict[str, int]
    things: dict[str, int]
    triples: int


def stored_profile(store, graph: str, triples: int) -> Stored:
    """The file a stored disclosure was read from, the amounts it holds per table kind and
    how many resources of each class."""
    name = ox.NamedNode(graph)
    file, facts = None, {}
    for name_, table, n in store.select(sparql("store/stored-tables"), {"d": name}).rows:
        file = file or (name_.value if name_ is not None else None)
        if table is not None:
            facts[table.value.rsplit("/table/", 1)[-1]] = int(n.value)
    things = {kind.value: int(n.value) for kind, n in store.select(sparql("store/things-by-type"), {"g": name}).rows}
    return Stored(file, facts, things, triples)


BKG_NS = "https://w3id.org/budgetkg/ontology#"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def replacement_losses(old: Stored, new: Outcome, new_triples: int) -> list[str]:
    """What replacing a stored disclosure by *new* would lose: tables, their amounts, the
    resources of a class (projects, performance tables, statements …), triples."""
    missing = [f"{kind} ({n} amounts)" for kind, n in sorted(old.facts.items()) if kind not in new.facts]
    losses = [f"table{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)}"] if missing else []
    for kind, n in sorted(old.facts.items()):
        kept = new.facts.get(kind)
        if kept is not None and n >= 4 and kept < KEEP_AT_LEAST * n:
            losses.append(f"table {kind} falls from {n} to {kept} amounts")
    for kind, n in sorted(old.things.items()):
        kept = new.things.get(kind, 0)
        if kind.startswith(BKG_NS) and n >= 3 and kept < KEEP_AT_LEAST * n:
            losses.append(f"{_local(kind)} falls from {n} to {kept}")
    if old.triples >= 20 and new_triples < KEEP_AT_LEAST * old.triples:
        losses.append(f"triples fall from {old.triples} to {new_triples}")
    if len(losses) > 6:
        losses = losses[:5] + [f"and {len(losses) - 5} more losses"]
    return losses


def why_not_replace(store, stored, outcome: "Outcome", force: bool, report) -> str | None:
    """Why *outcome* may not replace the *stored* disclosure of the same identity, or None.

    A different file (by name) replaces a stored disclosure only with *force*; so does a file
    whose extraction holds much less than the stored one (a table gone, a table's amounts or
    the triples down by more than a quarter), which is more likely damaged or cut than corrected.
    """
    old = stored_profile(store, outcome.graph, stored.triples)
    new_file = Path(outcome.path).name
    what = f"the stored disclosure <{outcome.graph}>" + (f" (read from {old.file})" if old.file else "")
    if old.file and old.file != new_file:
        if not force:
            return (f"it is the same disclosure as {what}, from a different file; a different file replaces "
                    f"a stored disclosure only with --force")
        report(f"warning: {outcome.path}: replaces {what} (--force)")
    losses = replacement_losses(old, outcome, count_lines(outcome.ntriples))
    if losses:
        if not force:
            return (f"it would replace {what} and lose data: {'; '.join(losses)}. The new file looks damaged "
                    f"or cut short; check it, or use --force to replace anyway")
        report(f"warning: {outcome.path}: replaces {what} with less: {'; '.join(losses)} (--force)")
    return None
