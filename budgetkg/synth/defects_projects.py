"""Planted defects in the projects: 七's description of a project and its figures, and the
performance tables (绩效目标表) of the department and its projects: a table or a description
left out, an amount or an allocation off, an indicator's weight or basis wrong, a table under
another name.
"""

from __future__ import annotations

import random
from typing import Callable

from budgetkg.synth.defects_edits import NotApplicable, _bump, _once
from budgetkg.synth.figures import money
from budgetkg.synth.model import Department


def _edit_indicator(d: Department, text: str, edit: Callable[[list[str]], None]) -> str:
    """*text* with the cells of the first project's first indicator row changed in place by *edit*."""
    lines, k = _indicator_rows(text, d.projects[0].name)
    cells = lines[k].split("\t")
    edit(cells)
    lines[k] = "\t".join(cells)
    return "\n".join(lines)


def _indicator_rows(text: str, project: str) -> tuple[list[str], int]:
    lines = text.split("\n")
    start = next((k for k, ln in enumerate(lines) if ln.startswith("项目名称\t") and f"\t{project}\t" in ln), None)
    if start is None:
        raise NotApplicable(project)
    first = next(k for k in range(start, len(lines)) if lines[k].startswith("一级指标"))
    return lines, first + 1


def indicator_basis_missing(d: Department, text: str, rng: random.Random) -> str:
    """The first project's first indicator printed with its 指标值设置依据 cell left empty
    (the row keeps its other cells, so it is read into its columns with no basis)."""
    def blank(cells: list[str]) -> None:
        if len(cells) < 7 or not cells[4]:
            raise NotApplicable("指标值设置依据")
        cells[4] = ""
    return _edit_indicator(d, text, blank)


def weights_not_90(d: Department, text: str, rng: random.Random) -> str:
    def heavier(cells: list[str]) -> None:
        cells[6] = str(int(cells[6]) + 5)
    return _edit_indicator(d, text, heavier)


def project_undescribed(d: Department, text: str, rng: random.Random) -> str:
    p = d.projects[-1]
    i = text.find(f" 项目名称：{p.name}\n")
    if i < 0:
        raise NotApplicable(p.name)
    start = text.rfind("\n", 0, i) + 1
    end = text.find("资金执行时间：", i)
    end = text.find("\n", end) + 1
    return text[:start] + text[end:]


def performance_table_missing(d: Department, text: str, rng: random.Random) -> str:
    p = d.projects[-1]
    lines, k = _indicator_rows(text, p.name)
    start = max(j for j in range(k) if lines[j] == "项目支出绩效目标表")
    end = next(j for j in range(k, len(lines)) if lines[j] == "")
    return "\n".join(lines[:start] + lines[end + 1:])


def performance_amount_mismatch(d: Department, text: str, rng: random.Random) -> str:
    p = d.projects[0]
    return _once(text, f"年度预算总额：\t{money(p.total)}\t其中：财政拨款\t{money(p.total)}",
                 f"年度预算总额：\t{_bump(p.total)}\t其中：财政拨款\t{_bump(p.total)}")


def project_amount_mismatch(d: Department, text: str, rng: random.Random) -> str:
    p = d.projects[0]
    return _once(text, f"预算安排规模：{money(p.total)}万元", f"预算安排规模：{_bump(p.total)}万元")


def allocation_changed(d: Department, text: str, rng: random.Random) -> str:
    """The first project's first allocation item in 七 one 万元 higher: its allocations no
    longer add up to its 预算安排规模."""
    p = d.projects[0]
    label, cents = p.allocation[0]
    return _once(text, f"资金分配情况：{label}{money(cents)}万元", f"资金分配情况：{label}{_bump(cents)}万元")


def department_table_missing(d: Department, text: str, rng: random.Random) -> str:
    start = text.find("部门整体绩效目标表\n")
    end = text.find("项目支出绩效目标表\n", start)
    if start < 0 or end < 0:
        raise NotApplicable("部门整体绩效目标表")
    return text[:start] + text[end:]


def _retitle(d: Department, text: str, title: str, bump: bool = False) -> str:
    """The last project's performance table printed under *title* (and, with *bump*, one 万元
    more in its 年度预算总额 and 财政拨款)."""
    p = d.projects[-1]
    lines, k = _indicator_rows(text, p.name)
    head = max(j for j in range(k) if lines[j].startswith("项目名称\t") and f"\t{p.name}\t" in lines[j])
    lines[head] = lines[head].replace(f"\t{p.name}\t", f"\t{title}\t", 1)
    if bump:
        funds = next(j for j in range(head, k) if "年度预算总额" in lines[j])
        old = f"年度预算总额：\t{money(p.total)}\t其中：财政拨款\t{money(p.total)}"
        if old not in lines[funds]:
            raise NotApplicable(old)
        lines[funds] = lines[funds].replace(old, f"年度预算总额：\t{_bump(p.total)}\t其中：财政拨款\t{_bump(p.total)}")
    return "\n".join(lines)


def performance_table_renamed(d: Department, text: str, rng: random.Random) -> str:
    """The last project's performance table names another phase of it (（二期）) with another
    amount: it is about no project table 7 or 七 lists, and the project has no table."""
    return _retitle(d, text, f"{d.projects[-1].name}（二期）", bump=True)


def performance_table_retitled(d: Department, text: str, rng: random.Random) -> str:
    """The last project's performance table, with its unit and amount, names another phase
    of it (（二期）): paired by unit and amount, under a name that differs."""
    return _retitle(d, text, f"{d.projects[-1].name}（二期）")


def performance_table_name_variant(d: Department, text: str, rng: random.Random) -> str:
    """The last project's performance table puts the year in front of its name (info)."""
    return _retitle(d, text, f"{d.year}年{d.projects[-1].name}")


def performance_table_part(d: Department, text: str, rng: random.Random) -> str:
    """The last project's performance table drawn up for a part of it (name-运行维护), one
    万元 more than the project: the parts do not add up to the project."""
    return _retitle(d, text, f"{d.projects[-1].name}-运行维护", bump=True)
