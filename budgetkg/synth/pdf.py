"""Print a disclosure text as a realistic PDF (reportlab): ``budgetkg synth --pdf`` and the PDF fixtures.

The text is read by ``pdf_source``, not by the extractor under test, so that a fixture is not the
extractor's own reading printed back: a tab-separated text's tables are drawn the way departments
publish them (A4, an embedded CJK TrueType font, WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei,
with ToUnicode; ruled tables under the template's multi-row merged headers, a narrow column's
heading set vertically, right-aligned amounts, headers repeated on continuation pages; performance
tables with merged 一级/二级 cells; page numbers), each row's cells as the text prints them; the
rest, and the whole of a text that is not tab-separated (raw text, whose cells are not known
without reading it), is printed line by line. The output is byte-for-byte reproducible
(reportlab's invariant mode).

reportlab is an optional dependency (``pip install 'budgetkg[pdf]'``).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
import subprocess
import tempfile
from pathlib import Path

from reportlab import rl_config

rl_config.invariant = 1          # no dates or random IDs: the same input gives the same bytes

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate,  # noqa: E402
                                Paragraph, Table, TableStyle)
from xml.sax.saxutils import escape  # noqa: E402

from budgetkg.resources import data_dir  # noqa: E402
from budgetkg.synth.pdf_source import (TEMPLATE, BudgetTable, PerformanceTable, keys_of, label_cells, plain,  # noqa: E402
                                       read, squash)

FONT = "WQY"
SYSTEM_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "budgetkg" / "fonts"


def font_path() -> Path:
    """WenQuanYi Zen Hei: the installed copy, else Debian's package unpacked into the user cache."""
    if SYSTEM_FONT.exists():
        return SYSTEM_FONT
    cached = CACHE / "usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    if not cached.exists():
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE.parent) as tmp:
            subprocess.run(["apt-get", "download", "fonts-wqy-zenhei"], cwd=tmp, check=True, capture_output=True)
            deb = next(Path(tmp).glob("fonts-wqy-zenhei_*.deb"))
            subprocess.run(["dpkg-deb", "-x", str(deb), f"{tmp}/x"], check=True)
            if not CACHE.exists():             # another process may have unpacked it meanwhile
                (Path(tmp) / "x").replace(CACHE)
    return cached


def _styles():
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK", spaceAfter=3)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontSize=14, leading=20, alignment=TA_CENTER, spaceAfter=6),
        "cell": ParagraphStyle("cell", base, fontSize=7, leading=9, spaceAfter=0),
        "head": ParagraphStyle("head", base, fontSize=7, leading=9, alignment=TA_CENTER, spaceAfter=0),
        "amount": ParagraphStyle("amount", base, fontSize=7, leading=9, alignment=TA_RIGHT, spaceAfter=0),
    }


ST = None


def setup() -> None:
    """Register the font and build the paragraph styles (once per process)."""
    global ST
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    if ST is None:
        ST = _styles()


