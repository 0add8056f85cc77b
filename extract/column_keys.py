"""Column keys: the key of the column a printed header names (its period qualifier — another
year, a change, a final account's budget — and the kind's column its words match), and the
identities (total = Σ parts) that hold among the columns a table prints."""

from __future__ import annotations

import re

from budgetkg.extract.normalize import squash
from budgetkg.extract.template_model import Kind, base_key, vocabulary


def qualify(path: list[str], year: int | None, final: bool = False) -> tuple[str, list[str], bool]:
    """(period qualifier, the path without it, whether a period heading names an amount itself):
    the qualifier is '' for this year, 'prior-', 'change-' or 'change-percent-'. A heading of
    another year (2025年预算数 in a 2026 table, 上年预算数) is the prior year; 增减 a change. In a
    *final* account's table, 决算数 is the table's own figure and a budget heading (年初预算数,
    预算数) 'budget-', an adjusted budget (调整预算数) 'adjusted-'."""
    voc = vocabulary()
    qualifier = ""
    measured = False
    rest: list[str] = []
    for position, part in enumerate(path):
        s = squash(part)
        if final and voc.adjusted.fullmatch(s):
            qualifier, measured = qualifier or "adjusted-", True
            continue
        if final and voc.budget.fullmatch(s):
            qualifier, measured = qualifier or "budget-", True
            continue
        if voc.measure.fullmatch(s) and not rest and position == len(path) - 1:
            measured = True                    # 决算数 alone over a column of figures: the table's own
            continue
        if voc.change_percent.search(s) and not re.search(r"\d{4}年", s):
            qualifier = "change-percent-"
            continue
        if voc.change.search(s):
            qualifier = qualifier or "change-"
            m = re.match(r"^(?:\d{4}年(?:预算数|执行数)?)?(?:比(?:\d{4}年)?(?:上年)?(?:执行数|预算数)?)?(?:增减|增加额)?(.*)$", s)
            tail = m.group(1) if m else ""
            if tail:
                rest.append(tail)
            continue
        m = voc.prior.fullmatch(s) or (voc.prior.match(s) if re.match(r"^\d{4}年", s) else None)
        if m:
            printed = m.groupdict().get("year")
            measured = measured or s.endswith("数") or bool(re.search(r"(?:预算|执行|决算)数?$", m.group(0)))
            tail = s[m.end():]
            if not (printed and (year is None or int(printed) >= year)):
                qualifier = qualifier or "prior-"
            elif final and "预算" in s:       # a final account's 2023年预算数 beside its 2023年决算数
                qualifier = qualifier or ("adjusted-" if voc.adjusted.search(s) else "budget-")
            if tail:
                rest.append(tail)
            continue
        if re.fullmatch(r"(?:年初)?预算数|执行数|决算数", s) and rest and position < len(path) - 1:
            measured = True
            continue                           # 2026年预算数/年初预算数/小计: a heading of the measure
        rest.append(s)
    return qualifier, rest, measured


def column_key(k: Kind, path: list[str], year: int | None, side: str | None = None,
               used: set[str] | None = None, final: bool = False) -> str | None:
    """The key of the column whose header reads *path* in a table of kind *k*, or None.

    The header's levels are tried from the whole path down to its last level alone (a group
    heading such as 支出预算 or 收入预算 over the columns names none of them), and at each the
    kind's columns in order: the first that matches wins.
    """
    qualifier, rest, measured = qualify(path, year, final)
    if qualifier == "change-percent-":
        return None                            # a rate, not an amount: kept as text
    if not rest and not measured:
        return None
    total = qualifier + "total" if k.column("total") is not None else None
    free = (lambda key: used is None or key not in used)
    if not rest and total:
        return total if free(total) else None
    defs = k.revenue_columns if side == "revenue" else k.columns
    # with no other words, 预算数/决算数 names the column itself (收支总表's sides)
    key = _first_column(k, defs, rest or [squash(path[-1])], qualifier, free)
    if key is not None:
        return key
    if measured and total and free(total):
        return total                           # 2025年预算数 over a code column: that year's total
    if rest and measured and final and k.rows == "two-sided":
        # a final account's side (收入/年初预算数): the figure column its measure heading names
        return _first_column(k, defs, [squash(path[-1])], qualifier, free)
    return None


def _first_column(k: Kind, defs, rest: list[str], qualifier: str, free) -> str | None:
    """The first of *defs* whose words match the header levels *rest*, tried from the whole path
    down to its last level alone (a group heading such as 支出预算 or 收入预算 over the columns
    names none of them); a two-sided table's columns by the last level only."""
    starts = [len(rest) - 1] if k.rows == "two-sided" else range(len(rest))
    for start in starts:
        suffix = rest[start:]
        joined, flat = "/".join(suffix), "".join(suffix)
        for c in defs:
            key = qualifier + c.key
            if c.match is not None and free(key) and c.match.search(joined if "/" in c.match.pattern else flat):
                return key
    return None


def identities_for(k: Kind, keys) -> list[tuple[str, tuple[str, ...]]]:
    """The kind's identities (total = Σ parts) as they apply to a table printing the columns *keys*.

    A part the table does not print is left out (it is zero), unless a column the table does print
    adds it up (basic = personnel + public): then the identity is the finer one of a coarser
    identity that applies, and it is not used. A part the table does not print but that its own
    parts make up is replaced by them. Identities hold for each period (this year, prior year).
    """
    present = set(keys)
    out: list[tuple[str, tuple[str, ...]]] = []
    for prefix in sorted({key[:len(key) - len(base_key(key))] for key in present}, key=lambda p: (p != "", p)):
        have = {base_key(key) for key in present if key.startswith(prefix) and
                key[len(prefix):] == base_key(key)}
        by_total: dict[str, list[tuple[str, ...]]] = {}
        for total, parts in k.identities:
            by_total.setdefault(total, []).append(parts)

        def expand(part: str, seen: frozenset) -> list[str] | None:
            if part in have:
                return [part]
            for alternative in by_total.get(part, []):
                if part in seen:
                    continue
                kept = [x for p in alternative for x in (expand(p, seen | {part}) or [])]
                if kept:                       # its parts the table prints (the others are zero)
                    return kept
            return None

        for total, parts in k.identities:
            if total not in have:
                continue
            covered = {p for t, ps in k.identities if t in have and t != total for p in ps}
            kept: list[str] = []
            usable = True
            for part in parts:
                found = expand(part, frozenset({total}))
                if found:
                    kept.extend(found)
                elif part in covered:
                    usable = False
                    break
            kept = list(dict.fromkeys(kept))
            if usable and kept:
                identity = (prefix + total, tuple(prefix + p for p in kept))
                if identity not in out:
                    out.append(identity)
    return out
