"""Public forms are rate limited by one mechanism (clinic/ratelimit.py) on Django's cache."""

import os
import re

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
from django.urls import reverse

from clinic import ratelimit, roles
from clinic.models import Company, OutboxMessage, User
from tests.clinic.test_accounts import SIGNUP
from tests.factories import company_with_representative, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, None, "10.0.0.1"),
    ],
)
def test_client_ip_follows_trusted_proxy_count(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert ratelimit.client_ip(request_from("10.0.0.1", forwarded)) == expected


def test_axes_uses_the_same_client_ip(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.1", "198.51.100.7, 203.0.113.9")
    assert get_client_ip_address(request) == "203.0.113.9"


def test_limit_counts_in_windows_of_its_period(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (2, 3600)}
    start = 7200.0
    assert [ratelimit.hit("signup", "ip", now=start + s) for s in (0, 10, 20)] == [
        True,
        True,
        False,
    ]
    assert ratelimit.retry_after("signup", now=start + 20) == 3580
    assert ratelimit.hit("signup", "ip", now=start + 3600) is True
    assert ratelimit.hit("signup", "other ip", now=start + 20) is True


@pytest.mark.parametrize(
    "backend",
    ["django.core.cache.backends.redis.RedisCache", "clinic.cache.FailOpenRedisCache"],
)
def test_limiter_fails_open_when_the_cache_is_down(settings, backend):
    settings.CACHES = {
        **settings.CACHES,
        "down": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:1/0"},
    }
    settings.RATE_LIMIT_CACHE = "down"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (1, 3600)}
    assert [ratelimit.hit("signup", "ip") for _ in range(3)] == [True, True, True]
    assert ratelimit.exceeded("signup", "ip") is False


@pytest.mark.integration
def test_limiter_counts_on_redis(settings):
    from tests.services import require

    require(os.environ.get("REDIS_URL"), "REDIS_URL")
    settings.CACHES = {
        **settings.CACHES,
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        },
    }
    settings.RATE_LIMIT_CACHE = "redis"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (2, 60)}
    assert [ratelimit.hit("signup", "ip") for _ in range(3)] == [True, True, False]
    assert ratelimit.exceeded("signup", "ip") is True


def signup_data(n):
    return {
        **SIGNUP,
        "user-email": f"founder{n}@greenco.cn",
        "company-legal_name": f"GreenCo {n} Ltd.",
        "company-registration_number": f"9111000{n:04d}",
    }


