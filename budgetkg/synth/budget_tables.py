"""The eleven tables of a synthetic budget disclosure, printed in one of the sample styles
(see ``render``): the local eleven-table template's titles, headers and label cells, each
table's rows from the department's facts, an empty table's note.
"""

from __future__ import annotations

from budgetkg.errors import SynthError
from budgetkg.extract.codes import code_names
from budgetkg.extract.template import family
from budgetkg.synth.figures import money
from budgetkg.synth.model import Department


STYLES = ("tsv", "wrapped", "raw")
PAGE_ROWS = 24          # tsv style: rows per page before the header repeats
_T1_REVENUE = ("一、本年收入", "1. 一般公共预算拨款", "其中：一般财力", "上级一般公共预算安排转移支付",
               "2. 政府性基金预算拨款", "其中：政府性基金收入", "上级政府性基金安排转移支付", "3. 国有资本经营预算拨款",
               "其中：国有资本经营收入", "上级国有资本经营预算安排转移支付", "4. 财政专户核拨", "5. 单位资金",
               "其中：事业收入", "上级补助收入", "附属单位上缴收入", "事业单位经营收入", "其他收入", "二、上年结转结余",
               "1. 财政拨款结转", "其中：一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "2. 非财政拨款结转",
               "其中：财政专户核拨", "单位资金")
_T4_REVENUE = (("一、财政拨款（补助）", True), ("一般公共预算", True), ("政府性基金预算", False),
               ("国有资本经营预算", False))
_CLASSES = ("201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213", "214", "215",
            "216", "217", "219", "220", "221", "222", "223", "224", "227", "229", "230", "231", "232", "233", "234")

# Titles, numbers, headers and label cells of the printed tables: the local eleven-table template's.
TEMPLATE = family("local-eleven")


def t1_revenue(d: Department) -> dict[str, int]:
    """表1's revenue rows that print an amount, by their printed label: this year's money
    is all 一般公共预算 (一般财力); last year's is carried over fiscal (一般公共预算) or not
    (单位资金)."""
    total, fiscal, nonfiscal = d.total(), d.carryover_fiscal(), d.carryover_nonfiscal()
    filled = {"一、本年收入": total, "1. 一般公共预算拨款": total, "其中：一般财力": total,
              "二、上年结转结余": fiscal + nonfiscal, "1. 财政拨款结转": fiscal, "其中：一般公共预算拨款": fiscal,
              "2. 非财政拨款结转": nonfiscal, "单位资金": nonfiscal}
    return {label: cents for label, cents in filled.items() if cents}


