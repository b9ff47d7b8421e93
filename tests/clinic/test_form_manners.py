"""Issue 14, item 15: forms that behave: the sign-up form starts on its first field and keeps
the typed passwords when another field is wrong; a screening deadline error shows once, at its
field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import roles
from cohorts.models import Application
from tests.clinic.test_accounts import SIGNUP
from tests.factories import make_user, submitted_application

pytestmark = pytest.mark.django_db


def test_signup_focus_starts_on_the_first_field(client):
    form = client.get(reverse("signup")).context["user_form"]
    autofocus = [name for name, field in form.fields.items() if field.widget.attrs.get("autofocus")]
    assert autofocus == ["first_name"]


def test_signup_keeps_both_passwords_after_another_fields_error(client):
    response = client.post(reverse("signup"), {**SIGNUP, "company-employees": "-3"})
    assert response.status_code == 200
    assert response.text.count('value="Blue-Hydrogen-2026"') == 2


def test_a_past_information_deadline_is_shown_once_at_its_field(client):
    application, _representative = submitted_application()
    client.force_login(make_user(roles.OFFICER))
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("cohorts:screen", args=[application.pk]),
        {"decision": "needs_info", "reason": "Send the audited accounts.", "due_date": yesterday},
    )
    assert response.context["form"].errors == {"due_date": ["The deadline must be in the future."]}
    assert response.text.count("The deadline must be in the future.") == 1
    assert Application.objects.get(pk=application.pk).state == "submitted"
