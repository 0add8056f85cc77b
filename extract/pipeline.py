"""The extraction pipeline: read → normalize → segment → records, one document at a time."""

from __future__ import annotations

import logging
import os
import re
import time
import unicodedata
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from budgetkg.errors import NotADisclosure, TooLarge, TruncatedDisclosure
from budgetkg.extract.identity import expand_short_name, resolve_department
from budgetkg.extract.normalize import Source, read_text, squash
from budgetkg.extract.narrative.overview import parse_overview
from budgetkg.extract.narrative.citations import scan_citations
from budgetkg.extract.normalize import join_wrapped
from budgetkg.extract.narrative.explanation import parse_explanation
from budgetkg.extract.narrative.performance import parse_performance
from budgetkg.extract.narrative.projects import parse_confidential, parse_descriptions
from budgetkg.extract.narrative.subjects import resolve_confidential, resolve_statements
from budgetkg.extract.normalize import Line
from budgetkg.extract.findings import Finding
from budgetkg.extract.records import Disclosure, Overview, Table
from budgetkg.extract.segment import Segments, detect_family, segment
from budgetkg.extract.tables.build import Context, match_unit, parse_tables
from budgetkg.extract.template import Family, families, family as family_named
from budgetkg.extract.wording import find_slips

log = logging.getLogger(__name__)

STAGES = ("lines", "segments", "records")


_COVER_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?[^，。；\d]{0,16}?(?:预算|决算)")
_TITLE_YEAR = re.compile(r"^(?:\S{0,40}?)((?:19|20)\d{2})\s*年\s*度?")


def _year(lines: list[Line], seg: Segments) -> int | None:
    """The budget year: from the cover (2025年…部门预算 in the first lines), else the table titles
    (2025年…收支总表), else the years most often printed before 预算/部门/收支 (a year of
    comparison, 比2024年预算…, is never counted)."""
    head = [ln for ln in lines[:60] if squash(ln.text)][:12]
    for ln in head:
        m = _COVER_YEAR.search(squash(ln.text))
        if m:
            return int(m.group(1))
    titles = Counter()
    for t in seg.tables.values():
        m = _TITLE_YEAR.match(squash(lines[t.start].text))
        if m:
            titles[int(m.group(1))] += 1
    if titles:
        return titles.most_common(1)[0][0]
    years = Counter()
    for ln in lines[:400]:
        for m in re.finditer(r"(?<![比较于])(20\d{2})\s*年\s*(?:度)?\s*(?:部门|单位)?(?:预算|概况|收支|[\u4e00-\u9fff]{0,30}部门概况)",
                             ln.text):
            years[int(m.group(1))] += 1
    return years.most_common(1)[0][0] if years else None


def _phase_and_scope(lines: list[Line], seg: Segments, family: Family) -> tuple[str, str]:
    """budget or final (决算 on the cover or in most table titles); department or unit (单位预算:
    the cover or the table titles say 预算单位/单位预算)."""
    head = [squash(ln.text) for ln in lines[:60] if squash(ln.text)][:12]
    titles = [squash(lines[t.start].text) for t in seg.tables.values()]
    final_words = family.patterns("final")
    final = any(p.search(s) for s in head[:6] for p in final_words) or \
        (titles and sum(1 for t in seg.tables.values() if t.final) * 2 > len(titles))
    unit_words = family.patterns("unit_scope")
    unit = any(p.search(s) for s in head for p in unit_words) or \
        (titles and sum(1 for s in titles if any(p.search(s) for p in unit_words)) * 2 > len(titles))
    phase = family.phase if family.phase == "final" else ("final" if final else "budget")
    return phase, (family.scope or ("unit" if unit else "department"))


