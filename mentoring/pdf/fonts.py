"""The embedded CJK font (which also covers Latin), registered with reportlab once."""

import os
from functools import lru_cache

from django.conf import settings

TTF_FONT_NAME = "WenQuanYi"
CID_FALLBACK_FONT = "STSong-Light"


def cjk_font_name() -> str:
    """Register and return the embedded CJK TrueType font, or the CID fallback if it is missing."""
    path = settings.CJK_FONT_PATH
    if os.path.isfile(path):
        return _register_ttf(path)
    return _register_cid_fallback()


@lru_cache
def _register_ttf(path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(TTF_FONT_NAME, path, subfontIndex=0))
    return TTF_FONT_NAME


@lru_cache
def _register_cid_fallback():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK_FONT))
    return CID_FALLBACK_FONT
