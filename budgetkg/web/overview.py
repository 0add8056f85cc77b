"""The corpus at a glance: the home page (:meth:`Overview.overview_html`), the ranking of
departments by total, the list of every department, and the paths of these and of the
comparisons (:mod:`budgetkg.web.compare`), which :meth:`Overview.view_of` dispatches to. Each
view is a :class:`View`: its title, its body and the :class:`~budgetkg.web.sheets.Sheet` it
downloads as CSV, built from the same rows.

Every view runs a fixed number of aggregate queries (``queries/site/``), province-wide lists
cut with LIMIT and paged. Paths name the year and phase (``/compare/function/201/2024/budget``)
rather than query strings, so that the static export writes the same pages as files.
:class:`Overview` is a part of :class:`budgetkg.web.site.Site`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from budgetkg.errors import NotFound
from budgetkg.extract.template import kinds as table_kinds
from budgetkg.web.budget import PHASES, SCOPES, SEVERITIES, THREE_PUBLIC_ITEMS, phase_name
from budgetkg.web.charts import Bar, bar_chart
from budgetkg.web.sheets import Sheet
from budgetkg.web.text import esc, format_amount

TOP = 20                    # departments the home page's chart shows
PAGE_SIZE = 100             # departments a ranking page lists
_YEAR = re.compile(r"\d{4}")
_CLASS = re.compile(r"\d{3}")


@dataclass
class View:
    title: str
    body: str
    sheet: Sheet
    csv_href: str = ""


def _check(year: str, phase: str) -> None:
    if not _YEAR.fullmatch(year) or phase not in PHASES:
        raise NotFound(f"no such year and phase: {year}/{phase}")


def _scope_note(scope: str) -> str:
    return "" if scope == "department" else f"（{SCOPES.get(scope, (scope,))[0]}）"


class Overview:
    """The overview and comparison pages of a :class:`~budgetkg.web.site.Site`."""

    # ------------------------------------------------------------------ years and phases

    def year_phases(self) -> list[tuple[str, str, int]]:
        return [(r["year"].value, r["phase"].value, int(r["n"].value)) for r in self.select("year-phases")]

    def default_year_phase(self) -> tuple[str, str] | None:
        """The latest year, its budgets if the store has them."""
        found = self.year_phases()
        if not found:
            return None
        latest = found[0][0]
        phases = [p for y, p, _ in found if y == latest]
        return latest, ("budget" if "budget" in phases else phases[0])

    def _year_links(self, current: tuple[str, str], href) -> str:
        links = []
        for year, phase, n in self.year_phases():
            text = f"{year} {phase_name(phase)} ({n})"
            links.append(f"<b>{esc(text)}</b>" if (year, phase) == current
                         else f'<a href="{esc(href(year, phase))}">{esc(text)}</a>')
        return f'<p class="years">年度 years: {" · ".join(links)}</p>' if len(links) > 1 else ""

    # ------------------------------------------------------------------ paths

    @staticmethod
    def overview_href(year: str, phase: str) -> str:
        return f"/overview/{year}/{phase}"

    @staticmethod
    def ranking_href(year: str, phase: str, page: int | None = 1) -> str:
        return f"/ranking/{year}/{phase}" + (f"/{page}" if page is not None else "")

    @staticmethod
    def compare_function_href(code: str, year: str = "", phase: str = "") -> str:
        return f"/compare/function/{code}" + (f"/{year}/{phase}" if year and phase else "")

    @staticmethod
    def compare_three_public_href(year: str = "", phase: str = "") -> str:
        return "/compare/three-public" + (f"/{year}/{phase}" if year and phase else "")

    def compare_department_href(self, dept: str) -> str | None:
        local = self.href(dept)
        return "/compare/department" + local if local else None

    def department_of_compare_path(self, path: str) -> str:
        """The department IRI a ``/compare/department/<path>`` names."""
        return self.iri(path)

    # ------------------------------------------------------------------ the home page

    def overview(self, year: str | None = None, phase: str | None = None) -> View:
        """The corpus at a glance for *year* and *phase* (by default the latest year's budgets)."""
        if year is None or phase is None:
            chosen = self.default_year_phase()
            if chosen is None:
                names = self.departments()
                return View("部门预算公开 budgetkg", f"<p>{len(names)} 个部门 departments</p>{self._search_box()}",
                            Sheet([("section", "部分", "section")]))
            year, phase = chosen
        _check(year, phase)
        bound = {"year": ox.Literal(year), "phase": ox.Literal(phase)}
        top = self.select("departments-by-total", bound, limit=TOP)
        classes = self.select("spending-by-class", bound)
        items = self.select("three-public-by-item", bound)
        n_departments = len(self.departments())
        n_disclosures = next((n for y, p, n in self.year_phases() if (y, p) == (year, phase)), 0)
        sheet = Sheet([("section", "部分", "section"), ("key", "编码", "key"), ("label", "名称", "label"),
                       ("column", "列", "column"), ("amount", "金额（万元）", "amount (10,000 yuan)"),
                       ("count", "个数", "count")])
        parts = [f'<p class="lead">{n_departments} 个部门 departments · {esc(year)} 年{esc(phase_name(phase))}：'
                 f'{n_disclosures} 份公开文件 disclosures</p>', self._search_box(),
                 self._year_links((year, phase), self.overview_href)]
        parts.append(self._top_html(top, year, phase, sheet))
        parts.append(self._classes_html(classes, year, phase, sheet))
        parts.append(self._three_public_totals_html(items, year, phase, sheet))
        parts.append(self._validation_overview_html(sheet))
        csv_href = self.overview_href(year, phase) + ".csv"
        parts.append(f'<p class="downloads">下载 download: <a class="csv" href="{esc(csv_href)}">本页数字 CSV '
                     f'this page\'s figures</a> · <a href="{esc(self.ranking_href(year, phase, None))}.csv">全部部门排名 '
                     f'CSV ranking of every department</a> · <a href="/dumps/all.nq">N-Quads (RDF)</a></p>')
        return View("部门预算公开 budgetkg", "".join(parts), sheet, csv_href)

    def _search_box(self) -> str:
        if self.static:
            return '<p><a href="/departments">按名称查找部门 find a department by name</a></p>'
        return ('<form action="/search" class="search"><input name="q" placeholder="部门名称 department name">'
                '<button>搜索 search</button> <a href="/departments">全部部门 all departments</a></form>')

    def _top_html(self, top: list[dict], year: str, phase: str, sheet: Sheet) -> str:
        bars, rows = [], []
        for i, r in enumerate(top, 1):
            name = r["name"].value + _scope_note(r["scope"].value)
            total = Decimal(r["total"].value)
            bars.append(Bar(name, (total,), self.href(r["dept"].value)))
            rows.append(f'<tr><td class="amount">{i}</td><td>{self.link(r["dept"].value, name)}</td>'
                        f'<td class="amount">{esc(format_amount(total))}</td>'
                        f'<td class="amount">{esc(format_amount(r["basic"].value)) if r["basic"] else ""}</td>'
                        f'<td class="amount">{esc(format_amount(r["project"].value)) if r["project"] else ""}</td>'
                        f'<td>{self.link(r["doc"].value, "公开文件 disclosure")}</td></tr>')
            sheet.rows.append({"section": "departments-by-total", "key": r["dept"].value, "label": name,
                               "column": "total", "amount": r["total"].value})
        chart = bar_chart(bars, f"支出总额最大的 {len(bars)} 个部门")
        return (f'<h2>部门支出总额 departments by total expenditure（前 {len(bars)} top {len(bars)}）</h2>'
                f'<figure class="chart" data-chart="departments">{chart}</figure>'
                f'<table class="ranking"><thead><tr><th>#</th><th>部门 department</th><th>支出合计 total</th>'
                f'<th>基本支出 basic</th><th>项目支出 project</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody>'
                f'</table><p><a href="{esc(self.ranking_href(year, phase))}">全部部门排名 every department, ranked →</a></p>')

    def class_names(self, rows: list[dict]) -> dict[str, str]:
        """Each class code's name from the code list (one label query), else as printed."""
        labels = self.labels([r["codeIri"].value for r in rows if r.get("codeIri") is not None])
        return {r["classCode"].value: labels.get(r["codeIri"].value) or
                (r["printed"].value if r["printed"] is not None else r["classCode"].value) for r in rows}

    def _classes_html(self, classes: list[dict], year: str, phase: str, sheet: Sheet) -> str:
        names = self.class_names(classes)
        bars, rows = [], []
        for r in classes:
            code = r["classCode"].value
            href = self.compare_function_href(code, year, phase)
            bars.append(Bar(f"{code} {names[code]}", (Decimal(r["total"].value),), href))
            rows.append(f'<tr><td>{esc(code)}</td><td><a href="{esc(href)}">{esc(names[code])}</a></td>'
                        f'<td class="amount">{esc(format_amount(r["total"].value))}</td>'
                        f'<td class="amount">{esc(r["departments"].value)}</td></tr>')
            sheet.rows.append({"section": "spending-by-class", "key": code, "label": names[code], "column": "total",
                               "amount": r["total"].value, "count": r["departments"].value})
        if not classes:
            return ""
        return (f'<h2>按功能分类“类”的支出 spending by function class</h2>'
                f'<figure class="chart" data-chart="classes">{bar_chart(bars, "按功能分类的支出")}</figure>'
                f'<details class="classes-box"><summary>各类 by class ({len(classes)})</summary>'
                f'<table class="classes"><thead><tr><th>类 code</th><th>名称 name（比较 compare）</th>'
                f'<th>合计 total</th><th>部门数 departments</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
                f'</details>')

    def _three_public_totals_html(self, items: list[dict], year: str, phase: str, sheet: Sheet) -> str:
        kind = table_kinds()["three-public"]
        names = {i.key: i.zh for i in kind.items}
        sums: dict[tuple[str, str], Decimal] = {}
        counts: dict[str, int] = {}
        for r in items:
            sums[(r["item"].value, r["column"].value)] = Decimal(r["total"].value)
            if r["column"].value == "total":
                counts[r["item"].value] = int(r["departments"].value)
        if not sums:
            return ""
        other = "prior-total" if any(c == "prior-total" for _, c in sums) else \
            "budget-total" if any(c == "budget-total" for _, c in sums) else ""
        keys = [k for k in THREE_PUBLIC_ITEMS if (k, "total") in sums]
        if not any(k.startswith("vehicle-") for k in keys) and ("vehicle-total", "total") in sums:
            keys.append("vehicle-total")
        series = {"prior-total": ("本年 this year", "上年 last year"),
                  "budget-total": ("决算 final", "预算 budget")}.get(other, ())
        bars = [Bar(names[k], (sums[(k, "total")], sums.get((k, other))) if other else (sums[(k, "total")],))
                for k in keys]
        rows = []
        for key in ["total", *keys]:
            if (key, "total") not in sums:
                continue
            rows.append(f'<tr><td>{esc(names.get(key, key))}</td><td class="amount">'
                        f'{esc(format_amount(sums[(key, "total")]))}</td><td class="amount">{counts.get(key, 0)}</td></tr>')
            for column in ("total", other) if other else ("total",):
                if (key, column) in sums:
                    sheet.rows.append({"section": "three-public", "key": key, "label": names.get(key, key),
                                       "column": column, "amount": sums[(key, column)], "count": counts.get(key)})
        href = self.compare_three_public_href(year, phase)
        return (f'<h2>“三公”经费合计 the three public expenses, all departments</h2>'
                f'<figure class="chart" data-chart="three-public">{bar_chart(bars, "“三公”经费", series)}</figure>'
                f'<table class="three-public-totals"><thead><tr><th>项目 item</th><th>合计 total</th>'
                f'<th>部门数 departments</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
                f'<p><a href="{esc(href)}">各部门“三公”经费比较 compare departments →</a></p>')

    def _validation_overview_html(self, sheet: Sheet) -> str:
        findings = self.findings
        if findings is None:
            return "<h2>校验 validation</h2><p>未校验 not validated</p>"
        by_severity = Counter(f.severity for f in findings)
        documents = Counter(f.document for f in findings if f.severity == "violation")
        rules = Counter((f.code.rsplit("#", 1)[-1], f.severity) for f in findings)
        for severity in SEVERITIES:
            sheet.rows.append({"section": "validation", "key": severity, "label": SEVERITIES[severity][0],
                               "count": by_severity.get(severity, 0)})
        counts = " · ".join(f'<span class="{s}">{by_severity.get(s, 0)} {zh} {en}s</span>'
                            for s, (zh, en) in SEVERITIES.items())
        worst = documents.most_common(10)
        labels = self.labels([d for d, _ in worst if d])
        docs = "".join(f"<li>{self.link(d, labels.get(d, d))}: {n} 违规 violations</li>" for d, n in worst if d)
        rule_rows = "".join(f'<tr class="{esc(sev)}"><td>{esc(rule)}</td><td>{SEVERITIES.get(sev, (sev,))[0]}</td>'
                            f'<td class="amount">{n}</td></tr>' for (rule, sev), n in rules.most_common(15))
        return (f'<h2>校验 validation</h2><p class="validation-counts">{counts}</p>'
                + (f"<p>违规最多的公开文件 disclosures with the most violations:</p><ul>{docs}</ul>" if docs else "")
                + (f'<details><summary>按规则 by rule</summary><table class="rules"><thead><tr><th>规则 rule</th>'
                   f'<th>严重程度 severity</th><th>次数 count</th></tr></thead><tbody>{rule_rows}</tbody></table>'
                   f'</details>' if rule_rows else ""))

    # ------------------------------------------------------------------ every department, ranked

    def ranking(self, year: str, phase: str, page: int | None = 1) -> View:
        """Page *page* (from 1) of the departments of *year* and *phase* by total; None: all."""
        _check(year, phase)
        bound = {"year": ox.Literal(year), "phase": ox.Literal(phase)}
        if page is not None and page < 1:
            raise NotFound(f"no page {page}")
        rows = self.select("departments-by-total", bound, limit=PAGE_SIZE + 1 if page else None,
                           offset=(page - 1) * PAGE_SIZE if page else 0)
        more = page is not None and len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE] if page else rows
        if page and page > 1 and not rows:
            raise NotFound(f"no page {page}")
        sheet = Sheet([("rank", "排名", "rank"), ("department", "部门", "department IRI"), ("name", "部门名称", "name"),
                       ("scope", "范围", "scope"), ("total", "支出合计（万元）", "total"),
                       ("basic", "基本支出（万元）", "basic"), ("project", "项目支出（万元）", "project"),
                       ("disclosure", "公开文件", "disclosure IRI")])
        first = (page - 1) * PAGE_SIZE if page else 0
        body = []
        for i, r in enumerate(rows, first + 1):
            v = {k: (t.value if t is not None else None) for k, t in r.items()}
            sheet.rows.append({"rank": i, "department": v["dept"], "name": v["name"], "scope": v["scope"],
                               "total": v["total"], "basic": v["basic"], "project": v["project"], "disclosure": v["doc"]})
            body.append(f'<tr><td class="amount">{i}</td><td>{self.link(v["dept"], v["name"] + _scope_note(v["scope"]))}'
                        f'</td>' + "".join(f'<td class="amount">{esc(format_amount(v[k])) if v[k] else ""}</td>'
                                           for k in ("total", "basic", "project")) + "</tr>")
        pager = []
        if page and page > 1:
            pager.append(f'<a rel="prev" href="{esc(self.ranking_href(year, phase, page - 1))}">← 上一页 previous</a>')
        if more:
            pager.append(f'<a rel="next" href="{esc(self.ranking_href(year, phase, page + 1))}">下一页 next →</a>')
        csv_href = self.ranking_href(year, phase, None) + ".csv"
        html = (self._year_links((year, phase), lambda y, p: self.ranking_href(y, p))
                + f'<table class="ranking"><thead><tr><th>#</th><th>部门 department</th><th>支出合计 total</th>'
                  f'<th>基本支出 basic</th><th>项目支出 project</th></tr></thead><tbody>{"".join(body)}</tbody></table>'
                + f'<p class="pager">{" · ".join(pager)}</p>'
                + f'<p class="downloads">下载 download: <a class="csv" href="{esc(csv_href)}">CSV（全部 every department）</a></p>')
        title = f"{year} 年{phase_name(phase)}：部门按支出总额排序" + (f"（第 {page} 页）" if page else "")
        return View(title, html, sheet, csv_href)

    def ranking_pages(self, year: str, phase: str, disclosures: int) -> int:
        return max(1, -(-disclosures // PAGE_SIZE))

    # ------------------------------------------------------------------ every department by name

    def departments_html(self, search: str | None = None) -> str:
        rows = self.departments(search)
        items = "".join(f"<li>{self.link(d, n)}</li>" for d, n in rows)
        heading = (f"<p>搜索“{esc(search)}”：{len(rows)} 个部门</p>" if search
                   else f"<p>{len(rows)} 个部门 departments</p>")
        box = ("<p><input id=\"filter\" placeholder=\"按名称筛选 filter by name\" oninput=\"for(const li of "
               "document.querySelectorAll('ul.departments li'))li.hidden=!li.textContent.includes(this.value)\"></p>"
               if self.static else self._search_box())
        return self.page("部门 departments" if not search else f"搜索 search: {search}",
                         f"{heading}{box}<ul class=\"departments\">{items}</ul>")

    # ------------------------------------------------------------------ what the static export writes

    def comparison_paths(self) -> list[str]:
        """Every overview, ranking and comparison page the store gives (without suffix)."""
        paths = []
        for year, phase, n in self.year_phases():
            paths.append(self.overview_href(year, phase))
            paths += [self.ranking_href(year, phase, page) for page in range(1, self.ranking_pages(year, phase, n) + 1)]
            paths.append(self.compare_three_public_href(year, phase))
        codes = []
        for r in self.select("function-classes"):
            code = r["classCode"].value
            if _CLASS.fullmatch(code):
                paths.append(self.compare_function_href(code, r["year"].value, r["phase"].value))
                codes.append(code)
        paths += [self.compare_function_href(code) for code in dict.fromkeys(codes)]
        paths.append(self.compare_three_public_href())
        for dept, _ in self.departments():
            href = self.compare_department_href(dept)
            if href:
                paths.append(href)
        return list(dict.fromkeys(paths))

    def view_of(self, path: str) -> View:
        """The view a comparison path names (``/compare/function/201/2024/budget`` …); NotFound
        when it names none."""
        parts = [p for p in path.strip("/").split("/") if p]
        head = parts[:2]
        if parts[:1] == ["overview"] and len(parts) == 3:
            return self.overview(parts[1], parts[2])
        if parts[:1] == ["ranking"] and len(parts) in (3, 4):
            if len(parts) == 4 and not parts[3].isdigit():
                raise NotFound(path)
            return self.ranking(parts[1], parts[2], int(parts[3]) if len(parts) == 4 else None)
        if head == ["compare", "function"] and len(parts) in (3, 5):
            return self.compare_function(parts[2], *(parts[3:5] if len(parts) == 5 else ()))
        if head == ["compare", "three-public"] and len(parts) in (2, 4):
            return self.compare_three_public(*(parts[2:4] if len(parts) == 4 else ()))
        if head == ["compare", "department"] and len(parts) > 2:
            return self.compare_department(self.department_of_compare_path("/".join(parts[2:])))
        raise NotFound(path)
