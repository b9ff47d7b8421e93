import pytest

from clinic import demo
from clinic.models import IPAsset, IPAudit

pytestmark = pytest.mark.django_db


def test_demo_seed_gives_running_cohort_audits_and_assets_idempotently():
    data = {"password": "demo12345", "log": lambda message: None}
    demo.seed(data)
    demo.seed(data)
    states = sorted(IPAudit.objects.values_list("state", flat=True))
    assert IPAudit.objects.count() == 20
    assert states.count(IPAudit.State.SUBMITTED) == 17
    assert states.count(IPAudit.State.RETURNED) == 2
    assert states.count(IPAudit.State.DRAFT) == 1
    submitted = IPAudit.objects.filter(state=IPAudit.State.SUBMITTED)
    assert all(len(audit.scores) == 11 for audit in submitted)
    assert IPAsset.objects.filter(company__in=data["companies"][:20]).count() > 60
    for asset in IPAsset.objects.all():
        asset.full_clean()


def test_demo_audits_go_through_the_services_and_queue_their_mail():
    from clinic.models import AuditLog, OutboxMessage

    data = {"password": "demo12345", "log": lambda message: None}
    demo.seed(data)
    actions = ("audit_started", "audit_submitted", "audit_returned")
    logged = [AuditLog.objects.filter(action=action).count() for action in actions]
    mailed = set(OutboxMessage.objects.filter(kind__in=actions).values_list("kind", flat=True))
    # 19 submitted, two of them twice (returned and corrected), two more returned and waiting
    assert (logged, mailed) == ([20, 21, 4], set(actions))
