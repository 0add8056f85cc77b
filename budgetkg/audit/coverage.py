"""What the rules that read one document beside another could check: the statements on last
year's budget whose last year is in the store, and the department budgets whose units' 单位预算
are all there. A rule that finds nothing to compare says nothing; this says how much was not
compared, so that a clean report is not mistaken for a checked one. Read by the audit report
and ``budgetkg build``'s summary, from ``queries/audit/cross-year-coverage.rq`` and
``queries/audit/consolidation-coverage.rq``."""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetkg.store.query import sparql


@dataclass
class Coverage:
    checked: int = 0                   # statements on last year's budget, its item stated by last year's
    not_stated_last_year: int = 0      # … last year's budget in the store, not stating the item
    without_last_year: int = 0         # … last year's budget not in the store
    other_basis: int = 0               # statements on last year's execution, final accounts or unstated
    consolidated: list[str] = field(default_factory=list)          # department budgets checked
    missing_units: dict[str, list[str]] = field(default_factory=dict)   # not checked: units without 单位预算

    def lines(self) -> list[str]:
        """The report's lines (zh / en); none when there was nothing of either kind."""
        out = []
        if self.checked or self.not_stated_last_year or self.without_last_year or self.other_basis:
            out.append(f"与上年核对 / cross-year: {self.checked} 条与上年预算比较的说明已与库中上年预算核对 "
                       f"/ statement(s) on last year's budget checked against it; "
                       f"{self.not_stated_last_year} 条未核对（上年预算未说明同一项目）/ not checked (last year's "
                       f"budget states no such item); "
                       f"{self.without_last_year} 条未核对（上年预算不在库中）/ not checked (last year's budget "
                       f"is not in the store); {self.other_basis} 条与上年执行数、决算数或未说明的基数比较，不核对 "
                       f"/ compare with last year's execution, final accounts or an unstated base, not checked")
        if self.consolidated or self.missing_units:
            out.append(f"部门与单位核对 / consolidation: {len(self.consolidated)} 个部门预算已与其全部单位预算核对 "
                       f"/ department budget(s) checked against all their units' budgets; "
                       f"{len(self.missing_units)} 个未核对 / not checked")
            for disclosure, names in sorted(self.missing_units.items()):
                out.append(f"  未核对 / not checked: {disclosure}: 库中没有这些单位的单位预算 / no 单位预算 in the "
                           f"store of {'、'.join(names)}")
        return out


def coverage(store) -> Coverage:
    """The coverage of the cross-year and consolidation rules over *store*."""
    c = Coverage()
    result = store.select(sparql("audit/cross-year-coverage"), {}, source="queries/audit/cross-year-coverage.rq")
    for basis, in_store, stated, n in result.rows:
        count = int(n.value)
        if basis.value != "budget":
            c.other_basis += count
        elif stated.value == "true":
            c.checked += count
        elif in_store.value == "true":
            c.not_stated_last_year += count
        else:
            c.without_last_year += count
    result = store.select(sparql("audit/consolidation-coverage"), {},
                          source="queries/audit/consolidation-coverage.rq")
    missing: dict[str, list[str]] = {}
    for disclosure, unit, name, budgets in result.rows:
        names = missing.setdefault(disclosure.value, [])
        if int(budgets.value) == 0:
            names.append(name.value if name is not None else unit.value)
    c.consolidated = sorted(d for d, names in missing.items() if not names)
    c.missing_units = {d: sorted(set(names)) for d, names in missing.items() if names}
    return c
