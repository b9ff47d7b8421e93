"""Chinese text: sentences joined without spaces, localized names, grouped amounts."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from clinic.templatetags.clinic_tags import join_sentences


def test_join_sentences_removes_space_after_chinese_stop_across_tags():
    assert join_sentences("<strong>已保存。</strong> 您的内容。 请重试。") == (
        "<strong>已保存。</strong>您的内容。请重试。"
    )


def test_join_sentences_keeps_english_spaces():
    assert join_sentences("<strong>Saved.</strong> Try again. Later.") == (
        "<strong>Saved.</strong> Try again. Later."
    )


@pytest.mark.parametrize("name", ["_rate_limited.html", "429.html"])
def test_rate_limited_notice_in_chinese_has_no_space_after_full_stop(name):
    limited = SimpleNamespace(reason="请求过于频繁。", minutes=5)
    with translation.override("zh-hans"):
        html = render_to_string(name, {"rate_limited": limited})
    assert "请在 5 分钟后重试。" in html
    assert ("。 " in html, "。\n" in html) == (False, False)


def test_stale_notice_in_chinese_has_no_space_after_full_stop():
    stale = SimpleNamespace(by="王芳", at=datetime(2026, 11, 30, 9, 5, tzinfo=UTC), fields=[])
    form = SimpleNamespace(stamp="s", stale=stale)
    with translation.override("zh-hans"):
        html = render_to_string("_stale.html", {"form": form})
    assert "在此期间已有其他人保存了此内容。</strong>王芳" in html
    assert ("。 " in html, "。\n" in html) == (False, False)