def P(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(escape(text), ST[style])


def vertical(text: str) -> Paragraph:
    """Header text set one character per line, as in a narrow column."""
    return Paragraph("<br/>".join(escape(c) for c in squash(text)), ST["head"])


def amount(value) -> str:
    return "" if value is None else f"{value:,}"


# ------------------------------------------------------------------ budget tables

def _header(layout, keys: list[str]) -> tuple[list[list], list[tuple], int]:
    """Header rows, SPAN commands and the number of label columns of a table, from its template
    layout; a table that prints only some of its columns (表2) groups the fiscal ones under one heading."""
    nlab = layout.labels
    spans = [tuple(tuple(point) for point in span) for span in layout.spans]
    if not layout.header_group:
        return [list(r) for r in layout.header_grid], spans, nlab
    group = layout.header_group
    kind = layout.kind
    labels = {c.key: c.zh for c in kind.columns}
    top = ["功能分类科目编码", "", "", "功能分类科目名称"]
    second = ["类", "款", "项", ""]
    spans = [((0, 0), (2, 0)), ((3, 0), (3, 1))]
    grouped = [k for k in keys if k in group["keys"]]
    for k in keys:
        col = len(top)
        if k in grouped:
            top.append(group["heading"] if k == grouped[0] else "")
            second.append(group["subtotal"] if k == group["keys"][0] else labels[k])
            if k == grouped[0] and len(grouped) > 1:
                spans.append(((col, 0), (col + len(grouped) - 1, 0)))
        else:
            top.append(labels[k])
            second.append("")
            spans.append(((col, 0), (col, 1)))
    return [top, second], spans, nlab


def _pages(table: BudgetTable) -> list[Table]:
    """The table drawn in the parts the text's page breaks cut it into, each under its header."""
    cuts = [0] + [b for b in table.breaks if 0 < b < len(table.rows)] + [len(table.rows)]
    return [budget_table(table, table.rows[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a] or \
        [budget_table(table, [])]


def budget_table(table: BudgetTable, body: list[list[str]]) -> Table:
    """A budget table's *body* rows drawn under the template's header (merged cells, a narrow
    column's heading set vertically), their cells as the text prints them."""
    layout = TEMPLATE.layout(table.kind)
    two_sided = layout.kind.rows == "two-sided"
    keys = keys_of(layout, table.header)
    header, spans, nlab = _header(layout, keys)
    width = len(header[0])
    rows: list[list] = [list(h) for h in header]
    labels = label_cells(layout)
    for cells in body:
        rows.append((cells + [""] * width)[:width])
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if i < len(header):
                row[j] = P(cell, "head") if cell else ""
            elif j >= labels or (two_sided and j == 1):
                row[j] = P(cell, "amount") if cell else ""
            else:
                row[j] = P(cell) if cell else ""
    for col, row in layout.vertical:       # a narrow column with its header set vertically
        rows[row][col] = vertical(layout.header_grid[row][col])
    t = Table(rows, colWidths=_widths(layout, nlab, width), repeatRows=len(header))
    t.setStyle(TableStyle(_GRID + [("SPAN", a, b) for a, b in spans]))
    return t


_GRID = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), FONT),
         ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
         ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 2),
         ("RIGHTPADDING", (0, 0), (-1, -1), 2)]


def _widths(layout, nlab: int, ncols: int) -> list[float]:
    """Two-sided tables: every column's share of the page; others: the label columns' widths in
    points, the amount columns sharing the rest."""
    usable = landscape(A4)[0] - 30 * mm
    if layout.kind.rows == "two-sided":
        return [usable * w for w in layout.widths]
    label_widths = list(layout.widths)
    rest = usable - sum(label_widths)
    return label_widths + [rest / (ncols - nlab)] * (ncols - nlab)


# ------------------------------------------------------------------ performance tables

def performance_table(t: PerformanceTable) -> list[Table]:
    """A performance table's cells as the text prints them, ruled; under the indicators' header
    (一级指标 …) an empty 一级/二级指标 cell of an indicator's row is merged into the level named
    above it, as departments print (not that of a row the text printed shifted or wrapped)."""
    width = max(len(r) for r in t.rows)
    rows = [(r + [""] * width)[:width] for r in t.rows]
    head = next((i for i, r in enumerate(rows) if squash(r[0]) == "一级指标"), len(rows))
    spans = []
    for col in (0, 1):
        top = None
        for i in range(head + 1, len(rows) + 1):
            row = rows[i] if i < len(rows) else None
            joins = row is not None and top is not None and not row[col] and _indicator_row(row) and \
                (col == 0 or not row[0])
            if joins:
                continue
            if top is not None and i - top > 1:
                spans.append(((col, top), (col, i - 1)))
            top = i if row is not None and squash(row[col]) in indicator_levels() and _indicator_row(row) else None
    cells = [[P(c, "head" if i == head else "cell") if c else "" for c in r] for i, r in enumerate(rows)]
    widths = [(A4[0] - 30 * mm) / width] * width
    out = []
    if head:                                    # the project's (or department's) particulars: a grid of their own
        top = Table(cells[:head], colWidths=widths)
        top.setStyle(TableStyle(_GRID))
        out.append(top)
    if head < len(rows):                        # the indicators, under their header (repeated on a new page)
        shift = [((a[0], a[1] - head), (b[0], b[1] - head)) for a, b in spans]
        indicators = Table(cells[head:], colWidths=widths, repeatRows=1)
        indicators.setStyle(TableStyle(_GRID + [("SPAN", a, b) for a, b in shift]))
        out.append(indicators)
    return out


