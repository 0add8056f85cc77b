"""Which project a performance-target table is about.

A project is printed up to three times in one disclosure: a row of the project table (表7),
a description (第三部分 七) and a performance-target table, and the three names often differ
(`2024年日常运行管理费` for `日常运行管理费`, `维保费` for `运维费`), or the table is drawn up for
one part of the project (`“金财工程”运行维护费-财政信息化通信保障项目`). Pairing by name alone
turns one project into two and raises findings that contradict themselves; this module pairs
each table with its project by name, unit and amount, and says how the names relate:

* ``exact``: the same name;
* ``variant``: the same name once the year, region, filler words and synonyms of
  ``ontology/project-names.toml`` are taken out (info for an auditor);
* ``different``: a table of the project's unit with the project's amount, under another name
  (a warning: the names should agree);
* ``part``: a table for a part of the project, its title the project's name, a separator and
  the part's name.

A table left unpaired keeps its own name (and the rules say it is in no project list).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from budgetkg.extract.normalize import squash
from budgetkg.resources import data_dir

TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class Candidate:
    """A project as table 7 or part three prints it."""

    name: str
    unit_key: str               # "" for the department itself and its 本级 unit
    unit: str | None
    amount: Decimal | None


@dataclass(frozen=True)
class Pairing:
    project: Candidate
    match: str                  # exact | variant | different | part


@dataclass(frozen=True)
class _Rules:
    prefixes: re.Pattern
    suffixes: re.Pattern
    fillers: re.Pattern
    synonyms: tuple[tuple[re.Pattern, str], ...]
    separators: tuple[str, ...]


@lru_cache(maxsize=1)
def rules() -> _Rules:
    path = data_dir("ontology") / "project-names.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    synonyms = []
    for group in data.get("synonyms", []):
        words = sorted(group, key=len, reverse=True)
        synonyms.append((re.compile("|".join(map(re.escape, words))), group[0]))
    return _Rules(
        prefixes=re.compile(f"^(?:{'|'.join(data['prefixes'])})"),
        suffixes=re.compile(f"(?:{'|'.join(data['suffixes'])})$"),
        fillers=re.compile("|".join(data["fillers"])),
        synonyms=tuple(synonyms),
        separators=tuple(sorted(data["part_separators"], key=len, reverse=True)))


def core(name: str) -> str:
    """A project's name with its year, region, filler words and synonyms taken out."""
    r = rules()
    text = squash(name)
    for pattern, word in r.synonyms:
        text = pattern.sub(word, text)
    previous = None
    while previous != text:
        previous = text
        text = r.prefixes.sub("", text)
        text = r.fillers.sub("", text)
        text = r.suffixes.sub("", text)
    return text or squash(name)


def _amount_matches(funds: dict, amount: Decimal | None) -> bool:
    if amount is None:
        return False
    return any(funds.get(k) is not None and abs(funds[k] - amount) <= TOLERANCE for k in ("fiscal", "total"))


def pair(tables: list, candidates: list[Candidate], unit_key) -> dict[int, Pairing]:
    """Pair project performance tables (records with ``project``, ``unit``, ``funds`` and
    ``position``) with *candidates*; *unit_key* maps a printed unit to a candidate's
    ``unit_key``. Returns table position → pairing. Each project is paired with at most one
    table, except the parts of a project."""
    out: dict[int, Pairing] = {}
    taken: set[Candidate] = set()
    todo = [t for t in tables if t.project]

    def settle(match: str, test, one_table_each: bool = True) -> None:
        wanted: dict[int, list[Candidate]] = {}
        for t in todo:
            if t.position in out:
                continue
            hits = [c for c in candidates if c not in taken and test(t, c)]
            if len(hits) == 1:
                wanted[t.position] = hits
        chosen: dict[Candidate, list[int]] = {}
        for position, (c,) in wanted.items():
            chosen.setdefault(c, []).append(position)
        for c, positions in chosen.items():
            if one_table_each and len(positions) > 1:
                continue                              # two tables want one project: leave both
            for position in positions:
                out[position] = Pairing(c, match)
            taken.add(c)

    same_unit = lambda t, c: unit_key(t.unit) == c.unit_key                       # noqa: E731
    name = lambda t: squash(t.project)                                              # noqa: E731
    settle("exact", lambda t, c: name(t) == c.name and same_unit(t, c))
    settle("exact", lambda t, c: name(t) == c.name)
    settle("variant", lambda t, c: same_unit(t, c) and _amount_matches(t.funds, c.amount)
           and core(t.project) == core(c.name))
    settle("variant", lambda t, c: core(t.project) == core(c.name))
    settle("part", lambda t, c: _is_part(name(t), c.name), one_table_each=False)
    settle("different", lambda t, c: same_unit(t, c) and _amount_matches(t.funds, c.amount))
    return out


def _is_part(title: str, project: str) -> bool:
    if not title.startswith(project) or len(title) <= len(project):
        return False
    rest = title[len(project):]
    return any(rest.startswith(s) and len(rest) > len(s) for s in rules().separators)
