"""One finding type for the whole application: what extraction could not read or tell, and what
validation found. A finding is a claim about a document: it says what kind of finding it is
(``code``: an extraction finding's id in ontology/extraction-findings.toml, or a shape's IRI),
how severe, what it is about (``object``: a node's IRI, or a table as the document names it) and
where (the file, its page or line)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from budgetkg.resources import data_dir

__all__ = ["Finding", "extraction_codes"]


@dataclass(frozen=True)
class Finding:
    severity: str                   # violation | warning | info
    code: str                       # extraction-findings.toml id, or the shape's IRI
    message: str                    # the particulars: zh / en for a shape's, names as printed
    line: int | None = None
    object: str | None = None       # the focus node's IRI, or a table as printed (表3 部门支出总表)
    page: int | None = None         # PDF only
    file: str | None = None
    document: str | None = None     # the disclosure's IRI (validation)
    value: str | None = None        # the value a shape reports (validation)
    path: str | None = None         # the result path a shape reports (validation)

    def located(self, file: str | None = None) -> str:
        """``file, page P, line L, object: severity: message``, as far as each is known."""
        where = [file or self.file or self.document or "<input>"]
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.object is not None and not self.object.startswith("http"):
            where.append(self.object)
        return f"{', '.join(where)}: {self.severity}: {self.message}"

    def key(self) -> tuple:
        """What two validation engines must agree on: numbers in the message compared by value."""
        return (self.object, self.code, self.severity, self.value, self.path, _normalize_numbers(self.message))


def _normalize_numbers(text: str) -> str:
    def norm(m):
        try:
            return format(Decimal(m.group()).normalize(), "f")
        except InvalidOperation:
            return m.group()
    return re.sub(r"-?\d+(?:\.\d+)?", norm, text)


@cache
def extraction_codes() -> dict[str, tuple[str, str]]:
    """code → (zh title, en title) of every finding extraction can make."""
    with open(data_dir("ontology") / "extraction-findings.toml", "rb") as f:
        return {code: (t["zh"], t["en"]) for code, t in tomllib.load(f).items()}
