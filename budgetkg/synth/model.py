"""The facts of one synthetic department budget, drawn at random but adding up exactly.

Amounts are integer cents of 万元 (0.01 万元, the printed precision), so every sum a table
prints is exact. Codes come from the year's code lists in ``ontology/codes``; a
department's function codes follow its kind (政府办公室 → 20103, 财政局 → 20106, a school →
2050203). Basic spending is built from the economic items and then mapped to function
items the way a budget is compiled: pension, medical and housing-fund contributions to
their 208/210/221 items, retirement pay to 2080501, everything else to 行政运行.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from budgetkg.extract.codes import code_names


@dataclass(frozen=True)
class Policy:
    """A cited policy document of the shared pool."""

    issuer: str
    year: int
    serial: int
    title: str

    @property
    def number(self) -> str:
        return f"{self.issuer}〔{self.year}〕{self.serial}号"


@dataclass
class Indicator:
    level1: str
    level2: str
    name: str
    value: str
    basis: str
    weight: int
    previous: str = ""
    scoring: str = "按照完成比例赋分"
    evidence: str = "工作资料"


@dataclass
class Project:
    name: str
    unit: str                      # the executing unit's full name
    code: str                      # 7-digit function code (项)
    economic: dict[str, int]       # 表7 column key (e302, e310, ...) → cents
    policies: list[Policy]
    manager: str
    indicators: list[Indicator]
    allocation: list[tuple[str, int]]   # 资金分配情况: (item, cents)

    @property
    def total(self) -> int:
        return sum(self.economic.values())


@dataclass
class CarryOver:
    """A project's money carried over from last year: a row of 表11 and an item of 十一. It is
    project spending under the department's project item (function code), fiscal (财政拨款结转)
    or not (非财政拨款结转结余)."""

    name: str
    fiscal: int                    # cents
    nonfiscal: int
    purpose: str

    @property
    def total(self) -> int:
        return self.fiscal + self.nonfiscal


def function_rows(items: dict[str, tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(code, basic, project) for every 类, 款 and 项 row of the 7-digit *items*, parents before children."""
    rows: dict[str, list[int]] = {}
    for code, (b, p) in items.items():
        for prefix in (code[:3], code[:5], code):
            acc = rows.setdefault(prefix, [0, 0])
            acc[0] += b
            acc[1] += p
    return [(c, v[0], v[1]) for c, v in sorted(rows.items())]


