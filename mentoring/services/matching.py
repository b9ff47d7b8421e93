"""Assigning experts to participating SMEs (one by one or the best match for everyone) and
ending assignments. The fit score behind the suggestions: match_scores.py.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from clinic import versioning
from clinic.models import Company
from clinic.services import audit
from clinic.services.outbox import queue_message
from clinic.transitions import Refused

from .. import permissions
from ..models import Assignment, ExpertProfile, Participation
from .experts import profile_for
from .match_scores import MatchingContext, representative_languages


def _check_assignable(expert, participation, role):
    """Refuse a conflicted or over-capacity assignment with a message that says why."""
    company = participation.company
    profile = ExpertProfile.objects.select_for_update().get(pk=profile_for(expert).pk)
    if company.representatives.filter(pk=expert.pk).exists():
        raise Refused(
            "wrong_state",
            _("%(expert)s represents %(company)s and cannot mentor it.")
            % {"expert": expert, "company": company.legal_name},
        )
    if profile.conflicts.filter(pk=company.pk).exists():
        raise Refused(
            "wrong_state",
            _("%(expert)s declared a conflict of interest with %(company)s and cannot mentor it.")
            % {"expert": expert, "company": company.legal_name},
        )
    load = (
        Assignment.objects.filter(
            expert=expert, participation__cohort=participation.cohort, ended_at__isnull=True
        )
        .exclude(participation=participation)
        .count()
    )
    if load >= profile.capacity:
        raise Refused(
            "wrong_state",
            _(
                "%(expert)s is at capacity: %(load)d of %(capacity)d companies in %(cohort)s "
                "already. Raise the capacity on the expert's profile or choose another expert."
            )
            % {
                "expert": expert,
                "load": load,
                "capacity": profile.capacity,
                "cohort": participation.cohort,
            },
        )
    other = participation.assignments.filter(expert=expert, ended_at__isnull=True).first()
    if other is not None:
        if other.role == role:
            raise Refused(
                "wrong_state",
                _("%(expert)s is already the %(role)s of this company.")
                % {"expert": expert, "role": other.get_role_display().lower()},
            )
        raise Refused(
            "wrong_state",
            _("%(expert)s is already the %(role)s of this company: remove that first.")
            % {"expert": expert, "role": other.get_role_display().lower()},
        )


@transaction.atomic
def assign_expert(actor, participation, expert, role=Assignment.Role.LEAD, *, score=None):
    """An officer makes ``expert`` the lead or support expert of a participant.

    Refuses conflicted and over-capacity experts, inactive participations and
    users without the expert role. Side-effects: the previous expert in that role (if any) is
    ended; an Assignment; audit record "expert_assigned" (from the previous expert to the new
    one, the role as reason); mail "expert_assigned" to the expert and "mentor_assigned" to every
    representative of the company.
    """
    if not permissions.can_match(actor):
        raise Refused("not_permitted")
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if participation.state in permissions.INACTIVE_STATES:
        raise Refused("wrong_state", _("This participant is no longer in the programme."))
    if not permissions.is_expert(expert):
        raise Refused(
            "wrong_state", _("%(user)s does not hold the expert role.") % {"user": expert}
        )
    _check_assignable(expert, participation, role)
    previous = participation.assignments.filter(role=role, ended_at__isnull=True).first()
    if previous is not None:
        _end(previous)
    assignment = Assignment.objects.create(
        participation=participation, expert=expert, role=role, assigned_by=actor, score=score
    )
    audit.record(
        participation,
        "expert_assigned",
        actor=actor,
        from_state=previous.expert.username if previous else "",
        to_state=expert.username,
        reason=str(assignment.get_role_display()),
    )
    _notify_assignment(assignment)
    return assignment


def _end(assignment):
    from django.utils import timezone

    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])


@transaction.atomic
def unassign_expert(actor, assignment):
    """An officer removes an expert from a participant.

    Side-effects: the assignment ends (kept for the history); audit record "expert_unassigned".
    Planned sessions stay; the officer or the new expert reschedules or cancels them.
    """
    if not permissions.can_match(actor):
        raise Refused("not_permitted")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        return assignment  # ended already: nothing again
    _end(assignment)
    audit.record(
        assignment.participation,
        "expert_unassigned",
        actor=actor,
        from_state=assignment.expert.username,
        reason=str(assignment.get_role_display()),
    )
    return assignment


def _notify_assignment(assignment):
    participation = assignment.participation
    url = reverse("mentoring:participant", args=[participation.pk])
    context = {
        "participation": participation,
        "company": participation.company,
        "cohort": participation.cohort,
        "expert": assignment.expert,
        "role": assignment.role,
        "url": url,
    }
    queue_message(assignment.expert, "expert_assigned", context, related=participation)
    for representative in participation.company.representatives.all():
        queue_message(representative, "mentor_assigned", context, related=participation)


def participants_to_match(cohort):
    return (
        Participation.objects.filter(cohort=cohort)
        .exclude(state__in=permissions.INACTIVE_STATES)
        .select_related("company", "audit", "cohort")
        .prefetch_related("assignments__expert", "company__representatives")
        .order_by("company__legal_name")
    )


@transaction.atomic
def assign_all_best_matches(actor, cohort):
    """Give every participant without a lead expert its best available match, within capacity.

    Participants are served in order of their weakest audit (lowest mean self-assessed maturity
    first), so those who need most help get the first pick. Side-effects: as ``assign_expert``
    for each assignment made. The cohort row is locked first: a second run at the same time
    waits, then finds everyone matched (nothing sent or recorded twice). Returns (assignments
    made, participants left without a match).
    """
    if not permissions.can_match(actor):
        raise Refused("not_permitted")
    cohort = versioning.lock(cohort)
    context = MatchingContext(cohort)
    waiting = [
        p
        for p in participants_to_match(cohort)
        if not any(
            a.role == Assignment.Role.LEAD and a.ended_at is None for a in p.assignments.all()
        )
    ]
    waiting.sort(key=lambda p: (_mean_score(p.audit), p.company.legal_name))
    made, unmatched = [], []
    for participation in waiting:
        best = next(
            (
                s
                for s in context.rank(participation, representative_languages(participation))
                if s.available and not s.current_role
            ),
            None,
        )
        if best is None:
            unmatched.append(participation)
            continue
        made.append(assign_expert(actor, participation, best.expert, score=best.total))
        context.loads[best.expert.pk] = context.loads.get(best.expert.pk, 0) + 1
    return made, unmatched


def _mean_score(ip_audit):
    scores = [
        float(entry["score"])
        for entry in ((ip_audit.scores or {}).values() if ip_audit else [])
        if isinstance(entry, dict) and entry.get("score") is not None
    ]
    return sum(scores) / len(scores) if scores else 5.0


def conflicted_companies(user):
    return Company.objects.filter(conflicted_experts__user=user)