def _indicator_row(row: list[str]) -> bool:
    """A row of one indicator as the template prints it: levels (or nothing) in the first two
    cells, a name that is not a level in the third, a value in the fourth."""
    levels = indicator_levels()
    return bool(row[2]) and squash(row[2]) not in levels and bool(row[3]) and \
        all(squash(c) in levels for c in row[:2] if c)


@lru_cache(maxsize=1)
def indicator_levels() -> frozenset[str]:
    """The names of 一级/二级指标 (ontology/indicator-levels.ttl)."""
    text = (data_dir("ontology") / "indicator-levels.ttl").read_text(encoding="utf-8")
    return frozenset(re.findall(r'skos:prefLabel "([^"]+)"@zh', text))


# ------------------------------------------------------------------ documents

def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, 9)
    width, _ = canvas._pagesize
    canvas.drawCentredString(width / 2, 10 * mm, f"- {doc.page} -")
    canvas.restoreState()


def render(sample: Path, out: Path) -> None:
    """Write the disclosure text *sample* as the PDF *out*."""
    setup()
    lines = [plain(ln) for ln in sample.read_text(encoding="utf-8").splitlines()]
    budget, performance = read(lines)
    table_at = {t.start: t for t in budget}
    perf_at = {t.start: t for t in performance}
    story: list = []
    portrait = True
    i = 0
    while i < len(lines):
        if i in table_at:
            table = table_at[i]
            story += [NextPageTemplate("landscape"), PageBreak()] if portrait else [PageBreak()]
            portrait = False
            story.append(P(squash(lines[i]), "title"))
            if table.heads:
                story.append(P("    ".join(table.heads), "body"))
            for n, part in enumerate(_pages(table)):      # a new page where the text's page broke
                story += [PageBreak(), part] if n else [part]
            if table.note:
                story.append(P(table.note, "body"))
            i = table.end
            continue
        if not portrait and _leaves_tables(i, table_at, lines):
            story += [NextPageTemplate("portrait"), PageBreak()]
            portrait = True
        if i in perf_at:
            t = perf_at[i]
            story.append(P(squash(lines[i]), "title"))
            if t.year_line:
                story.append(P(t.year_line, "body"))
            story += performance_table(t)
            i = t.end
            continue
        text = lines[i].replace("\t", " ").strip()
        if text:
            story.append(P(text, "body"))
        i += 1
    _write(out, sample.stem, story)


def _write(out: Path, title: str, story: list) -> None:
    """Lay *story* out into the PDF *out*: A4, prose on portrait pages, tables on landscape ones."""
    doc = BaseDocTemplate(str(out), pagesize=A4, title=title, author="budgetkg fixture generator",
                          creator="budgetkg", invariant=1)
    m = 15 * mm
    doc.addPageTemplates([
        PageTemplate("portrait", [Frame(m, m + 5 * mm, A4[0] - 2 * m, A4[1] - 2 * m - 5 * mm, id="p")],
                     onPage=_page_number, pagesize=A4),
        PageTemplate("landscape", [Frame(m, m + 5 * mm, landscape(A4)[0] - 2 * m, landscape(A4)[1] - 2 * m - 5 * mm,
                                         id="l")], onPage=_page_number, pagesize=landscape(A4)),
    ])
    doc.build(story)


def _leaves_tables(i: int, table_at, lines) -> bool:
    """After the last table, prose goes back to portrait pages."""
    return all(i > start for start in table_at) and bool(lines[i].strip())
