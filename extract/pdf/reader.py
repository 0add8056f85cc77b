"""Read a born-digital disclosure PDF into the same numbered lines as a text rendering.

Page by page: the characters (fake-bold duplicates removed), the ruled tables (pdfplumber's
``lines`` strategies), the text outside the tables as lines, in reading order. A table that
continues on the next page (near the top, the same column positions, nothing but page
furniture between) is merged into the one before it, its repeated header rows dropped. Prose
lines broken by the page width are joined. Every line keeps its page and box.

A PDF that cannot be read as text — not a PDF, encrypted, corrupt, no text layer, fonts
without a usable ToUnicode map, pages turned sideways — raises ``UnreadablePdf`` naming the
file and the page. Nothing from such a file is passed on as facts.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnreadablePdf
from ..normalize import Line, Source, squash
from ..segment import table_number_of_title
from .chars import TextLine, dedupe, join_cjk, lines_of
from .grid import TABLE_SETTINGS, Grid, build_grid
from .layout import Carry, OutLine, budget_lines, generic_lines, header_rows

log = logging.getLogger(__name__)

CID_SHARE = 0.05            # above this share of (cid:N) glyphs a page's font has no usable ToUnicode
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-–—\s]*$")
_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|"
                      r"\d{1,2}\s*[、.．](?!\d)|表\s*\d{1,2}\b|[（(]?\d{4}\s*年[）)]?$|"
                      r"[\u4e00-\u9fff]{3,8}[：:])")     # a field label: 资金执行时间：
_HEADER_WORDS = ("合计", "总计", "科目", "项目", "指标", "预算")


@dataclass
class Block:
    """A piece of a page in reading order: a line of text, or a ruled table."""

    page: int
    top: float
    line: TextLine | None = None
    grid: Grid | None = None
    right: float = 0.0          # the text block's right edge on this page (for wrapped lines)


def read_pdf(path: str | Path) -> Source:
    """Read *path* as a disclosure PDF; raise ``UnreadablePdf`` (file and page) when it cannot be."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    path = Path(path)
    name = str(path)
    data = path.read_bytes()
    if b"%PDF-" not in data[:1024]:
        raise UnreadablePdf("not a PDF: the file does not begin with %PDF- (a renamed file?)", path=name)
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        raise UnreadablePdf(_open_failure(exc), path=name) from None
    blocks: list[Block] = []
    problems: list[tuple[int, str, str]] = []        # (page, kind, detail)
    duplicates = 0
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:                       # noqa: BLE001 - pdfminer raises many kinds
            raise UnreadablePdf(f"corrupt or truncated PDF: cannot read its page tree ({_why(exc)})",
                                path=name) from None
        for number in range(1, count + 1):
            page = None
            try:
                page = pdf.pages[number - 1]
                page_blocks, removed, problem = _read_page(page, number)
            except Exception as exc:                   # noqa: BLE001
                raise UnreadablePdf(f"corrupt or truncated PDF: page {number} cannot be parsed ({_why(exc)})",
                                    path=name, page=number) from None
            finally:
                if page is not None:
                    page.close()                        # pdfplumber caches every page's objects otherwise
            duplicates += removed
            if problem:
                problems.append((number, *problem))
            blocks.extend(page_blocks)
    _refuse(problems, count, name)
    lines, notes = _lines(_merge_continued(blocks))
    if not any(any(w in ln.text for w in _HEADER_WORDS) for ln in lines):
        raise UnreadablePdf("the text layer reads as wrong glyphs: no 合计, 科目, 项目 or 预算 anywhere "
                            "(a font without a usable ToUnicode map)", path=name, page=1)
    source = Source(name, hashlib.sha256(data).hexdigest(), [
        Line(k, ln.text, ln.page, ln.bbox, ln.boxes) for k, ln in enumerate(lines, start=1)], "pdf", notes)
    if duplicates:
        source.notes.append((None, f"{duplicates} duplicated characters (fake bold) removed"))
    for page, kind, _ in problems:
        if kind == "scanned":
            source.notes.append((page, "no text layer (a scanned image); the page was not read"))
    return source


