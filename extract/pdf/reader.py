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
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pdfminer.psparser import PSException

from budgetkg.errors import UnreadablePdf
from budgetkg.extract.normalize import Line, Source, squash
from budgetkg.extract.template import is_final_title, kind_of_title
from budgetkg.extract.pdf.chars import TextLine, dedupe, join_cjk, lines_of
from budgetkg.extract.pdf.grid import TABLE_SETTINGS, Grid, build_grid
from budgetkg.extract.template import kind as kind_named
from budgetkg.extract.pdf.layout import Carry, OutLine, budget_lines, continued_lines, generic_lines
from budgetkg.extract.pdf.continued import _budget_title, _is_furniture, _merge_continued

log = logging.getLogger(__name__)

CID_SHARE = 0.05            # above this share of (cid:N) glyphs a page's font has no usable ToUnicode
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-–—\s]*$")
_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|"
                      r"\d{1,2}\s*[、.．](?!\d)|表\s*\d{1,2}\b|[（(]?\d{4}\s*年[）)]?$|"
                      r"[\u4e00-\u9fff]{3,8}[：:])")     # a field label: 资金执行时间：
_HEADER_WORDS = ("合计", "总计", "科目", "项目", "指标", "预算")
# An unnumbered section heading (2025年部门预算编制说明, 其他相关情况说明, 名词解释) starts a paragraph.
_SECTION_TITLE = re.compile(r"^[^，。；：:]{0,22}(?:说明|名词解释)$")


@dataclass
class Block:
    """A piece of a page in reading order: a line of text, or a ruled table."""

    page: int
    top: float
    line: TextLine | None = None
    grid: Grid | None = None
    right: float = 0.0          # the text block's right edge on this page (for wrapped lines)
    continues: "Block | None" = None   # a budget table's continuation whose ruling differs: the first part


# What the PDF libraries raise on a damaged file: pdfminer's and pdfplumber's own exceptions,
# and the built-in ones their parsers let through (a bad xref offset, a truncated stream, a
# wrong object type).
_DAMAGED: tuple[type[BaseException], ...] = (
    PSException, ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError,
    ArithmeticError, EOFError, UnicodeError, struct.error, zlib.error)


@lru_cache(maxsize=1)
def _damaged() -> tuple[type[BaseException], ...]:
    """:data:`_DAMAGED` and pdfplumber's exceptions (pdfplumber is imported only to read a PDF)."""
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
    return _DAMAGED + (MalformedPDFException, PdfminerException)
_HERE = str(Path(__file__).resolve().parents[1])        # budgetkg.extract's folder


