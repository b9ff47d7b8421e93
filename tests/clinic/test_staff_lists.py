"""Issue 14, item 10: My tasks offers Release on a claimed pool task; the outbox is searched by
recipient and shows languages by name."""

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task

from clinic import roles
from clinic.models import OutboxMessage
from cohorts import flows
from tests.factories import make_user, submitted_application
from tests.search_helpers import matches

pytestmark = pytest.mark.django_db


def test_claimed_pool_task_shows_release_on_my_tasks(client):
    application, _representative = submitted_application()
    task = flows.open_task(application, flows.ApplicationFlow.screen)
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    home = client.get(reverse("home")).text
    release = task.reverse("unassign")
    assert release not in home  # not claimed yet: only Claim
    client.post(task.reverse("assign"))
    home = client.get(reverse("home")).text
    assert f'href="{release}"' in home
    client.post(release)
    assert Task.objects.get(pk=task.pk).owner is None
    assert f'href="{release}"' not in client.get(reverse("home")).text


def message(user):
    return OutboxMessage.objects.create(
        recipient=user,
        to_email=user.email,
        language=user.preferred_language,
        kind="notice",
        subject="Notice",
        body="Hello",
    )


def test_outbox_is_searched_by_recipient_name_or_email(client):
    wang = make_user(roles.SME, first_name="Wang", last_name="Fang", email="wf@example.org")
    other = make_user(roles.SME, first_name="Chen", last_name="Jie", email="cj@example.org")
    for user in (wang, other):
        message(user)
    client.force_login(make_user(roles.OFFICER))
    url = reverse("outbox_list")
    by_name = client.get(url, {"q": "fang"}).context["page"].object_list
    by_email = client.get(url, {"q": "CJ@EXAMPLE"}).context["page"].object_list
    # Best match first; on PostgreSQL similar addresses follow (clinic/test_text_search.py).
    assert [m.to_email for m in matches(by_name)] == ["wf@example.org"]
    assert [m.to_email for m in matches(by_email)] == ["cj@example.org"]


def test_outbox_shows_the_language_by_name(client):
    user = make_user(roles.SME, preferred_language="zh-hans")
    message(user)
    client.force_login(make_user(roles.OFFICER))
    page = client.get(reverse("outbox_list")).text
    assert "<td>简体中文</td>" in page
    assert "<td>zh-hans</td>" not in page
