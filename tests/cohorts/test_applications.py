from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from viewflow.workflow.status import STATUS

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from cohorts import flows
from cohorts.models import Application, EligibilityRule
from cohorts.services import applications, screening
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    company_with_representative,
    make_user,
    submitted_application,
)
from tests.refusals import refused

pytestmark = pytest.mark.django_db
State = Application.State


def test_create_draft_by_representative_records_audit():
    company, representative = company_with_representative()
    cohort = CohortFactory()
    application = applications.create_draft(representative, cohort, company)
    assert application.state == State.DRAFT
    assert AuditLog.objects.for_object(application).get().action == "created"


def test_create_draft_for_other_company_is_refused():
    company, _representative = company_with_representative()
    with refused("not_permitted"):
        applications.create_draft(make_user(roles.SME), CohortFactory(), company)


def test_create_draft_twice_for_same_cohort_is_refused():
    company, representative = company_with_representative()
    cohort = CohortFactory()
    applications.create_draft(representative, cohort, company)
    with refused("wrong_state"):
        applications.create_draft(representative, cohort, company)
    assert Application.objects.filter(cohort=cohort, company=company).count() == 1


def test_submit_stores_rules_sends_receipt_and_starts_flow():
    application, representative = submitted_application()
    assert application.state == State.SUBMITTED
    assert application.submitted_at is not None
    checks = {c.rule: c.passed for c in application.eligibility_checks.all()}
    assert checks == {rule: True for rule in EligibilityRule.values}
    receipt = OutboxMessage.objects.get(recipient=representative)
    assert receipt.kind == "application_received"
    task = flows.open_task(application, flows.ApplicationFlow.screen)
    assert task.status == STATUS.NEW
    assert task.owner_permission == "cohorts.screen_application"


def test_submit_before_window_opens_is_refused_and_draft_kept():
    company, representative = company_with_representative()
    cohort = CohortFactory(
        applications_open_at=timezone.now() + timedelta(days=1),
        applications_close_at=timezone.now() + timedelta(days=10),
    )
    application = ApplicationFactory(cohort=cohort, company=company)
    with refused("wrong_state"):
        applications.submit(representative, application)
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert application.tech_title.startswith("Membrane")


def test_submit_after_window_closes_is_refused():
    company, representative = company_with_representative()
    cohort = CohortFactory(
        applications_open_at=timezone.now() - timedelta(days=10),
        applications_close_at=timezone.now() - timedelta(days=1),
        start_date=timezone.localdate() + timedelta(days=5),
    )
    application = ApplicationFactory(cohort=cohort, company=company)
    with refused("wrong_state"):
        applications.submit(representative, application)
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_submit_twice_changes_nothing_the_second_time():
    application, representative = submitted_application()
    applications.submit(representative, Application.objects.get(pk=application.pk))
    records = AuditLog.objects.for_object(application).filter(action="submitted")
    assert OutboxMessage.objects.filter(kind="application_received").count() == 1
    assert records.count() == 1
    assert flows.ApplicationProcess.objects.count() == 1


def test_submit_of_a_stale_draft_after_screening_is_refused():
    application, representative = submitted_application()
    screening.confirm_eligible(make_user(roles.OFFICER), application)
    stale = Application.objects.get(pk=application.pk)
    stale.state = State.DRAFT
    with refused("wrong_state") as refusal:
        applications.submit(representative, stale)
    assert (refusal.value.code, Application.objects.get(pk=application.pk).state) == (
        "wrong_state",
        State.ELIGIBLE,
    )


def test_save_draft_writes_only_the_changed_fields():
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    stale = Application.objects.get(pk=application.pk)
    Application.objects.filter(pk=application.pk).update(motivation="Set by a colleague")
    stale.tech_title = "New title"
    applications.save_draft(representative, stale, ["tech_title"])
    stored = Application.objects.get(pk=application.pk)
    assert (stored.tech_title, stored.motivation) == ("New title", "Set by a colleague")


def test_save_draft_of_a_stale_form_never_reopens_a_submitted_application():
    application, representative = submitted_application()
    stale = Application.objects.get(pk=application.pk)
    stale.state = State.DRAFT
    with refused("wrong_state"):
        applications.save_draft(representative, stale, ["tech_title"])
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED


