"""Static tables the fixture generator draws from: the counties of 衢州, the 行业场景, the 抽查事项清单, names.

常山县's towns, streets and their division-code order are real; its grouping into 片区 and every coordinate
are illustrative (the public record does not give the zones). The other counties' towns are names only:
their coordinates and zones are synthesized around the county seat.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TownSpec:
    name: str  # 乡镇/街道, with its suffix
    lat: float | None = None  # None: synthesized around the county seat
    lon: float | None = None
    weight: float | None = None  # share of the county's registry; None: by kind
    zone: int | None = None  # index into CountySpec.zones; None: grouped by direction from the seat

    @property
    def kind(self) -> str:
        return "街道" if self.name.endswith("街道") else self.name[-1]  # 街道 | 镇 | 乡


@dataclass(frozen=True)
class CountySpec:
    code: str  # administrative division code (统一社会信用代码 positions 3–8)
    abbr: str  # ASCII prefix of its zone and inspector ids
    name: str
    seat: tuple[float, float]  # lat, lon of the county seat
    towns: tuple[TownSpec, ...]
    zones: tuple[tuple[str, int], ...] = ()  # (片区 name, index of its hub town); () = synthesize four
    share: float = 1.0  # relative size of registry and staff within a city


CHANGSHAN = CountySpec("330822", "CS", "常山县", (28.905, 118.510), (
    TownSpec("天马街道", 28.9052, 118.5108, 22, 0),
    TownSpec("紫港街道", 28.9196, 118.5392, 14, 0),
    TownSpec("金川街道", 28.8931, 118.4783, 10, 0),
    TownSpec("球川镇", 28.8012, 118.3815, 8, 1),
    TownSpec("辉埠镇", 29.0034, 118.4021, 7, 2),
    TownSpec("芳村镇", 29.0795, 118.3689, 5, 2),
    TownSpec("青石镇", 28.8604, 118.5702, 6, 3),
    TownSpec("招贤镇", 28.9327, 118.6018, 6, 3),
    TownSpec("白石镇", 28.9618, 118.4296, 5, 2),
    TownSpec("何家乡", 28.9881, 118.5063, 3, 3),
    TownSpec("同弓乡", 28.8487, 118.4415, 4, 1),
    TownSpec("大桥头乡", 28.7806, 118.4572, 3, 1),
    TownSpec("新昌乡", 29.1213, 118.3182, 3, 2),
    TownSpec("东案乡", 28.7945, 118.5588, 3, 3),
), zones=(("城区片区", 0), ("球川片区", 3), ("辉埠片区", 4), ("招贤片区", 7)))


def _towns(*names: str) -> tuple[TownSpec, ...]:
    return tuple(TownSpec(n) for n in names)


# The other five counties of 衢州: town names as published lists give them; positions synthesized.
KECHENG = CountySpec("330802", "KC", "柯城区", (28.9690, 118.8730), _towns(
    "府山街道", "荷花街道", "花园街道", "信安街道", "白云街道", "双港街道", "衢化街道", "航埠镇",
    "石室乡", "万田乡", "九华乡", "七里乡", "沟溪乡", "华墅乡"), share=1.2)
QUJIANG = CountySpec("330803", "QJ", "衢江区", (28.9800, 118.9590), _towns(
    "樟潭街道", "浮石街道", "廿里镇", "后溪镇", "全旺镇", "大洲镇", "高家镇", "莲花镇", "杜泽镇",
    "上方镇", "峡川镇", "湖南镇", "太真乡", "云溪乡", "周家乡", "举村乡"), share=1.0)
KAIHUA = CountySpec("330824", "KH", "开化县", (29.1370, 118.4150), _towns(
    "芹阳街道", "华埠镇", "马金镇", "村头镇", "池淮镇", "桐村镇", "杨林镇", "苏庄镇", "齐溪镇",
    "音坑乡", "中村乡", "长虹乡", "何田乡", "林山乡"), share=0.8)
LONGYOU = CountySpec("330825", "LY", "龙游县", (29.0280, 119.1720), _towns(
    "东华街道", "龙洲街道", "湖镇镇", "小南海镇", "溪口镇", "横山镇", "塔石镇", "詹家镇",
    "社阳乡", "罗家乡", "庙下乡", "大街乡", "模环乡", "石佛乡"), share=0.9)
JIANGSHAN = CountySpec("330881", "JS", "江山市", (28.7370, 118.6270), _towns(
    "虎山街道", "双塔街道", "清湖街道", "上余镇", "四都镇", "贺村镇", "峡口镇", "廿八都镇", "新塘边镇",
    "坛石镇", "大桥镇", "凤林镇", "石门镇", "张村乡", "塘源口乡", "大陈乡", "碗窑乡", "保安乡"), share=1.1)

CITY_COUNTIES = (KECHENG, QUJIANG, CHANGSHAN, KAIHUA, LONGYOU, JIANGSHAN)

# Relative registry weight of a town by kind, where the table gives none.
KIND_WEIGHT = {"街道": 16.0, "镇": 6.0, "乡": 3.0}

# --- departments: the "1+8" bodies that inspect businesses -----------------------------------------

DEPARTMENTS = (  # dept_id, name (the county's name is put in front), share of the county's staff
    ("ZH", "综合行政执法局", 0.29),
    ("SJ", "市场监督管理局", 0.27),
    ("HB", "生态环境分局", 0.08),
    ("YJ", "应急管理局", 0.09),
    ("WJ", "卫生健康局", 0.08),
    ("JT", "交通运输局", 0.08),
    ("XF", "消防救援大队", 0.11),
)

# --- 行业场景 (一业一查) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySpec:
    category_id: str
    name: str
    lead_dept_id: str  # 牵头部门, per domain.md's scenario lists
    weight: float  # share of the registry
    individual: float  # share registered as 个体工商户 (credit code position 2 = '2')
    shop_suffixes: tuple[str, ...]  # 个体工商户 names: 常山县青石镇老王 + 餐馆
    firm_suffixes: tuple[str, ...]  # enterprise names: 常山县鑫源 + 机械有限公司
    affinity: dict[str, float] = field(default_factory=dict)  # town kind -> weight factor


CATEGORIES = (
    CategorySpec("CY", "餐饮", "SJ", 28, 0.75, ("餐馆", "饭店", "小吃店", "面馆", "农家乐", "快餐店", "土菜馆", "早餐店"),
                 ("餐饮有限公司", "餐饮管理有限公司"), {"街道": 1.3, "乡": 0.8}),
    CategorySpec("SP", "食品销售", "SJ", 25, 0.75, ("便利店", "超市", "食品店", "副食品店", "水果店", "粮油店", "生鲜店"),
                 ("商贸有限公司", "超市有限公司", "食品有限公司")),
    CategorySpec("JY", "加油站", "YJ", 0.5, 0.0, (), ("加油站",), {"街道": 0.6, "镇": 1.5}),
    CategorySpec("WH", "危化品经营", "YJ", 0.7, 0.1, ("化工经营部",), ("化工有限公司", "燃气有限公司", "化工贸易有限公司"),
                 {"镇": 1.5}),
    CategorySpec("JZ", "建筑工地", "ZH", 2.6, 0.0, (), ("项目部",), {"街道": 3.0, "乡": 0.3}),
    CategorySpec("MS", "民宿/酒店", "ZH", 4.3, 0.6, ("民宿", "农家客栈", "宾馆", "旅馆"),
                 ("酒店有限公司", "酒店管理有限公司", "宾馆有限公司"), {"乡": 2.5, "街道": 0.8}),
    CategorySpec("YL", "娱乐场所", "ZH", 1.5, 0.3, ("歌厅", "网吧", "棋牌室"),
                 ("娱乐有限公司", "文化娱乐有限公司", "网络服务有限公司"), {"街道": 3.0, "乡": 0.3}),
    CategorySpec("YD", "药店", "SJ", 2.8, 0.2, ("药店",), ("大药房有限公司", "医药连锁有限公司")),
    CategorySpec("ZS", "诊所", "WJ", 2.2, 0.6, ("诊所", "中医诊所", "口腔诊所"), ("门诊部有限公司", "医疗管理有限公司")),
    CategorySpec("QX", "汽修", "JT", 5.5, 0.7, ("汽车修理厂", "汽修店", "汽车美容店", "轮胎店"),
                 ("汽车维修有限公司", "汽车服务有限公司")),
    CategorySpec("ZZ", "小微制造", "HB", 15, 0.2, ("加工厂", "五金加工厂", "竹木加工厂"),
                 ("机械有限公司", "轴承有限公司", "钙业有限公司", "胡柚食品有限公司", "木业有限公司", "塑料制品有限公司",
                  "新材料有限公司"), {"街道": 0.5, "镇": 1.5}),
    CategorySpec("WL", "物流仓储", "JT", 3.6, 0.2, ("货运部", "快递服务部"),
                 ("物流有限公司", "供应链管理有限公司", "仓储有限公司")),
    CategorySpec("MR", "美容美发", "WJ", 7, 0.9, ("美发店", "美容店", "理发店", "美甲店"), ("美容美发有限公司",),
                 {"街道": 1.5}),
    CategorySpec("NZ", "农资经营", "ZH", 2, 0.7, ("农资店", "农资经营部", "种子店"), ("农资有限公司", "农业科技有限公司"),
                 {"街道": 0.4, "乡": 1.5}),
)

# --- 抽查事项清单 --------------------------------------------------------------------------------------

# Ratios per quarter rise with credit risk; a tier says how often an item is checked.
RATIO_TIERS = {
    "H": {"A": 0.05, "B": 0.10, "C": 0.30, "D": 0.80},
    "M": {"A": 0.03, "B": 0.07, "C": 0.20, "D": 0.55},
    "L": {"A": 0.02, "B": 0.05, "C": 0.15, "D": 0.40},
}

ITEMS = (  # item_id, dept_id, name, categories, tier, minutes, inspectors of the department needed
    ("SJ01", "SJ", "食品经营许可及食品安全检查", ("CY", "SP"), "M", 45, 1),
    ("SJ02", "SJ", "餐饮服务食品安全操作规范检查", ("CY",), "L", 40, 1),
    ("SJ03", "SJ", "计量器具检查", ("SP", "JY"), "L", 30, 1),
    ("SJ04", "SJ", "加油机计量及油品质量检查", ("JY",), "M", 40, 1),
    ("SJ05", "SJ", "药品经营质量管理规范检查", ("YD",), "M", 60, 2),
    ("SJ06", "SJ", "医疗器械经营使用质量检查", ("YD", "ZS"), "L", 40, 1),
    ("SJ07", "SJ", "特种设备安全检查", ("JY", "WH", "MS", "ZZ", "WL"), "L", 60, 1),
    ("SJ08", "SJ", "工业产品质量检查", ("ZZ",), "L", 45, 1),
    ("SJ09", "SJ", "价格行为及明码标价检查", ("CY", "SP", "MS", "YD", "QX"), "L", 20, 1),
    ("SJ10", "SJ", "化妆品经营使用检查", ("MR",), "L", 30, 1),
    ("SJ11", "SJ", "农资商品质量检查", ("NZ",), "L", 40, 1),
    ("ZH01", "ZH", "油烟排放检查", ("CY",), "M", 30, 1),
    ("ZH02", "ZH", "户外广告及店招店牌设置检查", ("CY", "SP", "MR", "YL", "QX"), "L", 20, 1),
    ("ZH03", "ZH", "门前三包责任落实检查", ("CY", "SP"), "L", 20, 1),
    ("ZH04", "ZH", "建筑施工安全文明施工检查", ("JZ",), "H", 90, 2),
    ("ZH05", "ZH", "建筑垃圾（渣土）处置检查", ("JZ",), "M", 40, 1),
    ("ZH06", "ZH", "娱乐场所及营业性演出经营检查", ("YL",), "M", 45, 1),
    ("ZH07", "ZH", "旅馆业经营规范检查", ("MS",), "M", 30, 1),
    ("ZH08", "ZH", "农药经营使用检查", ("NZ",), "M", 40, 1),
    ("HB01", "HB", "建筑工地扬尘污染防治检查", ("JZ",), "M", 45, 1),
    ("HB02", "HB", "危险废物规范化管理检查", ("QX", "ZZ"), "M", 45, 1),
    ("HB03", "HB", "排污许可执行情况检查", ("ZZ",), "M", 60, 1),
    ("HB04", "HB", "挥发性有机物治理检查", ("QX", "ZZ"), "L", 45, 1),
    ("YJ01", "YJ", "危险化学品经营安全检查", ("WH", "JY"), "H", 120, 2),
    ("YJ02", "YJ", "加油站安全生产检查", ("JY",), "H", 90, 1),
    ("YJ03", "YJ", "工贸企业安全生产检查", ("ZZ", "WL"), "M", 60, 1),
    ("YJ04", "YJ", "有限空间作业安全检查", ("ZZ",), "L", 40, 1),
    ("WJ01", "WJ", "公共场所卫生检查", ("MS", "YL", "MR"), "M", 40, 1),
    ("WJ02", "WJ", "医疗机构依法执业检查", ("ZS",), "M", 60, 1),
    ("WJ03", "WJ", "传染病防治及消毒隔离检查", ("ZS",), "L", 45, 1),
    ("JT01", "JT", "机动车维修经营检查", ("QX",), "M", 45, 1),
    ("JT02", "JT", "道路货物运输经营检查", ("WL",), "M", 45, 1),
    ("JT03", "JT", "危险货物道路运输检查", ("WH",), "M", 60, 1),
    ("XF01", "XF", "消防安全检查", ("CY", "SP", "MS", "YL", "JY", "WH", "WL", "ZZ"), "M", 45, 1),
)

# --- the tiny fixture: two 片区 of 常山县, three departments --------------------------------------------

TINY_TOWNS = (0, 1, 3, 10)  # indexes into CHANGSHAN.towns: 天马, 紫港 | 球川, 同弓
TINY_ZONES = (("城区片区", 0), ("球川片区", 2))  # hub = index into TINY_TOWNS
TINY_TOWN_ZONE = (0, 0, 1, 1)
TINY_TOWN_WEIGHT = (35, 25, 25, 15)
TINY_DEPARTMENTS = ("SJ", "ZH", "XF")
TINY_CATEGORIES = {"CY": 40, "SP": 28, "MS": 12}  # exact counts
TINY_RATIO_TIERS = {
    "T": {"A": 0.08, "B": 0.15, "C": 0.35, "D": 0.70},
    "U": {"A": 0.05, "B": 0.10, "C": 0.25, "D": 0.50},
}
TINY_ITEMS = (
    ("SJ01", "SJ", "食品经营许可及食品安全检查", ("CY", "SP"), "T", 45, 1),
    ("SJ03", "SJ", "计量器具检查", ("SP",), "U", 30, 1),
    ("ZH01", "ZH", "油烟排放检查", ("CY",), "U", 30, 1),
    ("ZH07", "ZH", "旅馆业经营规范检查", ("MS",), "T", 30, 2),
    ("XF01", "XF", "消防安全检查", ("CY", "MS"), "U", 45, 1),
)
# (dept_id, zone index) -> (certified officers, 协管员): one cell with a single officer, several with two
TINY_STAFF = {
    ("SJ", 0): (3, 0), ("SJ", 1): (2, 0),
    ("ZH", 0): (3, 1), ("ZH", 1): (2, 0),
    ("XF", 0): (2, 0), ("XF", 1): (1, 0),
}

# --- names -----------------------------------------------------------------------------------------

SURNAMES = (  # weighted towards the surnames common in 衢州
    "徐徐徐汪汪王王王毛毛姜姜叶叶郑郑吴吴周周李李张张刘陈陈杨黄赵孙朱朱胡胡何何余余祝祝"
    "林许程方方傅鲁范柴华邵江廖童詹严金金蒋韩曾彭潘蔡夏钱施项饶")
GIVEN = (  # common given names of people born 1965–2000
    "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "超", "霞", "平", "刚", "斌",
    "建国", "建华", "建军", "志强", "志明", "志刚", "国平", "国强", "海燕", "海军", "海峰", "丽华", "丽娟",
    "晓东", "晓燕", "晓明", "晓峰", "秀英", "秀芳", "桂英", "红霞", "玉兰", "文斌", "文杰", "俊杰", "鹏飞",
    "浩然", "宇航", "欣怡", "雨婷", "佳琪", "晨曦", "子涵", "一鸣", "思远", "明辉", "利民", "卫东", "永军",
    "金华", "春燕", "素芬", "美玲", "雪芳", "立新", "亚萍", "建平", "伟民", "益民", "慧敏", "婷婷", "丹丹",
    "俊", "磊磊", "琳", "亮", "辉", "燕", "鑫", "晶", "倩", "婧", "昊", "凯", "颖", "翔")
TRADE_FIRST = "鑫恒宏兴永金华顺福嘉利聚明天瑞丰和佳新诚万博安正益仁惠长信锦宇众海东广汇春家荣柚定"
TRADE_SECOND = "源达发旺盛泰隆昌辉美康润丰祥鑫兴和通成利业顺福佳安宏远茂晟星"
VILLAGE_FIRST = "东西南北上下前后大小新老黄石徐汪毛郑叶金塘溪岭桥樟桂竹柚茶枫高麻芳"
VILLAGE_SECOND = "坞畈岗坑源湾口头山田塘溪桥岭庄家底垄"
ROADS = ("定阳路", "人民路", "文峰路", "东明路", "江滨路", "紫薇路", "育才路", "健康路", "胜利路", "建设路",
         "迎宾路", "和平路", "振兴路", "工业大道", "柚香路", "港东路")
ROAD_SIDES = ("", "东", "西", "南", "北")
FUEL_BRANDS = ("中国石化销售股份有限公司浙江衢州石油分公司", "中国石油天然气股份有限公司浙江衢州销售分公司")
SITE_KINDS = ("安置小区", "厂房", "道路改造工程", "学校扩建", "商住楼", "污水管网工程", "农贸市场改造")

# --- inspectors' absences over the quarter (unavailable.csv) ----------------------------------------

TRAININGS = (  # (start, end, reason, departments invited, share of their officers)
    ("2026-10-19", "2026-10-23", "执法资格轮训", ("ZH", "SJ"), 0.08),
    ("2026-11-16", "2026-11-20", "综合查一次业务培训", ("ZH", "SJ", "HB", "YJ", "WJ", "JT", "XF"), 0.04),
    ("2026-12-07", "2026-12-09", "安全生产执法培训", ("YJ", "XF"), 0.15),
)
CONFLICT_REASONS = ("近亲属经营该单位", "曾在该单位任职", "配偶在该单位持股", "与经营者有其他利害关系")
