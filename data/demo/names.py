"""Name material for the synthetic network: place-name stems, outlet types, banks and people."""

from __future__ import annotations

import numpy as np

# Common Chinese street and place-name stems with their pinyin.
PLACE_STEMS = (
    ("新华", "Xinhua"),
    ("中山", "Zhongshan"),
    ("人民", "Renmin"),
    ("建设", "Jianshe"),
    ("友谊", "Youyi"),
    ("胜利", "Shengli"),
    ("团结", "Tuanjie"),
    ("光明", "Guangming"),
    ("和平", "Heping"),
    ("文化", "Wenhua"),
    ("繁荣", "Fanrong"),
    ("幸福", "Xingfu"),
    ("朝阳", "Chaoyang"),
    ("滨河", "Binhe"),
    ("锦绣", "Jinxiu"),
    ("金桥", "Jinqiao"),
    ("北苑", "Beiyuan"),
    ("南湖", "Nanhu"),
    ("东站", "Dongzhan"),
    ("西城", "Xicheng"),
    ("青年", "Qingnian"),
    ("科技", "Keji"),
    ("迎宾", "Yingbin"),
    ("民族", "Minzu"),
    ("草原", "Caoyuan"),
    ("钢铁", "Gangtie"),
    ("阳光", "Yangguang"),
    ("世纪", "Shiji"),
    ("花园", "Huayuan"),
    ("振华", "Zhenhua"),
    ("长青", "Changqing"),
    ("丰泽", "Fengze"),
    ("兴安", "Xing'an"),
    ("鸿盛", "Hongsheng"),
    ("富强", "Fuqiang"),
    ("开元", "Kaiyuan"),
    ("银河", "Yinhe"),
    ("广场", "Guangchang"),
    ("学府", "Xuefu"),
    ("站前", "Zhanqian"),
    ("工业", "Gongye"),
    ("商贸", "Shangmao"),
    ("昌盛", "Changsheng"),
    ("安居", "Anju"),
    ("太平", "Taiping"),
    ("凯旋", "Kaixuan"),
    ("翠园", "Cuiyuan"),
    ("天骄", "Tianjiao"),
)

# Outlet type → (zh suffix, en suffix).
OUTLET_SUFFIX = {
    "business_dept": ("营业部", "Business Department"),
    "sub_office": ("分理处", "Sub-office"),
    "savings_office": ("储蓄所", "Savings Office"),
    "wealth_centre": ("财富中心", "Wealth Centre"),
    "community": ("社区支行", "Community Outlet"),
    "self_service": ("自助银行", "Self-service Centre"),
}

# Five competitor banks (real brands; their outlet positions in the demo are synthetic).
COMPETITOR_BANKS = (
    ("ICBC", "中国工商银行", "ICBC", 0.26),
    ("ABC", "中国农业银行", "Agricultural Bank of China", 0.24),
    ("CCB", "中国建设银行", "China Construction Bank", 0.22),
    ("BOC", "中国银行", "Bank of China", 0.15),
    ("BOIM", "内蒙古银行", "Bank of Inner Mongolia", 0.13),
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN_CHARACTERS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志宏海燕晓东雪梅丹凤斌浩宇鑫"
COMPANY_WORDS = ("鑫达", "恒通", "蒙元", "草原", "北方", "德胜", "华盛", "金泰", "宏远", "博远", "瑞丰", "鼎盛")
COMPANY_KINDS = ("商贸有限公司", "建筑工程有限公司", "能源有限公司", "乳业有限公司", "物流有限公司", "科技有限公司")
INDUSTRIES = ("trade", "construction", "energy", "dairy_food", "logistics", "technology")


def person_names(rng: np.random.Generator, count: int) -> np.ndarray:
    """Synthetic Chinese personal names (surname + one or two given characters)."""
    surnames = np.array(list(SURNAMES))[rng.integers(0, len(SURNAMES), count)]
    first = np.array(list(GIVEN_CHARACTERS))[rng.integers(0, len(GIVEN_CHARACTERS), count)]
    second = np.array(list(GIVEN_CHARACTERS))[rng.integers(0, len(GIVEN_CHARACTERS), count)]
    two_characters = rng.random(count) < 0.6
    given = np.where(two_characters, np.char.add(first, second), first)
    return np.char.add(surnames, given)


def company_names(rng: np.random.Generator, city_names: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic company names (prefixed with their city) and their industries."""
    count = len(city_names)
    words = np.array(COMPANY_WORDS)[rng.integers(0, len(COMPANY_WORDS), count)]
    kind = rng.integers(0, len(COMPANY_KINDS), count)
    prefix = np.char.add(np.asarray(city_names, dtype=str), words)
    names = np.char.add(prefix, np.array(COMPANY_KINDS)[kind])
    return names, np.array(INDUSTRIES)[kind]
