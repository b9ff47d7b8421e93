"""Confirmation of places, the backfill chain, reminders and closing the waitlist; everything
timed runs from the periodic jobs with the system as actor."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clinic import jobs
from clinic.models import AuditLog, OutboxMessage
from cohorts.models import Application, TermsAcceptance
from cohorts.services import confirmation
from tests.refusals import refused

from .selection_helpers import applicant, approved, rule, selection_cohort, staff

pytestmark = pytest.mark.django_db
State = Application.State


def fresh(application):
    return Application.objects.get(pk=application.pk)


def published(cohort, plan):
    """Applicants from ``plan`` [(score, area)], proposal approved; returns
    [(application, representative)] best first and the officer who proposed."""
    people = [applicant(cohort, score, area=area) for score, area in plan]
    officer, _o2, lead = staff()
    approved(cohort, officer, lead)
    return [(fresh(a), rep) for a, rep in people], officer


def test_confirm_place_records_terms_acceptance_and_starts_participation():
    from mentoring.models import Participation

    cohort = selection_cohort()
    people, _officer = published(cohort, [(5, "water"), (4, "water"), (3, "water")])
    application, representative = people[0]
    confirmation.confirm_place(representative, application, "2.1")
    acceptance = TermsAcceptance.objects.get(application=application)
    assert (acceptance.accepted_by, acceptance.terms_version, acceptance.terms_text) == (
        representative,
        "2.1",
        "Attend every session.",
    )
    assert fresh(application).state == State.CONFIRMED
    assert Participation.objects.filter(application=application).count() == 1
    assert (
        OutboxMessage.objects.filter(kind="place_confirmed", recipient=representative).count() == 1
    )


def test_confirm_with_an_outdated_terms_version_is_refused():
    cohort = selection_cohort()
    people, _officer = published(cohort, [(5, "water"), (4, "water"), (3, "water")])
    application, representative = people[0]
    with refused("stale"):
        confirmation.confirm_place(representative, application, "2.0")
    assert fresh(application).state == State.SELECTED
    assert TermsAcceptance.objects.count() == 0


def test_confirm_by_another_company_is_refused():
    cohort = selection_cohort()
    people, _officer = published(cohort, [(5, "water"), (4, "water"), (3, "water")])
    with refused("not_permitted"):
        confirmation.confirm_place(people[1][1], people[0][0], "2.1")


def test_decline_offers_the_place_to_the_first_waitlisted():
    cohort = selection_cohort()
    plan = [(5, "water"), (4, "water"), (3, "water"), (2, "water"), (1, "water")]
    people, _officer = published(cohort, plan)
    (first, rep), fourth = people[0], people[3][0]
    confirmation.decline_place(rep, first, "We cannot attend.")
    offered = fresh(fourth)
    assert (fresh(first).state, offered.state, offered.waitlist_position) == (
        State.DECLINED,
        State.SELECTED,
        None,
    )
    assert offered.confirm_due_at > timezone.now() + timedelta(days=6)
    assert OutboxMessage.objects.filter(kind="place_offered").count() == 1


def test_backfill_chain_decline_then_lapse_then_empty_waitlist_tells_the_officer():
    cohort = selection_cohort(waitlist_length=2)
    plan = [(5, "water"), (4, "water"), (3, "water"), (2, "water"), (1, "water")]
    people, officer = published(cohort, plan)
    apps = [a for a, _rep in people]
    confirmation.decline_place(people[0][1], apps[0])
    assert fresh(apps[3]).state == State.SELECTED
    # Nobody answers: the job lapses the offered place and offers the next.
    Application.objects.filter(pk=apps[3].pk).update(
        confirm_due_at=timezone.now() - timedelta(minutes=1)
    )
    assert jobs.run_all()["cohorts.jobs.lapse_overdue_confirmations"] == 1
    assert [fresh(a).state for a in apps] == [
        State.DECLINED,
        State.SELECTED,
        State.SELECTED,
        State.LAPSED,
        State.SELECTED,
    ]
    lapse = AuditLog.objects.get(action="place_lapsed")
    assert (lapse.actor, lapse.actor_name) == (None, "system")
    # The last offered declines too: the waitlist is empty, the officer hears of it.
    confirmation.decline_place(people[4][1], apps[4])
    notice = OutboxMessage.objects.get(kind="backfill_notice")
    assert (notice.recipient, notice.subject) == (
        officer,
        f"A place in {cohort.name} is free and the waitlist is empty",
    )


def test_backfill_picks_the_first_waitlisted_that_keeps_the_quotas():
    cohort = selection_cohort(waitlist_length=3)
    rule(cohort, "green_area", "water", maximum=2)
    plan = [
        (5, "water"),
        (5, "water"),
        (4, "materials"),
        (4, "water"),  # waitlist 1: would take water over its maximum
        (3, "materials"),  # waitlist 2: keeps the rule
        (2, "water"),
    ]
    people, _officer = published(cohort, plan)
    apps = [a for a, _rep in people]
    assert [a.state for a in apps[3:]] == [State.WAITLISTED] * 3
    confirmation.decline_place(people[2][1], apps[2])
    assert (fresh(apps[3]).state, fresh(apps[4]).state) == (State.WAITLISTED, State.SELECTED)
    assert OutboxMessage.objects.filter(kind="backfill_notice").count() == 0


def test_backfill_without_a_quota_keeping_candidate_offers_the_first_and_tells_the_officer():
    cohort = selection_cohort(waitlist_length=2)
    rule(cohort, "green_area", "water", maximum=2)
    plan = [(5, "water"), (5, "water"), (4, "materials"), (4, "water"), (3, "water")]
    people, officer = published(cohort, plan)
    apps = [a for a, _rep in people]
    confirmation.decline_place(people[2][1], apps[2])
    assert fresh(apps[3]).state == State.SELECTED
    notice = OutboxMessage.objects.get(kind="backfill_notice")
    assert notice.recipient == officer
    assert apps[3].company.legal_name in notice.body


def test_reminder_goes_out_once_two_days_before_the_deadline():
    cohort = selection_cohort(confirm_days=7, reminder_lead_days=2)
    people, _officer = published(cohort, [(5, "water"), (4, "water"), (3, "water")])
    now = timezone.now()
    assert confirmation.remind_confirmations(now + timedelta(days=4)) == 0
    assert confirmation.remind_confirmations(now + timedelta(days=5, hours=1)) == 3
    assert confirmation.remind_confirmations(now + timedelta(days=5, hours=2)) == 0
    assert OutboxMessage.objects.filter(kind="place_reminder").count() == 3


def test_waitlisted_still_waiting_at_the_cohort_start_close_as_not_selected():
    cohort = selection_cohort()
    plan = [(5, "water"), (4, "water"), (3, "water"), (2, "water")]
    people, _officer = published(cohort, plan)
    waiting = people[3][0]
    assert confirmation.close_waitlists(cohort.start_date - timedelta(days=1)) == 0
    assert confirmation.close_waitlists(cohort.start_date) == 1
    closed = fresh(waiting)
    assert (closed.state, closed.waitlist_position) == (State.REJECTED, None)
    record = AuditLog.objects.get(action="waitlist_closed")
    assert (record.actor_name, record.from_state, record.to_state) == (
        "system",
        "waitlisted",
        "rejected",
    )
    assert OutboxMessage.objects.filter(kind="waitlist_closed").count() == 1


def test_lapse_after_the_cohort_started_offers_nothing():
    cohort = selection_cohort()
    plan = [(5, "water"), (4, "water"), (3, "water"), (2, "water")]
    people, _officer = published(cohort, plan)
    later = timezone.now() + timedelta(days=25)
    assert confirmation.lapse_overdue(later) == 3
    assert fresh(people[3][0]).state == State.WAITLISTED


def test_drop_out_before_the_start_offers_the_place_to_the_waitlist():
    from mentoring.models import Participation
    from mentoring.services.participation import drop_out

    cohort = selection_cohort()
    plan = [(5, "water"), (4, "water"), (3, "water"), (2, "water")]
    people, officer = published(cohort, plan)
    application, representative = people[0]
    confirmation.confirm_place(representative, application, "2.1")
    participation = Participation.objects.get(application=application)
    drop_out(officer, participation, "Company sold.")
    assert fresh(people[3][0]).state == State.SELECTED
    assert fresh(application).released_at is not None


def test_drop_out_after_the_start_leaves_the_waitlist_alone():
    from mentoring.models import Participation
    from mentoring.services.participation import drop_out

    cohort = selection_cohort()
    plan = [(5, "water"), (4, "water"), (3, "water"), (2, "water")]
    people, officer = published(cohort, plan)
    application, representative = people[0]
    confirmation.confirm_place(representative, application, "2.1")
    type(cohort).objects.filter(pk=cohort.pk).update(start_date=timezone.localdate())
    drop_out(officer, Participation.objects.get(application=application), "Company sold.")
    assert fresh(people[3][0]).state == State.WAITLISTED


def test_selected_sme_sees_the_confirmation_in_my_tasks_with_its_deadline():
    from clinic.todos import todos_for

    cohort = selection_cohort()
    people, _officer = published(cohort, [(5, "water"), (4, "water"), (3, "water")])
    application, representative = people[0]
    todos = [t for t in todos_for(representative) if t.url.endswith("/place/")]
    assert [(t.title, t.due) for t in todos] == [
        ("Confirm or decline your place", application.confirm_due_at)
    ]


def test_decision_mail_gives_the_deadline_in_the_cohorts_time_zone():
    cohort = selection_cohort(time_zone="Europe/Zurich")
    people, _officer = published(cohort, [(5, "water"), (4, "water"), (3, "water")])
    application, representative = people[0]
    message = OutboxMessage.objects.get(kind="selection_decision", recipient=representative)
    local = timezone.localtime(application.confirm_due_at, timezone=ZoneInfo("Europe/Zurich"))
    assert f"by {local:%Y-%m-%d %H:%M} (Europe/Zurich)" in message.body