def _library_failure(exc: BaseException) -> bool:
    """Whether *exc* was raised inside the PDF libraries (a damaged file), not in budgetkg's own
    code (a bug, which must surface as one rather than be reported as a corrupt PDF)."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last, tb = tb.tb_frame.f_code.co_filename, tb.tb_next
    return last is None or not str(Path(last).resolve()).startswith(_HERE)


def _close_quietly(obj) -> None:
    """Close a pdfplumber PDF or page whose file may be damaged: an error while closing must
    not hide the error that explains why reading stopped (or turn a read into a crash)."""
    try:
        obj.close()
    except _damaged():                                  # nothing more to learn here
        pass


def read_pdf(path: str | Path) -> Source:
    """Read *path* as a disclosure PDF; raise ``UnreadablePdf`` (file and page) when it cannot be."""
    name, data, pdf = _open(path)
    blocks, problems, duplicates, count = _read_pages(pdf, name)
    _refuse(problems, count, name)
    if not blocks:
        scanned = sum(1 for _, kind, _ in problems if kind == "scanned")
        raise UnreadablePdf(f"no text layer: {scanned} of {count} page(s) are scanned images and the rest blank "
                            f"(OCR it first)" if scanned else
                            f"no text: all {count} page(s) are blank (no characters and no images)",
                            path=name, page=1)
    return _source(name, data, blocks, problems, duplicates)


def _open(path: str | Path) -> tuple[str, bytes, object]:
    """(the file's name, its bytes, the open pdfplumber PDF); raise ``UnreadablePdf`` for a file
    that is not a PDF or cannot be opened (encrypted, corrupt)."""
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
    return name, data, pdf


def _read_pages(pdf, name: str) -> tuple[list[Block], list[tuple[int, str, str]], int, int]:
    """Every page's blocks in order, the problems that keep pages from being read (page, kind,
    detail), how many duplicated characters were dropped, and the number of pages. *pdf* is
    closed however reading ends."""
    blocks: list[Block] = []
    problems: list[tuple[int, str, str]] = []        # (page, kind, detail)
    duplicates = 0
    try:
        try:
            count = len(pdf.pages)
        except _damaged() as exc:
            raise UnreadablePdf(f"corrupt or truncated PDF: cannot read its page tree ({_why(exc)})",
                                path=name) from None
        for number in range(1, count + 1):
            page_blocks, removed, problem = _read_page_of(pdf, number, name)
            duplicates += removed
            if problem:
                problems.append((number, *problem))
            blocks.extend(page_blocks)
    finally:
        _close_quietly(pdf)                             # a damaged file may fail again on close
    return blocks, problems, duplicates, count


def _read_page_of(pdf, number: int, name: str) -> tuple[list[Block], int, tuple[str, str] | None]:
    """Page *number* of *pdf*, read by :func:`_read_page` and closed after. What the PDF libraries
    raise on it is the file's fault (``UnreadablePdf``); what budgetkg's own code raises, a bug."""
    page = None
    try:
        page = pdf.pages[number - 1]
        return _read_page(page, number)
    except _damaged() as exc:
        if not _library_failure(exc):
            raise                               # budgetkg's own bug: not the file's fault
        raise UnreadablePdf(f"corrupt or truncated PDF: page {number} cannot be parsed ({_why(exc)})",
                            path=name, page=number) from None
    finally:
        if page is not None:
            _close_quietly(page)                # pdfplumber caches every page's objects otherwise


def _source(name: str, data: bytes, blocks: list[Block], problems: list[tuple[int, str, str]],
            duplicates: int) -> Source:
    """The numbered lines of the blocks (tables continued across pages joined), with the reader's
    notes; raise when the text reads as wrong glyphs."""
    lines, notes = _lines(_merge_continued(blocks))
    if not any(any(w in ln.text for w in _HEADER_WORDS) for ln in lines):
        raise UnreadablePdf("the text layer reads as wrong glyphs: no 合计, 科目, 项目 or 预算 anywhere "
                            "(a font without a usable ToUnicode map)", path=name, page=1)
    source = Source(name, hashlib.sha256(data).hexdigest(), [
        Line(k, ln.text, ln.page, ln.bbox, ln.boxes, ln.grid, ln.keys) for k, ln in enumerate(lines, start=1)],
        "pdf", notes)
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
        if grid is not None and grid.rows and not _prose_in_boxes(grid):
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


_WHOLE_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


def _prose_in_boxes(grid: Grid) -> bool:
    """A one-row "table" of text fragments (a sentence, or a figure split in two, 1935. | 36): running
    text drawn in boxes (underlines, highlighted runs), which pdfplumber's ruling finds as cells. It
    is read as text. A row alone that prints whole figures (a table's 合计 row continued on the next
    page) or header words is a table's."""
    if len(grid.rows) != 1 or grid.width < 2:
        return False
    texts = [squash(c.text) for j, c in enumerate(grid.rows[0]) if grid.starts(0, j) and squash(c.text)]
    if any(w in t for t in texts for w in _HEADER_WORDS[:4]):
        return False
    if re.search(r"[，。、；：]", "".join(texts)):
        return True
    figures = [t for t in texts if _WHOLE_AMOUNT.match(t) and ("," in t or re.search(r"\.\d\d$", t))]
    return not figures


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


def _lines(blocks: list[Block]) -> tuple[list[OutLine], list[tuple[int, str]]]:
    """The reading-order lines (prose joined across width breaks, tables as rows), and warnings."""
    out: list[OutLine] = []
    notes: list[tuple[int, str]] = []
    title: str | None = None          # the kind of budget table whose title was just printed
    title_final = False
    since_title = 0
    open_para: tuple[TextLine, Block] | None = None
    carry: tuple[int, Carry] | None = None     # the last other table: its last page, and its header
    read: dict[int, tuple[str, object]] = {}   # a budget table's first part → (kind, its columns)
    for b in blocks:
        if b.grid is not None:
            open_para = None
            if b.continues is not None and id(b.continues) in read:
                kind, columns = read[id(b.continues)]
                rows = continued_lines(kind, b.grid, columns)
                carry = None
            elif title:
                rows, problems, columns = budget_lines(title, b.grid, title_final)
                read[id(b)] = (title, columns)
                notes.extend((b.grid.page, f"{kind_named(title).zh}: {p}") for p in problems)
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
        titled = _budget_title(ln.text)
        if titled is not None:
            title, since_title = titled, 0
            title_final = is_final_title(ln.text)      # a final account's table (…决算表)
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
    if not reached or _HEADING.match(ln.text) or _SECTION_TITLE.match(squash(ln.text)):
        return False
    if kind_of_title(ln.text) is not None or kind_of_title(prev.text) is not None:
        return False                  # a table's title is never part of a paragraph
    if block.page == prev_block.page:
        return 0 <= ln.top - prev.bottom <= prev.size * 1.2 and abs(ln.x0 - prev.x0) <= prev.size * 2.5
    return block.page == prev_block.page + 1
