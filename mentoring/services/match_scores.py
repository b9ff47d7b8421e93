"""How well each expert fits a participating SME, every part shown to the officer.

Fit score (0-100):
- expertise (up to 50): the expert's level (0-3) in the SME's three weakest dimensions of its
  submitted IP audit, averaged: 50 x mean(level / 3); 0 while the audit has no scores;
- technology area (20): the expert works in the company's green technology area;
- language (15): the expert speaks the company's correspondence language (10 when they only share
  a representative's preferred language);
- remaining capacity (up to 15): 15 x free places / capacity in this cohort.
An expert with a declared conflict with the company, who represents the company, or with no free
place, is not suggested as available (and matching.assign_expert refuses them).
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from clinic.dimensions import Dimension

from ..models import Assignment, ExpertProfile
from ..models.experts import MAX_EXPERTISE, ExpertiseLevel
from .experts import expert_users

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