class TableWriter:
    """Lines of one document in one style: the eleven tables (the prose is :class:`render.Writer`'s)."""

    def __init__(self, dept: Department, style: str):
        if style not in STYLES:
            raise SynthError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
        self.d, self.style, self.lines = dept, style, []
        self.fn = code_names("function", dept.year) or code_names("function", 2024)
        self.ec = code_names("economic", dept.year) or code_names("economic", 2024)

    def add(self, *lines: str) -> None:
        for line in lines:
            self.lines.extend([line, ""])

    def m(self, cents: int | None, in_table: bool = True) -> str:
        if not cents:
            return ""
        return money(cents, "tsv" if self.style == "tsv" and in_table else "plain")

    def name(self, text: str) -> str:
        """A label as the style prints it: the wrapped style breaks long names where the cell wrapped."""
        if self.style == "wrapped" and len(text) > 9:
            return text[:8] + " " + text[8:]
        return text

    def row(self, labels: list[str], amounts: list[int | None]) -> str:
        if self.style == "raw":
            return " ".join([x for x in labels if x] + [self.m(a) for a in amounts if a])
        return "\t".join(labels + [self.m(a) for a in amounts])

    # ------------------------------------------------------------ tables
    def table(self, kind: str, rows: list[str], note: str | None = None) -> None:
        layout = TEMPLATE.layout(kind)
        self.add(f"表 {layout.number}", layout.title, f"编制部门：{self.d.name}", "单位：万元")
        header = self.header(kind)
        body: list[str] = []
        for k, r in enumerate(rows):
            if self.style == "tsv" and k and k % PAGE_ROWS == 0:
                body += ["", f"编制部门：{self.d.name}", "", "单位：万元", ""] + header
            body.append(r)
        self.lines.extend(header + body + [""])
        if note:
            self.add(note)

    def header(self, kind: str) -> list[str]:
        layout = TEMPLATE.layout(kind)
        lines = list(layout.header_text)
        if self.style == "raw":
            return [cell for line in lines for cell in line.split("\t") if cell.strip()]
        if self.style == "tsv" and layout.numbering:
            lines.append("\t".join(["※"] * layout.labels + [str(i) for i in range(1, layout.numbering + 1)]))
        return lines

    def total_first(self) -> bool:
        return self.style != "wrapped"

    def function_table(self, kind: str, columns, carryover: bool = False) -> None:
        """Tables 2, 3 and 5: one row per 类/款/项 and a total row. *columns* gives a row's
        amounts from its code (None for the total row), basic and project spending; with
        *carryover*, project spending includes last year's money carried over."""
        d = self.d
        rows = []
        for code, basic, project in d.function_rows(carryover):
            labels = [code[:3], code[3:5], code[5:7], self.name(self.fn[code])]
            rows.append(self.row(labels, columns(code, basic, project)))
        total = self.row(["", "", "", "合计"], columns(None, d.total_basic(), d.total_project(carryover)))
        self.table(kind, [total] + rows if self.total_first() else rows + [total])

    def t1(self) -> None:
        d = self.d
        classes = d.classes(carryover=True)
        filled = t1_revenue(d)
        rows = []
        for k in range(max(len(_T1_REVENUE), len(_CLASSES))):
            label = _T1_REVENUE[k] if k < len(_T1_REVENUE) else ""
            revenue = filled.get(label)
            cls = _CLASSES[k] if k < len(_CLASSES) else None
            exp = f"{cls} {self.fn[cls]}" if cls else ""
            if self.style == "raw":
                rows.append(" ".join(x for x in (label, self.m(revenue), exp, self.m(classes.get(cls))) if x))
            else:
                rows.append("\t".join((label, self.m(revenue), exp, self.m(classes.get(cls)))))
        end = (["收 入 总 计", self.m(d.grand_total()), "支 出 总 计", self.m(d.grand_total())])
        rows.append(" ".join(end) if self.style == "raw" else "\t".join(end))
        self.table("summary", rows)

    def t4(self) -> None:
        d, total = self.d, self.d.total()
        classes = d.classes()
        rows = []
        for k, cls in enumerate(_CLASSES):
            label, filled = _T4_REVENUE[k] if k < len(_T4_REVENUE) else ("", False)
            amount = classes.get(cls)
            cells = [label, self.m(total if filled else None), f"{cls} {self.fn[cls]}", self.m(amount),
                     self.m(amount), "", ""]
            rows.append(" ".join(c for c in cells if c) if self.style == "raw" else "\t".join(cells))
        end = ["收入总计", self.m(total), "支出总计", self.m(total), self.m(total), "", ""]
        rows.append(" ".join(c for c in end if c) if self.style == "raw" else "\t".join(end))
        self.table("fiscal-summary", rows)

    def t2(self) -> None:
        """Columns: 总计, 财政拨款小计, 一般公共预算, four other fiscal sources, 财政专户 and
        单位资金 (none of these six printed), 财政拨款结转, 非财政拨款结转结余."""
        d = self.d

        def columns(code: str | None, basic: int, project: int) -> list[int | None]:
            fiscal, nonfiscal = d.carried_under(code)
            this_year = basic + project - fiscal - nonfiscal
            return [basic + project, this_year, this_year] + [None] * 6 + [fiscal, nonfiscal]
        self.function_table("revenue", columns, carryover=True)

    def t6(self) -> None:
        d = self.d
        rows = []
        for cls in sorted({c[:3] for c in d.economic}):
            items = {c: v for c, v in d.economic.items() if c.startswith(cls)}
            pers, pub = sum(v[0] for v in items.values()), sum(v[1] for v in items.values())
            rows.append(self.row([cls, "", self.name(self.ec[cls])], [pers + pub, pers, pub]))
            for code, (p, q) in items.items():
                rows.append(self.row([cls, code[3:], self.name(self.ec[code])], [p + q, p, q]))
        total = self.row(["", "", "合计"], [d.personnel() + d.public(), d.personnel(), d.public()])
        self.table("general-budget-basic", [total] + rows if self.total_first() else rows + [total])

    def t7(self) -> None:
        d = self.d
        keys = ("e301", "e302", "e303", "e307", "e309", "e310", "e311", "e312", "e313", "e399")

        def amounts(projects) -> list[int | None]:
            return [sum(p.total for p in projects)] + [sum(p.economic.get(k, 0) for p in projects) for k in keys]

        rows = []
        multi = len(d.units) > 1
        for unit in d.units:
            mine = [p for p in d.projects if p.unit == unit]
            if not mine:
                continue
            if multi:
                rows.append(self.row(["", "", "", self.unit_label(unit), ""], amounts(mine)))
            for prefix in sorted({p.code[:3] for p in mine} | {p.code[:5] for p in mine}):
                group = [p for p in mine if p.code.startswith(prefix)]
                labels = [prefix[:3], prefix[3:5], "", self.name(self.fn[prefix]), ""]
                rows.append(self.row(labels, amounts(group)))
                if len(prefix) == 5:
                    for p in group:
                        labels = [p.code[:3], p.code[3:5], p.code[5:], self.name(self.fn[p.code]), p.name]
                        rows.append(self.row(labels, amounts([p])))
        total = self.row(["", "", "", "合计", ""], amounts(d.projects))
        self.table("general-budget-projects", [total] + rows if self.total_first() else rows + [total])

    def unit_label(self, unit: str) -> str:
        return f"{unit}（本级）" if unit == self.d.name else unit

    def empty_table(self, kind: str) -> None:
        layout = TEMPLATE.layout(kind)
        total = "\t" * (layout.labels - 1) + "合计"
        rows = [] if self.style == "raw" else [total]
        self.table(kind, rows, f"备注：{self.d.name}部门{self.d.year}年{layout.empty_note}")

    def t10(self) -> None:
        tp = self.d.three_public
        if not self.d.three_public_total():
            self.empty_table("three-public")
            return
        vehicle = tp["vehicle-purchase"] + tp["vehicle-operation"]
        rows = [("合计", self.d.three_public_total()), ("因公出国（境）费", tp["abroad"]), ("公务接待费", tp["reception"]),
                ("公务用车购置及运行费（小计）", vehicle), ("其中：公务用车购置费", tp["vehicle-purchase"]),
                ("公务用车运行费", tp["vehicle-operation"])]
        self.table("three-public", [self.row([label], [v, v, None, None]) for label, v in rows])

    def t11(self) -> None:
        """One row per project carried over: 总计, 财政拨款 合计 and 项目支出, 非财政拨款 合计 and 项目支出."""
        d = self.d
        if not d.carryover:
            self.empty_table("carryover")
            return

        def amounts(fiscal: int, nonfiscal: int) -> list[int | None]:
            return [fiscal + nonfiscal, fiscal, None, None, fiscal, nonfiscal, None, None, nonfiscal]
        rows = [self.row([c.name], amounts(c.fiscal, c.nonfiscal)) for c in d.carryover]
        total = self.row(["总计"], amounts(d.carryover_fiscal(), d.carryover_nonfiscal()))
        self.table("carryover", [total] + rows if self.total_first() else rows + [total])
