"""Issue 14, item 12: the History shows translated states, people's names and labelled values,
never internal codes or usernames."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from clinic import roles
from clinic.services import audit
from cohorts.models import Application
from tests.clinic.test_chinese_text import require_compiled
from tests.factories import CohortFactory, make_user, submitted_application

pytestmark = pytest.mark.django_db


def shown(obj):
    return render_to_string("clinic/_history.html", {"history": audit.history(obj)})


def test_states_and_people_are_shown_by_their_labels_and_names():
    application, representative = submitted_application()
    representative.first_name, representative.last_name = "Li", "Na"
    representative.save()
    html = shown(application)
    assert "Draft → Submitted" in html
    assert "<strong>Li Na</strong>" in html
    assert representative.username not in html


def test_the_system_is_named_as_such():
    application, _representative = submitted_application()
    audit.record(application, "place_lapsed", actor=None, from_state="selected", to_state="lapsed")
    assert "<strong>the system</strong>" in shown(application)
    assert "Selected → Lapsed" in shown(application)


def test_an_assignment_names_the_expert_not_the_username():
    expert = make_user(roles.EXPERT, first_name="Zhao", last_name="Lei", username="expert6")
    cohort = CohortFactory()
    audit.record(cohort, "expert_assigned", actor=make_user(roles.OFFICER), to_state="expert6")
    html = shown(cohort)
    assert "Zhao Lei" in html
    assert "expert6" not in html
    assert expert.username == "expert6"


def test_a_changed_reference_shows_the_related_row_not_its_id():
    application, representative = submitted_application()
    other = CohortFactory(name="Xiamen 2028")
    audit.record(
        application,
        "updated",
        actor=representative,
        changes={"cohort": [str(application.cohort_id), str(other.pk)]},
    )
    html = shown(application)
    assert "Xiamen 2028" in html
    assert f"<ins>{other.pk}</ins>" not in html


def test_states_in_chinese():
    require_compiled("signed off")
    application, _representative = submitted_application()
    with translation.override("zh-hans"):
        html = shown(application)
    assert "草稿 → 已提交" in html


def test_history_queries_do_not_grow_with_records(django_assert_max_num_queries):
    application, representative = submitted_application()
    for _ in range(5):
        audit.record(application, "updated", actor=representative)
    with django_assert_max_num_queries(3):
        shown(application)
    assert Application.objects.filter(pk=application.pk).exists()


def test_traffic_lights_say_their_level_in_words():
    cell = {"light": "red", "dimension": 1, "label": "IP awareness", "score": 1.0, "percent": 25}
    html = render_to_string("clinic/ipaudit/_scores.html", {"scores": [cell]})
    assert '<span class="visually-hidden">weak (0–1)</span>' in html
    assert 'class="light light-red" aria-hidden="true"' in html
