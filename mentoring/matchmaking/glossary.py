"""A bilingual green-technology glossary: each concept with its English and Chinese terms.

The matching engine (``engine.py``) turns every term found in a text into the concept's token,
so a Chinese need and an English technology description share tokens. Terms are lower case;
English terms match whole words (a trailing "s" is ignored), Chinese terms match anywhere.
Add a line when a pair of listings that should meet shares no concept.
"""

CONCEPTS = {
    "carbon_dioxide": (
        ["carbon dioxide", "co2", "carbon emission", "carbon emissions"],
        ["二氧化碳", "碳排放", "co2"],
    ),
    "carbon_capture": (
        ["carbon capture", "ccus", "ccs", "sequestration", "capture"],
        ["碳捕集", "碳捕获", "捕集", "封存"],
    ),
    "carbon_reduction": (
        [
            "decarbonisation",
            "decarbonization",
            "emission reduction",
            "low carbon",
            "low-carbon",
            "net zero",
            "carbon neutral",
        ],
        ["减排", "降碳", "低碳", "碳中和", "碳达峰", "减碳"],
    ),
    "air_pollution": (
        ["air pollution", "air quality", "smog", "haze"],
        ["大气污染", "空气污染", "空气质量", "雾霾"],
    ),
    "particulate": (
        ["particulate", "pm2.5", "pm10", "dust", "soot"],
        ["颗粒物", "粉尘", "烟尘", "pm2.5"],
    ),
    "nox": (
        ["nox", "nitrogen oxide", "nitrogen oxides", "denitrification", "scr"],
        ["氮氧化物", "脱硝"],
    ),
    "sox": (
        ["sulphur", "sulfur", "so2", "desulphurisation", "desulfurization"],
        ["二氧化硫", "脱硫", "硫"],
    ),
    "voc": (["voc", "vocs", "volatile organic"], ["挥发性有机物", "voc"]),
    "filter": (["filter", "filtration", "membrane"], ["过滤", "滤膜", "膜"]),
    "catalyst": (["catalyst", "catalytic", "photocatalytic"], ["催化", "催化剂", "光催化"]),
    "waste": (
        ["waste", "garbage", "refuse", "rubbish", "municipal solid waste"],
        ["垃圾", "废物", "废弃物", "固废"],
    ),
    "sorting": (["sorting", "sort", "separation", "classification"], ["分拣", "分类", "分选"]),
    "recycling": (
        ["recycling", "recycle", "recycled", "reuse", "circular"],
        ["回收", "再生", "循环", "再利用", "资源化"],
    ),
    "food_waste": (
        ["food waste", "kitchen waste", "organic waste"],
        ["餐厨垃圾", "厨余垃圾", "厨余", "餐厨"],
    ),
    "composting": (
        ["compost", "composting", "anaerobic digestion", "biogas", "digestion"],
        ["堆肥", "厌氧消化", "沼气", "厌氧"],
    ),
    "incineration": (["incineration", "waste-to-energy", "waste to energy"], ["焚烧", "垃圾发电"]),
    "plastic": (["plastic", "plastics", "polymer"], ["塑料", "聚合物"]),
    "construction_waste": (
        ["construction waste", "demolition waste", "rubble"],
        ["建筑垃圾", "拆除垃圾"],
    ),
    "sludge": (["sludge"], ["污泥"]),
    "water": (["water", "wastewater", "sewage", "effluent"], ["水", "污水", "废水"]),
    "water_treatment": (
        ["water treatment", "purification", "desalination"],
        ["水处理", "净化", "海水淡化"],
    ),
    "solar": (["solar", "photovoltaic", "pv"], ["太阳能", "光伏"]),
    "wind": (["wind", "turbine"], ["风电", "风能", "风机"]),
    "battery": (["battery", "batteries", "lithium", "cell"], ["电池", "锂电", "储能电池"]),
    "storage": (["energy storage", "storage"], ["储能", "蓄能"]),
    "hydrogen": (
        ["hydrogen", "fuel cell", "electrolyser", "electrolyzer"],
        ["氢", "氢能", "燃料电池", "电解槽"],
    ),
    "efficiency": (
        ["energy efficiency", "energy saving", "efficient", "efficiency"],
        ["节能", "能效", "高效"],
    ),
    "heat": (
        ["heat", "heating", "heat pump", "waste heat", "thermal"],
        ["热", "供热", "供暖", "热泵", "余热"],
    ),
    "cooling": (["cooling", "air conditioning", "hvac", "refrigeration"], ["制冷", "空调", "冷却"]),
    "lighting": (["lighting", "led"], ["照明", "led"]),
    "grid": (
        ["grid", "smart grid", "microgrid", "power distribution"],
        ["电网", "智能电网", "微电网", "配电"],
    ),
    "building": (["building", "buildings", "construction", "insulation"], ["建筑", "楼宇", "保温"]),
    "transport": (
        ["transport", "vehicle", "vehicles", "mobility", "logistics"],
        ["交通", "车辆", "出行", "物流"],
    ),
    "electric_vehicle": (
        ["electric vehicle", "ev", "charging", "electric bus"],
        ["电动汽车", "新能源汽车", "充电", "电动公交"],
    ),
    "fuel": (["fuel", "biofuel", "diesel", "gasoline"], ["燃料", "生物燃料", "柴油"]),
    "coal": (["coal", "boiler", "power plant"], ["煤", "燃煤", "锅炉", "电厂"]),
    "steel": (["steel", "cement", "industrial"], ["钢铁", "水泥", "工业"]),
    "monitoring": (
        ["monitoring", "sensor", "sensors", "detection", "measurement"],
        ["监测", "传感器", "检测", "测量"],
    ),
    "iot": (
        [
            "iot",
            "internet of things",
            "digital",
            "platform",
            "software",
            "ai",
            "artificial intelligence",
            "data",
        ],
        ["物联网", "数字", "平台", "软件", "人工智能", "数据", "智能"],
    ),
    "agriculture": (
        ["agriculture", "farming", "crop", "soil", "fertiliser", "fertilizer"],
        ["农业", "种植", "作物", "土壤", "肥料"],
    ),
    "food": (["food", "packaging"], ["食品", "包装"]),
    "material": (
        ["material", "materials", "bio-based", "composite", "coating"],
        ["材料", "生物基", "复合材料", "涂层"],
    ),
    "city": (["city", "urban", "municipal", "district"], ["城市", "市政", "城区", "街道"]),
    "environment": (
        ["environment", "environmental", "pollution", "green"],
        ["环境", "环保", "污染", "绿色"],
    ),
    "licensing": (["licence", "license", "licensing"], ["许可", "授权"]),
    "investment": (
        ["investment", "investor", "venture", "finance", "financing", "fund"],
        ["投资", "融资", "基金", "资金"],
    ),
    "pilot": (["pilot", "demonstration", "deployment"], ["试点", "示范", "应用"]),
}
