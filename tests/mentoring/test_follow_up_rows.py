"""Issue 14, item 7: follow-up lines are added in place (htmx), not only after a save."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.forms_notes import FollowUpFormSet
from mentoring.models import FollowUp
from tests.mentoring.helpers import assigned, schedule

pytestmark = pytest.mark.django_db


def started_session():
    participation, representative, mentor, staff = assigned()
    session = schedule(participation, mentor, starts_at=timezone.now() - timedelta(hours=3))
    return session, representative, mentor


def test_add_button_fetches_the_next_numbered_line_and_bumps_the_count(client):
    session, _rep, mentor = started_session()
    client.force_login(mentor)
    page = client.get(reverse("mentoring:notes", args=[session.pk]))
    url = reverse("mentoring:follow_up_row", args=[session.pk])
    assert f'hx-get="{url}"' in page.text
    row = client.get(url, {"follow_ups-TOTAL_FORMS": "2"})
    assert row.status_code == 200
    assert 'name="follow_ups-2-title"' in row.text
    assert 'name="follow_ups-TOTAL_FORMS" value="3"' in row.text
    assert 'hx-swap-oob="true"' in row.text


def test_lines_added_in_place_are_saved(client):
    session, _rep, mentor = started_session()
    client.force_login(mentor)
    data = {
        "outcome": "held",
        "summary": "Talked",
        "follow_ups-TOTAL_FORMS": "4",
        "follow_ups-INITIAL_FORMS": "0",
        "draft": "1",
    }
    for index in range(4):
        data[f"follow_ups-{index}-title"] = f"Task {index}"
    response = client.post(reverse("mentoring:notes", args=[session.pk]), data)
    assert response.status_code == 302
    titles = sorted(FollowUp.objects.filter(session=session).values_list("title", flat=True))
    assert titles == ["Task 0", "Task 1", "Task 2", "Task 3"]


def test_the_last_allowed_line_removes_the_button_and_more_is_refused(client):
    session, _rep, mentor = started_session()
    client.force_login(mentor)
    url = reverse("mentoring:follow_up_row", args=[session.pk])
    last = FollowUpFormSet.max_num - 1
    response = client.get(url, {"follow_ups-TOTAL_FORMS": str(last)})
    assert '<span id="add-follow-up" hx-swap-oob="true"></span>' in response.text
    assert client.get(url, {"follow_ups-TOTAL_FORMS": str(last + 1)}).status_code == 404
    assert client.get(url, {"follow_ups-TOTAL_FORMS": "-1"}).status_code == 404
    assert client.get(url, {"follow_ups-TOTAL_FORMS": "x"}).status_code == 404


def test_the_company_cannot_fetch_lines(client):
    session, representative, _mentor = started_session()
    client.force_login(representative)
    url = reverse("mentoring:follow_up_row", args=[session.pk])
    assert client.get(url, {"follow_ups-TOTAL_FORMS": "2"}).status_code == 404