@dataclass
class Department:
    name: str
    year: int
    level: str                     # region | prefecture | county
    area: str                      # e.g. 喀什地区喀什市
    parent: str | None             # the administrative area above (喀什地区), None for the region
    kind: str
    units: list[str]               # units[0] is the department itself (本级)
    divisions: list[str]
    staffing: dict[str, int]
    functions_text: str
    economic: dict[str, tuple[int, int]]       # 5-digit economic code → (personnel, public) cents
    basic: dict[str, int]                      # 7-digit function code → basic cents
    projects: list[Project]
    last_year: dict[str, int]                  # key → last year's cents (general-budget, basic, project, codes)
    three_public: dict[str, int]               # abroad, reception, vehicle-purchase, vehicle-operation
    three_public_last: dict[str, int]
    contact: str
    phone: str
    dept_goal: str
    dept_indicators: list[Indicator]
    procurement: int
    assets: dict[str, int]
    signed: date
    reasons: dict[str, str] = field(default_factory=dict)
    carryover: list[CarryOver] = field(default_factory=list)
    carryover_code: str = ""                   # the 7-digit function code carry-over is spent under

    # ---- derived figures, everything the tables print
    def project_by_code(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.projects:
            out[p.code] = out.get(p.code, 0) + p.total
        return out

    def function_items(self, carryover: bool = False) -> dict[str, tuple[int, int]]:
        """7-digit code → (basic, project), in code order; with *carryover*, the project
        spending of last year's money too (tables 1, 2 and 3 count it, tables 4 and 5 do not)."""
        projects = self.project_by_code()
        if carryover and self.carryover:
            projects[self.carryover_code] = projects.get(self.carryover_code, 0) + self.carryover_total()
        codes = sorted(set(self.basic) | set(projects))
        return {c: (self.basic.get(c, 0), projects.get(c, 0)) for c in codes}

    def function_rows(self, carryover: bool = False) -> list[tuple[str, int, int]]:
        """(code, basic, project) for every 类, 款 and 项 row, parents before children."""
        return function_rows(self.function_items(carryover))

    def carryover_fiscal(self) -> int:
        return sum(c.fiscal for c in self.carryover)

    def carryover_nonfiscal(self) -> int:
        return sum(c.nonfiscal for c in self.carryover)

    def carryover_total(self) -> int:
        return self.carryover_fiscal() + self.carryover_nonfiscal()

    def carried_under(self, code: str | None) -> tuple[int, int]:
        """(fiscal, non-fiscal) carry-over spent under function row *code* (类, 款 or 项),
        or under the whole department for None (the total row)."""
        if code is None or self.carryover_code.startswith(code):
            return self.carryover_fiscal(), self.carryover_nonfiscal()
        return 0, 0

    def grand_total(self) -> int:
        """This year's money and last year's carried over: 表1's 收入总计, 表2's and 表3's 合计."""
        return self.total() + self.carryover_total()

    def total_basic(self) -> int:
        return sum(self.basic.values())

    def total_project(self, carryover: bool = False) -> int:
        """This year's project spending; with *carryover*, last year's money carried over too."""
        return sum(p.total for p in self.projects) + (self.carryover_total() if carryover else 0)

    def total(self) -> int:
        return self.total_basic() + self.total_project()

    def personnel(self) -> int:
        return sum(v[0] for v in self.economic.values())

    def public(self) -> int:
        return sum(v[1] for v in self.economic.values())

    def classes(self, carryover: bool = False) -> dict[str, int]:
        return {c: b + p for c, b, p in self.function_rows(carryover) if len(c) == 3}

    def three_public_total(self) -> int:
        return sum(self.three_public.values())


# ------------------------------------------------------------------ drawing

# Xinjiang's prefectures and some of their counties and cities.
AREAS = {
    "乌鲁木齐市": ["天山区", "沙依巴克区", "新市区", "水磨沟区", "头屯河区", "达坂城区", "米东区", "乌鲁木齐县"],
    "克拉玛依市": ["独山子区", "克拉玛依区", "白碱滩区", "乌尔禾区"],
    "吐鲁番市": ["高昌区", "鄯善县", "托克逊县"],
    "哈密市": ["伊州区", "巴里坤哈萨克自治县", "伊吾县"],
    "昌吉回族自治州": ["昌吉市", "阜康市", "呼图壁县", "玛纳斯县", "奇台县", "吉木萨尔县", "木垒哈萨克自治县"],
    "博尔塔拉蒙古自治州": ["博乐市", "阿拉山口市", "精河县", "温泉县"],
    "巴音郭楞蒙古自治州": ["库尔勒市", "轮台县", "尉犁县", "若羌县", "且末县", "焉耆回族自治县", "和静县", "和硕县",
                  "博湖县"],
    "阿克苏地区": ["阿克苏市", "库车市", "温宿县", "沙雅县", "新和县", "拜城县", "乌什县", "阿瓦提县", "柯坪县"],
    "克孜勒苏柯尔克孜自治州": ["阿图什市", "阿克陶县", "阿合奇县", "乌恰县"],
    "喀什地区": ["喀什市", "疏附县", "疏勒县", "英吉沙县", "泽普县", "莎车县", "叶城县", "麦盖提县", "岳普湖县",
             "伽师县", "巴楚县", "塔什库尔干塔吉克自治县"],
    "和田地区": ["和田市", "和田县", "墨玉县", "皮山县", "洛浦县", "策勒县", "于田县", "民丰县"],
    "伊犁哈萨克自治州": ["伊宁市", "奎屯市", "霍尔果斯市", "伊宁县", "察布查尔锡伯自治县", "霍城县", "巩留县",
                  "新源县", "昭苏县", "特克斯县", "尼勒克县"],
    "塔城地区": ["塔城市", "乌苏市", "沙湾市", "额敏县", "托里县", "裕民县", "和布克赛尔蒙古自治县"],
    "阿勒泰地区": ["阿勒泰市", "布尔津县", "富蕴县", "福海县", "哈巴河县", "青河县", "吉木乃县"],
}
REGION = "新疆维吾尔自治区"

# (kind, name at region level, name below, 款 of its own spending)
KINDS = (
    ("office", "人民政府办公厅", "人民政府办公室", "20103"),
    ("finance", "财政厅", "财政局", "20106"),
    ("development", "发展和改革委员会", "发展和改革委员会", "20104"),
    ("statistics", "统计局", "统计局", "20105"),
    ("audit", "审计厅", "审计局", "20108"),
    ("discipline", "纪律检查委员会", "纪律检查委员会", "20111"),
    ("commerce", "商务厅", "商务局", "20113"),
    ("ethnic", "民族事务委员会", "民族宗教事务局", "20123"),
    ("archives", "档案馆", "档案馆", "20126"),
    ("federation", "总工会", "总工会", "20129"),
    ("party-office", "党委办公厅", "党委办公室", "20131"),
    ("organization", "党委组织部", "党委组织部", "20132"),
    ("publicity", "党委宣传部", "党委宣传部", "20133"),
    ("united-front", "党委统战部", "党委统战部", "20134"),
    ("congress", "人大常委会办公厅", "人大常委会办公室", "20101"),
    ("cppcc", "政协办公厅", "政协办公室", "20102"),
    ("education", "教育厅", "教育局", "20501"),
    ("human-resources", "人力资源和社会保障厅", "人力资源和社会保障局", "20801"),
)
SUBORDINATE = ("机关服务中心", "信息中心", "培训中心", "事务服务中心", "综合保障中心", "研究中心")
DIVISIONS = ("办公室", "综合科", "财务科", "人事科", "政策法规科", "督查科", "信息科", "机关党委", "规划科",
             "业务一科", "业务二科", "业务三科", "宣传科", "安全保卫科", "档案室")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玉兰新疆志红梅海燕鹏飞"
ISSUERS = ("新政发", "新政办发", "新财预", "新财行", "新财教", "新财社", "新党办发", "新人社发", "新发改投资",
           "喀署发", "喀地财预", "和署办发", "伊州政发", "阿地财预", "昌州财预", "财预", "国办发", "财行")
TOPICS = ("进一步加强预算绩效管理", "规范行政事业单位国有资产管理", "推进政务公开工作", "加强机关运行经费管理",
          "印发自治区本级项目支出管理办法", "做好档案数字化建设", "推进数字政府建设", "加强政府采购管理",
          "完善机关后勤服务保障", "加强干部教育培训", "规范差旅费管理", "推进电子政务建设", "做好信息化项目运维",
          "加强财政资金监管", "提升公共服务能力", "做好基层治理保障", "加强统计基层基础建设", "推进营商环境优化")
PROJECT_NAMES = ("业务工作经费", "单位运转项目", "信息化建设运维经费", "档案数字化项目", "干部教育培训经费",
                 "办公设备购置项目", "专项业务经费", "政务公开平台运维经费", "调研课题经费", "安全保卫服务经费",
                 "网络安全等级保护项目", "会议保障经费", "宣传工作经费", "数据平台建设项目")
SALARY = ("30101", "30102", "30103", "30107", "30199")
PUBLIC_ITEMS = ("30201", "30202", "30205", "30206", "30207", "30208", "30209", "30211", "30213", "30216",
                "30228", "30229", "30239", "30299")

# Economic items feeding a function item: the first that is printed takes the rest.
_CONTRIBUTIONS = {"30108": "2080505", "30110": "2101101", "30111": "2101103", "30113": "2210201",
                  "30301": "2080501", "30302": "2080501"}


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def policy_pool(seed: int, year: int, size: int = 240) -> list[Policy]:
    """The shared pool of policy documents every department's projects cite from."""
    rng = random.Random(f"policies-{seed}")
    pool: dict[str, Policy] = {}
    while len(pool) < size:
        issuer = rng.choice(ISSUERS)
        p = Policy(issuer, rng.randint(year - 8, year - 1), rng.randint(1, 180),
                   f"关于{rng.choice(TOPICS)}的{rng.choice(('通知', '意见', '实施意见', '办法'))}")
        pool.setdefault(p.number, p)
    return list(pool.values())


def _cents(rng: random.Random, low: float, high: float) -> int:
    return int(rng.uniform(low, high) * 100)


def _last(rng: random.Random, cents: int) -> int:
    """Last year's amount: within ±25 % of this year's, never equal to it."""
    while True:
        last = int(cents * rng.uniform(0.75, 1.25))
        if last != cents and last > 0:
            return last


def department_name(level: str, area: str, kind_index: int, serial: int) -> tuple[str, str]:
    kind, region_name, lower_name, _ = KINDS[kind_index]
    if serial:
        return f"{REGION}{area}第{serial}中学" if level != "region" else f"{REGION}第{serial}中学", "school"
    return (f"{REGION}{region_name}" if level == "region" else f"{REGION}{area}{lower_name}"), kind


def draw_department(rng: random.Random, name: str, kind: str, level: str, area: str, parent: str | None,
                    year: int, policies: list[Policy]) -> Department:
    """One department's budget: figures that add up, prose facts, projects and performance
    targets, and in some departments money carried over from last year."""
    section = "20502" if kind == "school" else next(k[3] for k in KINDS if k[0] == kind)
    functions = code_names("function", year) or code_names("function", 2024)
    own_item = "2050203" if kind == "school" else section + "01"
    project_item = "2050203" if kind == "school" else section + "02"
    scale = {"region": 3.0, "prefecture": 1.6, "county": 1.0}[level]
    n_units = 1 + (rng.choice((0, 0, 1, 2, 3)) if level != "county" else rng.choice((0, 0, 0, 1)))
    if kind == "school":
        n_units = 1
    suffixes = rng.sample(SUBORDINATE, n_units - 1)
    units = [name] + [name + s for s in suffixes]
    divisions = rng.sample(DIVISIONS, rng.randint(4, 9))
    active = int(rng.randint(12, 60) * scale)
    retired = rng.randint(3, active)
    veterans = rng.choice((0, 0, 0, 1, 2))
    staffing = {"authorized": active + rng.randint(-3, 6), "active": active, "retired": retired,
                "veterans": veterans, "active_change": rng.randint(-5, 5), "retired_change": rng.randint(0, 4),
                "veterans_change": -rng.randint(0, 1) if veterans else 0}
    staffing["actual"] = active + retired + veterans

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
    economic = dict(sorted(economic.items()))

    basic: dict[str, int] = {}
    for code, (pers, pub) in economic.items():
        target = _CONTRIBUTIONS.get(code, own_item)
        basic[target] = basic.get(target, 0) + pers + pub
    if len(units) > 1 and section + "50" in functions:     # subordinate 事业 units run on 事业运行
        moved = basic[own_item] // (len(units) + 1) * (len(units) - 1)
        basic[own_item] -= moved
        basic[section + "50"] = moved
    for code in basic:
        if code not in functions:
            raise ValueError(f"function code {code} is not in the {year} list")

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

    dept = Department(name, year, level, area, parent, kind, units, divisions, staffing,
                      _functions_text(rng, kind), economic, basic, projects, {}, three_public, {},
                      person(rng), f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
                      "保障机构正常运转，全面完成年度各项工作任务，提升履职效能和公共服务水平。",
                      _department_indicators(rng), _cents(rng, 5, 200),
                      {"house-area": rng.randint(300, 30000), "house": _cents(rng, 50, 3000),
                       "vehicles": rng.randint(1, 12), "vehicle-value": _cents(rng, 10, 400),
                       "furniture": _cents(rng, 5, 80), "other": _cents(rng, 5, 500)},
                      date(year, rng.randint(1, 2), rng.randint(1, 28)))
    last = dept.last_year
    last["general-budget"] = 0
    last["basic"] = _last(rng, dept.total_basic())
    last["project"] = _last(rng, dept.total_project())
    last["general-budget"] = last["basic"] + last["project"]
    for code, b, p in dept.function_rows():
        if len(code) == 7:
            last[code] = _last(rng, b + p)
    last["operating"] = _last(rng, dept.public())
    dept.three_public_last = {k: (_last(rng, v) if v else 0) for k, v in three_public.items()}
    # drawn last, so that a department without carry-over is drawn as before carry-over was
    if rng.random() < CARRYOVER_SHARE:
        dept.carryover, dept.carryover_code = _carryover(rng, year, scale), project_item
        for key, cents in (("fiscal-carryover", dept.carryover_fiscal()),
                           ("nonfiscal-carryover", dept.carryover_nonfiscal())):
            if cents:
                last[key] = _last(rng, cents)
    return dept


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