def _open_failure(exc) -> str:
    cause = exc.args[0] if exc.args else exc
    kind = type(cause).__name__
    if kind in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
        return "encrypted PDF: it needs a password to open; publish or supply an unencrypted copy"
    if kind in ("PSEOF",):
        return "corrupt or truncated PDF: the file ends unexpectedly"
    return f"corrupt PDF: {cause}"


def _why(exc: Exception) -> str:
    cause = exc.args[0] if exc.args else exc
    return f"{type(cause).__name__}: {cause}"[:200]


def _read_page(page, number: int) -> tuple[list[Block], int, tuple[str, str] | None]:
    """The page's blocks, how many duplicated characters were dropped, and (kind, detail) of a
    problem that keeps the page from being read."""
    chars = [c for c in page.chars if c["text"].strip() or c["text"] == " "]
    if not chars:
        return [], 0, (("scanned", "") if page.images else None)
    cids = sum(1 for c in chars if c["text"].startswith("(cid:"))
    if cids > CID_SHARE * len(chars):
        return [], 0, ("no-tounicode", str(100 * cids // len(chars)))
    if page.rotation % 360:
        sideways = sum(1 for c in chars if not c["upright"])
        if sideways > len(chars) / 2:
            return [], 0, ("rotated", str(page.rotation % 360))
    chars, removed = dedupe(chars)
    grids = []
    for table in page.find_tables(TABLE_SETTINGS):
        grid = build_grid(table, chars, number)
        if grid is not None and grid.rows:
            grids.append(grid)
    boxes = [g.bbox for g in grids]
    free = [c for c in chars if not any(_inside(c, b) for b in boxes)]
    text = [ln for ln in lines_of(free) if not _is_page_number(ln, page.height)]
    right = max((ln.x1 for ln in text if len(ln.text) >= 10), default=page.width)
    blocks = [Block(number, g.bbox[1], grid=g) for g in grids]
    for ln in text:
        blocks.append(Block(number, ln.top, ln, right=right))
    blocks.sort(key=lambda b: b.top)
    return blocks, removed, None


def _inside(c: dict, box) -> bool:
    cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _is_page_number(ln: TextLine, height: float) -> bool:
    return bool(_PAGE_NUMBER.match(ln.text)) and (ln.top > height * 0.9 or ln.bottom < height * 0.08)


def _refuse(problems: list[tuple[int, str, str]], count: int, path: str) -> None:
    """Raise for a file whose text cannot be trusted; scanned pages among text pages only warn."""
    for kind in ("no-tounicode", "rotated"):
        found = [(page, detail) for page, k, detail in problems if k == kind]
        if not found:
            continue
        pages = [page for page, _ in found]
        where = ", ".join(map(str, pages[:10])) + (" …" if len(pages) > 10 else "")
        if kind == "no-tounicode":
            raise UnreadablePdf(f"the font has no usable ToUnicode map: up to {max(int(v) for _, v in found)}% of "
                                f"the characters are (cid:N) glyphs on page(s) {where}; the text cannot be trusted",
                                path=path, page=pages[0])
        raise UnreadablePdf(f"page(s) {where} are turned {found[0][1]}° (/Rotate) so that their text runs "
                            f"sideways; it cannot be read in order", path=path, page=pages[0])
    if count and sum(1 for _, kind, _ in problems if kind == "scanned") == count:
        raise UnreadablePdf("no text layer: every page is a scanned image (OCR it first)", path=path, page=1)


def _merge_continued(blocks: list[Block]) -> list[Block]:
    """Join a table that continues on the next page to the table it continues."""
    out: list[Block] = []
    last_table: Block | None = None
    title: int | None = None              # the budget table named by the last title line
    last_title: int | None = None         # ... and the one printed before last_table
    for b in blocks:
        if b.grid is not None and last_table is not None and b.page == last_table.grid.pages[-1] + 1 \
                and b.grid.same_columns(last_table.grid) and _only_furniture_since(out, last_table, last_title):
            g = b.grid
            last_table.grid.extend(g, _repeated_header(last_table.grid, g))
            _drop_furniture_after(out, last_table)
            continue
        out.append(b)
        if b.grid is not None:
            last_table, last_title = b, title
        elif len(squash(b.line.text)) <= 40:
            title = table_number_of_title(squash(b.line.text)) or title
    return out


def _only_furniture_since(out: list[Block], table: Block, number: int | None) -> bool:
    """Whether everything after *table* is page furniture: page heads, or the title or 表N mark
    of the same table *number* repeated (another table's title starts another table)."""
    i = next(k for k, b in enumerate(out) if b is table)
    return all(b.grid is None and _is_furniture(b.line.text, number) for b in out[i + 1:])


_MARK = re.compile(r"^表(\d{1,2})$")


def _is_furniture(text: str, number: int | None = None) -> bool:
    s = squash(text)
    if not s or re.search(r"编制(部门|单位)|单位[：:]万元", s):
        return True
    mark = _MARK.match(s)
    titled = int(mark.group(1)) if mark else (table_number_of_title(s) if len(s) <= 40 else None)
    return titled is not None and (number is None or titled == number)


def _drop_furniture_after(out: list[Block], table: Block) -> None:
    i = next(k for k, b in enumerate(out) if b is table)
    del out[i + 1:]


def _repeated_header(first: Grid, more: Grid) -> int:
    """How many rows at the top of a continuation repeat the first part's header."""
    head = header_rows(first)
    n = 0
    while n < min(head, len(more.rows)) and more.texts(n) == first.texts(n):
        n += 1
    return n


def _lines(blocks: list[Block]) -> tuple[list[OutLine], list[tuple[int, str]]]:
    """The reading-order lines (prose joined across width breaks, tables as rows), and warnings."""
    out: list[OutLine] = []
    notes: list[tuple[int, str]] = []
    title: int | None = None          # the budget table whose title was just printed
    since_title = 0
    open_para: tuple[TextLine, Block] | None = None
    carry: tuple[int, Carry] | None = None     # the last other table: its last page, and its header
    for b in blocks:
        if b.grid is not None:
            open_para = None
            if title:
                rows, problems = budget_lines(title, b.grid)
                notes.extend((b.grid.page, f"表{title}: {p}") for p in problems)
                carry = None
            else:
                continued = carry[1] if carry and b.page == carry[0] + 1 else None
                rows, state = generic_lines(b.grid, continued)
                carry = (b.grid.pages[-1], state)
            out.extend(rows)
            title = None
            continue
        ln = b.line
        if carry and not _is_furniture(ln.text):
            carry = None
        number = table_number_of_title(squash(ln.text)) if len(squash(ln.text)) <= 40 else None
        if number is not None:
            title, since_title = number, 0
        elif title and not _is_furniture(ln.text):
            since_title += 1
            if since_title > 2:           # a title without its table (an empty table, a contents entry)
                title = None
        if open_para is not None and _continues(open_para, ln, b):
            prev = out[-1]
            out[-1] = OutLine(join_cjk([prev.text, ln.text]), prev.page, prev.bbox)
        else:
            out.append(OutLine(ln.text, b.page, ln.bbox))
        open_para = (ln, b)
    return out, notes


def _continues(previous: tuple[TextLine, Block], ln: TextLine, block: Block) -> bool:
    """Whether *ln* carries on the paragraph of the line before it (broken by the page width)."""
    prev, prev_block = previous
    reached = prev.x1 >= prev_block.right - prev.size * 1.5      # the line was full
    if not reached or _HEADING.match(ln.text):
        return False
    if block.page == prev_block.page:
        return 0 <= ln.top - prev.bottom <= prev.size * 1.2 and abs(ln.x0 - prev.x0) <= prev.size * 2.5
    return block.page == prev_block.page + 1
