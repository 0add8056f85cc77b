"""A disclosure's tables, for its budget page: read in two queries (:meth:`BudgetTables.budget_tables`),
each shown under its printed title with its columns headed by their header paths, long ones
collapsed and empty ones shown as declared empty (:meth:`BudgetTables._budget_tables_html`),
and every figure downloaded as CSV (:meth:`BudgetTables.budget_sheet`). :class:`BudgetTables`
is a part of :class:`budgetkg.web.budget.BudgetView`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from budgetkg.extract.columns import columns_of
from budgetkg.extract.template import kinds as table_kinds
from budgetkg.web.sheets import Sheet
from budgetkg.web.text import esc, format_amount

COLLAPSED_ROWS = 12         # a table with more rows is shown collapsed
SIDES = {"revenue": "收入", "expenditure": "支出"}
STATUSES = {"Present": ("已公开", "present"), "DeclaredEmpty": ("空表", "declared empty"),
            "Absent": ("缺失", "absent"), "Unparsed": ("未能解析", "not parsed")}


@dataclass
class Row:
    label: str = ""              # as HTML (a project's is a link)
    text: str = ""               # as text
    code: str = ""
    level: str = ""
    side: str = ""
    item: str = ""
    cells: dict[str, str] = field(default_factory=dict)     # column key → amount's lexical form


@dataclass
class Table:
    iri: str
    number: int | None
    title: str
    kind: str
    status: str
    note: str = ""
    unit: str = ""
    rows: dict[int, Row] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        return f"表{self.number} {self.title}" if self.number is not None else self.title

    def row_of(self, level: str = "", item: str = "") -> Row | None:
        return next((r for _, r in sorted(self.rows.items())
                     if (not level or r.level == level) and (not item or r.item == item)), None)


class BudgetTables:
    """The tables of a disclosure's budget page and its download."""

    # ------------------------------------------------------------------ reading

    def budget_tables(self, doc: str) -> list[Table]:
        """Every table of *doc*, by number (declared-empty ones included), with its rows."""
        tables: dict[str, Table] = {}
        for r in self.select("disclosure-table-list", {"doc": ox.NamedNode(doc)}):
            iri = r["t"].value
            if iri in tables:
                continue
            tables[iri] = Table(iri, int(r["n"].value) if r["n"] is not None else None,
                                r["title"].value if r["title"] is not None else iri.rsplit("/", 1)[-1],
                                r["kind"].value.rsplit("/", 1)[-1] if r["kind"] is not None else "",
                                r["status"].value.rsplit("#", 1)[-1] if r["status"] is not None else "Present",
                                r["note"].value if r["note"] is not None else "",
                                r["unit"].value if r["unit"] is not None else "")
        for r in self.select("disclosure-tables", {"doc": ox.NamedNode(doc)}):
            table = tables.get(r["t"].value)
            if table is None:
                continue
            row = table.rows.setdefault(int(r["i"].value), Row())
            if r["label"] is not None and not row.text:
                row.text, row.label = r["label"].value, esc(r["label"].value)
            if r["project"] is not None:
                row.label = self.link(r["project"].value, r["projectName"].value)
                row.text = row.text or r["projectName"].value
            for key in ("code", "level", "side", "item"):
                if r[key] is not None:
                    setattr(row, key, r[key].value)
            if r["col"] is not None:
                row.cells[r["col"].value.rsplit("/", 1)[-1]] = r["amount"].value
        return sorted(tables.values(), key=lambda t: (t.number if t.number is not None else 99, t.title))

    # ------------------------------------------------------------------ the tables

    def _budget_tables_html(self, tables: list[Table]) -> str:
        out = ["<h3>预算表 tables</h3>"]
        for t in tables:
            status = STATUSES.get(t.status, (t.status, t.status))
            if t.status != "Present" or not t.rows:
                note = f"：{esc(t.note)}" if t.note else ""
                out.append(f'<p class="table-status status-{esc(t.status)}" data-table="{esc(t.kind)}">'
                           f'<b>{esc(t.heading)}</b> — {status[0]} {status[1]}{note}</p>')
                continue
            body = self._table_html(t)
            count = f"{len(t.rows)} 行 rows"
            unit = f" · 单位 unit: {esc(t.unit)}" if t.unit else ""
            opened = "" if len(t.rows) > COLLAPSED_ROWS else " open"
            out.append(f'<details class="budget-table-box"{opened}><summary><b>{esc(t.heading)}</b> '
                       f'<span class="muted">({count}{unit})</span></summary>{body}</details>')
        return "".join(out)

    @staticmethod
    def columns(t: Table) -> list[tuple[str, str, str]]:
        """(side, key, heading) of each column *t* fills: its kind's, in the kind's order, headed
        by their header path (side, period and name: 收入 / 预算数, 上年 / 合计), then any other."""
        kind = table_kinds().get(t.kind)
        two_sided = bool(kind and kind.revenue_columns)
        filled = {((r.side or "expenditure") if two_sided else "", k) for r in t.rows.values() for k in r.cells}
        out, seen = [], set()
        for side, key, zh, _ in (columns_of(kind) if kind else ()):
            side = side or ("expenditure" if two_sided else "")
            if (side, key) in filled and (side, key) not in seen:
                seen.add((side, key))
                path = zh.replace("：", " / ")
                out.append((side, key, f"{SIDES[side]} / {path}" if side else path))
        for side, key in sorted(filled - seen):
            out.append((side, key, f"{SIDES.get(side, side)} / {key}" if side else key))
        return out

    def _table_html(self, t: Table) -> str:
        columns = self.columns(t)
        rows = [r for _, r in sorted(t.rows.items())]
        if any(c[0] for c in columns):                      # two-sided: revenue beside expenditure
            left = [r for r in rows if r.side == "revenue"]
            right = [r for r in rows if r.side != "revenue"]
            lcols = [c for c in columns if c[0] == "revenue"]
            rcols = [c for c in columns if c[0] != "revenue"]
            head = ("<th>收入项目 revenue</th>" + "".join(f"<th>{esc(h)}</th>" for _, _, h in lcols)
                    + "<th>支出项目 expenditure</th>" + "".join(f"<th>{esc(h)}</th>" for _, _, h in rcols))
            body = []
            for i in range(max(len(left), len(right))):
                cells = []
                for side_rows, cols in ((left, lcols), (right, rcols)):
                    r = side_rows[i] if i < len(side_rows) else Row()
                    cells.append(f"<td>{r.label}</td>" + "".join(self._cell(r, key) for _, key, _ in cols))
                body.append("<tr>" + "".join(cells) + "</tr>")
        else:
            coded = any(r.code for r in rows)
            head = ("<th>编码 code</th>" if coded else "") + "<th>科目/项目 item</th>" + \
                "".join(f"<th>{esc(h)}</th>" for _, _, h in columns)
            body = [f"<tr class=\"level-{esc(r.level)}\">" + (f"<td>{esc(r.code)}</td>" if coded else "")
                    + f"<td>{r.label}</td>" + "".join(self._cell(r, key) for _, key, _ in columns) + "</tr>"
                    for r in rows]
        return (f'<table class="budget-table" data-table="{esc(t.kind)}"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table>')

    @staticmethod
    def _cell(row: Row, key: str) -> str:
        value = row.cells.get(key)
        return f'<td class="amount">{esc(format_amount(value)) if value is not None else ""}</td>'

    # ------------------------------------------------------------------ the download

    def budget_sheet(self, doc: str) -> Sheet:
        """Every figure of *doc*'s tables, one row each, with the heading the page gives it."""
        sheet = Sheet([("table", "表号", "table"), ("title", "表名", "title"), ("kind", "种类", "kind"),
                       ("row", "行", "row"), ("side", "收支", "side"), ("code", "编码", "code"),
                       ("label", "科目/项目", "item"), ("column", "列", "column"), ("heading", "列标题", "heading"),
                       ("amount", "金额（万元）", "amount (10,000 yuan)")])
        for t in self.budget_tables(doc):
            headings = {(side, key): h for side, key, h in self.columns(t)}
            kind = table_kinds().get(t.kind)
            for i, r in sorted(t.rows.items()):
                side = (r.side or "expenditure") if kind and kind.revenue_columns else ""
                for key, value in r.cells.items():
                    sheet.rows.append({"table": t.number, "title": t.title, "kind": t.kind, "row": i, "side": r.side,
                                       "code": r.code, "label": r.text, "column": key,
                                       "heading": headings.get((side, key), key), "amount": value})
        return sheet
