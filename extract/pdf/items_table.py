"""An items table (the 三公) printed as one row of figures under a header of items: each figure
becomes a row named by its item, in a total column (this year's, or the earlier year's under a
prior-year heading)."""

from __future__ import annotations

import re

from budgetkg.extract.normalize import squash
from budgetkg.extract.pdf.grid import BBox, Grid
from budgetkg.extract.pdf.out_line import OutLine
from budgetkg.extract.pdf.table_header import header_year, is_figure, own_texts
from budgetkg.extract.tables.rows import AMOUNT
from budgetkg.extract.tables.spec import TOTAL_LABEL
from budgetkg.extract.template import Kind, Vocabulary, vocabulary

# (item, period key, printed header) of each column
ItemColumn = tuple[str | None, str, str]


def items_as_rows(k: Kind, grid: Grid, head: int, heads: list[list[str]],
                  final: bool = False) -> tuple[list[OutLine], list[str]]:
    """An items table (the 三公) printed as one row of figures under a header of items: each
    figure becomes a row named by its item, in a total column (this year's, or the earlier year's
    under a prior-year heading). Further rows (one per unit) that repeat the totals are left out;
    others are kept as text and reported."""
    columns_of = _item_columns(k, heads, final)
    figure_rows = [i for i in range(head, len(grid.rows))
                   if any(is_figure(t) or AMOUNT.match(t) for t in own_texts(grid, i))]
    problems: list[str] = []
    periods = tuple(sorted({p for item, p, _ in columns_of if item is not None}, key=lambda p: p != "total"))
    out: list[OutLine] = [OutLine("\t".join(["项目"] + [label for _, _, label in columns_of]), grid.page, grid=True,
                                  keys=periods)]
    if not figure_rows:
        return [], problems
    chosen = _total_row(grid, figure_rows)
    values = {j: squash(grid.rows[chosen][j].text) for j in range(grid.width) if grid.starts(chosen, j)}
    for i in figure_rows:
        if i != chosen and any(squash(grid.rows[i][j].text) != v for j, v in values.items()
                               if columns_of[j][0] is not None):
            problems.append(f"row {squash(grid.rows[i][0].text) or i!r} of the “三公” table is not its total "
                            f"and is kept as text")
            out.append(OutLine("\t".join(squash(c.text) for c in grid.rows[i]), grid.pages[i], grid=True))
    out += _item_lines(k, grid, chosen, columns_of, values, periods, problems)
    return out, problems


def _item_columns(k: Kind, heads: list[list[str]], final: bool) -> list[ItemColumn]:
    """What each column of the header holds: its item, period and printed header. A 合计 beside a
    “三公” 小计 is the grand total of all items (``all``)."""
    year = header_year(heads)
    voc = vocabulary()
    columns_of = [_item_column(k, path, year, voc, final) for path in heads]
    totals = [j for j, (item, _, _) in enumerate(columns_of) if item == "total"]
    if len({columns_of[j][1] for j in totals}) < len(totals):      # 合计 beside a “三公” 小计: the grand total
        for j in totals:
            item, period, label = columns_of[j]
            if "三公" not in label and any("三公" in columns_of[o][2] for o in totals if o != j):
                columns_of[j] = ("all", period, label)
    return columns_of


def _item_column(k: Kind, path: list[str], year: int | None, voc: Vocabulary, final: bool) -> ItemColumn:
    """The item a header path names, its period (an earlier year's heading is the prior year's; in
    a *final* account, a budget or adjusted budget beside the final figure) and its label."""
    item_path = [p for p in path if not (final and (voc.measure.fullmatch(p) or voc.adjusted.fullmatch(p)))]
    qualifier = ""
    if year is not None:
        printed = [int(m.group(1)) for p in path for m in re.finditer(r"((?:19|20)\d{2})年", p)]
        if printed and max(printed) < year:
            qualifier = "prior-"
    if final and path and voc.adjusted.fullmatch(path[-1]):
        qualifier = "adjusted-"            # a final account's 三公 table: 调整预算数 beside 决算数
    elif final and path and voc.budget.fullmatch(path[-1]):
        qualifier = "budget-"              # 预算数 beside 决算数
    label = "/".join(p for p in item_path if not re.fullmatch(r"(?:19|20)\d{2}年.*(?:预算|决算|执行)数?|.*经费预算数|.*预[（(]决[)）]算数.*", p)
                     or re.search(r"机关运行经费", p))
    item = k.item(label.replace("“", "").replace("”", "")) if label else None
    if item is None and label:
        item = k.item(label.split("/")[-1])
    return item, qualifier + "total", label


def _total_row(grid: Grid, figure_rows: list[int]) -> int:
    """The row of figures read: the one labelled 合计, else the first."""
    for i in figure_rows:
        if TOTAL_LABEL.match(squash(grid.rows[i][0].text)):
            return i
    return figure_rows[0]


def _item_lines(k: Kind, grid: Grid, chosen: int, columns_of: list[ItemColumn], values: dict[int, str],
                keys: tuple[str, ...], problems: list[str]) -> list[OutLine]:
    """A line per item of row *chosen*, in the kind's order of items, with its figure in each
    period's column; a figure under a header that names no item is reported in *problems*."""
    by_item: dict[str, dict[str, tuple[str, BBox]]] = {}
    for j, (item, period, label) in enumerate(columns_of):
        if item is None or j not in values or not values[j]:
            if item is None and values.get(j) and (is_figure(values[j]) or AMOUNT.match(values[j])):
                problems.append(f"a figure under {label!r} names no “三公” item; kept as text")
            continue
        by_item.setdefault(item, {})[period] = (values[j], grid.rows[chosen][j].bbox)
    names = {it.key: it.zh for it in k.items}
    out: list[OutLine] = []
    for item in [it.key for it in k.items if it.key in by_item]:
        cells = by_item[item]
        figures = [cells.get(p, ("", None)) for p in keys]
        out.append(OutLine("\t".join([names[item]] + [value for value, _ in figures]), grid.pages[chosen],
                           grid.rows[chosen][0].bbox, (None, *(box for _, box in figures)), grid=True))
    return out
