"""Chinese text: sentences joined without spaces, localized names, grouped amounts."""

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from clinic import roles
from clinic.formatting import money
from clinic.templatetags.clinic_tags import join_sentences
from cohorts.models import RubricCriterion
from cohorts.services import reviews
from mentoring.services.plan_document import build_plan_document
from tests.factories import (
    CohortFactory,
    company_with_representative,
    eligible_application,
    make_user,
)
from tests.mentoring.plan_helpers import started, submitted


def test_join_sentences_removes_space_after_chinese_stop_across_tags():
    assert join_sentences("<strong>已保存。</strong> 您的内容。 请重试。") == (
        "<strong>已保存。</strong>您的内容。请重试。"
    )


def test_join_sentences_keeps_english_spaces():
    assert join_sentences("<strong>Saved.</strong> Try again. Later.") == (
        "<strong>Saved.</strong> Try again. Later."
    )


def require_compiled(msgid):
    """Skip while the compiled catalogue predates ``msgid`` (compilemessages adds it)."""
    with translation.override("zh-hans"):
        if translation.gettext(msgid) == msgid:
            pytest.skip("zh-hans catalogue not compiled yet: run compilemessages -l zh_Hans")


def test_rate_limited_notice_in_chinese_has_no_space_after_full_stop():
    limited = SimpleNamespace(reason="请求过于频繁。", minutes=5)
    with translation.override("zh-hans"):
        html = render_to_string("_rate_limited.html", {"rate_limited": limited})
    assert ("请求过于频繁。</strong>" in html, "。 " in html, "。\n" in html) == (
        True,
        False,
        False,
    )


def test_too_many_requests_page_in_chinese_has_no_space_after_full_stop():
    require_compiled("Your browser's Back button returns to the form with what you typed.")
    limited = SimpleNamespace(reason="请求过于频繁。", minutes=5)
    with translation.override("zh-hans"):
        html = render_to_string("429.html", {"rate_limited": limited})
    assert "请在 5 分钟后重试。" in html
    assert ("。 " in html, "。\n" in html) == (False, False)


def test_stale_notice_in_chinese_has_no_space_after_full_stop():
    require_compiled("Someone else saved this meanwhile.")
    stale = SimpleNamespace(by="王芳", at=datetime(2026, 11, 30, 9, 5, tzinfo=UTC), fields=[])
    form = SimpleNamespace(stamp="s", stale=stale)
    with translation.override("zh-hans"):
        html = render_to_string("_stale.html", {"form": form})
    assert "在此期间已有其他人保存了此内容。</strong>王芳" in html
    assert ("。 " in html, "。\n" in html) == (False, False)


@pytest.mark.django_db
def test_empty_plan_notice_in_chinese_joins_its_two_sentences(client):
    participation, _rep, expert, _officer, _current = started()
    expert.preferred_language = "zh-hans"
    expert.save()
    client.force_login(expert)
    html = client.get(reverse("mentoring:plan", args=[participation.pk])).content.decode()
    assert "暂无行动项。可从建议开始，或自行添加。" in html


@pytest.mark.django_db
def test_cohort_and_programme_show_their_chinese_name_in_chinese():
    cohort = CohortFactory(
        name="Beijing 2027", name_zh="北京 2027", programme__name_zh="知识产权诊所"
    )
    with translation.override("zh-hans"):
        chinese = (str(cohort), str(cohort.programme))
    with translation.override("en"):
        english = (str(cohort), str(cohort.programme))
    assert (chinese, english) == (
        ("北京 2027", "知识产权诊所"),
        ("Beijing 2027", cohort.programme.name),
    )


@pytest.mark.django_db
def test_cohort_without_chinese_name_shows_english_name_in_chinese():
    cohort = CohortFactory(name="Beijing 2027")
    with translation.override("zh-hans"):
        assert str(cohort) == "Beijing 2027"


@pytest.mark.django_db
def test_reviewer_list_and_my_tasks_show_chinese_cohort_name(client):
    cohort = CohortFactory(name="Beijing 2027", name_zh="北京 2027")
    officer = make_user(roles.OFFICER)
    application, _ = eligible_application(officer, cohort=cohort)
    reviewer = make_user(roles.REVIEWER, preferred_language="zh-hans")
    reviews.assign_reviewer(officer, application, reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("cohorts:reviews"))
    todos = client.get(reverse("home")).context["todos"]
    html = page.content.decode()
    assert (page.context["progress"][0][0], "Beijing 2027" in html) == ("北京 2027", False)
    assert [todo.detail for todo in todos] == ["北京 2027"]


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("22000000"), "CNY", "CNY 22,000,000"),
        (Decimal("8000.40"), "", "8,000"),
        (0, "EUR", "EUR 0"),
        (None, "CNY", ""),
    ],
)
def test_money_groups_thousands_with_commas(amount, currency, text):
    assert money(amount, currency) == text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_company_turnover_shows_thousands_separators_in_both_languages(client, language):
    company, representative = company_with_representative(
        annual_turnover=Decimal("22000000"), turnover_currency="CNY"
    )
    representative.preferred_language = language
    representative.save()
    client.force_login(representative)
    html = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert ("CNY 22,000,000" in html, "22000000" in html) == (True, False)


@pytest.mark.django_db
def test_chinese_plan_pdf_costs_show_thousands_separators():
    participation, _rep, _expert, _officer, current = submitted(items=1)
    current.actions.update(cost=Decimal("1250000"))
    document = build_plan_document(participation, version=1, language="zh-hans")
    assert [action.cost for action in document.actions] == ["CNY 1,250,000"]


def test_rubric_criterion_shows_its_chinese_name_in_chinese():
    criterion = RubricCriterion(name="Novelty", name_zh="新颖性")
    with translation.override("zh-hans"):
        chinese = str(criterion)
    assert (chinese, str(criterion)) == ("新颖性", "Novelty")
