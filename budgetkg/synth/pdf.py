"""Print a disclosure text as a realistic PDF (reportlab): ``budgetkg synth --pdf`` and the PDF fixtures.

The text is read by the text extractor; its prose is printed line by line and its tables are
drawn from the extracted records the way departments publish them: A4, an embedded CJK TrueType
font (WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei, with ToUnicode), ruled tables with
multi-row merged headers, right-aligned amounts, headers repeated on continuation pages, a
vertical header in a narrow column, performance tables with merged 一级/二级 cells, and page
numbers. Where the text itself lost the column of a number (raw PDF text), the PDF prints those
numbers in a trailing 未定位数字 column, so the PDF carries exactly the facts the text does. The
output is byte-for-byte reproducible (reportlab's invariant mode).

reportlab is an optional dependency (``pip install 'budgetkg[pdf]'``).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections import OrderedDict
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
                                Paragraph, Spacer, Table, TableStyle)
from xml.sax.saxutils import escape  # noqa: E402

from budgetkg.extract.normalize import read_text, squash  # noqa: E402
from budgetkg.extract.pipeline import extract_records  # noqa: E402
from budgetkg.extract.tables.rows import _raw_tokens, _split_side, read_body  # noqa: E402
from budgetkg.extract.tables.spec import detect_columns  # noqa: E402
from budgetkg.extract.template import family  # noqa: E402

TEMPLATE = family("local-eleven")   # the layout the fixtures and the synthetic corpus print

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

def _code_cells(code: str | None, parts: int = 3) -> list[str]:
    if not code:
        return [""] * parts
    pieces = [code[:3], code[3:5], code[5:7]][:parts]
    return [p for p in pieces]


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


def _table_keys(layout, seg) -> list[str]:
    if layout.optional_columns:
        return detect_columns(layout, read_body(layout, seg.lines).header_text)
    return list(layout.columns)


def budget_table(table, seg) -> Table | None:
    layout = TEMPLATE.layout(table.kind)
    two_sided = layout.kind.rows == "two-sided"
    keys = _table_keys(layout, seg)
    header, spans, nlab = _header(layout, keys)
    extra = any(r.unplaced for r in table.rows)
    rows: list[list] = [list(h) for h in header]
    if extra:
        rows[0].append("未定位数字")
        for h in rows[1:]:
            h.append("")
        spans.append(((len(rows[0]) - 1, 0), (len(rows[0]) - 1, len(header) - 1)))
    if two_sided:
        printed = _printed_revenue_labels(seg)
        by_line: OrderedDict[int, list] = OrderedDict()
        for r in table.rows:
            by_line.setdefault(r.line, []).append(r)
        for group in by_line.values():
            rev = next((r for r in group if r.side == "revenue"), None)
            exp = next((r for r in group if r.side != "revenue"), None)
            line = ["", "", ""] + [""] * len(layout.columns)
            if rev:
                line[0] = printed.get(rev.line, rev.label or "")
                line[1] = amount(rev.cells.get("revenue"))
            if exp:
                line[2] = f"{exp.code} {exp.label or ''}".strip() if exp.code else (exp.label or "")
                for i, k in enumerate(layout.columns):
                    line[3 + i] = amount(exp.cells.get(k))
            rows.append(line)
    else:
        for r in table.rows:
            label = (_code_cells(r.code, layout.code_parts) if layout.code_parts else []) + [r.label or ""]
            if layout.kind.rows == "projects":
                label.append(r.project or "")
            line = label + [amount(r.cells.get(k)) for k in keys]
            if extra:
                line.append(r.unplaced or "")
            rows.append(line)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if i < len(header):
                row[j] = P(cell, "head") if cell else ""
            elif j >= nlab and (j < nlab + len(keys) or not extra):
                row[j] = P(cell, "amount") if cell else ""
            else:
                row[j] = P(cell) if cell else ""
    for col, row in layout.vertical:       # a narrow column with its header set vertically
        rows[row][col] = vertical(layout.header_grid[row][col])
    widths = _widths(layout, nlab, len(rows[0]), extra)
    t = Table(rows, colWidths=widths, repeatRows=len(header))
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), FONT),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 2),
             ("RIGHTPADDING", (0, 0), (-1, -1), 2)] + [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t


def _printed_revenue_labels(seg) -> dict[int, str]:
    """Revenue labels as the text prints them (with their 一、/1、 numbering, which the records drop)."""
    out = {}
    for ln in seg.lines:
        if "\t" in ln.text:
            out[ln.number] = squash(ln.text.split("\t")[0])
        else:
            left, _ = _split_side(ln.text)
            out[ln.number] = squash(_raw_tokens(left)[0])
    return out


def _widths(layout, nlab: int, ncols: int, extra: bool) -> list[float]:
    """Two-sided tables: every column's share of the page; others: the label columns' widths in
    points, the amount columns sharing the rest."""
    usable = landscape(A4)[0] - 30 * mm
    if layout.kind.rows == "two-sided":
        return [usable * w for w in layout.widths]
    label_widths = list(layout.widths)
    rest = usable - sum(label_widths)
    amounts = ncols - nlab - (1 if extra else 0)
    extra_w = 110 if extra else 0
    return label_widths + [(rest - extra_w) / amounts] * amounts + ([extra_w] if extra else [])


# ------------------------------------------------------------------ performance tables

_PERF_COLUMNS = [("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("value", "指标值"),
                 ("basis", "指标值设置依据"), ("previous", "上年完成值"), ("weight", "指标分值权重"),
                 ("scoring", "指标赋分规则"), ("evidence", "佐证资料")]


def performance_tables(t) -> list:
    usable = A4[0] - 30 * mm
    head: list[list] = []
    if t.kind == "department":
        head.append(["部门名称（盖章）", t.unit or ""])
        if t.manager or t.contact:
            head.append(["部门联系人", f"{t.manager or ''}    联系电话：{t.contact or ''}"])
        funds = [("资金总额", "total"), ("上级安排", "upper"), ("本级安排", "own"), ("其他资金", "other")]
        head_label = "年度预算（万元）"
        goal = "年度绩效目标"
    else:
        if t.unit:
            head.append(["预算单位", t.unit])
        head.append(["项目名称", t.project or ""])
        if t.manager:
            head.append(["项目负责人", t.manager])
        funds = [("年度预算总额", "total"), ("其中：财政拨款", "fiscal"), ("其他资金", "other")]
        head_label = "项目资金（万元）"
        goal = "项目总体目标"
    printed = [f"{label} {t.funds[key]:,}" for label, key in funds if key in t.funds]
    if printed:
        head.append([head_label, "    ".join(printed)])
    if t.goal:
        head.append([goal, t.goal])
    head_rows = [[P(a, "head"), P(b)] for a, b in head]
    top = Table(head_rows, colWidths=[usable * 0.2, usable * 0.8])
    top.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    used = [(k, label) for k, label in _PERF_COLUMNS
            if k in ("level1", "level2", "name", "value", "weight")
            or any(getattr(i, k) is not None for i in t.indicators)]
    rows = [[P(label, "head") for _, label in used]]
    spans = []
    for i in t.indicators:
        cells = []
        for k, _ in used:
            v = getattr(i, k)
            if k in ("value", "previous"):
                v = v.text if v is not None else ""
            cells.append(P(str(v)) if v not in (None, "") else "")
        rows.append(cells)
    for level in (0, 1):                  # merge runs of equal 一级/二级指标 cells
        start = 1
        for r in range(2, len(rows) + 1):
            key = lambda n: tuple(getattr(t.indicators[n - 1], f) for f in ("level1", "level2")[:level + 1])
            if r == len(rows) or key(r) != key(start):
                if r - start > 1:
                    spans.append(((level, start), (level, r - 1)))
                    for k in range(start + 1, r):
                        rows[k][level] = ""
                start = r
    for _, text in t.unparsed:           # rows the text extractor could not rebuild: printed as they read
        rows.append([P(text)] + [""] * (len(used) - 1))
        spans.append(((0, len(rows) - 1), (len(used) - 1, len(rows) - 1)))
    widths = {"level1": 0.08, "level2": 0.08, "name": 0.2, "value": 0.1, "basis": 0.12, "previous": 0.08,
              "weight": 0.06, "scoring": 0.14, "evidence": 0.1}
    total = sum(widths[k] for k, _ in used)
    ind = Table(rows, colWidths=[usable * widths[k] / total for k, _ in used], repeatRows=1)
    ind.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
                            + [("SPAN", a, b) for a, b in spans]))
    return [top, Spacer(1, 0), ind]


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
    source = read_text(sample)
    disclosure, seg = extract_records(source)
    lines = source.lines
    index = {ln.number: i for i, ln in enumerate(lines)}
    table_at: dict[int, tuple[str, int]] = {}       # first line index → (table kind, after-last index)
    for kind, ts in seg.tables.items():
        end = index[ts.lines[-1].number] + 1 if ts.lines else ts.start + 1
        table_at[ts.start] = (kind, end)
    perf_at = {}
    for t in disclosure.performance:
        perf_at[index[t.line]] = (t, index[t.last_line] + 1)

    story: list = []
    portrait = True
    i = 0
    while i < len(lines):
        if i in table_at:
            kind, end = table_at[i]
            ts = seg.tables[kind]
            table = disclosure.tables[kind]
            if portrait:
                story += [NextPageTemplate("landscape"), PageBreak()]
                portrait = False
            else:
                story.append(PageBreak())
            story.append(P(squash(lines[i].text), "title"))
            heads = [" ".join(ln.text.split()) for ln in ts.lines[:6] if re.search(r"编制(部门|单位)|单位[：:]", ln.text)]
            story.append(P("    ".join(heads) if heads else f"编制部门：{disclosure.department}    单位：万元", "body"))
            story.append(budget_table(table, ts))
            if table.note:
                story.append(P(table.note, "body"))
            i = end
            continue
        if not portrait and (i not in table_at) and _leaves_tables(i, table_at, lines):
            story += [NextPageTemplate("portrait"), PageBreak()]
            portrait = True
        if i in perf_at:
            t, end = perf_at[i]
            story.append(P(squash(lines[i].text), "title"))
            story.append(P(f"（{disclosure.year}年）", "body"))
            story += performance_tables(t)
            i = end
            continue
        text = lines[i].text.replace("\t", " ").strip()
        if text:
            story.append(P(text, "body"))
        i += 1

    _write(out, disclosure, story)


def _write(out: Path, disclosure, story: list) -> None:
    """Lay *story* out into the PDF *out*: A4, prose on portrait pages, tables on landscape ones."""
    doc = BaseDocTemplate(str(out), pagesize=A4, title=f"{disclosure.department} {disclosure.year}年部门预算",
                          author="budgetkg fixture generator", creator="budgetkg", invariant=1)
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
    return all(i > start for start in table_at) and bool(lines[i].text.strip())