def test_sixth_signup_from_one_ip_in_an_hour_gets_429_and_keeps_the_form(client):
    statuses = [
        client.post(reverse("signup"), signup_data(n), REMOTE_ADDR="198.51.100.7").status_code
        for n in range(6)
    ]
    assert statuses == [302, 302, 302, 302, 302, 429]
    response = client.post(reverse("signup"), signup_data(9), REMOTE_ADDR="198.51.100.7")
    page = response.content.decode()
    assert (response.status_code, response["Retry-After"] != "") == (429, True)
    assert "too many sign-ups from your network" in page
    assert 'value="GreenCo 9 Ltd."' in page
    assert User.objects.filter(email__startswith="founder").count() == 5
    other = client.post(reverse("signup"), signup_data(7), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def page_text(response, address):
    """The page without the address typed and the (randomly masked) CSRF tokens."""
    text = response.content.decode().replace(address, "ADDRESS")
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", text)


def test_signup_with_known_address_answers_as_a_new_signup_and_mails_the_owner(client):
    owner = make_user(roles.SME, email="founder1@greenco.cn", username="owner")
    new = client.post(reverse("signup"), signup_data(2), follow=True)
    known = client.post(reverse("signup"), signup_data(1), follow=True)
    assert known.redirect_chain == new.redirect_chain == [(reverse("login"), 302)]
    assert page_text(known, "founder1@greenco.cn") == page_text(new, "founder2@greenco.cn")
    assert User.objects.filter(email="founder1@greenco.cn").get() == owner
    assert Company.objects.filter(legal_name="GreenCo 1 Ltd.").exists() is False
    warning = OutboxMessage.objects.get(to_email="founder1@greenco.cn")
    assert (warning.kind, warning.recipient, warning.sensitive) == ("signup_attempt", owner, True)
    assert "/accounts/reset/" in warning.body
    assert "already exists" not in known.content.decode()


def test_signup_attempt_mails_to_a_known_address_stop_at_the_mail_limit(client):
    make_user(roles.SME, email="founder1@greenco.cn")
    for n in range(5):
        data = {**signup_data(1), "user-first_name": f"Try {n}"}
        assert client.post(reverse("signup"), data).status_code == 302
    assert OutboxMessage.objects.filter(kind="signup_attempt").count() == 3


def test_resending_verification_stops_at_three_an_hour_per_address(client):
    user = make_user(roles.SME, email_verified_at=None)
    client.force_login(user)
    statuses = [client.post(reverse("resend_verification")).status_code for _ in range(20)]
    assert statuses == [302, 302, 302] + [429] * 17
    assert OutboxMessage.objects.filter(kind="verify_email", recipient=user).count() == 3


@pytest.mark.parametrize("registered", [True, False])
def test_password_reset_stops_at_three_an_hour_per_address_known_or_not(client, registered):
    if registered:
        make_user(roles.SME, email="someone@greenco.cn")
    data = {"email": "someone@greenco.cn"}
    statuses = [client.post(reverse("password_reset"), data).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    page = client.post(reverse("password_reset"), data).content.decode()
    assert 'value="someone@greenco.cn"' in page
    assert OutboxMessage.objects.filter(kind="password_reset").count() == (3 if registered else 0)


def test_representative_invitations_stop_at_three_an_hour_per_address(client):
    company, representative = company_with_representative()
    client.force_login(representative)
    url = reverse("company_invite", args=[company.pk])
    statuses = [client.post(url, {"email": "cto@greenco.cn"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert company.invitations.count() == 3


def test_officer_invitation_over_the_mail_limit_gets_429_and_keeps_the_form(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation_mail": (0, 3600)}
    client.force_login(make_user(roles.OFFICER))
    data = {
        "email": "mentor@ipfirm.cn",
        "first_name": "Hui",
        "last_name": "Sun",
        "roles": [roles.EXPERT],
        "language": "en",
    }
    response = client.post(reverse("user_invite"), data)
    assert response.status_code == 429
    assert 'value="mentor@ipfirm.cn"' in response.content.decode()
    assert User.objects.filter(email="mentor@ipfirm.cn").exists() is False


def log_in(client, username, password, ip):
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    client.logout()
    return response.status_code


def test_failed_logins_over_thirty_from_one_ip_lock_that_ip_only(client):
    users = [make_user(roles.SME, username=f"user{n}", password=PASSWORD) for n in range(10)]
    sprayed = [
        log_in(client, user.username, f"guess-{n}", "198.51.100.7")
        for n in range(3)
        for user in users
    ]
    assert sprayed == [200] * 30
    assert log_in(client, "user0", PASSWORD, "198.51.100.7") == 429
    assert log_in(client, "user0", PASSWORD, "203.0.113.9") == 302


def test_rate_limited_login_page_keeps_the_username_and_says_why(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_failure": (1, 900)}
    make_user(roles.SME, username="mei", password=PASSWORD)
    assert log_in(client, "mei", "wrong", "198.51.100.7") == 200
    response = client.post(
        reverse("login"), {"username": "mei", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    page = response.content.decode()
    assert response.status_code == 429
    assert "too many failed log-ins from your network" in page
    assert 'value="mei"' in page


def test_admin_login_is_refused_too_once_the_ip_is_over_the_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_failure": (1, 900)}
    make_user(roles.OFFICER, username="admin", password=PASSWORD, is_staff=True)
    assert log_in(client, "admin", "wrong", "198.51.100.7") == 200
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429
    assert "too many failed log-ins from your network" in response.content.decode()


def test_successful_logins_from_one_ip_never_count(client):
    users = [make_user(roles.SME, username=f"room{n}", password=PASSWORD) for n in range(40)]
    statuses = {log_in(client, user.username, PASSWORD, "198.51.100.7") for user in users}
    assert statuses == {302}


def test_axes_locks_an_account_after_five_failures_from_any_addresses(client):
    make_user(roles.SME, username="target", password=PASSWORD)
    for n in range(5):
        log_in(client, "target", "wrong", f"203.0.113.{n + 1}")
    assert log_in(client, "target", PASSWORD, "192.0.2.50") == 429
    make_user(roles.SME, username="bystander", password=PASSWORD)
    assert log_in(client, "bystander", PASSWORD, "203.0.113.1") == 302
