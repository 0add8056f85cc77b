"""A synthetic department's final accounts (部门决算) of the year its budget is for: ``budgetkg
synth --phase final`` (or ``both``, the budget and its final account side by side).

The final account prints the national nine tables (``ontology/templates/national-final.toml``)
as tab-separated text, each header on one line naming its columns in the national words (the
reader finds the columns by those words, as it does in a PDF), and the 第三部分 explanation in
the wording of the shared Shanghai final account: totals, shares, and for the general budget
and each function item ``年初预算为X万元，支出决算为Y万元，完成年初预算的Z%``.

What was spent is drawn from the budget: each function item's basic spending at one rate for
the department (the economic items of 表6 at the same rate, so that the two add up), its project
spending at a rate of its own, the 三公 items at theirs. The 年初预算 of an item is the budget
disclosure's 一般公共预算 figure of the same item, so a store holding both documents can check
one against the other. The fiscal balance carried into the year is carried out of it unchanged
(财政拨款收入 equals 财政拨款支出); 其他收入 is all kept as a non-fiscal balance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from budgetkg.extract.codes import code_names
from budgetkg.extract.template import family
from budgetkg.synth.figures import money, numeral, percent
from budgetkg.synth.model import Department, function_rows

TEMPLATE = family("national-final")
_CLASS_ORDER = ("201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "215",
                "216", "217", "219", "220", "221", "222", "224", "227", "229", "230", "231", "232", "233", "234")


@dataclass
class Execution:
    """What a department spent of its budget, in cents of 万元."""

    items: dict[str, tuple[int, int]]                 # 7-digit code → (basic, project) spent
    budget: dict[str, int]                            # 7-digit code → 年初预算 (the budget's 一般公共预算 figure)
    economic: dict[str, tuple[int, int]]              # 5-digit economic code → (personnel, public) spent
    three_public: dict[str, int]                      # abroad, reception, vehicle-purchase, vehicle-operation
    other_income: int                                 # 其他收入, kept as a non-fiscal balance
    opening_fiscal: int                               # 年初财政拨款结转和结余 (= 年末: carried through)
    opening_other: int                                # 年初 non-fiscal 结转和结余
    uses: dict[str, str] = field(default_factory=dict)   # 7-digit code → 主要用于

    def rows(self) -> list[tuple[str, int, int]]:
        """(code, basic, project) for every 类, 款 and 项 row, parents before children."""
        return function_rows(self.items)

    def basic(self) -> int:
        return sum(b for b, _ in self.items.values())

    def project(self) -> int:
        return sum(p for _, p in self.items.values())

    def spent(self) -> int:
        return self.basic() + self.project()

    def initial(self) -> int:
        return sum(self.budget.values())

    def classes(self) -> dict[str, int]:
        return {c: b + p for c, b, p in self.rows() if len(c) == 3}

    def personnel(self) -> int:
        return sum(v[0] for v in self.economic.values())

    def public(self) -> int:
        return sum(v[1] for v in self.economic.values())


def _scaled(cents: int, rate: Decimal) -> int:
    return int((Decimal(cents) * rate).quantize(Decimal(1), ROUND_HALF_UP))


def execute(d: Department, seed: int = 0) -> Execution:
    """The department's year as spent, drawn from its budget *d* (seeded by *seed*, the year and
    the name, so the same budget always gives the same final account)."""
    rng = random.Random(f"final-{seed}-{d.year}-{d.name}")
    basic_rate = Decimal(rng.randint(930, 999)) / 1000
    items: dict[str, tuple[int, int]] = {}
    budget: dict[str, int] = {}
    for code, (b, p) in d.function_items().items():
        rate = Decimal(1) if rng.random() < 0.3 else Decimal(rng.randint(800, 999)) / 1000
        items[code] = (_scaled(b, basic_rate), _scaled(p, rate))
        budget[code] = b + p
    economic = {c: (_scaled(pers, basic_rate), _scaled(pub, basic_rate)) for c, (pers, pub) in d.economic.items()}
    # 表6 adds up to 表5's 基本支出: the rounding left over goes to the largest salary item
    left = sum(b for b, _ in items.values()) - sum(p + q for p, q in economic.values())
    largest = max(economic, key=lambda c: economic[c][0])
    economic[largest] = (economic[largest][0] + left, economic[largest][1])
    three = {k: _scaled(v, Decimal(rng.randint(700, 1000)) / 1000) for k, v in d.three_public.items()}
    other = rng.choice((0, 0, rng.randint(100, 90000)))
    return Execution(items, budget, economic, three, other, d.carryover_fiscal(), d.carryover_nonfiscal(),
                     {c: rng.choice(("在职人员工资福利及日常公用经费等基本支出", "单位履职的业务工作及项目开展",
                                     "机关日常运转保障", "信息系统运行维护")) for c in items})


class FinalWriter:
    """The lines of one final account, tab-separated."""

    def __init__(self, d: Department, e: Execution):
        self.d, self.e, self.lines = d, e, []
        self.fn = code_names("function", d.year) or code_names("function", 2024)
        self.ec = code_names("economic", d.year) or code_names("economic", 2024)

    def add(self, *lines: str) -> None:
        for line in lines:
            self.lines.extend([line, ""])

    @staticmethod
    def m(cents: int | None) -> str:
        return money(cents) if cents else ""

    def row(self, labels: list[str], amounts: list[int | None]) -> str:
        return "\t".join(labels + [self.m(a) for a in amounts])

    def table(self, kind: str, header: str, rows: list[str], note: str | None = None) -> None:
        layout = TEMPLATE.layout(kind)
        self.add(f"{numeral(layout.number)}、{layout.title}", f"编制单位：{self.d.name}", "单位：万元")
        self.lines.extend([header] + rows + [""])
        if note:
            self.add(note)

    # ------------------------------------------------------------ tables
    def t1(self) -> None:
        e = self.e
        spent, other = e.spent(), e.other_income
        opening = e.opening_fiscal + e.opening_other
        closing = e.opening_fiscal + e.opening_other + other
        revenue = [("一般公共预算财政拨款收入", spent), ("政府性基金预算财政拨款收入", None),
                   ("国有资本经营预算财政拨款收入", None), ("上级补助收入", None), ("事业收入", None),
                   ("经营收入", None), ("附属单位上缴收入", None), ("其他收入", other)]
        classes = e.classes()
        expenditure = [(f"{c} {self.fn[c]}", classes.get(c)) for c in _CLASS_ORDER]
        rows = []
        for k in range(max(len(revenue), len(expenditure))):
            left = revenue[k] if k < len(revenue) else ("", None)
            right = expenditure[k] if k < len(expenditure) else ("", None)
            rows.append("\t".join((left[0], self.m(left[1]), right[0], self.m(right[1]))))
        rows += ["\t".join(("本年收入合计", self.m(spent + other), "本年支出合计", self.m(spent))),
                 "\t".join(("使用非财政拨款结余（含专用结余）", "", "结余分配", "")),
                 "\t".join(("年初结转和结余", self.m(opening), "年末结转和结余", self.m(closing))),
                 "\t".join(("总计", self.m(spent + other + opening), "总计", self.m(spent + closing)))]
        self.table("summary", "项目\t决算数\t项目\t决算数", rows)

    def coded(self, kind: str, header: str, columns, total: list[int | None]) -> None:
        rows = [self.row(["", "", "", "合计"], total)]
        for code, b, p in self.e.rows():
            rows.append(self.row([code[:3], code[3:5], code[5:7], self.fn[code]], columns(code, b, p)))
        self.table(kind, "科目编码\t\t\t科目名称\t" + header, rows)

    def t2(self) -> None:
        e = self.e
        home = self.home_item()

        def columns(code: str, b: int, p: int) -> list[int | None]:
            other = e.other_income if home.startswith(code) else 0
            return [b + p + other, b + p, None, None, None, None, other]
        self.coded("revenue", "本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入",
                   columns, [e.spent() + e.other_income, e.spent(), None, None, None, None, e.other_income])

    def home_item(self) -> str:
        """The item other income is counted under: the department's own 行政运行 (its largest basic item)."""
        return max(self.e.items, key=lambda c: (self.e.items[c][0], c))

    def t3(self) -> None:
        e = self.e
        self.coded("expenditure", "本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出",
                   lambda code, b, p: [b + p, b, p, None, None, None], [e.spent(), e.basic(), e.project()])

    def t4(self) -> None:
        e = self.e
        spent, opening = e.spent(), e.opening_fiscal
        revenue = [("一般公共预算财政拨款", spent), ("政府性基金预算财政拨款", None), ("国有资本经营预算财政拨款", None)]
        classes = e.classes()
        rows = []
        for k, c in enumerate(_CLASS_ORDER):
            left = revenue[k] if k < len(revenue) else ("", None)
            amount = classes.get(c)
            rows.append("\t".join((left[0], self.m(left[1]), f"{c} {self.fn[c]}", self.m(amount), self.m(amount),
                                   "", "")))
        rows += ["\t".join(("本年收入合计", self.m(spent), "本年支出合计", self.m(spent), self.m(spent), "", "")),
                 "\t".join(("年初财政拨款结转和结余", self.m(opening), "年末财政拨款结转和结余", self.m(opening),
                            self.m(opening), "", "")),
                 "\t".join(("一般公共预算财政拨款", self.m(opening), "", "", "", "", "")),
                 "\t".join(("政府性基金预算财政拨款", "", "", "", "", "", "")),
                 "\t".join(("国有资本经营预算财政拨款", "", "", "", "", "", "")),
                 "\t".join(("总计", self.m(spent + opening), "总计", self.m(spent + opening), self.m(spent + opening),
                            "", ""))]
        self.table("fiscal-summary", "项目\t决算数\t项目\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款\t"
                                     "国有资本经营预算财政拨款", rows)

    def t5(self) -> None:
        e = self.e
        self.coded("general-budget", "合计\t基本支出\t项目支出", lambda code, b, p: [b + p, b, p],
                   [e.spent(), e.basic(), e.project()])

    def t6(self) -> None:
        e = self.e
        rows = [self.row(["", "", "合计"], [e.personnel() + e.public(), e.personnel(), e.public()])]
        for cls in sorted({c[:3] for c in e.economic}):
            items = {c: v for c, v in e.economic.items() if c.startswith(cls)}
            pers, pub = sum(v[0] for v in items.values()), sum(v[1] for v in items.values())
            rows.append(self.row([cls, "", self.ec[cls]], [pers + pub, pers, pub]))
            for code, (p, q) in items.items():
                rows.append(self.row([cls, code[3:], self.ec[code]], [p + q, p, q]))
        self.table("general-budget-basic", "科目编码\t\t科目名称\t合计\t人员经费\t公用经费", rows)

    def t7(self) -> None:
        budget, spent = self.d.three_public, self.e.three_public
        if not sum(budget.values()) and not sum(spent.values()):
            self.table("three-public", "项目\t预算数\t决算数", [],
                       f"备注：{self.d.name}{self.d.year}年度没有使用财政拨款安排的“三公”经费，故本表为空表。")
            return

        def vehicle(x: dict) -> int:
            return x["vehicle-purchase"] + x["vehicle-operation"]
        rows = [("合计", sum(budget.values()), sum(spent.values())),
                ("因公出国（境）费", budget["abroad"], spent["abroad"]),
                ("公务用车购置及运行费", vehicle(budget), vehicle(spent)),
                ("其中：公务用车购置费", budget["vehicle-purchase"], spent["vehicle-purchase"]),
                ("公务用车运行费", budget["vehicle-operation"], spent["vehicle-operation"]),
                ("公务接待费", budget["reception"], spent["reception"])]
        self.table("three-public", "项目\t预算数\t决算数", [self.row([label], [b, s]) for label, b, s in rows])

    def empty(self, kind: str, what: str) -> None:
        self.table(kind, "科目编码\t\t\t科目名称\t年初结转和结余\t本年收入\t本年支出合计\t基本支出\t项目支出\t年末结转和结余", [],
                   f"备注：{self.d.name}{self.d.year}年度没有{what}财政拨款收入，也没有使用{what}财政拨款安排的支出，"
                   "故本表为空表。")

    # ------------------------------------------------------------ prose
    def text(self) -> str:
        d, y = self.d, self.d.year
        self.lines = ["", d.name, f"{y}年度部门决算", ""]
        self.add(f"第一部分 {d.name}概况", "一、主要职能", d.functions_text, "二、部门决算单位构成",
                 f"{d.name}部门决算包括：" + "、".join(u + ("本级" if i == 0 else "") for i, u in enumerate(d.units))
                 + "。")
        self.add(f"第二部分 {d.name}{y}年度部门决算表")
        self.t1()
        self.t2()
        self.t3()
        self.t4()
        self.t5()
        self.t6()
        self.t7()
        self.empty("government-fund", "政府性基金预算")
        self.empty("state-capital", "国有资本经营预算")
        self.part3()
        self.add("第四部分 名词解释", "一、财政拨款收入：指本年度从本级财政部门取得的财政拨款。",
                 "二、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。",
                 "三、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。")
        return "\n".join(self.lines) + "\n"

    def rate(self, x: int, y: int) -> str:
        return f"{percent(y, x)}%"

    def why(self, x: int, y: int) -> str:
        if x == y:
            return "决算数与预算数持平。"
        return "决算数小于预算数的主要原因：厉行节约，压减一般性支出，部分项目按实际进度支付。"

    def part3(self) -> None:
        d, e, y = self.d, self.e, self.d.year
        spent, other = e.spent(), e.other_income
        income = spent + other
        opening = e.opening_fiscal + e.opening_other
        basic, project = e.basic(), e.project()
        self.add(f"第三部分 {d.name}{y}年度部门决算情况说明",
                 "一、收入支出决算总体情况说明",
                 f"{d.name}{y}年度收入、支出总计{money(income + opening)}万元。",
                 "二、收入决算情况说明",
                 f"本年收入合计{money(income)}万元，其中：财政拨款收入{money(spent)}万元，占{percent(spent, income)}%"
                 + (f"；其他收入{money(other)}万元，占{percent(other, income)}%。" if other else "。"),
                 "三、支出决算情况说明",
                 f"本年支出合计{money(spent)}万元，其中：基本支出{money(basic)}万元，占{percent(basic, spent)}%；"
                 f"项目支出{money(project)}万元，占{percent(project, spent)}%。",
                 "四、财政拨款收入支出决算总体情况说明",
                 f"{d.name}{y}年度财政拨款收入、支出总计{money(spent + e.opening_fiscal)}万元。",
                 "五、一般公共预算财政拨款支出决算情况说明",
                 "（一）一般公共预算财政拨款支出决算总体情况",
                 f"一般公共预算财政拨款支出{money(spent)}万元，占本年支出合计的100.00%。",
                 "（二）一般公共预算财政拨款支出决算结构情况",
                 f"一般公共预算财政拨款支出{money(spent)}万元，主要用于以下方面：" +
                 "；".join(f"{self.fn[c]}（类）{money(v)}万元，占{percent(v, spent)}%" for c, v in e.classes().items())
                 + "。",
                 "（三）一般公共预算财政拨款支出决算具体情况",
                 f"一般公共预算财政拨款支出年初预算为{money(e.initial())}万元，支出决算为{money(spent)}万元，"
                 f"完成年初预算的{self.rate(e.initial(), spent)}。{self.why(e.initial(), spent)}其中：")
        for i, (code, (b, p)) in enumerate(e.items.items(), 1):
            x, yy = e.budget[code], b + p
            self.add(f"{i}、{self.fn[code[:3]]}（类）{self.fn[code[:5]]}（款）{self.fn[code]}（项）。"
                     f"主要用于：{e.uses[code]}。年初预算为{money(x)}万元，支出决算为{money(yy)}万元，"
                     f"完成年初预算的{self.rate(x, yy)}。{self.why(x, yy)}")
        self.add("六、一般公共预算财政拨款基本支出决算情况说明",
                 f"一般公共预算财政拨款基本支出{money(basic)}万元，其中：人员经费{money(e.personnel())}万元，主要包括：" +
                 "、".join(self.ec[c] for c, v in e.economic.items() if v[0]) + f"；公用经费{money(e.public())}万元，主要包括：" +
                 "、".join(self.ec[c] for c, v in e.economic.items() if v[1]) + "。")
        self.three_public()
        self.add("八、政府性基金预算财政拨款收入支出决算情况说明",
                 f"{d.name}{y}年度没有政府性基金预算财政拨款收入支出。",
                 "九、国有资本经营预算财政拨款收入支出决算情况说明",
                 f"{d.name}{y}年度没有国有资本经营预算财政拨款收入支出。",
                 "十、其他重要事项的情况说明",
                 "（一）政府采购支出情况",
                 f"{y}年度，{d.name}政府采购支出总额{money(d.procurement)}万元，其中：政府采购货物支出"
                 f"{money(d.procurement)}万元。",
                 "（二）国有资产占用情况",
                 f"截至{y}年12月31日，{d.name}共有车辆{d.assets['vehicles']}辆。")

    def three_public(self) -> None:
        d, y = self.d, self.d.year
        budget, spent = sum(d.three_public.values()), sum(self.e.three_public.values())
        lines = ["七、财政拨款“三公”经费支出决算情况说明"]
        if budget:
            parts = (("因公出国（境）费", "abroad"), ("公务用车购置费", "vehicle-purchase"),
                     ("公务用车运行费", "vehicle-operation"), ("公务接待费", "reception"))
            lines.append(f"{d.name}{y}年度“三公”经费财政拨款支出年初预算为{money(budget)}万元，支出决算为{money(spent)}万元，"
                         f"完成年初预算的{self.rate(budget, spent)}，其中：" +
                         "，".join(f"{label}支出决算为{money(self.e.three_public[k])}万元" for label, k in parts) + "。")
        else:
            lines.append(f"{d.name}{y}年度没有使用财政拨款安排的“三公”经费。")
        self.add(*lines)


def render_final(d: Department, seed: int = 0) -> str:
    """The final account of *d*'s year, as text."""
    return FinalWriter(d, execute(d, seed)).text()


__all__ = ["Execution", "FinalWriter", "execute", "render_final"]
