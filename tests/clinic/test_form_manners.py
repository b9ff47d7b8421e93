"""Issue 14, item 15: forms that behave: the sign-up form starts on its first field and keeps
the typed passwords when another field is wrong."""

import pytest
from django.urls import reverse

from tests.clinic.test_accounts import SIGNUP

pytestmark = pytest.mark.django_db


def test_signup_focus_starts_on_the_first_field(client):
    form = client.get(reverse("signup")).context["user_form"]
    autofocus = [name for name, field in form.fields.items() if field.widget.attrs.get("autofocus")]
    assert autofocus == ["first_name"]


def test_signup_keeps_both_passwords_after_another_fields_error(client):
    response = client.post(reverse("signup"), {**SIGNUP, "company-employees": "-3"})
    assert response.status_code == 200
    assert response.text.count('value="Blue-Hydrogen-2026"') == 2
