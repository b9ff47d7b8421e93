"""Demo people and companies of the China Greentech IP Management Clinic (see DOMAIN.md)."""

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from . import roles
from .models import Company, GreenArea, User
from .roles import ensure_roles

CITIES = [
    ("Beijing", "北京", "Beijing"),
    ("Shanghai", "上海", "Shanghai"),
    ("Shenzhen", "深圳", "Guangdong"),
    ("Hangzhou", "杭州", "Zhejiang"),
    ("Suzhou", "苏州", "Jiangsu"),
    ("Nanjing", "南京", "Jiangsu"),
    ("Chengdu", "成都", "Sichuan"),
    ("Wuhan", "武汉", "Hubei"),
    ("Hefei", "合肥", "Anhui"),
    ("Tianjin", "天津", "Tianjin"),
    ("Guangzhou", "广州", "Guangdong"),
    ("Xi'an", "西安", "Shaanxi"),
]
BRANDS = [
    ("Lvyuan", "绿源"),
    ("Qingfeng", "清风"),
    ("Tianlan", "天蓝"),
    ("Jingshui", "净水"),
    ("Hengtai", "恒泰"),
    ("Zhiyuan", "致远"),
    ("Ruineng", "瑞能"),
    ("Lanhai", "蓝海"),
    ("Yunfeng", "云峰"),
    ("Xinyang", "新阳"),
]
AREA_WORDS = {
    GreenArea.RENEWABLE_ENERGY: ("Solar Technology", "光伏科技"),
    GreenArea.STORAGE_HYDROGEN: ("Hydrogen Energy", "氢能科技"),
    GreenArea.ENERGY_EFFICIENCY: ("Energy Saving Systems", "节能系统"),
    GreenArea.TRANSPORT_FUELS: ("Clean Mobility", "清洁出行"),
    GreenArea.CARBON_CAPTURE: ("Carbon Solutions", "碳捕集技术"),
    GreenArea.AIR_POLLUTION: ("Air Purification", "大气治理"),
    GreenArea.WATER: ("Water Technology", "水处理科技"),
    GreenArea.WASTE_CIRCULAR: ("Circular Resources", "循环资源"),
    GreenArea.GREEN_BUILDINGS: ("Green Building Materials", "绿色建材"),
    GreenArea.AGRICULTURE_FOOD: ("Eco Agriculture", "生态农业"),
    GreenArea.MATERIALS: ("Bio-based Materials", "生物基材料"),
}
DESCRIPTIONS = {
    GreenArea.RENEWABLE_ENERGY: "Perovskite-silicon tandem solar modules for rooftops.",
    GreenArea.STORAGE_HYDROGEN: "PEM electrolysers and hydrogen storage for industrial parks.",
    GreenArea.ENERGY_EFFICIENCY: "AI-controlled heat pumps and energy management for factories.",
    GreenArea.TRANSPORT_FUELS: "Battery swapping stations for electric delivery scooters.",
    GreenArea.CARBON_CAPTURE: "Mineralisation of captured CO2 into construction aggregates.",
    GreenArea.AIR_POLLUTION: "Low-temperature catalysts for VOC removal in coating lines.",
    GreenArea.WATER: "Membrane bioreactors for decentralised wastewater treatment.",
    GreenArea.WASTE_CIRCULAR: "Chemical recycling of mixed plastic waste into feedstock.",
    GreenArea.GREEN_BUILDINGS: "Phase-change insulation panels for near-zero energy buildings.",
    GreenArea.AGRICULTURE_FOOD: "Precision irrigation sensors and biofertilisers.",
    GreenArea.MATERIALS: "Bamboo-fibre composites replacing plastics in packaging.",
}
# (employees, turnover in CNY): micro, small and medium companies, and a few large ones.
SIZES = [
    (6, Decimal("3500000")),
    (18, Decimal("22000000")),
    (42, Decimal("60000000")),
    (120, Decimal("180000000")),
    (8, Decimal("9000000")),
    (35, Decimal("45000000")),
]
STAFF = [
    ("officer", "Li", "Wei", [roles.OFFICER], "zh-hans"),
    ("officer2", "Anna", "Schmidt", [roles.OFFICER], "en"),
    ("lead", "Zhang", "Min", [roles.LEAD], "zh-hans"),
    *[(f"reviewer{i}", "Reviewer", str(i), [roles.REVIEWER], "en") for i in range(1, 7)],
    *[(f"expert{i}", "Expert", str(i), [roles.EXPERT], "en") for i in range(1, 7)],
]
STAFF_NAMES = {
    "reviewer1": ("Chen", "Jing"),
    "reviewer2": ("Maria", "Rossi"),
    "reviewer3": ("Wang", "Fang"),
    "reviewer4": ("David", "Okafor"),
    "reviewer5": ("Liu", "Yang"),
    "reviewer6": ("Sophie", "Martin"),
    "expert1": ("Zhao", "Lei"),
    "expert2": ("Elena", "García"),
    "expert3": ("Sun", "Hui"),
    "expert4": ("James", "Carter"),
    "expert5": ("Huang", "Ying"),
    "expert6": ("Priya", "Nair"),
}
COMPANY_COUNT = 60


