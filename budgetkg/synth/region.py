"""The region the synthetic corpus is about: Xinjiang's prefectures and counties, the kinds of
department at every level and their names, and the shared pool of policy documents their
projects cite.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


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
ISSUERS = ("新政发", "新政办发", "新财预", "新财行", "新财教", "新财社", "新党办发", "新人社发", "新发改投资",
           "喀署发", "喀地财预", "和署办发", "伊州政发", "阿地财预", "昌州财预", "财预", "国办发", "财行")
TOPICS = ("进一步加强预算绩效管理", "规范行政事业单位国有资产管理", "推进政务公开工作", "加强机关运行经费管理",
          "印发自治区本级项目支出管理办法", "做好档案数字化建设", "推进数字政府建设", "加强政府采购管理",
          "完善机关后勤服务保障", "加强干部教育培训", "规范差旅费管理", "推进电子政务建设", "做好信息化项目运维",
          "加强财政资金监管", "提升公共服务能力", "做好基层治理保障", "加强统计基层基础建设", "推进营商环境优化")


def department_name(level: str, area: str, kind_index: int, serial: int) -> tuple[str, str]:
    kind, region_name, lower_name, _ = KINDS[kind_index]
    if serial:
        return f"{REGION}{area}第{serial}中学" if level != "region" else f"{REGION}第{serial}中学", "school"
    return (f"{REGION}{region_name}" if level == "region" else f"{REGION}{area}{lower_name}"), kind


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
