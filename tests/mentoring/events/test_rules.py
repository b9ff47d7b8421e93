"""One test per rule of mentoring/events/permissions.py that the page tests do not already
cover, and the messages in the recipient's language."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from clinic import roles
from clinic.models import OutboxMessage
from clinic.transitions import Refused
from mentoring.events.models import Event
from mentoring.events.services import demo_days, invitations, registrations
from tests.clinic.test_chinese_text import require_compiled
from tests.factories import CohortFactory, company_with_representative, make_user

from .helpers import invited_company, new_event, register

pytestmark = pytest.mark.django_db


def test_anonymous_and_lead_requests(client):
    event, officer = new_event()
    url = reverse("events:detail", args=[event.pk])

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user(roles.LEAD))
    assert client.get(url).status_code == 200
    assert client.get(reverse("events:attendees", args=[event.pk])).status_code == 200


def test_another_companys_representative_cannot_cancel_a_registration(client):
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    _other, other_rep = invited_company(event, officer)
    registration = register(invitation, rep)
    client.force_login(other_rep)

    response = client.post(reverse("events:cancel_registration", args=[event.pk, registration.pk]))

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.state == "registered"


def test_a_colleague_of_the_company_may_cancel_its_registration():
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    colleague = make_user(roles.SME)
    invitation.company.representatives.add(colleague)
    registration = register(invitation, rep)

    registrations.cancel_registration(colleague, registration)

    registration.refresh_from_db()
    assert registration.state == "cancelled"


def test_after_the_start_only_officers_cancel_a_registration():
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    registration = register(invitation, rep)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))

    with pytest.raises(Refused):
        registrations.cancel_registration(rep, registration)
    registrations.cancel_registration(officer, registration)
    registration.refresh_from_db()
    assert registration.state == "cancelled"


def test_a_company_outside_the_programme_does_not_present_at_a_demo_day():
    event, officer = new_event(kind=Event.Kind.DEMO_DAY)
    company, rep = company_with_representative()

    with pytest.raises(Refused) as refused:
        demo_days.sign_up(rep, event, company, technology="X", starts_at=timezone.now().time())
    assert refused.value.code == "not_permitted"


def test_a_company_of_another_cohort_is_not_invitable_and_its_people_see_nothing(client):
    event, officer = new_event()
    other_event, _officer = new_event(officer, CohortFactory(programme=event.programme))
    _invitation, rep = invited_company(other_event, officer)
    client.force_login(rep)

    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_the_presenting_company_asks_no_introduction_to_itself():
    event, officer = new_event(kind=Event.Kind.DEMO_DAY)
    invitation, rep = invited_company(event, officer)
    registration = register(invitation, rep)
    slot = demo_days.sign_up(
        rep, event, invitation.company, technology="Membrane", starts_at=timezone.now().time()
    )

    with pytest.raises(Refused):
        demo_days.ask_introduction(rep, registration, slot)


def test_two_companies_cannot_take_the_same_demo_slot():
    event, officer = new_event(kind=Event.Kind.DEMO_DAY)
    (first_inv, first), (second_inv, second) = [invited_company(event, officer) for _ in range(2)]
    when = timezone.now().time().replace(second=0, microsecond=0)
    demo_days.sign_up(first, event, first_inv.company, technology="A", starts_at=when)

    with pytest.raises(Refused) as refused:
        demo_days.sign_up(second, event, second_inv.company, technology="B", starts_at=when)
    assert refused.value.code == "invalid"


def test_mail_goes_in_the_registered_persons_language():
    require_compiled("Registered: %(event)s")
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)

    register(invitation, rep, name="王芳", email="wang@example.org", user=None, language="zh-hans")

    message = OutboxMessage.objects.get(kind="event_registered")
    with translation.override("zh-hans"):
        title = str(event)
    assert (message.language, message.subject) == ("zh-hans", f"已报名：{title}")
    assert "国际知识产权战略" in message.subject


def test_event_page_in_chinese_shows_the_chinese_title_and_labels(client):
    require_compiled("Programme events")
    event, officer = new_event()
    client.force_login(officer)

    client.post(reverse("switch_language"), {"language": "zh-hans"})
    page = client.get(reverse("events:list"))

    html = page.content.decode()
    assert ("项目活动" in html, "国际知识产权战略" in html) == (True, True)


def test_a_partner_with_an_account_invited_by_email_sees_and_registers_for_the_event(client):
    event, officer = new_event()
    person = make_user(roles.PARTNER)
    stranger = make_user(roles.PARTNER)
    invitation = invitations.invite_guest(officer, event, email=person.email.upper())
    client.force_login(person)

    assert event.title in client.get(reverse("events:list")).content.decode()
    client.post(
        reverse("events:register", args=[event.pk]),
        {"invitation": invitation.pk, "name": "P", "email": person.email, "language": "en"},
    )
    assert event.registrations.get().user == person
    client.force_login(stranger)
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_search_finds_events_in_scope_and_the_history_names_the_actions(client):
    event, officer = new_event()
    _invitation, rep = invited_company(event, officer)
    from clinic import search
    from clinic.models import AuditLog
    from clinic.models.audit import ACTION_LABELS

    found = {group.label: group.total for group in search.search(officer, "国际知识产权")}
    hidden = {group.label: group.total for group in search.search(make_user(roles.SME), "strategy")}
    assert (found.get("Events"), hidden.get("Events", 0)) == (1, 0)
    actions = set(AuditLog.objects.for_object(event).values_list("action", flat=True))
    assert actions <= set(ACTION_LABELS)
