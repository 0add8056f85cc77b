"""What each column of a budget table holds, read from its header path: a code, a name, a
project, an amount (and which: the template's column key), or nothing the table can hold; and
the blocks a table printed side by side is read in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetkg.extract.pdf.table_header import header_year
from budgetkg.extract.template import PERIOD_PREFIXES, Kind, base_key, column_key

_NAME = re.compile(r"名称|科目|项目|内容|功能分类|经济分类|收入|支出")
_BLOCK = re.compile(r"功能分类|支出用途|用途|按.{1,6}分类")
_SIDE_NAME = re.compile(r"^(?:本年)?(?:收入|支出)?(?:项目|科目|功能分类|支出功能分类|功能科目|支出用途)?(?:名称)?$")
CODE_HEADER = re.compile(r"编码|代码|^类$|^款$|^项$")


@dataclass
class Column:
    role: str                 # code | name | project | amount | unknown
    key: str | None = None
    side: str | None = None   # revenue | expenditure (two-sided tables)
    header: str = ""
    block: str = ""           # a two-sided table's expenditure printed in two blocks: 功能分类 | 支出用途;
                              # a coded table printed as blocks side by side (人员经费 | 公用经费): 1, 2, …


def columns(kind: Kind, heads: list[list[str]], final: bool = False) -> list[Column]:
    """What each column of a table of *kind* holds, from its header path; in a *final* account's
    table (决算 in its title) the budget printed beside the final figure is a period of its own."""
    year = header_year(heads)
    used: set[tuple[str | None, str]] = set()
    out: list[Column] = []
    two_sided = kind.rows == "two-sided"
    side_by_side = 0                           # the block of a coded table printed as blocks side by side
    for path in heads:
        joined = "".join(path)
        leaf = path[-1] if path else ""
        side, block = None, ""
        if two_sided:
            side = "revenue" if path and "收入" in path[0] else ("expenditure" if path and "支出" in path[0] else None)
            block = next((p for p in path[1:] if _BLOCK.search(p)), "") if side == "expenditure" else ""
        elif path and CODE_HEADER.search(leaf) and out and out[-1].role == "amount":
            side_by_side = side_by_side or 1
            side_by_side += 1                  # a code column after figures: the next block begins
        if side_by_side:
            block = str(side_by_side)
        col = Column("unknown", header=joined, block=block)
        if path and not (two_sided and _SIDE_NAME.match(leaf)) and not CODE_HEADER.search(leaf):
            taken = {k for s, k in used if s == (side, block)}
            key = column_key(kind, path, year, "revenue" if side == "revenue" else None, taken, final)
            if key is not None:
                col = Column("amount", key, side, joined, block)
        if col.role == "unknown" and path:
            if CODE_HEADER.search(leaf) or (CODE_HEADER.search(joined) and not _NAME.search(leaf)):
                col = Column("code", None, side, joined, block)
            elif _NAME.search(joined) or "单位" in joined:
                col = Column("project" if kind.rows == "projects" and "项目" in leaf else "name", None, side, joined,
                             block)
        if col.role == "amount":
            used.add(((side, block), col.key))
        out.append(col)
    return out


def amount_keys(kind: Kind, cols: list[Column]) -> list[str]:
    """The amount columns found, in the kind's order (this year's, then the other periods')."""
    found = [c.key for c in cols if c.role == "amount" and c.side != "revenue"]
    order = {c.key: i for i, c in enumerate(kind.columns)}

    def rank(key: str) -> tuple[int, int]:
        base = base_key(key)
        period = PERIOD_PREFIXES.index(key[:len(key) - len(base)]) + 1 if key != base else 0
        return period, order.get(base, len(order))
    return sorted(dict.fromkeys(found), key=rank)


@dataclass
class Columns:
    """What a budget table's columns hold, and where they are: for reading its continuations."""

    xs: list[float]
    cols: list[Column]
    keys: list[str]


def column_blocks(cols: list[Column]) -> list[list[Column]]:
    """A two-sided table whose expenditure is printed in several blocks (by function, by use) is
    read block by block, each as a line of its own: the columns of one block, the others ignored
    (and the revenue side with the first). So is a coded table printed as blocks side by side,
    each with its code, name and figure columns (基本支出 by economic class: 人员经费 | 公用经费)."""
    if any(c.block and c.side is None for c in cols):
        names = list(dict.fromkeys(c.block for c in cols))
        return [[c if c.block == name else Column("ignored", header=c.header) for c in cols] for name in names]
    names = list(dict.fromkeys(c.block for c in cols if c.side == "expenditure" and c.role == "amount"))
    if len(names) <= 1:
        return [cols]
    out = []
    for n, name in enumerate(names):
        out.append([c if (c.side == "expenditure" and c.block == name) or
                    (n == 0 and (c.side != "expenditure" or c.block not in names))
                    else Column("ignored", header=c.header) for c in cols])
    return out
