"""Draw one synthetic department's budget at random, adding up exactly.

Codes come from the year's code lists in ``ontology/codes``; a department's function codes
follow its kind (政府办公室 → 20103, 财政局 → 20106, a school → 2050203). Basic spending is
built from the economic items and then mapped to function items the way a budget is compiled:
pension, medical and housing-fund contributions to their 208/210/221 items, retirement pay to
2080501, everything else to 行政运行.

Every figure is drawn from the one ``random.Random`` in a fixed order (staffing, economic
items, projects, prose facts, last year's figures, carry-over): reordering the draws changes
every document.
"""

from __future__ import annotations

import random
from datetime import date

from budgetkg.errors import SynthError
from budgetkg.extract.codes import code_names
from budgetkg.synth.model import CarryOver, Department, Indicator, Project
from budgetkg.synth.region import KINDS, Policy


SUBORDINATE = ("机关服务中心", "信息中心", "培训中心", "事务服务中心", "综合保障中心", "研究中心")
DIVISIONS = ("办公室", "综合科", "财务科", "人事科", "政策法规科", "督查科", "信息科", "机关党委", "规划科",
             "业务一科", "业务二科", "业务三科", "宣传科", "安全保卫科", "档案室")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玉兰新疆志红梅海燕鹏飞"
PROJECT_NAMES = ("业务工作经费", "单位运转项目", "信息化建设运维经费", "档案数字化项目", "干部教育培训经费",
                 "办公设备购置项目", "专项业务经费", "政务公开平台运维经费", "调研课题经费", "安全保卫服务经费",
                 "网络安全等级保护项目", "会议保障经费", "宣传工作经费", "数据平台建设项目")
SALARY = ("30101", "30102", "30103", "30107", "30199")
PUBLIC_ITEMS = ("30201", "30202", "30205", "30206", "30207", "30208", "30209", "30211", "30213", "30216",
                "30228", "30229", "30239", "30299")

# Economic items feeding a function item: the first that is printed takes the rest.
CONTRIBUTIONS = {"30108": "2080505", "30110": "2101101", "30111": "2101103", "30113": "2210201",
                  "30301": "2080501", "30302": "2080501"}


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _cents(rng: random.Random, low: float, high: float) -> int:
    return int(rng.uniform(low, high) * 100)


def _last(rng: random.Random, cents: int) -> int:
    """Last year's amount: within ±25 % of this year's, never equal to it."""
    while True:
        last = int(cents * rng.uniform(0.75, 1.25))
        if last != cents and last > 0:
            return last


def draw_department(rng: random.Random, name: str, kind: str, level: str, area: str, parent: str | None,
                    year: int, policies: list[Policy]) -> Department:
    """One department's budget: figures that add up, prose facts, projects and performance
    targets, and in some departments money carried over from last year."""
    section, own_item, project_item = function_items(kind)
    functions = code_names("function", year) or code_names("function", 2024)
    scale = {"region": 3.0, "prefecture": 1.6, "county": 1.0}[level]
    units = _units(rng, name, kind, level)
    divisions = rng.sample(DIVISIONS, rng.randint(4, 9))
    staffing = _staffing(rng, scale)
    economic, three_public = _economic(rng, staffing)
    basic = _basic(economic, units, section, own_item, functions, year)
    projects = _projects(rng, units, project_item, scale, policies)
    dept = Department(name, year, level, area, parent, kind, units, divisions, staffing,
                      _functions_text(rng, kind), economic, basic, projects, {}, three_public, {},
                      person(rng), f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
                      "保障机构正常运转，全面完成年度各项工作任务，提升履职效能和公共服务水平。",
                      _department_indicators(rng), _cents(rng, 5, 200),
                      {"house-area": rng.randint(300, 30000), "house": _cents(rng, 50, 3000),
                       "vehicles": rng.randint(1, 12), "vehicle-value": _cents(rng, 10, 400),
                       "furniture": _cents(rng, 5, 80), "other": _cents(rng, 5, 500)},
                      date(year, rng.randint(1, 2), rng.randint(1, 28)))
    _last_year(rng, dept)
    # drawn last, so that a department without carry-over is drawn as before carry-over was
    if rng.random() < CARRYOVER_SHARE:
        dept.carryover, dept.carryover_code = _carryover(rng, year, scale), project_item
        for key, cents in (("fiscal-carryover", dept.carryover_fiscal()),
                           ("nonfiscal-carryover", dept.carryover_nonfiscal())):
            if cents:
                dept.last_year[key] = _last(rng, cents)
    return dept


