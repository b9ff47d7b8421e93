"""Builders for the assessment, action plan and plan PDF tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clinic import roles
from clinic.dimensions import Dimension
from mentoring.models import Assessment, PlanVersion
from mentoring.services import action_plan, plan_versions
from mentoring.services import assessment as assessment_service
from tests.factories import make_user

from .helpers import assigned, held_session, participant

PRIVATE = "Founder hides a co-ownership dispute with the university"
EXPERT_LEVELS = {1: 1, 2: 2, 3: 1, 4: 0, 5: 3, 6: 2, 7: 0, 8: 1, 9: 1, 10: 0, 11: 2}
TARGETS = {1: 3, 2: 3, 3: 3, 4: 3, 5: 4, 6: 3, 7: 2, 8: 3, 9: 2, 10: 1, 11: 3}


def scores(levels=None, targets=None, rationale="Filing decisions are taken ad hoc."):
    levels = EXPERT_LEVELS if levels is None else levels
    targets = TARGETS if targets is None else targets
    return {
        d: {"maturity": levels.get(d), "target": targets.get(d), "rationale": rationale}
        for d in Dimension.values
    }


def lead():
    return make_user(roles.LEAD, first_name="Maria", last_name="Lead")


def started(company_kwargs=None, sessions=1, follow_ups=()):
    """A participant with a lead expert, held sessions (shared notes, a private note) and a
    started assessment: (participation, representative, expert, officer, assessment)."""
    participation, _rep = participant(weak={4: 0.5, 7: 1.0}, **(company_kwargs or {}))
    participation, representative, expert, officer = assigned(participation)
    for number in range(sessions):
        held_session(
            participation,
            expert,
            days_ago=20 - number,
            private=PRIVATE,
            follow_ups=list(follow_ups) if number == 0 else [],
        )
    current = assessment_service.start_assessment(expert, participation)
    participation.refresh_from_db()
    return participation, representative, expert, officer, current


def submitted(company_kwargs=None, items=3, **kwargs):
    """A participant whose assessment is submitted, with ``items`` action items."""
    participation, representative, expert, officer, current = started(company_kwargs, **kwargs)
    assessment_service.save_assessment(
        expert,
        current,
        scores=scores(),
        executive_summary="Strong technical base, informal IP management.",
        strengths="Two granted utility models",
        weaknesses="No IP policy",
        opportunities="Green loans",
        threats="Competitors filing around the membrane",
    )
    for number in range(items):
        action_plan.add_item(expert, current, **item_values(current, number))
    assessment_service.submit_assessment(expert, current)
    participation.refresh_from_db()
    current.refresh_from_db()
    return participation, representative, expert, officer, current


def item_values(current, number=0, **changes):
    values = {
        "dimension": Dimension.PATENTS,
        "policy": "acquire",
        "title": f"File a PCT application for the membrane, step {number + 1}",
        "description": "Draft with the patent attorney, then file.",
        "horizon": 3,
        "owner": "CTO",
        "due_date": current.assessed_on + timedelta(days=30 + number),
        "cost": Decimal("8000"),
        "currency": "CNY",
        "kpi": "Filed and acknowledged",
        "status": "open",
    }
    values.update(changes)
    return values


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


__all__ = ["Assessment", "timezone"]


def generate(actor, participation, django_capture_on_commit_callbacks, language=None):
    """Request a plan version and run what is queued after commit (the render)."""
    with django_capture_on_commit_callbacks(execute=True):
        version = plan_versions.request_version(actor, participation, language)
    return PlanVersion.objects.get(pk=version.pk)


def broken_font(settings, tmp_path):
    """Point the PDF renderer at a font file that is not a font: every render fails."""
    path = tmp_path / "broken.ttf"
    path.write_bytes(b"not a font at all")
    settings.CJK_FONT_PATH = str(path)