def test_withdraw_twice_changes_nothing_the_second_time():
    application, representative = submitted_application()
    applications.withdraw(representative, application, "Changed plans")
    applications.withdraw(representative, Application.objects.get(pk=application.pk))
    assert AuditLog.objects.for_object(application).filter(action="withdrawn").count() == 1
    assert OutboxMessage.objects.filter(kind="application_withdrawn").count() == 1


def test_submit_incomplete_names_every_missing_field():
    company, representative = company_with_representative()
    application = ApplicationFactory(
        company=company, tech_title="", commitment=False, pitch_deck="", sdg_goals=[]
    )
    with pytest.raises(ValidationError) as raised:
        applications.submit(representative, application)
    assert sorted(raised.value.message_dict) == [
        "commitment",
        "pitch_deck",
        "sdg_goals",
        "tech_title",
    ]
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_submit_by_non_representative_is_refused():
    company, _representative = company_with_representative()
    application = ApplicationFactory(company=company)
    with refused("not_permitted"):
        applications.submit(make_user(roles.SME), application)


def test_eligibility_size_uses_cohort_rate():
    # 20m CNY: at 0.128 = 2.56m EUR (small); at 0.05 = 1m EUR (micro); 600m at 0.128 is large.
    company, representative = company_with_representative(
        employees=5, annual_turnover=Decimal("20000000")
    )
    cohort = CohortFactory(rate_to_eur=Decimal("0.05"))
    application, _ = submitted_application(
        cohort=cohort, company=company, representative=representative
    )
    assert application.size_class == "micro"
    large, _ = submitted_application(
        company_kwargs={"employees": 300, "annual_turnover": Decimal("600000000")}
    )
    check = large.eligibility_checks.get(rule=EligibilityRule.SIZE)
    assert (large.size_class, check.passed) == ("large", False)


def test_eligibility_location_checks_country_and_regions():
    cohort = CohortFactory(regions="Beijing, Tianjin")
    inside, _ = submitted_application(cohort=cohort, company_kwargs={"region": "beijing"})
    outside, _ = submitted_application(
        cohort=cohort, company_kwargs={"region": "Sichuan", "city": "Chengdu"}
    )
    abroad, _ = submitted_application(
        cohort=cohort, company_kwargs={"country": "DE", "region": "Beijing"}
    )
    results = [
        app.eligibility_checks.get(rule=EligibilityRule.LOCATION).passed
        for app in (inside, outside, abroad)
    ]
    assert results == [True, False, False]


def test_save_draft_after_submit_is_refused():
    application, representative = submitted_application()
    application.tech_title = "Changed"
    with refused("wrong_state"):
        applications.save_draft(representative, application)


def test_withdraw_cancels_flow_and_notifies():
    application, representative = submitted_application()
    applications.withdraw(representative, application, "Changed plans")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert flows.process_of(application).status == "CANCELED"
    assert OutboxMessage.objects.filter(kind="application_withdrawn").count() == 1
    record = AuditLog.objects.for_object(application).filter(action="withdrawn").get()
    assert (record.from_state, record.to_state, record.reason) == (
        "submitted",
        "withdrawn",
        "Changed plans",
    )


def test_withdraw_by_other_sme_is_refused():
    application, _representative = submitted_application()
    with refused("not_permitted"):
        applications.withdraw(make_user(roles.SME), application)


def test_withdraw_after_decision_is_refused():
    application, representative = submitted_application()
    screening.mark_ineligible(make_user(roles.OFFICER), application, "Large company")
    with refused("wrong_state"):
        applications.withdraw(representative, application)


def test_confirm_eligible_by_officer_completes_screening_task():
    application, _ = submitted_application()
    officer = make_user(roles.OFFICER)
    screening.confirm_eligible(officer, application)
    application.refresh_from_db()
    assert application.state == State.ELIGIBLE
    assert flows.open_task(application, flows.ApplicationFlow.screen) is None
    assert flows.open_task(application, flows.ApplicationFlow.reviews).status == STATUS.NEW
    record = AuditLog.objects.for_object(application).filter(action="confirmed_eligible").get()
    assert (record.actor_name, record.from_state, record.to_state) == (
        officer.username,
        "submitted",
        "eligible",
    )


@pytest.mark.parametrize("role", [roles.SME, roles.REVIEWER, roles.EXPERT])
def test_screening_by_non_officer_is_refused(role):
    application, _ = submitted_application()
    user = make_user(role)
    with refused("not_permitted"):
        screening.confirm_eligible(user, application)
    with refused("not_permitted"):
        screening.mark_ineligible(user, application, "no")
    with refused("not_permitted"):
        screening.request_information(user, application, "more")


