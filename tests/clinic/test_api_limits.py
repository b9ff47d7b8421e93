"""Hand-made API requests: a body over the upload limit is refused before it is read."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from clinic.services import api_tokens
from tests.factories import submitted_application

pytestmark = pytest.mark.django_db


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_upload_limit_is_413_and_changes_nothing():
    application, sme = submitted_application()
    _token, secret = api_tokens.create_token(sme, "CRM sync", 30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/applications/{application.pk}/withdraw/"
    response = client.post(url, {"reason": "x" * 2000}, format="json")
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
    application.refresh_from_db()
    assert application.state == "submitted"
    assert client.post(url, {"reason": "Too busy"}, format="json").status_code == 200
