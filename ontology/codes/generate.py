"""Generate the 2024 code lists (function-2024.ttl, economic-2024.ttl) from the tables below.

Run from the repository root: ``python ontology/codes/generate.py``. The names follow
the 2024 政府收支分类科目; the list covers every 类 and the 款/项 that departments
commonly print, including every code in the bundled samples. A code a document
prints that is not here is still extracted, marked bkg:inStandardList false.
"""

from pathlib import Path

FUNCTION_2024 = """
201 一般公共服务支出
20101 人大事务
2010101 行政运行
2010102 一般行政管理事务
2010150 事业运行
20102 政协事务
2010201 行政运行
2010202 一般行政管理事务
2010250 事业运行
20103 政府办公厅（室）及相关机构事务
2010301 行政运行
2010302 一般行政管理事务
2010303 机关服务
2010350 事业运行
2010399 其他政府办公厅（室）及相关机构事务支出
20104 发展与改革事务
2010401 行政运行
2010402 一般行政管理事务
2010450 事业运行
20105 统计信息事务
2010501 行政运行
2010502 一般行政管理事务
2010550 事业运行
20106 财政事务
2010601 行政运行
2010602 一般行政管理事务
2010603 机关服务
2010604 预算改革业务
2010605 财政国库业务
2010606 财政监察
2010607 信息化建设
2010608 财政委托业务支出
2010650 事业运行
2010699 其他财政事务支出
20107 税收事务
20108 审计事务
2010801 行政运行
2010802 一般行政管理事务
2010850 事业运行
20111 纪检监察事务
2011101 行政运行
2011102 一般行政管理事务
2011150 事业运行
20113 商贸事务
2011301 行政运行
2011302 一般行政管理事务
2011350 事业运行
20123 民族事务
2012301 行政运行
2012302 一般行政管理事务
2012350 事业运行
20126 档案事务
2012601 行政运行
2012602 一般行政管理事务
2012650 事业运行
20129 群众团体事务
2012901 行政运行
2012902 一般行政管理事务
2012950 事业运行
20131 党委办公厅（室）及相关机构事务
2013101 行政运行
2013102 一般行政管理事务
2013150 事业运行
20132 组织事务
2013201 行政运行
2013202 一般行政管理事务
2013250 事业运行
20133 宣传事务
2013301 行政运行
2013302 一般行政管理事务
2013350 事业运行
20134 统战事务
2013401 行政运行
2013402 一般行政管理事务
2013450 事业运行
20136 其他共产党事务支出
20199 其他一般公共服务支出
202 外交支出
203 国防支出
204 公共安全支出
205 教育支出
20501 教育管理事务
2050101 行政运行
2050102 一般行政管理事务
20502 普通教育
2050201 学前教育
2050202 小学教育
2050203 初中教育
2050204 高中教育
2050299 其他普通教育支出
206 科学技术支出
207 文化旅游体育与传媒支出
208 社会保障和就业支出
20801 人力资源和社会保障管理事务
2080101 行政运行
2080102 一般行政管理事务
20805 行政事业单位养老支出
2080501 行政单位离退休
2080502 事业单位离退休
2080503 离退休人员管理机构
2080505 机关事业单位基本养老保险缴费支出
2080506 机关事业单位职业年金缴费支出
2080599 其他行政事业单位养老支出
20808 抚恤
20899 其他社会保障和就业支出
209 社会保险基金支出
210 卫生健康支出
21011 行政事业单位医疗
2101101 行政单位医疗
2101102 事业单位医疗
2101103 公务员医疗补助
2101199 其他行政事业单位医疗支出
211 节能环保支出
212 城乡社区支出
213 农林水支出
214 交通运输支出
215 资源勘探工业信息等支出
216 商业服务业等支出
217 金融支出
219 援助其他地区支出
220 自然资源海洋气象等支出
221 住房保障支出
22102 住房改革支出
2210201 住房公积金
2210202 提租补贴
2210203 购房补贴
222 粮油物资储备支出
223 国有资本经营预算支出
224 灾害防治及应急管理支出
227 预备费
229 其他支出
230 转移性支出
231 债务还本支出
232 债务付息支出
233 债务发行费用支出
234 抗疫特别国债安排的支出
"""

