"""A disclosure as a budget: what its page shows (:meth:`BudgetView.budget_html`) and downloads
(:meth:`BudgetView.budget_sheet`).

Read in a fixed number of queries whatever the disclosure's size (its facts, its tables listed,
its cells, its projects, its indicators, the places of its findings): identity and staffing;
totals (total, basic and project expenditure, fund sources, 三公, 机关运行经费); charts of
spending by function class, basic against project, fund sources and 三公 (with last year, or
the budget beside a final account, where the table prints it); every table under its printed
title with its columns headed by their header paths, long ones collapsed and empty ones shown
as declared empty; the projects with the documents they cite and their indicators; and the
audit findings with their places. The tables (read, shown and downloaded) are
:class:`~budgetkg.web.budget_tables.BudgetTables`'s. :class:`BudgetView` is a part of
:class:`budgetkg.web.site.Site`.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox

from budgetkg.extract.template import kinds as table_kinds
from budgetkg.web.budget_tables import BudgetTables, Table
from budgetkg.web.charts import Bar, bar_chart, donut
from budgetkg.web.text import esc, format_amount

PHASES = {"budget": ("预算", "budget"), "final": ("决算", "final accounts")}
SCOPES = {"department": ("部门", "department"), "unit": ("单位", "unit")}
SEVERITIES = {"violation": ("违规", "violation"), "warning": ("警告", "warning"), "info": ("提示", "note")}
THREE_PUBLIC_ITEMS = ("abroad", "reception", "vehicle-purchase", "vehicle-operation")
_LINE = re.compile(r"第(\d+)行")


def amount(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def phase_name(phase: str) -> str:
    zh, en = PHASES.get(phase, (phase, phase))
    return f"{zh} {en}"


class BudgetView(BudgetTables):
    """The budget page of a disclosure, for a :class:`~budgetkg.web.site.Site`."""

    # ------------------------------------------------------------------ reading

    def facts(self, doc: str) -> dict[str, str | None]:
        rows = self.select("disclosure-facts", {"doc": ox.NamedNode(doc)})
        return {k: (v.value if v is not None else None) for k, v in rows[0].items()} if rows else {}

    # ------------------------------------------------------------------ what the figures say

    @staticmethod
    def _by_kind(tables: list[Table]) -> dict[str, Table]:
        out: dict[str, Table] = {}
        for t in tables:
            out.setdefault(t.kind, t)
        return out

    @staticmethod
    def totals(tables: list[Table]) -> dict[str, Decimal | None]:
        """Total, basic and project expenditure (the expenditure summary's total row), total
        revenue (the revenue table's) and the 三公 total."""
        by_kind = BudgetView._by_kind(tables)
        out: dict[str, Decimal | None] = {"total": None, "basic": None, "project": None, "revenue": None,
                                          "three-public": None}
        spent = by_kind.get("expenditure")
        row = spent.row_of(level="total") if spent else None
        if row:
            out.update({k: amount(row.cells.get(k)) for k in ("total", "basic", "project")})
        revenue = by_kind.get("revenue")
        row = revenue.row_of(level="total") if revenue else None
        if row:
            out["revenue"] = amount(row.cells.get("total"))
        three = by_kind.get("three-public")
        row = three.row_of(item="total") if three else None
        if row:
            out["three-public"] = amount(row.cells.get("total"))
        return out

    @staticmethod
    def fund_sources(tables: list[Table]) -> list[tuple[str, str, Decimal]]:
        """(key, zh name, amount) of each fund source the revenue table's total row prints: the
        parts of its total, fiscal funds split into their own parts where printed."""
        revenue = BudgetView._by_kind(tables).get("revenue")
        row = revenue.row_of(level="total") if revenue else None
        kind = table_kinds().get("revenue")
        if row is None or kind is None:
            return []
        parts = dict(kind.identities)
        names = {c.key: c.zh for c in kind.columns}
        keys = []
        for key in parts.get("total", ()):
            inner = [k for k in parts.get(key, ()) if k in row.cells]
            keys += inner if inner else [key]
        return [(k, names.get(k, k), Decimal(row.cells[k])) for k in keys if k in row.cells]

    @staticmethod
    def three_public(tables: list[Table]) -> tuple[list[tuple[str, str, Decimal | None, Decimal | None]], str]:
        """(item key, zh name, amount, other amount) of each 三公 item, and what the other is:
        "prior" (last year's, where printed), "budget" (a final account's budget) or ""."""
        three = BudgetView._by_kind(tables).get("three-public")
        kind = table_kinds().get("three-public")
        if three is None or kind is None:
            return [], ""
        names = {i.key: i.zh for i in kind.items}
        by_item = {r.item: r for _, r in sorted(three.rows.items()) if r.item}
        keys = [k for k in THREE_PUBLIC_ITEMS if k in by_item and by_item[k].cells]
        if not any(k.startswith("vehicle-") for k in keys) and "vehicle-total" in by_item:
            keys.append("vehicle-total")
        printed = {k for r in by_item.values() for k in r.cells}
        other = "prior" if "prior-total" in printed else "budget" if "budget-total" in printed else ""
        return [(k, names.get(k, k), amount(by_item[k].cells.get("total")),
                 amount(by_item[k].cells.get(f"{other}-total")) if other else None) for k in keys], other

    @staticmethod
    def function_classes(tables: list[Table]) -> list[tuple[str, str, Decimal]]:
        """(code, name, total) of each function class (类) row of the expenditure summary."""
        spent = BudgetView._by_kind(tables).get("expenditure")
        if spent is None:
            return []
        return [(r.code, r.text, Decimal(r.cells["total"])) for _, r in sorted(spent.rows.items())
                if r.level == "class" and len(r.code) == 3 and "total" in r.cells]

    # ------------------------------------------------------------------ the page

    def budget_html(self, doc: str) -> str:
        """The budget page's body for disclosure *doc*."""
        facts, tables = self.facts(doc), self.budget_tables(doc)
        year, phase = facts.get("year") or "", facts.get("phase") or "budget"
        parts = [f'<section class="budget" data-doc="{esc(doc)}">',
                 f"<h2>{self.link(doc, facts.get('title') or doc)}</h2>",
                 f"<p class=\"validation\">校验 validation: {self._validation_html(doc)}</p>",
                 self._downloads_html(doc),
                 self._identity_html(facts),
                 self._totals_html(tables, facts),
                 self._charts_html(tables, year, phase),
                 self._budget_tables_html(tables),
                 self._projects_html(doc),
                 self._findings_html(doc, facts),
                 "</section>"]
        return "".join(parts)

    def _downloads_html(self, doc: str) -> str:
        csv_href = self.href(doc, ".csv")
        ttl_href = self.href(doc, ".ttl")
        if not csv_href:
            return ""
        return (f'<p class="downloads">下载本公开文件的数据 download: <a class="csv" href="{esc(csv_href)}" '
                f'type="text/csv">CSV（各表数字 every figure）</a> · <a href="{esc(ttl_href)}" '
                f'type="text/turtle">RDF (Turtle)</a> · <a href="{esc(self.dump_path(doc, "trig"))}">'
                f'TriG（整个命名图 the whole graph）</a></p>')

    def _identity_html(self, facts: dict) -> str:
        phase = PHASES.get(facts.get("phase") or "budget", ("", ""))
        scope = SCOPES.get(facts.get("scope") or "department", ("", ""))
        fields = [("财政年度 fiscal year", facts.get("year")),
                  ("阶段 phase", f"{phase[0]} {phase[1]}"),
                  ("范围 scope", f"{scope[0]} {scope[1]}"),
                  ("签发日期 signed", facts.get("signed")),
                  ("原文件 source file", facts.get("file")),
                  ("编制数 authorized positions", facts.get("authorized")),
                  ("实有人数 actual headcount", facts.get("actual")),
                  ("在职 active staff", facts.get("active")),
                  ("退休 retired", facts.get("retired")),
                  ("离休 retired veterans", facts.get("retiredVeteran")),
                  ("内设机构 internal divisions", facts.get("divisions"))]
        rows = "".join(f"<tr><th>{name}</th><td>{esc(value)}</td></tr>" for name, value in fields if value)
        return f'<h3>概况与人员 identity and staffing</h3><table class="identity">{rows}</table>'

    def _totals_html(self, tables: list[Table], facts: dict) -> str:
        totals = self.totals(tables)
        named = [("支出合计 total expenditure", totals["total"]), ("基本支出 basic expenditure", totals["basic"]),
                 ("项目支出 project expenditure", totals["project"]), ("收入合计 total revenue", totals["revenue"])]
        named += [(f"资金来源：{name} fund source", value) for _, name, value in self.fund_sources(tables)]
        named += [("“三公”经费 three public expenses", totals["three-public"]),
                  ("机关运行经费 operating expenses", amount(facts.get("operating")))]
        rows = "".join(f'<tr><th>{esc(name)}</th><td class="amount">{esc(format_amount(value))}</td></tr>'
                       for name, value in named if value is not None)
        if not rows:
            return ""
        return f'<h3>总额 totals</h3><table class="totals">{rows}</table>'

    def _charts_html(self, tables: list[Table], year: str, phase: str) -> str:
        figures = []
        classes = self.function_classes(tables)
        if classes:
            bars = [Bar(f"{code} {name}", (total,), self.compare_function_href(code, year, phase))
                    for code, name, total in classes]
            figures.append(("按功能分类的支出 spending by function class", "functions", bar_chart(bars, "按功能分类的支出")))
        totals = self.totals(tables)
        if totals["basic"] is not None or totals["project"] is not None:
            figures.append(("基本支出与项目支出 basic and project", "basic-project",
                            donut([Bar("基本支出", (totals["basic"],)), Bar("项目支出", (totals["project"],))],
                                  "基本支出与项目支出")))
        funds = self.fund_sources(tables)
        if funds:
            figures.append(("资金来源 fund sources", "funds",
                            donut([Bar(name, (value,)) for _, name, value in funds], "资金来源")))
        items, other = self.three_public(tables)
        if items:
            series = {"prior": ("本年 this year", "上年 last year"), "budget": ("决算 final", "预算 budget")}.get(other, ())
            bars = [Bar(name, (value, prior) if other else (value,)) for _, name, value, prior in items]
            chart = bar_chart(bars, "“三公”经费", series)
            link = f' <a class="compare" href="{esc(self.compare_three_public_href(year, phase))}">各部门比较 compare</a>'
            figures.append(("“三公”经费 three public expenses" + (" 与上年 with last year" if other == "prior" else ""),
                            "three-public", chart + f"<p>{link}</p>"))
        drawn = "".join(f'<figure class="chart" data-chart="{key}"><figcaption>{esc(caption)}</figcaption>{svg}</figure>'
                        for caption, key, svg in figures if svg)
        return f'<h3>图表 charts</h3><div class="charts">{drawn}</div>' if drawn else ""

    # ------------------------------------------------------------------ projects and findings

    def _projects_html(self, doc: str) -> str:
        projects: dict[str, dict] = {}
        for r in self.select("disclosure-projects", {"doc": ox.NamedNode(doc)}):
            p = projects.setdefault(r["p"].value, {"name": r["name"].value, "amount": r["amount"], "cites": {},
                                                   "unit": r["unitName"].value if r["unitName"] is not None else ""})
            if r["cited"] is not None:
                p["cites"][r["cited"].value] = r["citedLabel"].value if r["citedLabel"] is not None else r["cited"].value
        indicators = self.select("disclosure-indicators", {"doc": ox.NamedNode(doc)})
        counts: dict[str, int] = {}
        for r in indicators:
            if r["project"] is not None:
                counts[r["project"].value] = counts.get(r["project"].value, 0) + 1
        rows = "".join(
            f"<tr><td>{self.link(iri, p['name'])}</td><td>{esc(p['unit'])}</td><td class=\"amount\">"
            f"{esc(format_amount(p['amount'].value)) if p['amount'] is not None else ''}</td>"
            f"<td>{'<br>'.join(self.link(d, label) for d, label in sorted(p['cites'].items(), key=lambda x: x[1]))}</td>"
            f"<td class=\"amount\">{counts.get(iri, 0)}</td></tr>"
            for iri, p in projects.items())
        table = (f"<h3>项目 projects ({len(projects)})</h3><table class=\"projects\"><thead><tr><th>项目 project</th>"
                 f"<th>执行单位 executing unit</th><th>预算安排规模 amount</th><th>引用文件 cited documents</th>"
                 f"<th>绩效指标 indicators</th></tr></thead><tbody>{rows}</tbody></table>")
        shown = indicators[:500]
        items = "".join(f"<tr><td>{self.link(r['i'].value, r['name'].value)}</td>"
                        f"<td>{esc(r['target'].value) if r['target'] is not None else ''}</td></tr>" for r in shown)
        return (table + f"<details class=\"indicators-box\"><summary><b>绩效指标 indicators ({len(indicators)})</b>"
                f"</summary><table class=\"indicators\"><thead><tr><th>指标 indicator</th><th>指标值 target</th></tr>"
                f"</thead><tbody>{items}</tbody></table></details>")

    def findings_of(self, doc: str, facts: dict) -> list[dict]:
        """The audit findings of *doc*, each with its place: file, page and line, from the
        finding or else where its subject was read (one query for all of them)."""
        if self.findings is None:
            return []
        found = [f for f in self.findings if f.document == doc]
        subjects = {x for f in found for x in (f.value, f.object) if x and x.startswith("http") and x != doc}
        places = {r["s"].value: (r["line"].value, r["page"].value if r["page"] is not None else None)
                  for r in (self.select("source-places", {"s": [ox.NamedNode(s) for s in sorted(subjects)]})
                            if subjects else [])}
        order = {"violation": 0, "warning": 1, "info": 2}
        out = []
        for f in sorted(found, key=lambda f: (order.get(f.severity, 3), f.code, f.message)):
            line, page = f.line, f.page
            m = _LINE.search(f.message)             # the line the rule names, else its subject's
            for subject in (f.value, f.object):
                if subject in places:
                    line = line or (m.group(1) if m else places[subject][0])
                    page = page or places[subject][1]
            if line is None and m:
                line = m.group(1)
            out.append({"severity": f.severity, "rule": f.code.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
                        "message": f.message, "file": f.file or facts.get("file"), "page": page, "line": line,
                        "subject": f.value if f.value and f.value.startswith("http") else f.object})
        return out

    def _findings_html(self, doc: str, facts: dict) -> str:
        if self.findings is None:
            return "<h3>审核发现 audit findings</h3><p>未校验 not validated</p>"
        findings = self.findings_of(doc, facts)
        rows = []
        for f in findings:
            zh, _, en = f["message"].partition(" / ")
            place = " · ".join(x for x in (esc(f["file"] or ""), f"第{esc(f['page'])}页 page {esc(f['page'])}"
                                           if f["page"] else "", f"第{esc(f['line'])}行 line {esc(f['line'])}"
                                           if f["line"] else "") if x)
            subject = self.link(f["subject"], "对象 subject") if f["subject"] and f["subject"] != doc else ""
            sev = SEVERITIES.get(f["severity"], (f["severity"], f["severity"]))
            rows.append(f'<tr class="{esc(f["severity"])}"><td>{sev[0]} {sev[1]}</td><td>{esc(f["rule"])}</td>'
                        f'<td>{esc(zh)}<br><span class="muted">{esc(en)}</span></td>'
                        f'<td class="place">{place}</td><td>{subject}</td></tr>')
        return (f"<h3>审核发现 audit findings ({len(findings)})</h3><table class=\"findings\"><thead><tr>"
                f"<th>严重程度 severity</th><th>规则 rule</th><th>说明 message</th><th>位置 place</th><th></th></tr>"
                f"</thead><tbody>{''.join(rows)}</tbody></table>")
