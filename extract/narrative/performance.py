"""Performance-target tables of 第三部分 (四): one 部门整体绩效目标表 per document and one
项目支出绩效目标表 per project.

Two readers share one record type:

- **Cell rows** (tab-separated and markdown renderings). Rows whose merged 一级/二级 cells were
  dropped or shifted are re-aligned on the 分值权重 column; a row split over a page break
  (``满意 | 满意 | … | >`` then ``度指 标 | 度指 标 | | =95%``) is joined to the row above.
- **Raw text**, where each cell is broken over several lines. Rows are rebuilt with a row
  grammar anchored on the columns that have a closed form: 指标值 (a comparator, number and
  unit, or a date), 指标值设置依据 (…标准), 分值权重 (a number) and 指标赋分规则 (…赋分).

A row that fits neither is kept as text on its table and reported by table; nothing is
guessed. 一级/二级指标 merged upwards are inherited by the rows below them.

The modules beside this one do the work: ``performance_tables`` finds the tables (and holds
their records), ``performance_header`` reads the fields above the indicators and the indicator
header, ``performance_rows`` the cell rows and the indicators made of any rows, and
``performance_raw_rows`` the rows of raw text.
"""

from __future__ import annotations

from budgetkg.extract.narrative.performance_header import COLUMNS, indicator_header, read_header_fields
from budgetkg.extract.narrative.performance_raw_rows import raw_rows
from budgetkg.extract.narrative.performance_rows import LEVEL1, add_indicators, cell_rows
from budgetkg.extract.narrative.performance_tables import Indicator, PerformanceTable, split_tables
from budgetkg.extract.normalize import Line
from budgetkg.extract.findings import Finding

__all__ = ["COLUMNS", "LEVEL1", "Indicator", "PerformanceTable", "parse_performance", "split_tables"]


def parse_performance(part3: list[Line], family=None) -> tuple[list[PerformanceTable], list[Finding]]:
    tables: list[PerformanceTable] = []
    issues: list[Finding] = []
    for position, (kind, line, body) in enumerate(split_tables(part3, family), start=1):
        table = PerformanceTable(kind, line, position, last_line=body[-1].number if body else line)
        tables.append(table)
        issues.extend(_read_table(table, body))
    return tables, issues


def _read_table(table: PerformanceTable, body: list[Line]) -> list[Finding]:
    """Fill *table* from its *body* lines: the fields above the indicator header, then the rows
    under it; what could not be read, reported."""
    found = indicator_header(body)
    if found is None:
        read_header_fields(body, table)
        table.unparsed.extend((ln.number, ln.text) for ln in body if ln.text.strip())
        return [Finding("warning", "performance-table-without-header", f"{table.label}: no 一级指标/二级指标/三级指标 header; "
                                 "the table is kept as text", table.line)]
    start, after, keys = found
    read_header_fields(body[:start], table)
    rest = body[after:]
    cells = "\t" in body[start].text
    rows = cell_rows(rest, keys, table) if cells else raw_rows(rest, keys)
    add_indicators(rows, table)
    issues: list[Finding] = []
    for value_line, text in table.unparsed:
        issues.append(Finding("warning", "performance-row-kept-as-text", f"{table.label}: a row could not be reconstructed and is kept as "
                                       f"text: {text[:80]!r}", value_line))
    for ind in table.indicators:
        for what, v in (("指标值", ind.value), ("上年完成值", ind.previous)):
            if v is not None and v.flagged:
                issues.append(Finding("warning", "indicator-value-unreadable", f"{table.label}: {ind.name} {what} {v.text!r} is not a "
                                               "comparator, number, date or qualitative target; kept as text",
                                    ind.line))
    return issues