def seed(demo):
    ensure_roles()
    password = make_password(demo["password"])
    demo["users"] = {}
    for username, first, last, role_names, language in STAFF:
        first, last = STAFF_NAMES.get(username, (first, last))
        demo["users"][username] = demo_user(username, first, last, role_names, language, password)
    demo["companies"] = [demo_company(index, password) for index in range(1, COMPANY_COUNT + 1)]
    # An account whose sign-up named a company registered already: My tasks shows it how to join.
    demo["users"]["sme_join"] = demo_user(
        "sme_join", "Wei", "Zhang", [roles.SME], "zh-hans", password
    )
    demo["log"](f"People: {len(demo['users'])} staff, {COMPANY_COUNT} SME representatives")
    from .demo_api import seed as seed_api_tokens
    from .demo_ipaudit import seed as seed_ip_audits

    seed_ip_audits(demo)
    seed_api_tokens(demo)


def demo_user(username, first_name, last_name, role_names, language, password):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.ipclinic.org",
            "first_name": first_name,
            "last_name": last_name,
            "preferred_language": language,
            "password": password,
            "email_verified_at": timezone.now(),
            "privacy_consent_at": timezone.now(),
        },
    )
    if created:
        user.groups.set(Group.objects.filter(name__in=role_names))
    return user


def company_identity(index):
    areas = list(GreenArea)
    area = areas[(index - 1) % len(areas)]
    city, city_zh, region = CITIES[(index * 7) % len(CITIES)]
    brand, brand_zh = BRANDS[(index * 3) % len(BRANDS)]
    words, words_zh = AREA_WORDS[area]
    return {
        "legal_name": f"{city} {brand} {words} Co., Ltd.",
        "local_name": f"{city_zh}{brand_zh}{words_zh}有限公司",
        "city": city,
        "region": region,
        "green_area": area,
    }


def demo_company(index, password):
    identity = company_identity(index)
    employees, turnover = SIZES[index % len(SIZES)]
    if index % 20 == 0:
        employees, turnover = 600, Decimal("900000000")  # large: not eligible
    representative = demo_user(
        f"sme{index}",
        "SME",
        f"Rep {index}",
        [roles.SME],
        "zh-hans" if index % 3 else "en",
        password,
    )
    company, created = Company.objects.get_or_create(
        country="CN",
        registration_number=f"91{110000 + index * 37:06d}MA{index:04d}X",
        defaults={
            **identity,
            "founding_year": 2008 + index % 15,
            "employees": employees,
            "annual_turnover": turnover,
            "turnover_currency": "CNY",
            "website": f"https://www.{identity['legal_name'].split()[1].lower()}{index}.example.cn",
            "description": DESCRIPTIONS[identity["green_area"]],
            "correspondence_language": representative.preferred_language,
        },
    )
    if created:
        company.representatives.add(representative)
    return company
