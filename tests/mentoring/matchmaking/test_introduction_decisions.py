"""Accepting an introduction: a repeat of a decision shows the first result, only a conflicting
one is refused (409); one person never accepts both sides (self-dealing), whatever the door."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog
from clinic.todos import todos_for
from mentoring.matchmaking.services import introductions as service
from tests.factories import make_user
from tests.refusals import refused

from .helpers import introduced

pytestmark = pytest.mark.django_db


def accept(client, user, introduction):
    client.force_login(user)
    return client.post(reverse("matchmaking:accept", args=[introduction.pk]))


def history(introduction):
    return list(AuditLog.objects.for_object(introduction).values_list("action", flat=True))


def test_accepting_again_once_both_accepted_shows_the_first_result(client):
    introduction, provider, owner, _staff = introduced()
    assert accept(client, owner, introduction).status_code == 302
    assert accept(client, provider, introduction).status_code == 302
    before = history(introduction)
    again = accept(client, provider, introduction)
    assert (again.status_code, again["Location"]) == (
        302,
        reverse("matchmaking:introduction", args=[introduction.pk]),
    )
    assert service.accept(owner, introduction) is False
    introduction.refresh_from_db()
    assert (introduction.state, history(introduction)) == ("accepted", before)
    assert (introduction.provider_accepted_by, introduction.partner_accepted_by) == (
        provider,
        owner,
    )


def test_a_colleague_accepting_a_side_already_accepted_changes_nothing(client):
    introduction, provider, _owner, _staff = introduced()
    colleague = make_user(roles.SME)
    introduction.technology.company.representatives.add(colleague)
    service.accept(provider, introduction)
    assert accept(client, colleague, introduction).status_code == 302
    introduction.refresh_from_db()
    assert (introduction.state, introduction.provider_accepted_by) == ("proposed", provider)


def test_accepting_an_introduction_declined_before_is_a_conflict(client):
    introduction, provider, owner, _staff = introduced()
    service.close(owner, introduction, "Not for us.")
    assert accept(client, provider, introduction).status_code == 409
    introduction.refresh_from_db()
    assert (introduction.state, introduction.provider_accepted_at) == ("closed", None)


def test_one_account_on_both_sides_accepts_neither_by_any_door(client):
    introduction, provider, owner, _staff = introduced()
    both = make_user(roles.SME)
    Group.objects.get(name=roles.PARTNER).user_set.add(both)
    introduction.technology.company.representatives.add(both)
    introduction.partner.representatives.add(both)
    assert accept(client, both, introduction).status_code == 403
    with refused("not_permitted"):
        service.accept(both, introduction)
    page = client.get(reverse("matchmaking:introduction", args=[introduction.pk])).content
    assert b"Accept the introduction" not in page
    assert b"a colleague who represents only one side accepts for it" in page
    assert [t for t in todos_for(both) if "introduction" in str(t.title)] == []
    introduction.refresh_from_db()
    assert (introduction.provider_accepted_at, introduction.partner_accepted_at) == (None, None)
    service.accept(owner, introduction)
    service.accept(provider, introduction)
    introduction.refresh_from_db()
    assert introduction.state == "accepted"


def test_who_accepted_one_side_cannot_accept_the_other_after_moving_to_it(client):
    introduction, provider, _owner, _staff = introduced()
    service.accept(provider, introduction)
    introduction.technology.company.representatives.remove(provider)
    Group.objects.get(name=roles.PARTNER).user_set.add(provider)
    introduction.partner.representatives.add(provider)
    assert accept(client, provider, introduction).status_code == 403
    introduction.refresh_from_db()
    assert (introduction.state, introduction.partner_accepted_at) == ("proposed", None)


def test_the_officer_who_proposed_an_introduction_does_not_accept_a_side_of_it(client):
    staff = make_user(roles.OFFICER, roles.SME)
    introduction, _provider, owner, _staff = introduced(staff)
    introduction.technology.company.representatives.add(staff)
    service.accept(owner, introduction)
    assert accept(client, staff, introduction).status_code == 403
    introduction.refresh_from_db()
    assert (introduction.state, introduction.provider_accepted_at) == ("proposed", None)
