"""A page's figures as a table that downloads: :class:`Sheet`, written as CSV (UTF-8 with a byte
order mark, so that Excel and WPS on Chinese Windows read it) with headings in zh and en.

Each page that shows figures builds its sheet from the same rows it draws, so the download and
the page agree figure for figure. Amounts are written exactly as the store holds them (the
decimal's lexical form, in 万元), never through a float.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field


@dataclass
class Sheet:
    """*columns*: (key, zh, en) of each column; *rows*: dicts by key (missing keys are empty)."""
    columns: list[tuple[str, str, str]]
    rows: list[dict] = field(default_factory=list)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([f"{zh} {en}" for _, zh, en in self.columns])
        for row in self.rows:
            writer.writerow(["" if row.get(key) is None else str(row[key]) for key, _, _ in self.columns])
        return "\ufeff" + out.getvalue()
