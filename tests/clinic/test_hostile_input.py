"""Hostile input that used to answer a server error: one regression test per crash the walk
of every URL (tests/clinic/test_hostile_walk.py) found."""

import pytest
from django.urls import reverse

from clinic import roles
from tests.factories import CohortFactory, make_user

pytestmark = pytest.mark.django_db


# --- the crashes the walk found, one regression test each ---------------------------------------


@pytest.mark.parametrize("expert", ["", "x", "²", "99999999999999999999", "-1"])
def test_assign_expert_with_a_malformed_expert_is_refused_with_a_message(client, expert):
    from mentoring.models import Assignment
    from tests.mentoring.helpers import officer, participant

    participation, _representative = participant()
    client.force_login(officer())
    url = reverse("mentoring:assign", args=[participation.pk])
    response = client.post(url, {"expert": expert, "role": "lead"}, follow=True)
    assert response.status_code == 200
    assert "Choose an expert and a role." in response.content.decode()
    assert Assignment.objects.filter(participation=participation).count() == 0


def test_assign_expert_with_a_valid_form_assigns_with_the_score(client):
    from mentoring.models import Assignment
    from tests.mentoring.helpers import expert, officer, participant

    participation, _representative = participant()
    mentor = expert()
    client.force_login(officer())
    url = reverse("mentoring:assign", args=[participation.pk])
    client.post(url, {"expert": mentor.pk, "role": "support", "score": "42"})
    assignment = Assignment.objects.get(participation=participation)
    assert (assignment.expert, assignment.role) == (mentor, "support")


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "x", ""])
def test_cohort_list_with_a_malformed_programme_lists_every_cohort(client, value):
    cohorts = [CohortFactory(), CohortFactory()]
    client.force_login(make_user(roles.OFFICER))
    response = client.get(reverse("cohorts:list"), {"programme": value})
    assert sorted(c.pk for c in response.context["page"]) == sorted(c.pk for c in cohorts)


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "x"])
def test_new_cohort_form_with_a_malformed_copy_source_starts_empty(client, value):
    client.force_login(make_user(roles.OFFICER))
    response = client.get(reverse("cohorts:create"), {"copy": value})
    assert (response.status_code, response.context["source"]) == (200, None)


@pytest.mark.parametrize("value", ["²", "x", "99999999999999999999"])
def test_quota_rule_delete_with_a_malformed_id_is_404(client, value):
    from tests.cohorts.selection_helpers import selection_cohort

    cohort = selection_cohort()
    client.force_login(make_user(roles.OFFICER))
    response = client.post(reverse("cohorts:quota_rules", args=[cohort.pk]), {"delete": value})
    assert response.status_code == 404


def test_rubric_post_with_tampered_initial_forms_shows_an_error(client):
    from cohorts.services.rubric import ensure_rubric

    cohort = CohortFactory()
    criteria = ensure_rubric(cohort)
    client.force_login(make_user(roles.OFFICER))
    data = {"form-TOTAL_FORMS": str(len(criteria)), "form-INITIAL_FORMS": "-1"}
    for index, c in enumerate(criteria):
        for name in ["key", "name", "name_zh", "weight", *[f"anchor_{n}" for n in range(1, 6)]]:
            data[f"form-{index}-{name}"] = getattr(c, name)
    response = client.post(reverse("cohorts:rubric", args=[cohort.pk]), data)
    assert response.status_code == 200
    assert "Each criterion needs its own key." in str(response.context["formset"].non_form_errors())
    assert cohort.criteria.count() == len(criteria)


@pytest.mark.parametrize("value", ["99999999999999999999", "x", "²"])
def test_expert_profile_with_a_malformed_conflict_id_shows_a_form_error(client, value):
    from tests.mentoring.helpers import expert

    mentor = expert()
    client.force_login(mentor)
    url = reverse("mentoring:expert_edit", args=[mentor.pk])
    response = client.post(url, {"capacity": "4", "languages": ["en"], "conflicts": [value]})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["conflicts"]


@pytest.mark.parametrize("target", ["x", "-1", "https://evil.example/", "//evil.example/"])
def test_remove_expert_with_a_bare_or_foreign_next_goes_to_the_match_page(client, target):
    from tests.mentoring.helpers import assigned

    participation, _representative, _expert, officer = assigned()
    client.force_login(officer)
    assignment = participation.assignments.get()
    url = reverse("mentoring:unassign", args=[assignment.pk])
    response = client.post(url, {"next": target})
    assert response["Location"] == reverse("mentoring:match", args=[participation.pk])


def test_audit_note_with_a_null_character_is_refused_with_a_message(client):
    from tests.factories import audit_with_representative

    audit, representative = audit_with_representative()
    client.force_login(representative)
    response = client.post(
        reverse("ipaudit:autosave", args=[audit.pk]),
        {"question": "q1_level", "value": "2", "note": "a\x00b"},
    )
    assert (response.status_code, response.json()["ok"]) == (400, False)
    assert audit.answers.count() == 0


@pytest.mark.parametrize("slot", ["²", "99999999999999999999", "x", ""])
def test_booking_with_a_malformed_slot_shows_the_form_again(client, slot):
    from tests.mentoring.helpers import assigned

    participation, representative, _expert, _officer = assigned()
    client.force_login(representative)
    response = client.post(reverse("mentoring:book", args=[participation.pk]), {"slot": slot})
    assert response.status_code == 200
    assert "slot" in response.context["form"].errors


@pytest.mark.parametrize("name", ["user_list", "ipaudit:list", "outbox_list"])
@pytest.mark.parametrize("query", [{"q": "water\x00"}, {"state": "\x00"}])
def test_a_nul_character_in_a_query_parameter_is_a_bad_request(client, name, query):
    client.force_login(make_user(roles.OFFICER))
    assert client.get(reverse(name), query).status_code == 400
    assert client.get(reverse(name), {"q": "water"}).status_code == 200
