"""Print a synthetic department's facts as a disclosure text, in one of the sample styles.

* ``tsv``: tab-separated rows like the government-office sample: a ※ numbering row under
  each header, the 总计 row first, thousands separators, the header repeated where a table
  runs onto a new page.
* ``wrapped``: tab-separated like the Kashgar sample: 合计 last, no separators, long names
  broken by a space where a cell wrapped.
* ``raw``: raw PDF text like the finance sample: rows on one line separated by single spaces,
  empty cells dropped, headers wrapped over several lines.

The wording of every sentence is the national template's, as the samples print it. The tables
are printed by ``budget_tables``, the figures by ``figures``.
"""

from __future__ import annotations

from budgetkg.synth.budget_tables import STYLES, TEMPLATE, TableWriter, t1_revenue
from budgetkg.synth.figures import money, numeral, percent
from budgetkg.synth.model import Department, Indicator

__all__ = ["GLOSSARY", "SECTION_TITLES", "STYLES", "TEMPLATE", "Writer", "money", "numeral", "percent", "render_text",
           "t1_revenue"]


SECTION_TITLES = ("收支预算情况的总体说明", "收入预算情况说明", "支出预算情况说明", "财政拨款收支预算情况的总体说明",
                  "一般公共预算当年拨款情况说明", "一般公共预算基本支出情况说明", "一般公共预算项目支出情况说明",
                  "政府性基金预算拨款情况说明", "国有资本经营预算拨款情况说明", "财政拨款“三公”经费预算情况说明",
                  "上年结转结余预算情况说明")
GLOSSARY = (
    "一、财政拨款：指由一般公共预算、政府性基金预算、国有资本经营预算安排的财政拨款数。",
    "二、一般公共预算：包括公共财政拨款（补助）资金、专项收入。",
    "三、财政专户管理资金：包括专户管理行政事业性收费（主要是教育收费）、其他非税收入。",
    "四、其他资金：包括事业收入、事业经营收入、其他收入等。",
    "五、基本支出：包括人员经费、公用经费（定额）。其中，人员经费包括工资福利支出、对个人和家庭的补助。",
    "六、项目支出：部门支出预算的组成部分，是各部门为完成其特定的行政任务或事业发展目标，在基本支出预算之外编制的年度项目支出计划。",
    "七、“三公”经费：指部门因公出国（境）费、公务用车购置及运行维护费和公务接待费。",
    "八、机关运行经费：指行政单位（含参照公务员法管理事业单位）的公用经费。",
)


