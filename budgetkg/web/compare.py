"""The comparisons: departments side by side for one function class
(:meth:`Comparisons.compare_function`) or for 三公 (:meth:`Comparisons.compare_three_public`),
and one department across years (:meth:`Comparisons.compare_department`, whose chart and table
the department's page shows too). Each is a :class:`~budgetkg.web.overview.View` built from a
fixed number of aggregate queries (``queries/site/``). :class:`Comparisons` is a part of
:class:`budgetkg.web.site.Site`; its paths and the static export's list of them are
:class:`~budgetkg.web.overview.Overview`'s.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from budgetkg.errors import NotFound
from budgetkg.extract.template import kinds as table_kinds
from budgetkg.web.budget import PHASES, SCOPES, THREE_PUBLIC_ITEMS, amount, phase_name
from budgetkg.web.charts import Bar, bar_chart
from budgetkg.web.overview import _CLASS, View, _check, _scope_note
from budgetkg.web.sheets import Sheet
from budgetkg.web.text import esc, format_amount

COMPARED = 50               # departments a comparison page's chart shows (its table and CSV: all)


class Comparisons:
    """The comparison pages of a :class:`~budgetkg.web.site.Site`."""

    # ------------------------------------------------------------------ one function class compared

    def compare_function(self, code: str, year: str | None = None, phase: str | None = None) -> View:
        if not _CLASS.fullmatch(code):
            raise NotFound(f"not a function class: {code}")
        variants = [(r["year"].value, r["phase"].value, int(r["n"].value))
                    for r in self.select("function-class-years", {"classCode": ox.Literal(code)})]
        if not variants:
            raise NotFound(f"no department prints function class {code}")
        if year is None or phase is None:
            budgets = [v for v in variants if v[1] == "budget"]
            year, phase = (budgets or variants)[0][:2]
        _check(year, phase)
        bound = {"classCode": ox.Literal(code), "year": ox.Literal(year), "phase": ox.Literal(phase)}
        rows = self.select("function-class-departments", bound)
        sample = self.select("spending-by-class", {"year": ox.Literal(year), "phase": ox.Literal(phase)})
        name = self.class_names([r for r in sample if r["classCode"].value == code]).get(code, "")
        sheet = Sheet([("rank", "排名", "rank"), ("department", "部门", "department IRI"), ("name", "部门名称", "name"),
                       ("scope", "范围", "scope"), ("total", "合计（万元）", "total"), ("basic", "基本支出（万元）", "basic"),
                       ("project", "项目支出（万元）", "project"), ("disclosure", "公开文件", "disclosure IRI")])
        bars, body = [], []
        for i, r in enumerate(rows, 1):
            v = {k: (t.value if t is not None else None) for k, t in r.items()}
            label = v["name"] + _scope_note(v["scope"])
            sheet.rows.append({"rank": i, "department": v["dept"], "name": v["name"], "scope": v["scope"],
                               "total": v["total"], "basic": v["basic"], "project": v["project"], "disclosure": v["doc"]})
            if i <= COMPARED:
                bars.append(Bar(label, (Decimal(v["total"]),), self.href(v["dept"])))
            body.append(f'<tr><td class="amount">{i}</td><td>{self.link(v["dept"], label)}</td>'
                        + "".join(f'<td class="amount">{esc(format_amount(v[k])) if v[k] else ""}</td>'
                                  for k in ("total", "basic", "project")) + "</tr>")
        total = sum((Decimal(r["total"].value) for r in rows), Decimal(0))
        links = " · ".join(
            f"<b>{esc(y)} {esc(phase_name(p))} ({n})</b>" if (y, p) == (year, phase) else
            f'<a href="{esc(self.compare_function_href(code, y, p))}">{esc(y)} {esc(phase_name(p))} ({n})</a>'
            for y, p, n in variants)
        csv_href = self.compare_function_href(code, year, phase) + ".csv"
        html = (f'<p class="years">年度 years: {links}</p>'
                f'<p class="lead">{len(rows)} 个部门 departments · 合计 total {esc(format_amount(total))}</p>'
                f'<figure class="chart" data-chart="compare-function">{bar_chart(bars, f"{code} {name}")}</figure>'
                f'<table class="comparison"><thead><tr><th>#</th><th>部门 department</th><th>合计 total</th>'
                f'<th>基本支出 basic</th><th>项目支出 project</th></tr></thead><tbody>{"".join(body)}</tbody></table>'
                f'<p class="downloads">下载 download: <a class="csv" href="{esc(csv_href)}">CSV</a></p>')
        title = f"{year} 年{phase_name(phase)}：{code} {name} 各部门比较 compared"
        return View(title, html, sheet, csv_href)

    # ------------------------------------------------------------------ 三公 compared

    def compare_three_public(self, year: str | None = None, phase: str | None = None) -> View:
        if year is None or phase is None:
            chosen = self.default_year_phase()
            if chosen is None:
                raise NotFound("no disclosures")
            year, phase = chosen
        _check(year, phase)
        ranked = self.select("three-public-ranking", {"year": ox.Literal(year), "phase": ox.Literal(phase)})
        docs = [r["doc"] for r in ranked]
        cells: dict[tuple[str, str, str], str] = {}
        if docs:
            for r in self.select("three-public-items", {"doc": docs}):
                cells[(r["doc"].value, r["item"].value, r["column"].value)] = r["amount"].value
        names = {i.key: i.zh for i in table_kinds()["three-public"].items}
        items = [k for k in ("total", *THREE_PUBLIC_ITEMS, "vehicle-total")
                 if any((d.value, k, "total") in cells for d in docs)]
        prior = any(c == "prior-total" for _, _, c in cells)
        sheet = Sheet([("rank", "排名", "rank"), ("department", "部门", "department IRI"), ("name", "部门名称", "name"),
                       ("scope", "范围", "scope"), *[(k, f"{names[k]}（万元）", k) for k in items],
                       *([("prior-total", "上年合计（万元）", "prior-year total")] if prior else []),
                       ("disclosure", "公开文件", "disclosure IRI")])
        bars, body = [], []
        for i, r in enumerate(ranked, 1):
            doc, dept = r["doc"].value, r["dept"].value
            label = r["name"].value + _scope_note(r["scope"].value)
            row = {"rank": i, "department": dept, "name": r["name"].value, "scope": r["scope"].value, "disclosure": doc}
            row.update({k: cells.get((doc, k, "total")) for k in items})
            if prior:
                row["prior-total"] = cells.get((doc, "total", "prior-total"))
            sheet.rows.append(row)
            if i <= COMPARED:
                bars.append(Bar(label, (amount(row["total"]), amount(row.get("prior-total"))) if prior
                                else (amount(row["total"]),), self.href(dept)))
            body.append(f'<tr><td class="amount">{i}</td><td>{self.link(dept, label)}</td>'
                        + "".join(f'<td class="amount">{esc(format_amount(row[k])) if row[k] else ""}</td>'
                                  for k in items + (["prior-total"] if prior else [])) + "</tr>")
        head = "".join(f"<th>{esc(names[k])}</th>" for k in items) + ("<th>上年合计 last year</th>" if prior else "")
        csv_href = self.compare_three_public_href(year, phase) + ".csv"
        series = ("本年 this year", "上年 last year") if prior else ()
        html = (self._year_links((year, phase), self.compare_three_public_href)
                + f'<p class="lead">{len(ranked)} 个部门 departments</p>'
                + f'<figure class="chart" data-chart="compare-three-public">'
                  f'{bar_chart(bars, "“三公”经费合计", series)}</figure>'
                + f'<table class="comparison"><thead><tr><th>#</th><th>部门 department</th>{head}</tr></thead>'
                  f'<tbody>{"".join(body)}</tbody></table>'
                + f'<p class="downloads">下载 download: <a class="csv" href="{esc(csv_href)}">CSV</a></p>')
        return View(f"{year} 年{phase_name(phase)}：“三公”经费各部门比较 three public expenses compared",
                    html, sheet, csv_href)

    # ------------------------------------------------------------------ one department across years

    def department_years(self, dept: str) -> list[dict]:
        return [{k: (v.value if v is not None else None) for k, v in r.items()}
                for r in self.select("department-disclosures", {"dept": ox.NamedNode(dept)})]

    def compare_department(self, dept: str, rows: list[dict] | None = None) -> View:
        rows = self.department_years(dept) if rows is None else rows
        if not rows:
            raise NotFound(dept)
        name = self.labels([dept]).get(dept, dept)
        title = f"{name}：历年比较 across years"
        return View(title, self.years_html(dept, rows, heading=False), self.years_sheet(rows),
                    (self.compare_department_href(dept) or "") + ".csv")

    @staticmethod
    def years_sheet(rows: list[dict]) -> Sheet:
        columns = [("year", "年度", "year"), ("phase", "阶段", "phase"), ("scope", "范围", "scope"),
                   ("total", "支出合计（万元）", "total"), ("basic", "基本支出（万元）", "basic"),
                   ("project", "项目支出（万元）", "project"), ("threePublic", "“三公”经费（万元）", "three public"),
                   ("doc", "公开文件", "disclosure IRI")]
        return Sheet(columns, [{k: r.get(k) for k, _, _ in columns} for r in rows])

    def years_html(self, dept: str, rows: list[dict], heading: bool = True) -> str:
        """The department's disclosures by year: a chart of the totals (budget beside final
        accounts) and a table."""
        years = sorted({r["year"] for r in rows if r["year"]})
        phases = [p for p in PHASES if any(r["phase"] == p for r in rows)]
        totals = {(r["year"], r["phase"]): amount(r["total"]) for r in rows
                  if r["total"] is not None and r["scope"] == "department"} or \
            {(r["year"], r["phase"]): amount(r["total"]) for r in rows if r["total"] is not None}
        series = tuple(phase_name(p) for p in phases) if len(phases) > 1 else ()
        bars = [Bar(f"{y} 年", tuple(totals.get((y, p)) for p in phases)) for y in years]
        body = "".join(
            f'<tr><td>{esc(r["year"])}</td><td>{esc(phase_name(r["phase"]))}</td>'
            f'<td>{esc(SCOPES.get(r["scope"], (r["scope"],))[0])}</td><td>{self.link(r["doc"], r["title"] or r["doc"])}</td>'
            + "".join(f'<td class="amount">{esc(format_amount(r[k])) if r[k] else ""}</td>'
                      for k in ("total", "basic", "project", "threePublic")) + "</tr>"
            for r in rows)
        href = self.compare_department_href(dept)
        link = (f' <a class="compare" href="{esc(href)}">历年比较页 across-years page</a> · '
                f'<a class="csv" href="{esc(href)}.csv">CSV</a>' if heading and href else "")
        csv = "" if heading or not href else \
            f'<p class="downloads">下载 download: <a class="csv" href="{esc(href)}.csv">CSV</a></p>'
        return ((f"<h2>历年公开文件 disclosures by year</h2><p>{link}</p>" if heading else "")
                + f'<figure class="chart" data-chart="years">{bar_chart(bars, "历年支出合计", series)}</figure>'
                + f'<table class="years"><thead><tr><th>年度 year</th><th>阶段 phase</th><th>范围 scope</th>'
                  f'<th>公开文件 disclosure</th><th>支出合计 total</th><th>基本支出 basic</th><th>项目支出 project</th>'
                  f'<th>“三公”经费 three public</th></tr></thead><tbody>{body}</tbody></table>' + csv)