def test_confirm_eligible_with_failed_rule_needs_reason():
    application, _ = submitted_application(
        company_kwargs={"region": "Sichuan", "city": "Chengdu"},
        cohort=CohortFactory(regions="Beijing"),
    )
    officer = make_user(roles.OFFICER)
    with refused("invalid"):
        screening.confirm_eligible(officer, application, "")
    screening.confirm_eligible(officer, application, "Moved HQ to Beijing last month")
    application.refresh_from_db()
    assert (application.state, application.eligibility_overridden) == (State.ELIGIBLE, True)


def test_mark_ineligible_needs_reason_and_tells_applicant():
    application, representative = submitted_application()
    officer = make_user(roles.OFFICER)
    with refused("invalid"):
        screening.mark_ineligible(officer, application, "  ")
    screening.mark_ineligible(officer, application, "Turnover above the medium threshold")
    application.refresh_from_db()
    assert application.state == State.INELIGIBLE
    message = OutboxMessage.objects.get(kind="application_ineligible")
    assert (message.recipient, "Turnover above the medium threshold" in message.body) == (
        representative,
        True,
    )
    assert flows.process_of(application).status == "DONE"


def test_screening_twice_is_refused():
    application, _ = submitted_application()
    officer = make_user(roles.OFFICER)
    screening.confirm_eligible(officer, application)
    with refused("wrong_state"):
        screening.mark_ineligible(officer, application, "late")


def test_needs_info_then_resubmit_returns_to_screening():
    application, representative = submitted_application()
    officer = make_user(roles.OFFICER)
    screening.request_information(officer, application, "Send your business licence")
    application.refresh_from_db()
    assert application.state == State.NEEDS_INFO
    assert application.info_due_at > timezone.now() + timedelta(days=6)
    assert flows.open_task(application, flows.ApplicationFlow.await_information) is not None
    application.motivation = "Updated with licence"
    applications.save_draft(representative, application)
    applications.submit(representative, application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert flows.open_task(application, flows.ApplicationFlow.screen).status == STATUS.NEW
    assert OutboxMessage.objects.filter(kind="application_received").count() == 2


def test_needs_info_resubmit_after_call_closed_is_allowed():
    application, representative = submitted_application()
    screening.request_information(make_user(roles.OFFICER), application, "More detail")
    cohort = application.cohort
    cohort.applications_close_at = timezone.now() - timedelta(minutes=1)
    cohort.save()
    applications.submit(representative, application)
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED


def test_request_information_with_past_deadline_is_refused():
    application, _ = submitted_application()
    with refused("invalid"):
        screening.request_information(
            make_user(roles.OFFICER), application, "x", timezone.now() - timedelta(days=1)
        )


def test_overdue_information_request_withdraws_with_system_actor():
    application, representative = submitted_application()
    screening.request_information(make_user(roles.OFFICER), application, "Send licence")
    assert screening.withdraw_overdue(now=timezone.now() + timedelta(days=3)) == 0
    assert screening.withdraw_overdue(now=timezone.now() + timedelta(days=8)) == 1
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    record = AuditLog.objects.for_object(application).filter(action="withdrawn").get()
    assert (record.actor_name, record.from_state) == ("system", "needs_info")
    assert flows.process_of(application).status == "CANCELED"
    with refused("wrong_state"):
        applications.submit(representative, application)


def test_withdraw_draft_needs_no_flow_or_message():
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    applications.withdraw(representative, application)
    assert Application.objects.get(pk=application.pk).state == State.WITHDRAWN
    assert OutboxMessage.objects.count() == 0
    assert flows.process_of(application) is None


def test_save_draft_by_other_sme_is_refused():
    company, _representative = company_with_representative()
    application = ApplicationFactory(company=company)
    with refused("not_permitted"):
        applications.save_draft(make_user(roles.SME), application)


def test_information_request_reminder_sent_once_before_deadline():
    application, representative = submitted_application()
    screening.request_information(make_user(roles.OFFICER), application, "Send licence")
    assert screening.remind_information_requests() == 0
    later = timezone.now() + timedelta(days=5, hours=1)  # 7 days to answer, 2 days' lead
    assert screening.remind_information_requests(now=later) == 1
    assert screening.remind_information_requests(now=later) == 0
    message = OutboxMessage.objects.get(kind="application_info_reminder")
    assert (message.recipient, "Send licence" in message.body) == (representative, True)
