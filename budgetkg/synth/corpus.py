"""``budgetkg synth``: a province's year of synthetic disclosures, with planted defects and a manifest.

The departments form the region's hierarchy: the autonomous region's own departments, each
prefecture's, each county's (18 kinds at every level), then schools under the counties
when more documents are asked for. ``--departments N`` picks N of them, spread over the
levels. Everything is drawn from ``random.Random`` seeded by the seed, the year and the
department's name, so a department's facts do not depend on N and the same arguments
always write the same bytes.

With ``phase="final"`` each department's final account of the year is written instead of its
budget (``synth.final``), with the final accounts' own defects; ``phase="both"`` writes the two
side by side, so the final accounts' 年初预算 can be checked against their budgets.

``manifest.json`` lists every document: its department, phase, place in the hierarchy, style,
units, and the defects planted in it with the shapes each must trip. A validation run over
the corpus can then be scored for recall and precision against it.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from budgetkg.errors import SynthError
from budgetkg.synth.budget_tables import STYLES
from budgetkg.synth.defects import DEFECTS, FINAL_DEFECTS, Defect, NotApplicable
from budgetkg.synth.draw import draw_department
from budgetkg.synth.final import render_final
from budgetkg.synth.model import Department
from budgetkg.synth.region import AREAS, KINDS, REGION, department_name, policy_pool
from budgetkg.synth.render import render_text
from budgetkg.synth.years import YEAR_DEFECTS, carry_forward, unit_budgets

SCHOOLS_PER_COUNTY = 40
PHASES = ("budget", "final", "both")


@dataclass(frozen=True)
class Slot:
    """A department's place in the hierarchy."""

    level: str
    area: str
    parent: str | None
    kind_index: int
    serial: int = 0              # schools: 第 serial 中学


@dataclass
class Planned:
    index: int
    slot: Slot
    name: str
    kind: str
    style: str
    defects: list[str] = field(default_factory=list)
    phase: str = "budget"

    @property
    def filename(self) -> str:
        suffix = "-final" if self.phase == "final" else ""
        return f"{self.index:05d}-{self.name.removeprefix(REGION) or self.name}{suffix}.txt"


def defect_kinds(phase: str, companions: bool = False) -> dict[str, Defect]:
    """The defects planted in documents of *phase*; a final account's that need its budget
    beside it only when the corpus has it (*companions*)."""
    if phase == "budget":
        return DEFECTS
    return {k: d for k, d in FINAL_DEFECTS.items() if companions or not d.companion}


def hierarchy() -> list[Slot]:
    """Every department of the region, region first, then prefectures, then counties and their schools."""
    slots = [Slot("region", "", None, k) for k in range(len(KINDS))]
    slots += [Slot("prefecture", p, REGION, k) for p in AREAS for k in range(len(KINDS))]
    counties = [(p, c) for p, cs in AREAS.items() for c in cs]
    slots += [Slot("county", p + c, p, k) for p, c in counties for k in range(len(KINDS))]
    slots += [Slot("county", p + c, p, 0, s) for s in range(1, SCHOOLS_PER_COUNTY + 1) for p, c in counties]
    return slots


def plan(departments: int, year: int, seed: int = 0, defect_share: float = 0.0,
         styles: tuple[str, ...] = STYLES, phase: str = "budget") -> list[Planned]:
    """Which departments, in which style, with which defects. Defect kinds are dealt in turn
    so that every kind is planted once before any is planted twice. Raw-style documents get
    none: raw text drops empty cells, so some of their figures cannot be placed in columns
    (the extractor keeps and reports them) and the rules on those tables do not run. Final
    accounts are printed in one style (tab-separated); with *phase* ``both`` a department's
    final account follows its budget."""
    slots = hierarchy()
    if departments > len(slots):
        raise SynthError(f"at most {len(slots)} departments (asked for {departments})")
    if any(s not in STYLES for s in styles):
        raise SynthError(f"styles are {', '.join(STYLES)}")
    if phase not in PHASES:
        raise SynthError(f"phases are {', '.join(PHASES)}")
    phases = ("budget", "final") if phase == "both" else (phase,)
    rng = random.Random(f"plan-{seed}-{year}")
    head = [s for s in slots if s.serial == 0]
    picked = [head[i] for i in sorted(_spread(head, departments, rng))]
    picked += [s for s in slots if s.serial][:max(0, departments - len(head))]
    # each phase deals its defects from its own generator: adding final accounts leaves the
    # budgets' defects as they were
    dealer = {"budget": rng, "final": random.Random(f"plan-{seed}-{year}-final")}
    out = []
    for index, slot in enumerate(picked, 1):
        name, kind = department_name(slot.level, slot.area, slot.kind_index, slot.serial)
        style = random.Random(f"style-{seed}-{year}-{name}").choice(styles)
        for ph in phases:
            p = Planned(index, slot, name, kind, style if ph == "budget" else "tsv", phase=ph)
            if defect_share and p.style != "raw" and dealer[ph].random() < defect_share:
                kinds = list(defect_kinds(ph, phase == "both"))
                p.defects.append(kinds[sum(len(q.defects) for q in out if q.phase == ph) % len(kinds)])
            out.append(p)
    return out