def _date_signed(seg: Segments) -> tuple[date | None, int | None]:
    tail = seg.part4 or seg.lines[-30:]
    found = None
    for ln in tail:
        m = re.search(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", ln.text)
        if m and len(squash(ln.text)) <= 16:
            try:
                found = (date(int(m.group(1)), int(m.group(2)), int(m.group(3))), ln.number)
            except ValueError:
                continue
    return found if found else (None, None)


# Larger than any disclosure seen (the largest real one, with its scanned seals, is under
# 10 MB): a file above it is refused before it is read, so that one stray file cannot hold a
# worker's memory for minutes.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def size_problem(path: str | Path, max_bytes: int | None) -> str | None:
    """Why *path* is too large to read under *max_bytes*, or None (None or 0: no limit)."""
    if not max_bytes:
        return None
    size = os.stat(path).st_size
    if size <= max_bytes:
        return None
    return (f"{size:,} bytes, more than the limit of {max_bytes:,} (--max-bytes); not read: "
            f"a disclosure is rarely above a few MB")


def read_source(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Source:
    """A text rendering or, by its name or its first bytes, a PDF; refused unread when it is
    larger than *max_bytes*."""
    too_large = size_problem(path, max_bytes)
    if too_large:
        raise TooLarge(too_large, path=str(path))
    if str(path).lower().endswith(".pdf") or _starts_like_pdf(path):
        from budgetkg.extract.pdf import read_pdf          # pdfplumber is imported only when a PDF is read
        return read_pdf(path)
    source = read_text(path)
    if source.rendering in ("raw", "markdown"):   # a PDF-to-text tool's dump, pages ending in \f?
        from budgetkg.extract.tables.stream import as_stream
        source = as_stream(source)
    return source


def _starts_like_pdf(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False


def _family(source: Source, template: str | Family | None) -> Family:
    if isinstance(template, Family):
        return template
    if template:
        return family_named(template)
    return detect_family(source.lines, families())


def segment_source(source: Source, template: str | Family | None = None) -> tuple[Family, str | None, Segments]:
    """The template family, the department's name and the segments: what the segmenter found,
    whether or not the document can be extracted."""
    family = _family(source, template)
    text = squash("".join(ln.text for ln in source.lines))
    department, other_names = resolve_department(source.lines, text, family)
    return family, department, segment(source.lines, family, tuple(n for n in [department] + other_names if n))


def _found(seg: Segments) -> str:
    named = [t.label for t in seg.tables.values()] + [f"{t.title} (not a kind of table budgetkg knows)"
                                                      for t in seg.unrecognised]
    return "; ".join(named) if named else "no table"


def extract_records(source: Source, template: str | Family | None = None) -> tuple[Disclosure, Segments]:
    """Turn a normalized source into a Disclosure record; raise for inputs that are not one.

    *template* names the template family (or a template file) to read it with; by default the
    family is recognised from the document's own words, and the national vocabulary is used when
    none matches.
    """
    started = time.perf_counter()
    family, text, department, other_names, seg = _segmented(source, template)
    _require_disclosure(source, seg, department)
    year = _year(source.lines, seg)
    if year is None:
        raise NotADisclosure("cannot find the budget year", path=source.path)
    phase, scope = _phase_and_scope(source.lines, seg, family)

    date_signed, _ = _date_signed(seg)
    issues = _segment_issues(source, seg, _tables_only(source, seg, family, date_signed))
    overview, ov_issues = parse_overview(seg.part1, lambda name: expand_short_name(name, text), family)
    issues.extend(ov_issues)
    tables = _read_tables(source, seg, Context(year, department, text, family), overview, issues)
    if date_signed is None and family.signed:
        issues.append(Finding("warning", "no-signature-date", "no signature date at the end of the document"))
    projects, citations, performance, explanation = _read_narrative(
        seg, family, text, overview, [department] + other_names, issues)
    resolve_statements(explanation, year, tables)
    resolve_confidential(tables, explanation)
    issues.extend(_odd_characters(source.lines))
    issues, layout = _locate(source, issues)
    disclosure = Disclosure(source.path, source.sha256, source.rendering, department, other_names, year,
                            date_signed, overview, tables, issues, projects, parse_confidential(seg.part3, family),
                            citations, performance, explanation, layout, phase, scope, family.id,
                            find_slips(source.lines, year, phase))
    log.info("%s: %d tables, %d issues in %.3fs", source.path, len(tables), len(issues),
             time.perf_counter() - started)
    return disclosure, seg


def _segmented(source: Source, template: str | Family | None) -> tuple[Family, str, str | None, list[str], Segments]:
    """The template family, the document's text (squashed), the department's name and its other
    names, and the segments."""
    family = _family(source, template)
    text = squash("".join(ln.text for ln in source.lines))
    department, other_names = resolve_department(source.lines, text, family)
    names = tuple(n for n in [department] + other_names if n)
    return family, text, department, other_names, segment(source.lines, family, names)


def _require_disclosure(source: Source, seg: Segments, department: str | None) -> None:
    """Raise ``NotADisclosure`` unless the segments hold enough of a disclosure and the department is named."""
    if not seg.tables and not seg.part1:
        raise NotADisclosure(f"no budget table recognised ({_found(seg)}) and no overview (部门概况/主要职能): "
                             f"not a department budget disclosure", path=source.path)
    if len(seg.tables) < 3 and not seg.part3_found:
        raise NotADisclosure(f"only {_found(seg)} recognised, and no explanation (预算情况说明): "
                             f"not a department budget disclosure", path=source.path)
    if department is None:
        raise NotADisclosure("cannot find the department's name (no cover, 编制部门/单位名称 line or 部门概况 heading)",
                             path=source.path)


def _tables_only(source: Source, seg: Segments, family: Family, date_signed: date | None) -> bool:
    """Whether the document is its tables alone, published as an attachment of their own (no
    explanation, no signature date, but every table); raise ``TruncatedDisclosure`` when it
    rather stops short."""
    if seg.part3_found or date_signed is not None:
        return False
    missing = [t for t in family.tables if t.kind.id not in seg.tables] if family.required else []
    if missing or len(seg.tables) < 3:
        last = max(seg.tables.values(), key=lambda t: t.start, default=None)
        where = source.lines[-1].number if source.lines else None
        raise TruncatedDisclosure(
            f"truncated: the text stops after {last.label if last else '第一部分'} "
            f"with no explanation (预算情况说明) and no signature date", path=source.path, line=where)
    return True                 # the tables published as an attachment of their own


def _segment_issues(source: Source, seg: Segments, tables_only: bool) -> list[Finding]:
    """The warnings of reading and segmenting: the reader's notes, tables printed twice, the
    tables alone, tables of no known kind."""
    issues: list[Finding] = [Finding("warning", "reader-note", message, page=page) for page, message in source.notes]
    for t, line in seg.duplicate_tables:
        issues.append(Finding("warning", "table-printed-twice", f"{t.label} printed twice; the second copy is ignored", line, t.label))
    if tables_only:
        issues.append(Finding("warning", "tables-only", "no explanation (预算情况说明) and no overview: the tables alone, as "
                                       "published in an attachment of their own; read as they are"))
    for t in seg.unrecognised:
        first = source.lines[t.start].number
        issues.append(Finding("warning", "table-kind-unknown", f"the table {t.title!r} is not a kind of table budgetkg knows "
                                       f"(ontology/templates/kinds.toml); it is kept as text and not read", first))
    return issues


def _read_tables(source: Source, seg: Segments, ctx: Context, overview: Overview,
                 issues: list[Finding]) -> dict[str, Table]:
    """The tables: the budget tables read, the others kept as text (marked unparsed), 表7's unit
    rows matched to the overview's units. Their warnings are added to *issues*."""
    if source.rendering == "stream":
        from budgetkg.extract.tables.stream import parse_stream_tables
        tables = parse_stream_tables(seg.tables, ctx, source)
    else:
        tables = parse_tables(seg.tables, ctx)
    issues.extend(ctx.issues)
    for n, t in enumerate(seg.unrecognised, start=1):         # kept as text, marked unparsed
        raw = "\n".join(ln.text for ln in t.lines if ln.text.strip())
        tables[f"other-{n}"] = Table(f"other-{n}", t.title, "unparsed", source.lines[t.start].number,
                                     raw_text=raw or t.title, number=t.number, unit=t.unit or ctx.family.unit)
    t7 = tables.get("general-budget-projects")
    if t7:
        for row in t7.rows:
            if row.unit:
                row.unit = match_unit(row.unit, overview.units, ctx.document_text)
    return tables


def _read_narrative(seg: Segments, family: Family, text: str, overview: Overview, names: list[str],
                    issues: list[Finding]) -> tuple:
    """第三部分's prose: the projects described, the documents cited, the performance tables and
    the explanation's statements (units matched to the overview's). Warnings are added to *issues*."""
    projects, project_issues = parse_descriptions(seg.part3, family)
    issues.extend(project_issues)
    for project in projects:
        if project.unit:
            project.unit = match_unit(project.unit, overview.units, text)
    narrative = join_wrapped([overview.functions_text or ""] + [ln.text for ln in seg.part3])
    citations, doubtful = scan_citations(narrative)
    for snippet in doubtful:
        issues.append(Finding("warning", "document-number-issuer-unknown", f"cannot tell the issuer of the document number in {snippet!r}; "
                                       "kept in the text, not linked"))
    performance, perf_issues = parse_performance(seg.part3, family)
    issues.extend(perf_issues)
    for table in performance:
        if table.unit:
            table.unit = match_unit(table.unit, overview.units, text)
    in_tables = {n for t in performance for n in range(t.line, t.last_line + 1)}
    explanation = parse_explanation(seg.part3, names, in_tables, family)
    return projects, citations, performance, explanation


def _locate(source: Source, issues: list[Finding]) -> tuple[list[Finding], dict[int, Line]]:
    """The findings with their file, and the page of their line in a PDF; the PDF lines by number
    (empty for a text)."""
    layout = {ln.number: ln for ln in source.lines if ln.page is not None}
    located = [replace(f, file=source.path,
                       page=f.page if f.page is not None or f.line not in layout else layout[f.line].page)
               for f in issues]
    return located, layout


def _odd_characters(lines: list[Line]) -> list[Finding]:
    """Lines holding code points that are not text (private use, U+FFFD, controls): a PDF font's
    private glyphs or a damaged encoding. The text is kept as printed; identifiers escape them."""
    found: list[tuple[int, str]] = []
    for ln in lines:
        odd = sorted({ch for ch in ln.text if ch == "\ufffd" or ch not in "\t\n\r"
                      and unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")})
        if odd:
            found.append((ln.number, ", ".join(f"U+{ord(ch):04X}" for ch in odd)))
    if not found:
        return []
    first, chars = found[0]
    more = f" (and {len(found) - 1} more lines)" if len(found) > 1 else ""
    return [Finding("warning", "not-text-characters", f"characters that are not text ({chars}: private-use glyphs, U+FFFD or controls)"
                             f"{more}; kept as printed, escaped in identifiers", first)]


def extract_file(path: str | Path, template: str | Family | None = None) -> Disclosure:
    return extract_records(read_source(path), template)[0]
