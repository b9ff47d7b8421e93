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