def _spread(head: list[Slot], departments: int, rng: random.Random) -> list[int]:
    """Indexes of *departments* of *head*, each level in proportion to its size and every
    level from the third pick on: each level is shuffled and its i-th slot gets the key
    i / (size of the level); the smallest keys win."""
    levels: dict[str, list[int]] = {}
    for i, slot in enumerate(head):
        levels.setdefault(slot.level, []).append(i)
    keyed = []
    for order, members in enumerate(levels.values()):
        rng.shuffle(members)
        keyed += [(i / len(members), order, index) for i, index in enumerate(members)]
    return [index for *_, index in sorted(keyed)[:departments]]


def draw(p: Planned, year: int, seed: int, policies) -> Department:
    rng = random.Random(f"{seed}-{year}-{p.name}")
    return draw_department(rng, p.name, p.kind, p.slot.level, p.slot.area, p.slot.parent, year, policies)


def documents(planned: list[Planned], year: int, seed: int) -> Iterator[tuple[Planned, Department, str]]:
    """(plan, facts, text) of each planned document, its defects planted. A defect kind that
    does not apply to a department (a carry-over kind, to one with none) is owed: the next
    document of the phase dealt a defect tries the kinds owed first. A document none of them
    applies to gets the next kind that does."""
    policies = policy_pool(seed, year)
    both = len({p.phase for p in planned}) > 1
    owed: dict[str, list[str]] = {}
    for p in planned:
        dept = draw(p, year, seed, policies)
        text = render_text(dept, p.style) if p.phase == "budget" else render_final(dept, seed)
        registry = defect_kinds(p.phase, both)
        kinds = list(registry)
        rng = random.Random(f"defects-{seed}-{year}-{p.name}" + ("-final" if p.phase == "final" else ""))
        planted: list[str] = []
        for wanted in p.defects:
            start = kinds.index(wanted)
            dealt = list(dict.fromkeys(owed.get(p.phase, []) + [wanted]))
            for kind in dealt + [k for k in kinds[start:] + kinds[:start] if k not in dealt]:
                if kind in planted:
                    continue
                try:
                    text = registry[kind].plant(dept, text, rng)
                except NotApplicable:
                    continue
                planted.append(kind)
                break
            owed[p.phase] = [k for k in dealt if k not in planted]
        p.defects = planted
        yield p, dept, text


