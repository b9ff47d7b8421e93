"""Names of places people type in English (Chinese provinces and large cities), shown in the
reader's language; anything else is shown as typed. Countries come from django-countries."""

from django.utils.translation import pgettext_lazy
from django_countries import countries

# English name as typed (lower case) -> its name in the active language.
PLACES = {
    "beijing": pgettext_lazy("place", "Beijing"),
    "tianjin": pgettext_lazy("place", "Tianjin"),
    "shanghai": pgettext_lazy("place", "Shanghai"),
    "chongqing": pgettext_lazy("place", "Chongqing"),
    "hebei": pgettext_lazy("place", "Hebei"),
    "shanxi": pgettext_lazy("place", "Shanxi"),
    "inner mongolia": pgettext_lazy("place", "Inner Mongolia"),
    "liaoning": pgettext_lazy("place", "Liaoning"),
    "jilin": pgettext_lazy("place", "Jilin"),
    "heilongjiang": pgettext_lazy("place", "Heilongjiang"),
    "jiangsu": pgettext_lazy("place", "Jiangsu"),
    "zhejiang": pgettext_lazy("place", "Zhejiang"),
    "anhui": pgettext_lazy("place", "Anhui"),
    "fujian": pgettext_lazy("place", "Fujian"),
    "jiangxi": pgettext_lazy("place", "Jiangxi"),
    "shandong": pgettext_lazy("place", "Shandong"),
    "henan": pgettext_lazy("place", "Henan"),
    "hubei": pgettext_lazy("place", "Hubei"),
    "hunan": pgettext_lazy("place", "Hunan"),
    "guangdong": pgettext_lazy("place", "Guangdong"),
    "guangxi": pgettext_lazy("place", "Guangxi"),
    "hainan": pgettext_lazy("place", "Hainan"),
    "sichuan": pgettext_lazy("place", "Sichuan"),
    "guizhou": pgettext_lazy("place", "Guizhou"),
    "yunnan": pgettext_lazy("place", "Yunnan"),
    "tibet": pgettext_lazy("place", "Tibet"),
    "shaanxi": pgettext_lazy("place", "Shaanxi"),
    "gansu": pgettext_lazy("place", "Gansu"),
    "qinghai": pgettext_lazy("place", "Qinghai"),
    "ningxia": pgettext_lazy("place", "Ningxia"),
    "xinjiang": pgettext_lazy("place", "Xinjiang"),
    "hong kong": pgettext_lazy("place", "Hong Kong"),
    "macau": pgettext_lazy("place", "Macau"),
    "taiwan": pgettext_lazy("place", "Taiwan"),
    "wuhan": pgettext_lazy("place", "Wuhan"),
    "xi'an": pgettext_lazy("place", "Xi'an"),
    "hangzhou": pgettext_lazy("place", "Hangzhou"),
    "shenzhen": pgettext_lazy("place", "Shenzhen"),
    "guangzhou": pgettext_lazy("place", "Guangzhou"),
    "chengdu": pgettext_lazy("place", "Chengdu"),
    "nanjing": pgettext_lazy("place", "Nanjing"),
    "suzhou": pgettext_lazy("place", "Suzhou"),
    "hefei": pgettext_lazy("place", "Hefei"),
    "changsha": pgettext_lazy("place", "Changsha"),
    "xiamen": pgettext_lazy("place", "Xiamen"),
    "qingdao": pgettext_lazy("place", "Qingdao"),
    "ningbo": pgettext_lazy("place", "Ningbo"),
    "dalian": pgettext_lazy("place", "Dalian"),
    "shenyang": pgettext_lazy("place", "Shenyang"),
    "zhengzhou": pgettext_lazy("place", "Zhengzhou"),
    "jinan": pgettext_lazy("place", "Jinan"),
    "kunming": pgettext_lazy("place", "Kunming"),
    "fuzhou": pgettext_lazy("place", "Fuzhou"),
    "wuxi": pgettext_lazy("place", "Wuxi"),
    "dongguan": pgettext_lazy("place", "Dongguan"),
    "foshan": pgettext_lazy("place", "Foshan"),
    "harbin": pgettext_lazy("place", "Harbin"),
    "changchun": pgettext_lazy("place", "Changchun"),
    "nanchang": pgettext_lazy("place", "Nanchang"),
    "taiyuan": pgettext_lazy("place", "Taiyuan"),
    "shijiazhuang": pgettext_lazy("place", "Shijiazhuang"),
    "lanzhou": pgettext_lazy("place", "Lanzhou"),
    "guiyang": pgettext_lazy("place", "Guiyang"),
    "nanning": pgettext_lazy("place", "Nanning"),
    "haikou": pgettext_lazy("place", "Haikou"),
    "urumqi": pgettext_lazy("place", "Urumqi"),
    "hohhot": pgettext_lazy("place", "Hohhot"),
    "yinchuan": pgettext_lazy("place", "Yinchuan"),
    "xining": pgettext_lazy("place", "Xining"),
    "lhasa": pgettext_lazy("place", "Lhasa"),
}


def place(text):
    """``text`` (a region or a city, or "Region, City") in the active language where known."""
    if not text:
        return ""
    parts = [part.strip() for part in str(text).split(",")]
    shown = [str(PLACES.get(part.lower(), part)) for part in parts]
    unique = [part for index, part in enumerate(shown) if part not in shown[:index]]
    return ", ".join(unique)


def location(detail):
    """A stored location detail ("CN · Jiangsu") with the country and region named."""
    code, _sep, region = str(detail).partition(" · ")
    name = countries.name(code) if len(code) == 2 else ""
    return f"{name or code} · {place(region)}" if region else (name or code)
