"""The lead role: only a lead grants, changes or removes it (invitation and role change alike), no
officer deactivates or reactivates a lead, one active lead always remains, the first lead comes
from ``manage.py createlead``, and every change is audited and mailed to the other leads."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clinic import permissions, roles
from clinic.models import AuditLog, OutboxMessage, User
from clinic.services import accounts, signup
from tests.factories import make_user
from tests.refusals import refused

pytestmark = pytest.mark.django_db

INVITE = {"email": "second@control.cn", "first_name": "Bo", "last_name": "Li", "language": "en"}


def groups_of(user):
    return sorted(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def lead_mails():
    return sorted(
        (m.recipient.username, m.language, m.related_id)
        for m in OutboxMessage.objects.filter(kind="lead_role_changed")
    )


def test_invite_form_offers_the_lead_role_to_a_lead_only(client):
    client.force_login(make_user(roles.OFFICER))
    officer_choices = client.get(reverse("user_invite")).context["form"].fields["roles"].choices
    client.force_login(make_user(roles.LEAD))
    lead_choices = client.get(reverse("user_invite")).context["form"].fields["roles"].choices
    assert [role for role, _label in officer_choices] == ["reviewer", "expert", "officer"]
    assert [role for role, _label in lead_choices] == ["reviewer", "expert", "officer", "lead"]


def test_invite_page_title_names_the_lead_role_when_it_is_offered(client):
    headings = []
    for role in (roles.OFFICER, roles.LEAD):
        client.force_login(make_user(role))
        html = client.get(reverse("user_invite")).content.decode()
        headings.append(html.split('<h1 class="h4">')[1].split("</h1>")[0])
    assert headings == [
        "Invite a reviewer, expert or officer",
        "Invite a reviewer, expert, officer or lead",
    ]


def test_officer_inviting_a_lead_is_refused_and_no_account_is_made(client):
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    response = client.post(reverse("user_invite"), {**INVITE, "roles": [roles.LEAD]})
    assert response.status_code == 200
    assert User.objects.filter(email=INVITE["email"]).exists() is False
    with refused("not_permitted"):
        accounts.invite_user(officer, **INVITE, role_names=[roles.OFFICER, roles.LEAD])
    assert User.objects.filter(email=INVITE["email"]).exists() is False


def test_lead_invites_a_lead_audited_and_mailed_to_the_other_leads_in_their_language():
    lead = make_user(roles.LEAD)
    english = make_user(roles.LEAD, username="lead_en")
    chinese = make_user(roles.LEAD, username="lead_zh", preferred_language="zh-hans")
    make_user(roles.LEAD, username="lead_gone", is_active=False)
    invited = accounts.invite_user(lead, **INVITE, role_names=[roles.LEAD])
    entry = AuditLog.objects.for_object(invited).get(action="invited")
    assert (entry.actor_id, entry.to_state) == (lead.pk, "lead")
    assert lead_mails() == [
        (english.username, "en", str(invited.pk)),
        (chinese.username, "zh-hans", str(invited.pk)),
    ]
    body = OutboxMessage.objects.get(kind="lead_role_changed", recipient=english).body
    assert f"{lead.get_full_name()} gave Bo Li the programme lead role." in body


def test_officer_cannot_grant_change_or_remove_a_leads_roles():
    officer, lead = make_user(roles.OFFICER), make_user(roles.LEAD)
    person = make_user(roles.OFFICER)
    for user, wanted in (
        (person, [roles.OFFICER, roles.LEAD]),
        (lead, [roles.LEAD, roles.EXPERT]),
        (lead, [roles.OFFICER]),
    ):
        with refused("not_permitted"):
            accounts.set_roles(officer, user, wanted)
    assert (groups_of(person), groups_of(lead)) == (["officer"], ["lead"])


def test_officers_roles_form_has_no_lead_role_and_a_posted_lead_changes_nothing(client):
    person = make_user(roles.OFFICER)
    client.force_login(make_user(roles.OFFICER))
    page = client.get(reverse("user_detail", args=[person.pk]))
    client.post(reverse("user_roles", args=[person.pk]), {"roles": [roles.OFFICER, roles.LEAD]})
    choices = [role for role, _label in page.context["roles_form"].fields["roles"].choices]
    assert (roles.LEAD in choices, groups_of(person)) == (False, ["officer"])


def test_lead_grants_and_removes_the_lead_role_mailed_to_the_other_leads():
    lead, other = make_user(roles.LEAD), make_user(roles.LEAD)
    person = make_user(roles.OFFICER)
    accounts.set_roles(lead, person, [roles.OFFICER, roles.LEAD])
    accounts.set_roles(lead, person, [roles.OFFICER])
    changes = AuditLog.objects.for_object(person).filter(action="roles_changed")
    assert sorted((e.from_state, e.to_state) for e in changes) == [
        ("lead,officer", "officer"),
        ("officer", "lead,officer"),
    ]
    assert lead_mails() == [(other.username, "en", str(person.pk))] * 2


def test_last_active_lead_keeps_the_lead_role():
    lead = make_user(roles.LEAD)
    make_user(roles.LEAD, is_active=False)
    with refused("not_permitted"):
        accounts.set_roles(lead, lead, [roles.OFFICER])
    other = make_user(roles.LEAD)
    accounts.set_roles(lead, lead, [roles.OFFICER])
    assert (groups_of(lead), permissions.active_lead_ids()) == (["officer"], {other.pk})


def test_officer_cannot_deactivate_a_lead_through_the_web(client):
    lead = make_user(roles.LEAD)
    client.force_login(make_user(roles.OFFICER))
    page = client.get(reverse("user_detail", args=[lead.pk]))
    response = client.post(reverse("user_active", args=[lead.pk]), {"reason": "Take over"})
    assert response.status_code == 302
    assert User.objects.get(pk=lead.pk).is_active is True
    assert "Deactivate account" not in page.content.decode()
    assert "Save roles" not in page.content.decode()


def test_officer_cannot_reactivate_a_deactivated_lead():
    lead, other = make_user(roles.LEAD), make_user(roles.LEAD)
    accounts.deactivate_user(lead, other, "On leave")
    with refused("not_permitted"):
        accounts.reactivate_user(make_user(roles.OFFICER), other)
    accounts.reactivate_user(lead, other)
    assert User.objects.get(pk=other.pk).is_active is True


def test_lead_deactivates_another_lead_audited_and_mailed_to_the_remaining_leads():
    lead, leaving, third = make_user(roles.LEAD), make_user(roles.LEAD), make_user(roles.LEAD)
    accounts.deactivate_user(lead, leaving, "Left the office")
    entry = AuditLog.objects.for_object(leaving).get(action="deactivated")
    assert (entry.actor_id, entry.reason) == (lead.pk, "Left the office")
    assert lead_mails() == [(third.username, "en", str(leaving.pk))]


def test_deactivated_lead_cannot_deactivate_the_last_active_lead():
    first, second = make_user(roles.LEAD), make_user(roles.LEAD)
    accounts.deactivate_user(first, second, "Leaving")
    with refused("not_permitted"):
        accounts.deactivate_user(second, first, "Crossed clicks")  # ``second`` is a stale object
    assert permissions.active_lead_ids() == {first.pk}


def test_createlead_makes_the_first_lead_who_sets_a_password_by_mail():
    out = StringIO()
    call_command("createlead", "Head@Clinic.cn", "--first-name", "Min", stdout=out)
    lead = User.objects.get(email="head@clinic.cn")
    invitation = OutboxMessage.objects.get(recipient=lead, kind="invitation")
    entry = AuditLog.objects.for_object(lead).get(action="lead_created")
    assert (groups_of(lead), lead.has_usable_password(), entry.actor_name) == (
        ["lead"],
        False,
        "system",
    )
    assert invitation.sensitive is True
    assert "The IP Clinic administrator invited you" in invitation.body
    assert signup.password_set_url(lead) in out.getvalue()


def test_createlead_gives_an_existing_officer_the_role_and_refuses_once_a_lead_exists():
    officer = make_user(roles.OFFICER, email="boss@clinic.cn")
    call_command("createlead", "boss@clinic.cn", stdout=StringIO())
    with pytest.raises(CommandError, match="A programme lead exists already"):
        call_command("createlead", "another@clinic.cn", stdout=StringIO())
    assert groups_of(officer) == ["lead", "officer"]
    assert User.objects.filter(email="another@clinic.cn").exists() is False