def function_items(kind: str) -> tuple[str, str, str]:
    """A kind of department's function 款 (5 digits), the 项 its own running costs go under
    and the 项 its projects go under."""
    section = "20502" if kind == "school" else next(k[3] for k in KINDS if k[0] == kind)
    if kind == "school":
        return section, "2050203", "2050203"
    return section, section + "01", section + "02"


def last_year(rng: random.Random, dept: Department) -> None:
    """Draw *dept*'s last-year figures afresh (a unit's budget split from its department's, which
    may have no projects or no 三公 expenses: nothing last year either)."""
    def drawn(cents: int) -> int:
        return _last(rng, cents) if cents > 0 else 0
    last = dept.last_year = {}
    last["basic"] = drawn(dept.total_basic())
    last["project"] = drawn(dept.total_project())
    last["general-budget"] = last["basic"] + last["project"]
    for code, b, p in dept.function_rows():
        if len(code) == 7:
            last[code] = drawn(b + p)
    last["operating"] = drawn(dept.public())
    dept.three_public_last = {k: drawn(v) for k, v in dept.three_public.items()}
    for key, cents in (("fiscal-carryover", dept.carryover_fiscal()), ("nonfiscal-carryover", dept.carryover_nonfiscal())):
        if cents:
            last[key] = drawn(cents)


def _units(rng: random.Random, name: str, kind: str, level: str) -> list[str]:
    """The department itself (its 本级, first) and its subordinate units."""
    n_units = 1 + (rng.choice((0, 0, 1, 2, 3)) if level != "county" else rng.choice((0, 0, 0, 1)))
    if kind == "school":
        n_units = 1
    suffixes = rng.sample(SUBORDINATE, n_units - 1)
    return [name] + [name + s for s in suffixes]


def _staffing(rng: random.Random, scale: float) -> dict[str, int]:
    """Staff numbers: authorized, active, retired, veterans (离休), and their changes."""
    active = int(rng.randint(12, 60) * scale)
    retired = rng.randint(3, active)
    veterans = rng.choice((0, 0, 0, 1, 2))
    staffing = {"authorized": active + rng.randint(-3, 6), "active": active, "retired": retired,
                "veterans": veterans, "active_change": rng.randint(-5, 5), "retired_change": rng.randint(0, 4),
                "veterans_change": -rng.randint(0, 1) if veterans else 0}
    staffing["actual"] = active + retired + veterans
    return staffing


def _economic(rng: random.Random, staffing: dict[str, int]) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """Basic spending by economic item (5-digit code → (personnel, public) cents), and the 三公
    figures, whose reception and vehicle operation are public-spending items too."""
    active, retired, veterans = staffing["active"], staffing["retired"], staffing["veterans"]
    economic: dict[str, tuple[int, int]] = {}
    salary_base = active * _cents(rng, 8.0, 14.0)
    for code in SALARY:
        if code == "30107" and rng.random() < 0.5:
            continue
        economic[code] = (int(salary_base * rng.uniform(0.1, 0.35)), 0)
    wages = sum(v[0] for v in economic.values())
    for code, share in (("30108", 0.16), ("30110", 0.075), ("30111", 0.012), ("30112", 0.004), ("30113", 0.12)):
        economic[code] = (max(1, int(wages * share * rng.uniform(0.9, 1.1))), 0)
    if veterans:
        economic["30301"] = (veterans * _cents(rng, 8, 15), 0)
    economic["30302"] = (retired * _cents(rng, 0.5, 2.0), 0)
    if rng.random() < 0.5:
        economic["30305"] = (_cents(rng, 1, 8), 0)
    for code in rng.sample(PUBLIC_ITEMS, rng.randint(5, 10)):
        economic[code] = (0, int(active * rng.uniform(0.05, 0.4) * 100))
    three_public = {"abroad": 0, "reception": 0, "vehicle-purchase": 0, "vehicle-operation": 0}
    if rng.random() < 0.7:
        three_public["reception"] = _cents(rng, 0.5, 6) if rng.random() < 0.8 else 0
        three_public["vehicle-operation"] = _cents(rng, 2, 20)
        if three_public["reception"]:
            economic["30217"] = (0, three_public["reception"])
        economic["30231"] = (0, three_public["vehicle-operation"])
    return dict(sorted(economic.items())), three_public