ECONOMIC_2024 = """
301 工资福利支出
30101 基本工资
30102 津贴补贴
30103 奖金
30106 伙食补助费
30107 绩效工资
30108 机关事业单位基本养老保险缴费
30109 职业年金缴费
30110 职工基本医疗保险缴费
30111 公务员医疗补助缴费
30112 其他社会保障缴费
30113 住房公积金
30114 医疗费
30199 其他工资福利支出
302 商品和服务支出
30201 办公费
30202 印刷费
30203 咨询费
30204 手续费
30205 水费
30206 电费
30207 邮电费
30208 取暖费
30209 物业管理费
30211 差旅费
30212 因公出国（境）费用
30213 维修（护）费
30214 租赁费
30215 会议费
30216 培训费
30217 公务接待费
30218 专用材料费
30224 被装购置费
30225 专用燃料费
30226 劳务费
30227 委托业务费
30228 工会经费
30229 福利费
30231 公务用车运行维护费
30239 其他交通费用
30240 税金及附加费用
30299 其他商品和服务支出
303 对个人和家庭的补助
30301 离休费
30302 退休费
30303 退职（役）费
30304 抚恤金
30305 生活补助
30306 救济费
30307 医疗费补助
30308 助学金
30309 奖励金
30310 个人农业生产补贴
30399 其他对个人和家庭的补助
307 债务利息及费用支出
309 资本性支出（基本建设）
310 资本性支出
311 对企业补助（基本建设）
312 对企业补助
313 对社会保障基金补助
399 其他支出
"""

SCHEMES = {
    "function": ("功能分类", "function classification", FUNCTION_2024, {3: "类", 5: "款", 7: "项"}),
    "economic": ("部门预算支出经济分类", "departmental economic classification", ECONOMIC_2024, {3: "类", 5: "款"}),
}
BASE = "https://w3id.org/budgetkg/code/"


def turtle(kind: str, year: int) -> str:
    zh, en, table, levels = SCHEMES[kind]
    scheme = f"<{BASE}{kind}/{year}>"
    cls = "bkg:FunctionCode" if kind == "function" else "bkg:EconomicCode"
    out = [
        "@prefix bkg: <https://w3id.org/budgetkg/ontology#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"{scheme} a skos:ConceptScheme ;",
        f'    dcterms:title "{year}年政府收支分类科目（{zh}）"@zh , "{year} government classification: {en}"@en ;',
        f'    dcterms:description "{year}年{zh}科目。层级由编码结构决定：{"、".join(f"{v}{k}位" for k, v in levels.items())}。"@zh ,',
        f'        "{year} {en} codes; the hierarchy follows the code structure '
        f'({", ".join(f"{v} = {k} digits" for k, v in levels.items())})."@en ;',
        '    dcterms:source "财政部《2024年政府收支分类科目》" .',
        "",
    ]
    for line in table.strip().splitlines():
        code, name = line.split(maxsplit=1)
        parts = [f"<{BASE}{kind}/{year}/{code}> a {cls} , skos:Concept ;",
                 f'    skos:inScheme {scheme} ;',
                 f'    skos:notation "{code}" ;',
                 f'    skos:prefLabel "{name}"@zh ;',
                 f'    bkg:inStandardList true ;']
        if len(code) == 3:
            parts.append(f"    skos:topConceptOf {scheme} ;")
        else:
            parent = code[:-2]
            parts.append(f"    skos:broader <{BASE}{kind}/{year}/{parent}> ;")
        parts[-1] = parts[-1][:-2] + " ."
        out.extend(parts + [""])
    return "\n".join(out)


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for kind in SCHEMES:
        (here / f"{kind}-2024.ttl").write_text(turtle(kind, 2024), encoding="utf-8")
