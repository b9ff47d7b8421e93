"""The API's core: tokens, authentication, rate limits, errors, access and audit logs,
idempotency keys and the committed OpenAPI file."""

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from clinic import roles
from clinic.models import APIAccess, APIToken, AuditLog, IdempotencyKey
from clinic.services import api_tokens
from clinic.transitions import Refused
from tests.api_helpers import ids, token_client
from tests.clinic.test_chinese_text import require_compiled
from tests.factories import CompanyFactory, company_with_representative, make_user

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def test_token_is_stored_hashed_and_authenticates_its_user():
    user = make_user(roles.SME)
    client, token = token_client(user)
    stored = APIToken.objects.get(pk=token.pk)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert response.json()["roles"] == ["sme"]
    assert len(stored.digest) == 64
    assert stored.prefix.startswith("ipc_")
    assert client._credentials["HTTP_AUTHORIZATION"].split()[1] != stored.digest


def test_unknown_token_and_no_token_answer_401_with_a_problem_body():
    client = APIClient()
    assert client.get(ME).status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Bearer ipc_not-a-token")
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"code", "message", "fields"}


def test_expired_token_is_refused():
    client, token = token_client(make_user(roles.SME))
    APIToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(ME).status_code == 401


def test_revoked_token_is_refused_and_revoking_twice_changes_nothing():
    user = make_user(roles.SME)
    client, token = token_client(user)
    assert client.get(ME).status_code == 200
    api_tokens.revoke_token(user, token)
    api_tokens.revoke_token(user, token)
    assert client.get(ME).status_code == 401
    actions = AuditLog.objects.for_object(token).values_list("action", flat=True)
    assert sorted(actions) == ["api_token_created", "api_token_revoked"]


def test_token_of_a_deactivated_account_is_refused():
    user = make_user(roles.SME)
    client, _token = token_client(user)
    user.is_active = False
    user.save()
    assert client.get(ME).status_code == 401


def test_another_users_token_cannot_be_revoked():
    owner, other = make_user(roles.SME), make_user(roles.SME)
    _client, token = token_client(owner)
    with pytest.raises(Refused) as refusal:
        api_tokens.revoke_token(other, token)
    assert refusal.value.status == 404
    assert APIToken.objects.get(pk=token.pk).revoked_at is None


def test_token_expiry_must_be_between_one_day_and_a_year():
    user = make_user(roles.SME)
    for days in (0, 366):
        with pytest.raises(Refused):
            api_tokens.create_token(user, "too long", days)
    assert APIToken.objects.count() == 0


def test_token_page_shows_the_secret_once_and_revokes(client):
    user = make_user(roles.SME)
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "Reporting", "days": "90"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get("/accounts/tokens/")
    assert secret not in again.content.decode()
    assert "Reporting" in again.content.decode()
    token = APIToken.objects.get(user=user)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert APIToken.objects.get(pk=token.pk).revoked_at is not None


def test_token_page_revoke_of_another_users_token_is_404(client):
    _c, token = token_client(make_user(roles.SME))
    client.force_login(make_user(roles.SME))
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert APIToken.objects.get(pk=token.pk).revoked_at is None


def test_token_page_in_chinese(client):
    require_compiled("API tokens")
    client.force_login(make_user(roles.SME, preferred_language="zh-hans"))
    response = client.get("/accounts/tokens/")
    assert response.status_code == 200
    assert "API 令牌" in response.content.decode()


def test_error_message_is_in_the_callers_language():
    require_compiled("This token is unknown, expired or revoked.")
    client, _token = token_client(make_user(roles.SME, preferred_language="zh-hans"))
    response = client.get("/api/v1/companies/999999/")
    assert response.status_code == 404
    assert response.json()["message"] != "Not found."


