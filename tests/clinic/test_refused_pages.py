import pytest
from django.test import RequestFactory
from django.utils import translation

from clinic.middleware import RefusedMiddleware
from clinic.transitions import Refused
from tests.factories import UserFactory


def _page_for(exception, user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return RefusedMiddleware(lambda request: None).process_exception(request, exception)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("not_found", 404),
        ("not_permitted", 403),
        ("wrong_state", 409),
        ("stale", 409),
        ("invalid", 400),
    ],
)
def test_uncaught_refusal_is_a_page_with_its_status(code, status):
    response = _page_for(Refused(code, "This application was withdrawn meanwhile."), UserFactory())
    assert response.status_code == status


@pytest.mark.django_db
def test_uncaught_wrong_state_page_shows_the_refusal_in_the_users_language():
    with translation.override("zh-hans"):
        response = _page_for(Refused("wrong_state", "已被他人更改"), UserFactory())
        content = response.content.decode()
    assert response.status_code == 409
    assert "已被他人更改" in content
    assert "<title>" in content


def test_other_exceptions_are_left_to_django():
    assert _page_for(ValueError("boom"), None) is None
