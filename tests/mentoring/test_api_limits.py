"""Limits of list-valued and free-text inputs through the API, taken from the models: more items
than the model allows, or a longer text, is a 400 on its field and writes nothing; the services
refuse the same for every door."""

import pytest

from clinic.dimensions import Dimension
from clinic.limits import LONG_TEXT_MAX
from mentoring.models import ActionItem, Assessment, FollowUpReport
from mentoring.services import action_plan, follow_up
from tests.api_helpers import token_client
from tests.refusals import refused

from .plan_helpers import item_values, started
from .test_follow_up import ended
from .test_follow_up import signed as signed_fixture  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
TOO_LONG = "x" * (LONG_TEXT_MAX + 1)


def test_assessment_texts_and_scores_are_held_to_the_models_limits():
    _participation, _rep, expert, _officer, current = started()
    client, _token = token_client(expert)
    url = f"/api/v1/assessments/{current.pk}/"
    for field in ("executive_summary", "strengths", "weaknesses", "opportunities", "threats"):
        assert Assessment._meta.get_field(field).max_length == LONG_TEXT_MAX
        answer = client.patch(url, {field: TOO_LONG}, format="json")
        assert (answer.status_code, list(answer.json()["fields"])) == (400, [field])
    row = {"maturity": 1, "target": 2, "rationale": ""}
    too_many = [{**row, "dimension": d} for d in Dimension.values] + [{**row, "dimension": 1}]
    answer = client.patch(url, {"scores": too_many}, format="json")
    assert (answer.status_code, list(answer.json()["fields"])) == (400, ["scores"])
    long_rationale = [{**row, "dimension": 1, "rationale": TOO_LONG}]
    answer = client.patch(url, {"scores": long_rationale}, format="json")
    assert answer.status_code == 400 and "scores" in answer.json()["fields"]
    current.refresh_from_db()
    assert current.strengths != TOO_LONG
    assert not current.scores.filter(rationale=TOO_LONG).exists()


def test_the_assessment_service_refuses_a_too_long_text_for_every_door():
    from django.core.exceptions import ValidationError

    from mentoring.services import assessment as service

    _participation, _rep, expert, _officer, current = started()
    with pytest.raises(ValidationError) as caught:
        service.save_assessment(expert, current, scores={}, threats=TOO_LONG)
    assert "threats" in caught.value.message_dict
    with refused("invalid"):
        service.save_assessment(expert, current, scores={99: {"maturity": 1}})


def test_a_plan_holds_at_most_its_models_number_of_actions(settings):
    _participation, _rep, expert, _officer, current = started()
    values = item_values(current)
    ActionItem.objects.bulk_create(
        ActionItem(assessment=current, **values) for _ in range(ActionItem.PER_PLAN_MAX)
    )
    with refused("invalid"):
        action_plan.add_item(expert, current, **values)
    assert current.actions.count() == ActionItem.PER_PLAN_MAX


def test_follow_up_progress_levels_and_comments_are_held_to_the_limits(signed_fixture):  # noqa: F811
    participation, representative, _officer = signed_fixture
    ended(participation, 200)
    follow_up.open_follow_up_reports()
    report = FollowUpReport.objects.get(participation=participation, round=6)
    client, _token = token_client(representative)
    url = f"/api/v1/follow-up-reports/{report.pk}/submit/"
    entry = {"status": "done", "note": ""}
    too_many = {str(n): entry for n in range(1, ActionItem.PER_PLAN_MAX + 2)}
    bodies = {
        "progress": {"progress": too_many},
        "comments": {"comments": TOO_LONG},
        "levels": {"levels": {str(n): 1 for n in range(1, len(Dimension) + 2)}},
    }
    for field, body in bodies.items():
        answer = client.post(url, body, format="json")
        assert (answer.status_code, list(answer.json()["fields"])) == (400, [field]), field
    item = ActionItem.objects.filter(assessment__participation=participation).first()
    long_note = {str(item.pk): {"status": "done", "note": "n" * 1001}}
    answer = client.post(url, {"progress": long_note}, format="json")
    assert answer.status_code == 400 and "progress" in answer.json()["fields"]
    assert FollowUpReport.objects.get(pk=report.pk).state == "open"


def test_session_notes_lists_and_texts_are_held_to_the_limits():
    from mentoring.models import FollowUp

    from .helpers import assigned, held_session

    participation, _rep, mentor, _staff = assigned()
    session = held_session(participation, mentor)
    client, _token = token_client(mentor)
    url = f"/api/v1/sessions/{session.pk}/notes/"
    follow_ups = [{"title": f"Step {n}"} for n in range(FollowUp.PER_SESSION_MAX + 1)]
    bodies = {
        "follow_ups": {"outcome": "held", "follow_ups": follow_ups},
        "dimensions": {"outcome": "held", "dimensions": list(range(1, len(Dimension) + 2))},
        "summary": {"outcome": "held", "summary": TOO_LONG},
    }
    for field, body in bodies.items():
        answer = client.post(url, body, format="json")
        assert (answer.status_code, list(answer.json()["fields"])) == (400, [field]), field
    assert session.follow_ups.count() <= FollowUp.PER_SESSION_MAX