def test_per_token_rate_limit_answers_429_with_retry_after(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_token": (3, 3600)}
    user = make_user(roles.SME)
    client, _token = token_client(user)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(ME)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    other_client, _other = token_client(user, "second")
    assert other_client.get(ME).status_code == 200  # the limit is per token


def test_per_user_rate_limit_counts_all_their_tokens(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_user": (2, 3600)}
    user = make_user(roles.SME)
    first, _t1 = token_client(user, "one")
    second, _t2 = token_client(user, "two")
    assert first.get(ME).status_code == 200
    assert second.get(ME).status_code == 200
    assert second.get(ME).status_code == 429


def test_reads_go_to_the_access_log_with_the_token_name():
    client, _token = token_client(make_user(roles.SME), "Dashboard")
    client.get(ME)
    entry = APIAccess.objects.get()
    assert (entry.method, entry.path, entry.status, entry.token_name) == (
        "GET",
        ME,
        200,
        "Dashboard",
    )


def test_purge_job_forgets_reads_after_30_days_and_keys_after_a_day():
    user = make_user(roles.SME)
    client, _token = token_client(user)
    client.get(ME)
    IdempotencyKey.objects.create(user=user, key="k", method="POST", path="/x", status=200)
    now = timezone.now()
    assert api_tokens.purge_api_logs(now + timedelta(days=29)) == {
        "access_log": 0,
        "idempotency_keys": 1,
    }
    assert api_tokens.purge_api_logs(now + timedelta(days=31))["access_log"] == 1
    assert APIAccess.objects.count() == 0


def test_purge_job_is_registered_with_the_periodic_jobs():
    from clinic import jobs

    assert "clinic.services.api_tokens.purge_api_logs" in jobs.run_all()


def test_companies_are_scoped_and_another_companys_is_404():
    company, sme = company_with_representative()
    other = CompanyFactory()
    client, _token = token_client(sme)
    assert ids(client.get("/api/v1/companies/")) == [company.pk]
    response = client.get(f"/api/v1/companies/{other.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    officer, _t = token_client(make_user(roles.OFFICER))
    assert sorted(ids(officer.get("/api/v1/companies/"))) == sorted([company.pk, other.pk])


def test_company_list_queries_do_not_grow_with_rows():
    officer, _t = token_client(make_user(roles.OFFICER))
    CompanyFactory.create_batch(2)
    officer.get("/api/v1/companies/")  # warm the role cache of the token's user
    with CaptureQueriesContext(connection) as few:
        officer.get("/api/v1/companies/")
    CompanyFactory.create_batch(30)
    with CaptureQueriesContext(connection) as many:
        response = officer.get("/api/v1/companies/?page_size=50")
    assert len(response.json()["results"]) == 32
    assert len(many) == len(few)


def test_cursor_pages_follow_the_chosen_ordering_and_refuse_others():
    officer, _t = token_client(make_user(roles.OFFICER))
    companies = CompanyFactory.create_batch(3)
    first = officer.get("/api/v1/companies/?ordering=legal_name&page_size=2").json()
    rest = officer.get(first["next"]).json()
    expected = sorted(companies, key=lambda c: (c.legal_name, c.pk))
    assert [r["id"] for r in first["results"] + rest["results"]] == [c.pk for c in expected]
    response = officer.get("/api/v1/companies/?ordering=-employees")
    assert response.status_code == 400
    assert "ordering" in response.json()["fields"]


def test_committed_openapi_file_matches_the_api(tmp_path):
    """A change to the API without `manage.py spectacular --file docs/openapi.yaml` fails."""
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    committed = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
    same = yaml.safe_load(committed.read_text()) == yaml.safe_load(generated.read_text())
    assert same, "docs/openapi.yaml is out of date: run `make schema` and commit it"


def test_schema_and_docs_are_served_from_our_own_files(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "drf_spectacular_sidecar/swagger-ui-dist" in docs.content.decode()
    assert "cdn" not in docs.content.decode().lower()


def test_schema_is_generated_once_per_language_and_is_the_committed_one(client):
    from clinic.api import schema_view

    schema_view._rendered.clear()
    first, again = (client.get("/api/schema/", {"lang": "en"}) for _ in range(2))
    chinese = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert first.content == again.content
    assert first["Content-Type"] == again["Content-Type"]
    committed = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
    assert yaml.safe_load(first.content) == yaml.safe_load(committed.read_text())
    assert "The pagination cursor value." in first.content.decode()
    assert "分页游标值" in chinese.content.decode()  # Django REST framework's own catalogue
    assert "分页游标值" in client.get("/api/schema/", {"lang": "zh-hans"}).content.decode()
    assert len(schema_view._rendered) == 2


def test_demo_tokens_authenticate_after_seeding_twice():
    from clinic import demo_api

    make_user(roles.OFFICER, username="officer")
    for _run in range(2):
        demo_api.seed({"log": lambda line: None})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer ipc_demo_officer")
    assert client.get(ME).json()["username"] == "officer"
    assert APIToken.objects.count() == 1


def test_openapi_check_refuses_an_answer_the_file_does_not_describe():
    import jsonschema

    from tests.api_helpers import check_against_openapi

    client, _token = token_client(make_user(roles.SME))
    response = client.get(ME)  # checked: it matches the file
    response._json = {**response.json(), "id": "not a number"}
    with pytest.raises(jsonschema.ValidationError):
        check_against_openapi(response)
    response.status_code = 418
    with pytest.raises(AssertionError):
        check_against_openapi(response)


def test_history_shows_the_token_a_change_came_through():
    from django.template.loader import render_to_string

    from clinic.services import audit

    officer = make_user(roles.OFFICER)
    with audit.via("API token “CRM sync”"):
        audit.record(officer, "updated", actor=officer)
    audit.record(officer, "roles_changed", actor=officer)
    html = render_to_string("clinic/_history.html", {"history": AuditLog.objects.all()})
    assert html.count("API token “CRM sync”") == 1


def test_docs_page_answers_a_post_and_heavy_use_without_a_server_error(client, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "api_user": (1, 3600),
        "api_anonymous": (1, 3600),
    }
    client.force_login(make_user(roles.SME))
    answers = [client.get("/api/docs/").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    assert client.post("/api/docs/", {"x": "1"}).status_code == 405
    assert [client.get("/api/schema/").status_code for _ in range(2)] == [200, 429]