def write_corpus(out: Path, departments: int, year: int, seed: int = 0, defect_share: float = 0.0,
                 pdf: bool = False, styles: tuple[str, ...] = STYLES, report=print, phase: str = "budget") -> dict:
    """Write the texts (and PDFs) and ``manifest.json`` into *out*; return the manifest."""
    if pdf and phase != "budget":
        raise SynthError("PDFs are printed for budgets only (the PDF printer draws the eleven-table "
                         "template); leave out --pdf for final accounts")
    if pdf:     # a PDF is printed from a tab-separated text: raw text's cells are not known unread
        styles = tuple(s for s in styles if s != "raw")
        if not styles:
            raise SynthError("PDFs are printed from tab-separated texts (--styles tsv or wrapped), not raw text")
    planned = plan(departments, year, seed, defect_share, styles, phase)
    out.mkdir(parents=True, exist_ok=True)
    if pdf:
        from budgetkg.synth.pdf import render as render_pdf        # reportlab only when PDFs are asked for
    entries = []
    for p, dept, text in documents(planned, year, seed):
        kinds = defect_kinds(p.phase, phase == "both")
        path = out / p.filename
        path.write_text(text, encoding="utf-8")
        if pdf:
            render_pdf(path, path.with_suffix(".pdf"))
            path.unlink()
            path = path.with_suffix(".pdf")
        entries.append({
            "file": path.name, "department": dept.name, "year": year, "phase": p.phase, "level": p.slot.level,
            "area": p.slot.area or None, "parent": p.slot.parent, "kind": p.kind, "style": p.style,
            "units": dept.units, "projects": len(dept.projects), "carried_over": len(dept.carryover),
            "defects": [{"kind": k, "shapes": list(kinds[k].shapes), "may_also": list(kinds[k].may_also),
                         "description": kinds[k].description} for k in p.defects],
        })
    written = {p.phase for p in planned}
    registry = {k: d for ph in ("budget", "final") if ph in written for k, d in defect_kinds(ph, phase == "both").items()}
    manifest = {"generator": "budgetkg synth", "seed": seed, "year": year, "phase": phase,
                "departments": len({e["department"] for e in entries}),
                "defect_share": defect_share, "styles": list(styles), "pdf": pdf,
                "defect_kinds": {k: list(d.shapes) for k, d in registry.items()}, "documents": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    report(f"{out}: {len(entries)} disclosure(s), {sum(bool(e['defects']) for e in entries)} with planted defects")
    return manifest


def write_years(out: Path, departments: int, year: int, years: int, seed: int = 0, defect_share: float = 0.0,
                styles: tuple[str, ...] = STYLES, unit_share: float = 0.0, report=print) -> dict:
    """A corpus of *years* consecutive budgets (from *year*) of the same departments, each year's
    stating last year's figures as the year before printed them (``synth.years``), and, for a
    *unit_share* of the departments with units, each unit's own budget (单位预算) beside its
    department's, which is their sum. A *defect_share* of the budgets whose last year is in the
    corpus or whose units publish budgets get one of the defects of
    :data:`~budgetkg.synth.years.YEAR_DEFECTS`, which only the cross-year and consolidation rules
    can see. The text defects of :data:`DEFECTS` are not planted here: one misprinted figure
    would also be a true cross-year or consolidation finding in the documents read beside it."""
    if years < 1:
        raise SynthError("--years must be at least 1")
    planned = plan(departments, year, seed, 0.0, styles, "budget")
    out.mkdir(parents=True, exist_ok=True)
    with_units = {p.name for p in planned if random.Random(f"units-{seed}-{p.name}").random() < unit_share}
    entries: list[dict] = []
    prior: dict[str, Department] = {}
    prior_units: dict[tuple[str, bool], Department] = {}
    dealer = _YearDealer(random.Random(f"year-defects-{seed}-{year}"), defect_share)
    for k in range(years):
        y = year + k
        policies = policy_pool(seed, y)
        for p in planned:
            dept = draw(p, y, seed, policies)
            if p.name in prior:
                carry_forward(dept, prior[p.name])
            units = unit_budgets(dept, random.Random(f"units-{seed}-{y}-{p.name}")) if p.name in with_units else []
            for i, unit in enumerate(units):
                if (unit.name, i == 0) in prior_units:
                    carry_forward(unit, prior_units[(unit.name, i == 0)])
            planted = dealer.plant(p, dept, prior.get(p.name), units, random.Random(f"year-defects-{seed}-{y}-{p.name}"))
            name = f"{p.index:05d}-{p.name.removeprefix(REGION) or p.name}-{y}"
            (out / f"{name}.txt").write_text(render_text(dept, p.style), encoding="utf-8")
            entries.append(_entry(f"{name}.txt", dept, p, planted))
            for i, unit in enumerate(units):
                file = f"{name}-unit-{i + 1}.txt"
                (out / file).write_text(render_text(unit, "tsv"), encoding="utf-8")
                entries.append({"file": file, "department": unit.name, "year": y, "phase": "budget", "scope": "unit",
                                "of": dept.name, "style": "tsv", "units": unit.units, "projects": len(unit.projects),
                                "defects": []})
                prior_units[(unit.name, i == 0)] = unit
            prior[p.name] = dept
    manifest = {"generator": "budgetkg synth", "seed": seed, "year": year, "years": years, "phase": "budget",
                "departments": len(planned), "unit_share": unit_share, "defect_share": defect_share,
                "styles": list(styles), "pdf": False,
                "defect_kinds": {k: list(d.shapes) for k, d in YEAR_DEFECTS.items()}, "documents": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    report(f"{out}: {len(entries)} disclosure(s) over {years} year(s), "
           f"{sum(e['scope'] == 'unit' for e in entries)} of them unit budgets, "
           f"{sum(bool(e['defects']) for e in entries)} with planted defects")
    return manifest


class _YearDealer:
    """Deals the defects of :data:`~budgetkg.synth.years.YEAR_DEFECTS` in turn to a *share* of the
    budgets they apply to (one whose last year is in the corpus, or whose units publish budgets)."""

    def __init__(self, rng: random.Random, share: float):
        self.rng, self.share, self.kinds, self.dealt = rng, share, list(YEAR_DEFECTS), 0

    def plant(self, p: Planned, dept: Department, prior: Department | None, units: list, rng: random.Random) -> list[str]:
        if not (prior or units) or p.style == "raw" or not self.share or self.rng.random() >= self.share:
            return []
        turn = self.dealt % len(self.kinds)
        for kind in self.kinds[turn:] + self.kinds[:turn]:
            d = YEAR_DEFECTS[kind]
            if (d.where == "later" and prior is None) or (d.where == "unit" and not units):
                continue
            try:
                d.plant(dept, prior, units, rng)
            except NotApplicable:
                continue
            self.dealt += 1
            return [kind]
        return []


def _entry(file: str, dept: Department, p: Planned, planted: list[str]) -> dict:
    """A department budget's manifest entry in a corpus over years."""
    return {"file": file, "department": dept.name, "year": dept.year, "phase": "budget", "scope": "department",
            "level": p.slot.level, "area": p.slot.area or None, "parent": p.slot.parent, "kind": p.kind,
            "style": p.style, "units": dept.units, "projects": len(dept.projects), "carried_over": len(dept.carryover),
            "defects": [{"kind": k, "shapes": list(YEAR_DEFECTS[k].shapes), "may_also": list(YEAR_DEFECTS[k].may_also),
                         "description": YEAR_DEFECTS[k].description} for k in planted]}
