"""Introductions: both sides accept before contacts show, meeting with .ics, MOU, deployment,
closing; scope per person; the funnel; My tasks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditLog, OutboxMessage
from clinic.todos import todos_for
from clinic.transitions import Refused
from mentoring.matchmaking.models import Introduction
from mentoring.matchmaking.services import introductions as service
from tests.factories import PDF_BYTES

from .helpers import introduced, partner, sme

pytestmark = pytest.mark.django_db


def test_contacts_show_only_once_both_sides_accepted(client):
    introduction, provider, owner, _staff = introduced()
    url = reverse("matchmaking:introduction", args=[introduction.pk])
    client.force_login(owner)
    assert provider.email not in client.get(url).content.decode()
    client.post(reverse("matchmaking:accept", args=[introduction.pk]))
    assert provider.email not in client.get(url).content.decode()
    client.force_login(provider)
    client.post(reverse("matchmaking:accept", args=[introduction.pk]))
    introduction.refresh_from_db()
    introduction.need.refresh_from_db()
    assert (introduction.state, introduction.need.state) == ("accepted", "matched")
    assert owner.email in client.get(url).content.decode()
    assert (
        OutboxMessage.objects.filter(kind="matchmaking_introduction", recipient=owner).count() == 2
    )  # proposed, accepted


def test_accepting_twice_changes_nothing_the_second_time():
    introduction, _provider, owner, _staff = introduced()
    assert service.accept(owner, introduction) is True
    assert service.accept(owner, introduction) is False
    introduction.refresh_from_db()
    assert introduction.state == "proposed"


def test_people_outside_the_introduction_get_404(client):
    introduction, _provider, _owner, _staff = introduced()
    _other_company, other_sme = sme()
    _org, other_partner = partner()
    for user in (other_sme, other_partner):
        client.force_login(user)
        for name in ("introduction", "meeting_ics", "mou_document"):
            url = reverse(f"matchmaking:{name}", args=[introduction.pk])
            assert (name, client.get(url).status_code) == (name, 404)
        response = client.post(reverse("matchmaking:accept", args=[introduction.pk]))
        assert response.status_code == 404
    with pytest.raises(Refused):
        service.accept(other_partner, introduction)


def test_meeting_mou_and_deployment_are_recorded_audited_and_mailed_with_ics(client):
    introduction, provider, owner, staff = introduced()
    service.accept(provider, introduction)
    service.accept(owner, introduction)
    with pytest.raises(Refused):
        service.record_deployment(staff, introduction, timezone.localdate(), "X", "Y")
    when = timezone.now() + timezone.timedelta(days=3)
    assert service.schedule_meeting(provider, introduction, when, "Pilot office") is True
    mail = (
        OutboxMessage.objects.filter(kind="matchmaking_introduction", recipient=owner)
        .order_by("pk")
        .last()
    )
    assert [a["filename"] for a in mail.attachments] == ["meeting.ics"]
    client.force_login(owner)
    ics = client.get(reverse("matchmaking:meeting_ics", args=[introduction.pk]))
    assert (ics.status_code, b"BEGIN:VEVENT" in ics.content) == (200, True)
    service.record_meeting(staff, introduction)
    pdf = SimpleUploadedFile("mou.pdf", PDF_BYTES, content_type="application/pdf")
    service.sign_mou(staff, introduction, timezone.localdate(), "Pilot for a year", pdf)
    service.record_deployment(staff, introduction, timezone.localdate(), "Dongcheng", "-20% NOx")
    introduction.refresh_from_db()
    assert (introduction.state, introduction.deployment_place) == ("deployed", "Dongcheng")
    actions = list(
        AuditLog.objects.for_object(introduction).order_by("pk").values_list("action", flat=True)
    )
    assert [a for a in actions if a in ("accepted", "meeting_held", "mou_signed", "deployed")] == [
        "accepted",
        "meeting_held",
        "mou_signed",
        "deployed",
    ]
    document = client.get(reverse("matchmaking:mou_document", args=[introduction.pk]))
    assert document.status_code == 200


def test_an_mou_document_that_is_not_a_pdf_is_refused():
    introduction, provider, owner, staff = introduced()
    service.accept(provider, introduction)
    service.accept(owner, introduction)
    fake = SimpleUploadedFile("mou.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(Refused) as refusal:
        service.sign_mou(staff, introduction, timezone.localdate(), "Scope", fake)
    assert refusal.value.code == "invalid"


def test_a_side_declines_by_closing_with_a_reason_and_cannot_record_outcomes_before():
    introduction, provider, owner, _staff = introduced()
    with pytest.raises(Refused):
        service.record_meeting(provider, introduction)
    with pytest.raises(Refused):
        service.close(owner, introduction, "")
    assert service.close(owner, introduction, "Not now") is True
    introduction.refresh_from_db()
    assert (introduction.state, introduction.close_reason) == ("closed", "Not now")


def test_only_officers_propose_and_one_introduction_per_pair():
    introduction, provider, owner, staff = introduced()
    with pytest.raises(Refused):
        service.propose(provider, introduction.technology, introduction.partner, introduction.need)
    again, created = service.propose(
        staff, introduction.technology, introduction.partner, introduction.need
    )
    assert (again.pk, created, Introduction.objects.count()) == (introduction.pk, False, 1)


def test_funnel_counts_the_stages_reached():
    first, provider, owner, staff = introduced()
    introduced(staff)
    service.accept(provider, first)
    service.accept(owner, first)
    assert service.funnel(Introduction.objects.all()) == {
        "proposed": 2,
        "accepted": 1,
        "meeting": 0,
        "mou_signed": 0,
        "deployed": 0,
        "closed": 0,
    }
    cohort = first.technology.company.participations.first().cohort
    assert service.cohort_funnel(cohort)["accepted"] == 1


def test_my_tasks_list_an_introduction_to_accept_and_listings_to_approve():
    introduction, provider, owner, staff = introduced()
    titles = [str(t.title) for t in todos_for(owner)]
    assert any(introduction.technology.title in t for t in titles)
    service.accept(owner, introduction)
    assert not any(introduction.technology.title in str(t.title) for t in todos_for(owner))
    assert any(introduction.technology.title in str(t.title) for t in todos_for(provider))


def test_programme_dashboard_counts_introductions_per_cohort(client):
    from mentoring.insight.dashboard import Filters
    from mentoring.matchmaking.dashboard import matchmaking_table

    first, provider, owner, staff = introduced()
    service.accept(provider, first)
    service.accept(owner, first)
    cohort = first.technology.company.participations.first().cohort
    table = matchmaking_table(Filters(cohort=cohort))
    assert table.rows == [[str(cohort), 1, 1, 0, 0, 0]]
    client.force_login(staff)
    page = client.get(reverse("mentoring:dashboard")).content.decode()
    assert "Matchmaking by cohort" in page


def test_a_match_already_introduced_is_marked_instead_of_offered_again(client):
    introduction, _provider, _owner, staff = introduced()
    client.force_login(staff)
    response = client.get(reverse("matchmaking:need", args=[introduction.need_id]))
    (ranked,) = response.context["matches"]
    assert (ranked.introduced, 'name="technology"' in response.content.decode()) == (True, False)
