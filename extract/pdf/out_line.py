"""What the PDF reader puts out: lines of reading-order text, each with where it came from."""

from __future__ import annotations

from dataclasses import dataclass

from budgetkg.extract.pdf.grid import BBox


@dataclass
class OutLine:
    """One line of the reading-order text, with where it came from."""

    text: str
    page: int
    bbox: BBox | None = None
    boxes: tuple[BBox | None, ...] = ()          # a budget-table row: the box of each of its cells (tab-separated)
    grid: bool = False                           # a row of a ruled table
    keys: tuple[str, ...] | None = None          # a budget table's header: its amount columns, in order


def bbox_union(boxes: list[BBox]) -> BBox | None:
    """The box around *boxes*, or None when there are none."""
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
