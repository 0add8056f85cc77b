"""Hand-written inputs for the stage tests: documents whose every line carries its number, so
that the expected line numbers can be read off the text itself."""

from __future__ import annotations

import re

from budgetkg.extract.normalize import Line, Source

_NUMBERED = re.compile(r"^\s*(\d+)\|(.*)$")


def numbered(block: str) -> list[Line]:
    """The Lines of *block*, written one per line as ``NN|text`` (numbers consecutive from the
    first; the text after ``|`` is kept as written, tabs included)."""
    lines: list[Line] = []
    for raw in block.strip("\n").split("\n"):
        m = _NUMBERED.match(raw)
        assert m, f"not a numbered line: {raw!r}"
        number = int(m.group(1))
        assert not lines or number == lines[-1].number + 1, f"line {number} out of order"
        lines.append(Line(number, m.group(2)))
    return lines


def source(block: str, rendering: str = "tsv") -> Source:
    return Source("hand-written.txt", "0" * 64, numbered(block), rendering)


def nonblank(lines: list[Line]) -> list[int]:
    return [ln.number for ln in lines if ln.text.strip()]
