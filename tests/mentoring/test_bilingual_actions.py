"""Issue 14, item 13: a suggested action keeps its title in both languages, so the plan in the
SME's language shows it in that language whatever language the expert works in."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from clinic.dimensions import Dimension
from mentoring.models import ActionItem
from mentoring.services import action_plan as service
from mentoring.services import assessment as assessment_service
from mentoring.services.plan_document import build_plan_document

from .plan_helpers import item_values, scores, started

pytestmark = pytest.mark.django_db
RAISE = "Raise %(dimension)s from level %(current)d to %(target)d"


def assessed():
    participation, _rep, expert, _officer, current = started()
    assessment_service.save_assessment(
        expert, current, scores=scores({4: 0}, {4: 3}), executive_summary="Summary"
    )
    return participation, expert, current


def in_language(language, message, **params):
    with translation.override(language):
        return gettext(message) % params


def test_a_gap_suggestion_is_written_in_both_languages():
    _participation, _expert, current = assessed()
    suggestion = next(s for s in service.suggestions(current) if s.source == "gap")
    with translation.override("zh-hans"):
        label = str(Dimension(4).label)
    chinese = in_language("zh-hans", RAISE, dimension=label, current=0, target=3)
    assert chinese != RAISE % {"dimension": label, "current": 0, "target": 3}  # translated
    assert suggestion.title_zh == chinese
    assert suggestion.title.startswith("Raise ") and suggestion.title != suggestion.title_zh
    assert suggestion.kpi_zh == in_language(
        "zh-hans", "Maturity %(target)d reached at the next review", target=3
    )


def test_the_chinese_plan_shows_the_suggested_action_in_chinese_though_the_expert_works_in_english(
    client,
):
    participation, expert, current = assessed()
    assert expert.preferred_language == "en"
    client.force_login(expert)
    url = reverse("mentoring:action_add", args=[participation.pk])
    form = client.get(url, {"suggestion": "gap-4"}).context["form"]
    suggestion = next(s for s in service.suggestions(current) if s.key == "gap-4")
    assert (form.initial["title"], form.initial["title_zh"]) == (
        suggestion.title,
        suggestion.title_zh,
    )
    posted = {k: v for k, v in form.initial.items() if v is not None}
    posted.update(owner="CTO", cost="0", status="open", edit_stamp=form.stamp)
    response = client.post(url + "?suggestion=gap-4", posted)
    assert response.status_code == 302, response.context["form"].errors
    item = ActionItem.objects.get(assessment=current)
    assert (item.title, item.title_zh) == (suggestion.title, suggestion.title_zh)
    chinese = build_plan_document(participation, version=1, language="zh-hans")
    english = build_plan_document(participation, version=1, language="en")
    assert [a.title for a in chinese.actions] == [suggestion.title_zh]
    assert [a.kpi for a in chinese.actions] == [suggestion.kpi_zh]
    assert [a.title for a in english.actions] == [suggestion.title]


def test_an_action_written_in_one_language_shows_in_both():
    participation, expert, current = assessed()
    service.add_item(expert, current, **item_values(current, title="File a PCT application"))
    with translation.override("zh-hans"):
        assert str(ActionItem.objects.get()) == "File a PCT application"
    chinese = build_plan_document(participation, version=1, language="zh-hans")
    assert [a.title for a in chinese.actions] == ["File a PCT application"]
