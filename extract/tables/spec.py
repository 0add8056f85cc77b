"""What the table stages need to know about a table, all of it read from the templates.

``TOTAL_LABEL`` is the label of a table's total row; ``detect_columns`` finds which of a layout's
optional columns a printed header names (the text renderings, which print a header but no grid).
"""

from __future__ import annotations

from budgetkg.extract.template import Kind, TableLayout, vocabulary

TOTAL_LABEL = vocabulary().total_row


def detect_columns(layout: TableLayout, header_text: str) -> list[str]:
    """Which of *layout*'s columns the header names, in the layout's printed order. Each column's
    pattern is tried in the kind's order (most specific first) and the words it matched are used up."""
    text = header_text
    present: set[str] = set()
    for key, pattern in layout.header_words:
        if pattern.search(text):
            present.add(key)
            text = pattern.sub("▢", text)
    present.add("total")
    return [k for k in layout.columns if k in present]


def item_key(kind: Kind, label: str) -> str | None:
    """The item (三公 total, abroad, reception, …) a row label names."""
    return kind.item(label) if kind.items else None
