import pytest
from viewflow.workflow.status import STATUS

from clinic import roles
from clinic.models import AuditLog, IPAudit
from clinic.services import ipaudit
from cohorts.models import Application
from cohorts.services import applications
from cohorts.signals import place_confirmed
from mentoring.flows import ParticipationFlow, process_of
from mentoring.models import Participation
from mentoring.services import participation as participation_service
from tests.factories import (
    CohortFactory,
    answer_required,
    company_with_representative,
    make_user,
    published_version,
)
from tests.refusals import refused

pytestmark = pytest.mark.django_db


def confirmed_place():
    published_version("cohort-version")
    company, representative = company_with_representative()
    application = applications.create_draft(representative, CohortFactory(), company)
    place_confirmed.send(sender=Application, application=application, actor=representative)
    return Participation.objects.get(application=application), representative


def open_stages(participation):
    process = process_of(participation)
    return sorted(
        task.flow_task.name
        for task in process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
    )


def test_confirming_a_place_starts_participation_and_opens_the_audit():
    participation, _representative = confirmed_place()
    assert participation.state == Participation.State.AUDIT
    assert participation.audit.state == IPAudit.State.DRAFT
    assert participation.audit.company == participation.company
    assert open_stages(participation) == ["audit"]
    actions = list(AuditLog.objects.for_object(participation).values_list("action", flat=True))
    assert actions == ["audit_opened", "participation_started"]


def test_confirmation_signal_twice_starts_one_participation():
    participation, representative = confirmed_place()
    place_confirmed.send(
        sender=Application, application=participation.application, actor=representative
    )
    assert Participation.objects.count() == 1
    assert process_of(participation).task_set.filter(flow_task=ParticipationFlow.audit).count() == 1


def test_submitting_the_audit_moves_participation_to_mentoring():
    participation, representative = confirmed_place()
    answer_required(participation.audit, representative)
    ipaudit.submit_audit(representative, participation.audit)
    participation.refresh_from_db()
    assert participation.state == Participation.State.MENTORING
    assert open_stages(participation) == ["mentoring"]


def test_officer_drops_out_participant_and_the_flow_is_cancelled():
    participation, representative = confirmed_place()
    officer = make_user(roles.OFFICER)
    with refused("not_permitted"):
        participation_service.drop_out(representative, participation, "We are too busy")
    participation_service.drop_out(officer, participation, "Company acquired")
    participation.refresh_from_db()
    assert (participation.state, participation.dropped_reason) == (
        "dropped_out",
        "Company acquired",
    )
    assert process_of(participation).status == STATUS.CANCELED
    with refused("wrong_state"):
        participation_service.drop_out(officer, participation, "again")
