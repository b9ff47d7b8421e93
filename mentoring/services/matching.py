"""Matching experts to participating SMEs and assigning them.

Fit score (0-100), every part shown to the officer:
- expertise (up to 50): the expert's level (0-3) in the SME's three weakest dimensions of its
  submitted IP audit, averaged: 50 x mean(level / 3); 0 while the audit has no scores;
- technology area (20): the expert works in the company's green technology area;
- language (15): the expert speaks the company's correspondence language (10 when they only share
  a representative's preferred language);
- remaining capacity (up to 15): 15 x free places / capacity in this cohort.
An expert with a declared conflict with the company, who represents the company, or with no free
place, is not suggested as available and cannot be assigned.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from clinic import versioning
from clinic.dimensions import Dimension
from clinic.models import Company
from clinic.services import audit
from clinic.services.accounts import NotAllowed
from clinic.services.outbox import queue_message

from .. import permissions
from ..models import Assignment, ExpertProfile, Participation
from ..models.experts import MAX_EXPERTISE, ExpertiseLevel
from . import MentoringError
from .experts import expert_users, profile_for

WEAKEST_COUNT = 3
POINTS_EXPERTISE = 50
POINTS_AREA = 20
POINTS_LANGUAGE = 15
POINTS_LANGUAGE_REPRESENTATIVE = 10
POINTS_CAPACITY = 15


@dataclass
class Part:
    label: str
    points: int
    maximum: int
    detail: str


@dataclass
class Suggestion:
    expert: object
    profile: ExpertProfile
    total: int = 0
    parts: list = field(default_factory=list)
    capacity: int = 0
    load: int = 0
    conflicted: bool = False
    current_role: str = ""

    @property
    def remaining(self):
        return max(self.capacity - self.load, 0)

    @property
    def full(self):
        return self.remaining <= 0

    @property
    def available(self):
        return not self.conflicted and not self.full

    @property
    def refusal(self):
        if self.conflicted:
            return _("Conflict of interest declared")
        if self.full:
            return _("No free place (%(load)d of %(capacity)d)") % {
                "load": self.load,
                "capacity": self.capacity,
            }
        return ""


def weakest_dimensions(ip_audit, count=WEAKEST_COUNT):
    """The ``count`` lowest self-assessed dimensions [(Dimension, score)], lowest first."""
    if ip_audit is None or not ip_audit.scores:
        return []
    scored = [
        (int(key), entry.get("score"))
        for key, entry in ip_audit.scores.items()
        if isinstance(entry, dict) and entry.get("score") is not None
    ]
    scored.sort(key=lambda item: (float(item[1]), item[0]))
    return [(Dimension(key), score) for key, score in scored[:count] if key in Dimension.values]


class MatchingContext:
    """Everything ranking needs for one cohort, loaded once (a fixed number of queries)."""

    def __init__(self, cohort):
        self.cohort = cohort
        users = list(expert_users())
        profiles = {
            profile.user_id: profile
            for profile in ExpertProfile.objects.filter(user__in=[u.pk for u in users])
        }
        self.profiles = [
            (user, profiles.get(user.pk) or ExpertProfile(user=user)) for user in users
        ]
        self.conflicts = set(
            ExpertProfile.conflicts.through.objects.filter(
                expertprofile__user__in=[u.pk for u in users]
            ).values_list("expertprofile__user_id", "company_id")
        )
        self.loads = dict(
            Assignment.objects.filter(participation__cohort=cohort, ended_at__isnull=True)
            .values_list("expert")
            .annotate(count=Count("pk"))
            .values_list("expert", "count")
        )

    def rank(self, participation, representative_languages=()):
        """Suggestions for ``participation``, best first (available ones before refused ones)."""
        company = participation.company
        weakest = weakest_dimensions(participation.audit)
        current = {
            a.expert_id: a.role
            for a in participation.assignments.all()
            if a.ended_at is None  # prefetched by callers
        }
        own = {user.pk for user in company.representatives.all()}  # never mentor one's own company
        suggestions = []
        for user, profile in self.profiles:
            suggestion = Suggestion(
                expert=user,
                profile=profile,
                capacity=profile.capacity,
                # an expert already assigned here keeps this place: it is not "used" against them
                load=self.loads.get(user.pk, 0) - (1 if user.pk in current else 0),
                conflicted=(user.pk, company.pk) in self.conflicts or user.pk in own,
                current_role=current.get(user.pk, ""),
            )
            suggestion.parts = score_parts(
                profile, company, weakest, suggestion, representative_languages
            )
            suggestion.total = sum(part.points for part in suggestion.parts)
            suggestions.append(suggestion)
        suggestions.sort(key=lambda s: (not s.available, -s.total, -s.remaining, s.expert.username))
        return suggestions


def score_parts(profile, company, weakest, suggestion, representative_languages=()):
    parts = []
    if weakest:
        levels = [(dimension, profile.level(dimension)) for dimension, _score in weakest]
        mean = sum(level for _d, level in levels) / (len(levels) * MAX_EXPERTISE)
        self_assessed = _("self-assessed")
        detail = "; ".join(
            f"{int(dimension)} {dimension.label} ({self_assessed} {score}): "
            f"{ExpertiseLevel(level).label}"
            for (dimension, level), (_dim, score) in zip(levels, weakest, strict=True)
        )
        parts.append(
            Part(
                _("Expertise in the weakest dimensions"),
                round(POINTS_EXPERTISE * mean),
                POINTS_EXPERTISE,
                detail,
            )
        )
    else:
        parts.append(
            Part(
                _("Expertise in the weakest dimensions"),
                0,
                POINTS_EXPERTISE,
                _("The IP audit has no scores yet."),
            )
        )
    area_match = company.green_area in profile.tech_areas
    parts.append(
        Part(
            _("Technology area"),
            POINTS_AREA if area_match else 0,
            POINTS_AREA,
            company.get_green_area_display()
            + (" ✓" if area_match else " – " + _("not among the expert's areas")),
        )
    )
    if company.correspondence_language in profile.languages:
        points, detail = POINTS_LANGUAGE, _("Speaks the company's correspondence language")
    elif set(representative_languages) & set(profile.languages):
        points, detail = (
            POINTS_LANGUAGE_REPRESENTATIVE,
            _("Shares a representative's language only"),
        )
    else:
        points, detail = 0, _("No shared language")
    parts.append(Part(_("Shared language"), points, POINTS_LANGUAGE, detail))
    capacity = suggestion.capacity
    free = suggestion.remaining
    parts.append(
        Part(
            _("Remaining capacity"),
            round(POINTS_CAPACITY * free / capacity) if capacity else 0,
            POINTS_CAPACITY,
            _("%(free)d of %(capacity)d places free") % {"free": free, "capacity": capacity},
        )
    )
    return parts


def representative_languages(participation):
    return {user.preferred_language for user in participation.company.representatives.all()}


def rank_experts(participation):
    """Suggestions for one participant, best first (see the module docstring for the score)."""
    context = MatchingContext(participation.cohort)
    return context.rank(participation, representative_languages(participation))


def _check_assignable(expert, participation, role):
    """Refuse a conflicted or over-capacity assignment with a message that says why."""
    company = participation.company
    profile = ExpertProfile.objects.select_for_update().get(pk=profile_for(expert).pk)
    if company.representatives.filter(pk=expert.pk).exists():
        raise MentoringError(
            _("%(expert)s represents %(company)s and cannot mentor it.")
            % {"expert": expert, "company": company.legal_name}
        )
    if profile.conflicts.filter(pk=company.pk).exists():
        raise MentoringError(
            _("%(expert)s declared a conflict of interest with %(company)s and cannot mentor it.")
            % {"expert": expert, "company": company.legal_name}
        )
    load = (
        Assignment.objects.filter(
            expert=expert, participation__cohort=participation.cohort, ended_at__isnull=True
        )
        .exclude(participation=participation)
        .count()
    )
    if load >= profile.capacity:
        raise MentoringError(
            _(
                "%(expert)s is at capacity: %(load)d of %(capacity)d companies in %(cohort)s "
                "already. Raise the capacity on the expert's profile or choose another expert."
            )
            % {
                "expert": expert,
                "load": load,
                "capacity": profile.capacity,
                "cohort": participation.cohort,
            }
        )
    other = participation.assignments.filter(expert=expert, ended_at__isnull=True).first()
    if other is not None:
        if other.role == role:
            raise MentoringError(
                _("%(expert)s is already the %(role)s of this company.")
                % {"expert": expert, "role": other.get_role_display().lower()}
            )
        raise MentoringError(
            _("%(expert)s is already the %(role)s of this company: remove that first.")
            % {"expert": expert, "role": other.get_role_display().lower()}
        )


@transaction.atomic
def assign_expert(actor, participation, expert, role=Assignment.Role.LEAD, *, score=None):
    """An officer makes ``expert`` the lead or support expert of a participant.

    Refuses (MentoringError) conflicted and over-capacity experts, inactive participations and
    users without the expert role. Side-effects: the previous expert in that role (if any) is
    ended; an Assignment; audit record "expert_assigned" (from the previous expert to the new
    one, the role as reason); mail "expert_assigned" to the expert and "mentor_assigned" to every
    representative of the company.
    """
    if not permissions.can_match(actor):
        raise NotAllowed
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if participation.state in permissions.INACTIVE_STATES:
        raise MentoringError(_("This participant is no longer in the programme."))
    if not permissions.is_expert(expert):
        raise MentoringError(_("%(user)s does not hold the expert role.") % {"user": expert})
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
        raise NotAllowed
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
        raise NotAllowed
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