def _basic(economic: dict[str, tuple[int, int]], units: list[str], section: str, own_item: str,
           functions: dict[str, str], year: int) -> dict[str, int]:
    """Basic spending by 7-digit function item, compiled from the economic items."""
    basic: dict[str, int] = {}
    for code, (pers, pub) in economic.items():
        target = CONTRIBUTIONS.get(code, own_item)
        basic[target] = basic.get(target, 0) + pers + pub
    if len(units) > 1 and section + "50" in functions:     # subordinate 事业 units run on 事业运行
        moved = basic[own_item] // (len(units) + 1) * (len(units) - 1)
        basic[own_item] -= moved
        basic[section + "50"] = moved
    for code in basic:
        if code not in functions:
            raise SynthError(f"function code {code} is not in the {year} list")
    return basic


def _projects(rng: random.Random, units: list[str], project_item: str, scale: float,
              policies: list[Policy]) -> list[Project]:
    """The projects: economic classes, cited policies, manager, indicators and allocation."""
    projects: list[Project] = []
    names = rng.sample(PROJECT_NAMES, rng.randint(1, min(5, 1 + len(units) * 2)))
    for i, pname in enumerate(names):
        unit = units[i % len(units)]
        econ = {"e302": int(_cents(rng, 10, 300) * scale)}
        if rng.random() < 0.3:
            econ["e310"] = _cents(rng, 5, 120)
        if rng.random() < 0.1:
            econ["e303"] = _cents(rng, 2, 30)
        total = sum(econ.values())
        parts = rng.randint(1, 4)
        cuts = sorted(rng.sample(range(1, total), parts - 1)) if total > parts else []
        bounds = [0] + cuts + [total]
        labels = rng.sample(("办公费", "印刷费", "差旅费", "维修费", "劳务费", "委托业务费", "设备购置", "运维服务费",
                             "培训费", "租赁费"), parts)
        allocation = [(labels[k], bounds[k + 1] - bounds[k]) for k in range(parts)]
        projects.append(Project(pname, unit, project_item, econ, rng.sample(policies, rng.randint(1, 2)),
                                person(rng), _project_indicators(rng, pname), allocation))
    return projects


def _last_year(rng: random.Random, dept: Department) -> None:
    """Last year's figures, which each change is stated against."""
    last = dept.last_year
    last["general-budget"] = 0
    last["basic"] = _last(rng, dept.total_basic())
    last["project"] = _last(rng, dept.total_project())
    last["general-budget"] = last["basic"] + last["project"]
    for code, b, p in dept.function_rows():
        if len(code) == 7:
            last[code] = _last(rng, b + p)
    last["operating"] = _last(rng, dept.public())
    dept.three_public_last = {k: (_last(rng, v) if v else 0) for k, v in dept.three_public.items()}


CARRYOVER_SHARE = 0.3
_CARRY_PURPOSES = ("支付上年已签订合同的尾款", "保障续建项目按期完成", "完成上年未完成的设备采购", "支付项目验收后的结算资金")


