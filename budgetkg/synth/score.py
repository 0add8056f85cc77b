"""Score validation findings against a synthetic corpus's manifest: recall and precision.

Findings of severity violation and warning are scored: each is a claim that a document is
wrong. Info findings are notes on what could not be checked (a figure raw text left without
its column); they are counted, not scored."""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetkg.extract.identity import Minter
from budgetkg.audit.validate import Shapes
from budgetkg.extract.findings import Finding


@dataclass
class Score:
    planted: int = 0                       # (document, shape) pairs the manifest expects
    found: int = 0                         # of those, reported
    findings: int = 0                      # violations and warnings
    notes: int = 0                         # info findings (not scored)
    explained: int = 0                     # of those, in a document and shape the manifest expects or allows
    missed: list[tuple[str, str]] = field(default_factory=list)
    unexpected: list[Finding] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.explained / self.findings if self.findings else 1.0

    def lines(self) -> list[str]:
        return [f"planted (document, rule) pairs: {self.planted}, found {self.found}: recall {self.recall:.1%}",
                f"findings: {self.findings}, explained by a planted defect {self.explained}: "
                f"precision {self.precision:.1%}",
                f"notes (info, not scored): {self.notes}"] + \
            [f"  missed: {doc} {shape}" for doc, shape in self.missed[:20]] + \
            [f"  unexpected: {f.document} {f.code} {f.message}" for f in self.unexpected[:20]]


def score(manifest: dict, findings: list[Finding], shapes: Shapes, base: str | None = None) -> Score:
    minter = Minter(base) if base else Minter()
    file_of = {c.shape: c.file.removesuffix(".ttl") for c in shapes.constraints}
    def doc(e: dict) -> str:
        return minter.disclosure(e["department"], e["year"], e.get("phase", "budget"), e.get("scope", "department"))
    expected = {(doc(e), shape) for e in manifest["documents"] for d in e["defects"] for shape in d["shapes"]}
    allowed = expected | {(doc(e), shape) for e in manifest["documents"] for d in e["defects"]
                          for shape in d.get("may_also", ())}
    reported = {(f.document, file_of.get(f.code, f.code)) for f in findings}
    claims = [f for f in findings if f.severity != "info"]
    out = Score(planted=len(expected), found=len(expected & reported), findings=len(claims),
                notes=len(findings) - len(claims))
    out.missed = sorted(expected - reported)
    for f in claims:
        if (f.document, file_of.get(f.code, f.code)) in allowed:
            out.explained += 1
        else:
            out.unexpected.append(f)
    return out