class Writer(TableWriter):
    """Lines of one document in one style: its tables (:class:`TableWriter`) and the prose around them."""

    # ------------------------------------------------------------ prose
    def change(self, now: int, last: int) -> str:
        diff = now - last
        verb, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
        return f"比上年预算{verb}{money(abs(diff))}万元，{trend}{percent(abs(diff), last)}%"

    def text(self) -> str:
        d = self.d
        y = d.year
        self.lines = ["", d.name, f"{y} 年{'单位' if d.scope == 'unit' else '部门'}预算公开", "目 录", ""]
        self.add(f"第一部分 {y} 年部门概况", "一、主要职能", d.functions_text, "二、机构设置及人员情况")
        units = d.units
        if len(units) > 1:
            self.add(f"从预算单位构成看，{d.name}的预算包括：{d.name}本级预算及下属 {len(units) - 1} 家预算单位在内的汇总预算。",
                     f"{d.name}本级下设 {len(d.divisions)} 个处室，分别是：{'、'.join(d.divisions)}。",
                     f"纳入{d.name} {y} 年部门预算编制范围的下属预算单位包括：")
            self.lines.extend([f"- {i}、{u}{'本级' if i == 1 else ''}" for i, u in enumerate(units, 1)] + [""])
        else:
            self.add(f"{d.name}单位无下属预算单位，下设 {len(d.divisions)} 个处室，分别是：{'、'.join(d.divisions)}。")
        s = d.staffing

        def delta(n: int) -> str:
            return f"增加 {n} 人" if n >= 0 else f"减少 {-n} 人"
        self.add(f"单位编制数 {s['authorized']}，实有人数 {s['actual']} 人，其中：在职 {s['active']} 人，"
                 f"{delta(s['active_change'])}；退休 {s['retired']} 人，{delta(s['retired_change'])}；"
                 f"离休 {s['veterans']} 人，{delta(s['veterans_change'])}。")
        self.add(f"第二部分 {y} 年部门预算公开表")
        self.t1()
        self.t2()
        self.function_table("expenditure", lambda code, b, p: [b + p, b, p], carryover=True)
        self.t4()
        self.function_table("general-budget", lambda code, b, p: [b + p, b, p])
        self.t6()
        self.t7()
        self.empty_table("government-fund")
        self.empty_table("state-capital")
        self.t10()
        self.t11()
        self.part3()
        self.add("第四部分 名词解释", *GLOSSARY)
        self.add(d.name, f"{d.signed.year}年{d.signed.month}月{d.signed.day}日")
        return "\n".join(self.lines) + "\n"

    def heading(self, n: int) -> str:
        return f"{numeral(n)}、关于{self.d.name}{self.d.year}年{SECTION_TITLES[n - 1]}"

    def part3(self) -> None:
        d, y, total = self.d, self.d.year, self.d.total()
        basic = d.total_basic()
        grand, spent = d.grand_total(), d.total_project(carryover=True)   # with last year's money
        last = d.last_year
        spent_last = last.get("project-spent", last["project"])            # what last year's 三 printed
        classes = d.classes()
        names = "、".join(self.fn[c] for c in classes)
        sources = "一般公共预算" + ("、财政拨款结转结余" if d.carryover_fiscal() else "") + \
            ("、非财政拨款结转结余" if d.carryover_nonfiscal() else "")
        self.add(f"第三部分 {y} 年部门预算情况说明", self.heading(1),
                 f"按照全口径预算的原则，{d.name}{y}年所有收入和支出均纳入部门预算管理。收支总预算{money(grand)}万元。",
                 f"收入预算包括：{sources}等。", f"支出预算包括：{names}等。")
        share = percent(total, grand) if d.carryover else "100"
        revenue = [f"一般公共预算{money(total)}万元，占{share}%，{self.change(total, last['general-budget'])}，"
                   f"主要原因是：{self.reason(total, last['general-budget'])}。"]
        for label, key, cents in (("财政拨款结转", "fiscal-carryover", d.carryover_fiscal()),
                                  ("非财政拨款结转结余", "nonfiscal-carryover", d.carryover_nonfiscal())):
            if cents:
                revenue.append(f"{label}{money(cents)}万元，占{percent(cents, grand)}%，{self.change(cents, last[key])}，"
                               "主要原因是：上年部分项目未执行完毕，结转至本年继续使用。")
        self.add(self.heading(2), f"{d.name}收入预算{money(grand)}万元，其中：", *revenue)
        self.add(self.heading(3), f"{d.name}{y}年支出预算{money(grand)}万元，其中：",
                 f"基本支出{money(basic)}万元，占{percent(basic, grand)}%，{self.change(basic, last['basic'])}，"
                 f"主要原因是：{self.reason(basic, last['basic'])}。",
                 f"项目支出{money(spent)}万元，占{percent(spent, grand)}%，{self.change(spent, spent_last)}，"
                 f"主要原因是：{self.reason(spent, spent_last)}。")
        self.add(self.heading(4), f"{y}年财政拨款收支总预算{money(total)}万元。",
                 "收入全部为一般公共预算拨款，无政府性基金预算拨款和国有资本经营预算。",
                 f"收入预算包括：一般公共预算拨款{money(total)}万元。",
                 "一般公共预算支出包括：" + "；".join(f"{self.fn[c]}{money(v)}万元" for c, v in classes.items()) + "。")
        self.general_budget_section()
        self.add(self.heading(6), f"{d.name}{y}年一般公共预算基本支出{money(basic)}万元，其中：",
                 f"人员经费{money(d.personnel())}万元，主要包括：" +
                 "、".join(self.ec[c] for c, v in d.economic.items() if v[0]) + "。",
                 f"公用经费{money(d.public())}万元，主要包括：" +
                 "、".join(self.ec[c] for c, v in d.economic.items() if v[1]) + "。")
        self.projects_section()
        self.add(self.heading(8), f"{d.name}{y}年{TEMPLATE.layout('government-fund').empty_note}")
        self.add(self.heading(9), f"{d.name}{y}年{TEMPLATE.layout('state-capital').empty_note}")
        self.three_public()
        self.carryover()
        self.other_matters()

    def general_budget_section(self) -> None:
        """五: this year's general budget, its change, its classes and its items."""
        d, y, total = self.d, self.d.year, self.d.total()
        basic, project = d.total_basic(), d.total_project()
        last = d.last_year
        classes = d.classes()
        self.add(self.heading(5), "（一）一般公共预算当年拨款规模变化情况",
                 f"{d.name}{y}年一般公共预算拨款合计{money(total)}万元，其中：",
                 f"基本支出{money(basic)}万元，{self.change(basic, last['basic'])}。主要原因是：{self.reason(basic, last['basic'])}。",
                 f"项目支出{money(project)}万元，{self.change(project, last['project'])}。"
                 f"主要原因是：{self.reason(project, last['project'])}。",
                 "（二）一般公共预算当年拨款结构情况")
        self.add(*[f"{i}. {self.fn[c]}（类）{money(v)}万元，占{percent(v, total)}%。"
                   for i, (c, v) in enumerate(classes.items(), 1)])
        self.add("（三）一般公共预算当年拨款具体使用情况")
        items = [(c, b + p) for c, b, p in d.function_rows() if len(c) == 7]
        self.add(*[f"{i}. {self.fn[c[:3]]}（类）{self.fn[c[:5]]}（款）{self.fn[c]}（项）：{y}年预算数为{money(v)}万元，"
                   f"{self.change(v, last[c])}，主要原因是：{self.reason(v, last[c])}。"
                   for i, (c, v) in enumerate(items, 1)])

    def carryover(self) -> None:
        d, y = self.d, self.d.year
        if not d.carryover:
            self.add(self.heading(11), f"{d.name}{y}年{TEMPLATE.layout('carryover').empty_note}")
            return
        parts = [f"{label}{money(cents)}万元" for label, cents in (("财政拨款", d.carryover_fiscal()),
                                                                  ("非财政拨款", d.carryover_nonfiscal())) if cents]
        self.add(self.heading(11), f"{d.name}{y}年上年结转结余{money(d.carryover_total())}万元，包括：{'，'.join(parts)}，其中：",
                 *[f"{i}. {c.name}{money(c.total)}万元，主要用于{c.purpose}。" for i, c in enumerate(d.carryover, 1)])

    def equipment(self) -> tuple[int, int]:
        """Large equipment worth 50万元 and 100万元 or more (derived from the draw, so that adding
        them took nothing from the random stream)."""
        at50 = self.d.assets["house-area"] % 6
        return at50, at50 // 2

    def reason(self, now: int, last: int) -> str:
        return ("人员工资调整及业务工作量增加，预算数相应增加" if now > last
                else "在职人员减少及压减一般性支出，预算数相应减少")

    def three_public(self) -> None:
        d, y, tp, last = self.d, self.d.year, self.d.three_public, self.d.three_public_last
        parts = (("因公出国（境）", "abroad"), ("公务用车购置费", "vehicle-purchase"),
                 ("公务用车运行费", "vehicle-operation"), ("公务接待费", "reception"))
        total, total_last = d.three_public_total(), sum(last.values())
        lines = [f"{d.name}{y}年财政拨款“三公”经费数为{money(total) if total else '0'}万元，其中：" +
                 "，".join(f"{label}{money(tp[k]) if tp[k] else '0'}万元" for label, k in parts) + "。"]
        if total and total_last:
            lines.append(f"{y}年财政拨款“三公”经费{self.change(total, total_last)}，"
                         f"主要原因是：{self.reason(total, total_last)}。")
        self.add(self.heading(10), *lines)

    def other_matters(self) -> None:
        d, y = self.d, self.d.year
        public, last = d.public(), d.last_year["operating"]
        a = d.assets
        self.add("十二、其他重要事项的情况说明", "（一）机关运行经费情况",
                 f"{d.name}{y}年的机关运行经费财政拨款预算{money(public)}万元，{self.change(public, last)}。"
                 f"主要原因是：{self.reason(public, last)}。",
                 "（二）政府采购情况",
                 f"{y}年，{d.name}政府采购预算{money(d.procurement)}万元，其中：政府采购货物预算{money(d.procurement)}万元，"
                 "政府采购工程预算0.00万元，政府采购服务预算0.00万元。",
                 "（三）国有资产占用使用情况",
                 f"截至{y - 1}年底，{d.name}及下属各预算单位占用使用国有资产总体情况为：",
                 f"1. 房屋{a['house-area']}平方米，价值{money(a['house'])}万元。",
                 f"2. 车辆{a['vehicles']}辆，价值{money(a['vehicle-value'])}万元。",
                 f"3. 办公家具价值{money(a['furniture'])}万元。",
                 f"4. 其他资产价值{money(a['other'])}万元。",
                 f"5. 单位价值50万元以上大型设备{self.equipment()[0]}台，"
                 f"单位价值100万元以上大型设备{self.equipment()[1]}台。",
                 "（四）预算绩效情况",
                 f"{y}年，本部门预算绩效管理整体预算绩效目标1个，涉及金额{money(d.total())}万元；当年财政拨款项目"
                 f"{len(d.projects)}个，涉及预算金额{money(d.total_project())}万元；当年非财政拨款项目0个，涉及预算金额0万元。"
                 "具体情况见下表：")
        self.department_table()
        for p in d.projects:
            self.project_table(p)
        self.add("（五）其他需说明的事项", "我单位无其他需说明的事项。")

    def projects_section(self) -> None:
        """七: each project with its policies, amount, unit and allocation."""
        d, y = self.d, self.d.year
        self.add(self.heading(7))
        for i, p in enumerate(d.projects, 1):
            basis = "；".join(f"《{pol.title}》（{pol.number}）" for pol in p.policies)
            self.add(f"({i}) 项目名称：{p.name}", f"设立的政策依据：{basis}", f"预算安排规模：{money(p.total)}万元",
                     f"项目承担单位：{self.unit_label(p.unit)}",
                     "资金分配情况：" + "；".join(f"{label}{money(v)}万元" for label, v in p.allocation) +
                     f"，共计{money(p.total)}万元。",
                     f"资金执行时间：{y}年1月至{y}年12月")

    def cells(self, *cells: str) -> str:
        return "\t".join(cells)

    def department_table(self) -> None:
        d = self.d
        self.add("部门整体绩效目标表", f"({d.year}年)")
        self.lines += [self.cells("部门名称（盖章）", "", d.name, "", "", ""),
                       self.cells("部门联系人", "", d.contact, "联系电话：", d.phone, ""),
                       self.cells("年度绩效目标", "", d.dept_goal, "", "", ""),
                       self.cells("年度预算（万元）", "", "资金来源", "", "资金总额（万元）", ""),
                       self.cells("", "", "财政资金（万元）", "上级安排", "0", ""),
                       self.cells("", "", "", "本级安排", money(d.total()), ""),
                       self.cells("", "", "其他资金（万元）", "其他", "0", ""),
                       self.cells("一级指标", "二级指标", "三级指标", "指标值", "指标设定依据", "分值权重")]
        self.lines += [self.cells(i.level1, i.level2, i.name, i.value, i.basis, str(i.weight))
                       for i in d.dept_indicators] + [""]

    def project_table(self, p) -> None:
        self.add("项目支出绩效目标表", f"({self.d.year}年)")
        self.lines += [self.cells("预算单位", "", self.unit_label(p.unit), "", "", "", "", "", ""),
                       self.cells("项目名称", "", p.name, "", "项目负责人", "", p.manager, "", ""),
                       self.cells("项目资金（万元）", "", "年度预算总额：", money(p.total), "其中：财政拨款", money(p.total),
                                  "其他资金", "0", ""),
                       self.cells("项目总体目标", "", f"本项目安排预算资金{money(p.total)}万元，保障{p.name}顺利实施。",
                                  "", "", "", "", "", ""),
                       self.cells("一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "上年完成值",
                                  "指标分值权重", "指标赋分规则", "佐证资料")]
        self.lines += [self.indicator_row(i) for i in p.indicators] + [""]

    def indicator_row(self, i: Indicator) -> str:
        return self.cells(i.level1, i.level2, i.name, i.value, i.basis, i.previous, str(i.weight), i.scoring,
                          i.evidence)


def render_text(dept: Department, style: str = "tsv") -> str:
    return Writer(dept, style).text()
