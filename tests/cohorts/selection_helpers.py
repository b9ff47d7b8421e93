"""Builders for the selection tests: a cohort in selection with scored applications."""

from datetime import timedelta

from django.utils import timezone

from clinic import roles
from cohorts.models import Application, QuotaRule
from cohorts.services import proposals, publishing
from tests.factories import (
    CohortFactory,
    company_with_representative,
    make_user,
    scored_application,
    uniform_scores,
)


def selection_cohort(**kwargs):
    """A cohort whose call closed yesterday and which starts in 20 days."""
    now, today = timezone.now(), timezone.localdate()
    defaults = {
        "applications_open_at": now - timedelta(days=30),
        "applications_close_at": now - timedelta(days=1),
        "start_date": today + timedelta(days=20),
        "end_date": today + timedelta(days=140),
        "capacity": 3,
        "waitlist_length": 2,
        "terms_version": "2.1",
        "terms_text": "Attend every session.",
    }
    return CohortFactory(**{**defaults, **kwargs})


def applicant(cohort, score, *, area="water", size="small", region="Beijing", language="en"):
    """A reviewed application (two reviews giving ``score`` 1-5 on every criterion) whose
    company has one representative; returns (application, representative)."""
    company, representative = company_with_representative(region=region)
    representative.preferred_language = language
    representative.save(update_fields=["preferred_language"])
    application = scored_application(
        cohort,
        [uniform_scores(score), uniform_scores(score)],
        company=company,
        tech_area=area,
    )
    Application.objects.filter(pk=application.pk).update(size_class=size)
    application.refresh_from_db()
    return application, representative


def rule(cohort, dimension, value, minimum=None, maximum=None):
    return QuotaRule.objects.create(
        cohort=cohort, dimension=dimension, value=value, minimum=minimum, maximum=maximum
    )


def staff():
    """(officer, second officer, lead)."""
    return make_user(roles.OFFICER), make_user(roles.OFFICER), make_user(roles.LEAD)


def rows_of(proposal):
    """The proposal's entries as ``save_proposal`` rows."""
    return {
        entry.pk: (entry.outcome, entry.position, entry.reason) for entry in proposal.entries.all()
    }


def approved(cohort, officer, lead):
    """Start, submit unchanged and approve the cohort's proposal (publishing it)."""
    proposal = proposals.start_proposal(officer, cohort)
    proposal = proposals.save_proposal(
        officer, proposal, proposal.version, rows_of(proposal), submit=True
    )
    return publishing.approve(lead, proposal)


def states(applications):
    """The applications' states as the database has them now."""
    return [Application.objects.get(pk=a.pk).state for a in applications]
