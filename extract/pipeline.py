"""The extraction pipeline: read → normalize → segment → records, one document at a time."""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path

from .errors import NotADisclosure, TruncatedDisclosure
from .identity import expand_short_name, resolve_department
from .normalize import Source, read_text, squash
from .overview import parse_overview
from .citations import scan_citations
from .normalize import join_wrapped
from .explanation import parse_explanation
from .performance import parse_performance
from .projects import parse_confidential, parse_descriptions
from .records import Disclosure, Issue
from .segment import Segments, segment
from .tables.build import Context, match_unit, parse_tables

log = logging.getLogger(__name__)

STAGES = ("lines", "segments", "records")


def _year(lines) -> int | None:
    years = Counter()
    for ln in lines[:400]:
        for m in re.finditer(r"(20\d{2})\s*年\s*(?:度)?\s*(?:部门|单位)?(?:预算|概况|收支|[\u4e00-\u9fff]{0,30}部门概况)",
                             ln.text):
            years[int(m.group(1))] += 1
    return years.most_common(1)[0][0] if years else None


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


def read_source(path: str | Path) -> Source:
    """A text rendering or, by its name or its first bytes, a PDF."""
    if str(path).lower().endswith(".pdf") or _starts_like_pdf(path):
        from .pdf import read_pdf          # pdfplumber is imported only when a PDF is read
        return read_pdf(path)
    return read_text(path)


def _starts_like_pdf(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False


def extract_records(source: Source) -> tuple[Disclosure, Segments]:
    """Turn a normalized source into a Disclosure record; raise for inputs that are not one."""
    started = time.perf_counter()
    seg = segment(source.lines)
    text = squash("".join(ln.text for ln in source.lines))
    if not seg.tables and not seg.part1:
        raise NotADisclosure("no 部门预算 tables and no 第一部分 部门概况: not a department budget disclosure",
                             path=source.path)
    if len(seg.tables) < 3 and not seg.part3_found:
        found = ", ".join(f"表{n}" for n in sorted(seg.tables)) or "no tables"
        raise NotADisclosure(f"only {found} and no 第三部分: not a department budget disclosure",
                             path=source.path)
    date_signed, _ = _date_signed(seg)
    if not seg.part3_found and date_signed is None:
        last_table = max(seg.tables) if seg.tables else None
        where = source.lines[-1].number if source.lines else None
        raise TruncatedDisclosure(
            f"truncated: the text stops after {'表' + str(last_table) if last_table else '第一部分'} "
            f"with no 第三部分 and no signature date", path=source.path, line=where)
    department, other_names = resolve_department(source.lines, text)
    if department is None:
        raise NotADisclosure("cannot find the department's name (no cover, 编制部门 or 部门概况 heading)",
                             path=source.path)
    year = _year(source.lines)
    if year is None:
        raise NotADisclosure("cannot find the budget year", path=source.path)

    issues: list[Issue] = [Issue("warning", message, page=page) for page, message in source.notes]
    for number, line in seg.duplicate_tables:
        issues.append(Issue("warning", f"表{number} printed twice; the second copy is ignored", line, number))
    overview, ov_issues = parse_overview(seg.part1, lambda name: expand_short_name(name, text))
    issues.extend(ov_issues)
    ctx = Context(year, department, text)
    tables = parse_tables(seg.tables, ctx)
    issues.extend(ctx.issues)
    t7 = tables.get(7)
    if t7:
        for row in t7.rows:
            if row.unit:
                row.unit = match_unit(row.unit, overview.units, text)
    if date_signed is None:
        issues.append(Issue("warning", "no signature date at the end of the document"))
    projects, project_issues = parse_descriptions(seg.part3)
    issues.extend(project_issues)
    for project in projects:
        if project.unit:
            project.unit = match_unit(project.unit, overview.units, text)
    narrative = join_wrapped([overview.functions_text or ""] + [ln.text for ln in seg.part3])
    citations, doubtful = scan_citations(narrative)
    for snippet in doubtful:
        issues.append(Issue("warning", f"cannot tell the issuer of the document number in {snippet!r}; "
                                       "kept in the text, not linked"))
    performance, perf_issues = parse_performance(seg.part3)
    issues.extend(perf_issues)
    for table in performance:
        if table.unit:
            table.unit = match_unit(table.unit, overview.units, text)
    in_tables = {n for t in performance for n in range(t.line, t.last_line + 1)}
    explanation = parse_explanation(seg.part3, [department] + other_names, in_tables)
    layout = {ln.number: ln for ln in source.lines if ln.page is not None}
    for issue in issues:
        if issue.page is None and issue.line in layout:
            issue.page = layout[issue.line].page
    disclosure = Disclosure(source.path, source.sha256, source.rendering, department, other_names, year,
                            date_signed, overview, tables, issues, projects, parse_confidential(seg.part3),
                            citations, performance, explanation, layout)
    log.info("%s: %d tables, %d issues in %.3fs", source.path, len(tables), len(issues),
             time.perf_counter() - started)
    return disclosure, seg


def extract_file(path: str | Path) -> Disclosure:
    return extract_records(read_source(path))[0]