def _carryover(rng: random.Random, year: int, scale: float) -> list[CarryOver]:
    """Last year's projects not finished, and sometimes a unit's own money (非财政拨款) left over."""
    items = [CarryOver(f"{year - 1}年{name}", int(_cents(rng, 5, 150) * scale), 0, rng.choice(_CARRY_PURPOSES))
             for name in rng.sample(PROJECT_NAMES, rng.randint(1, 3))]
    if rng.random() < 0.3:
        items.append(CarryOver("非财政拨款项目", 0, _cents(rng, 1, 40), "弥补人员类经费中社会保障缴费的缺口"))
    return items


def _functions_text(rng: random.Random, kind: str) -> str:
    duties = ("贯彻落实党中央、国务院和自治区党委、政府的方针政策和决策部署",
              "负责本部门职责范围内的政策研究和规范性文件起草工作",
              "组织开展督促检查和调查研究，提出政策性建议",
              "负责本部门预算、财务和国有资产管理工作",
              "指导、监督本系统政务公开和信息化建设工作",
              "完成上级党委、政府交办的其他任务")
    chosen = rng.sample(duties, rng.randint(3, len(duties)))
    return "".join(f"{i}、{d}。" for i, d in enumerate(chosen, 1))


_PROJECT_INDICATORS = (
    ("产出指标", "数量指标", "保障办公人员数量", ">={n}人", "=" + "{m}人"),
    ("产出指标", "数量指标", "开展业务培训次数", ">={n}次", "={m}次"),
    ("产出指标", "质量指标", "工作任务完成率", "=100%", "=100%"),
    ("产出指标", "质量指标", "资金使用合规率", "=100%", "=100%"),
    ("产出指标", "时效指标", "经费保障月份", "=12个月", "=12个月"),
    ("成本指标", "经济成本指标", "项目预算控制数", "<={a}万元", "={a}万元"),
    ("效益指标", "社会效益指标", "提升公共服务水平", "提升", "提升"),
    ("效益指标", "社会效益指标", "保障机构正常运转", "保障", "保障"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", ">=95%", "=98%"),
)


def _weights(rng: random.Random, n: int, total: int = 90) -> list[int]:
    """n whole weights of at least 5 adding up to *total*."""
    spare = total - 5 * n                  # stars and bars: n - 1 bars among spare + n - 1 places
    cuts = sorted(rng.sample(range(spare + n - 1), n - 1))
    parts = [b - a - 1 for a, b in zip([-1] + cuts, cuts + [spare + n - 1])]
    return [5 + p for p in parts]


def _project_indicators(rng: random.Random, name: str) -> list[Indicator]:
    rows = [r for r in _PROJECT_INDICATORS if rng.random() < 0.8] or list(_PROJECT_INDICATORS[:3])
    weights = _weights(rng, len(rows))
    out = []
    for (l1, l2, label, value, prev), w in zip(rows, weights):
        n = rng.randint(2, 80)
        a = rng.randint(10, 300)
        out.append(Indicator(l1, l2, label, value.format(n=n, a=a), "计划标准", w,
                             prev.format(m=n + rng.randint(0, 5), a=a)))
    return out


def _department_indicators(rng: random.Random) -> list[Indicator]:
    rows = (("履职效能", "数量指标", "完成年度重点工作任务数", ">={n}项"),
            ("履职效能", "质量指标", "重点工作任务完成率", "=100%"),
            ("履职效能", "时效指标", "工作任务按时完成率", ">=95%"),
            ("管理效率", "预算管理", "预算执行率", ">=90%"),
            ("管理效率", "资产管理", "资产账实相符率", "=100%"),
            ("社会效应", "服务对象满意度", "服务对象满意度", ">=90%"))
    chosen = [r for r in rows if rng.random() < 0.85] or list(rows[:2])
    weights = _weights(rng, len(chosen))
    return [Indicator(l1, l2, label, value.format(n=rng.randint(3, 30)), f"{rng.choice(('上年', '本年'))}工作计划", w)
            for (l1, l2, label, value), w in zip(chosen, weights)]
