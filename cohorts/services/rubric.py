"""The review rubric of a cohort: the DOMAIN.md default, editing until the first review, copying."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clinic import permissions
from clinic.services import audit
from clinic.services.accounts import NotAllowed

from ..models import Review, RubricCriterion

IP_RELEVANCE = "ip_relevance"

# key, name, Chinese name, weight, anchors 1-5
DEFAULT_RUBRIC = [
    (
        "innovation",
        "Innovation and novelty",
        "创新性与新颖性",
        20,
        (
            "Known technology with no visible improvement.",
            "Minor adaptation of existing solutions.",
            "Clear improvement over existing solutions.",
            "Significant advance with few comparable solutions.",
            "Breakthrough with no comparable solution on the market.",
        ),
    ),
    (
        "green_impact",
        "Green impact and SDG alignment",
        "绿色影响与可持续发展目标契合度",
        20,
        (
            "No measurable environmental benefit.",
            "Small or indirect environmental benefit.",
            "Measurable benefit in one SDG area.",
            "Substantial, quantified benefit across SDG areas.",
            "Transformative, well-evidenced impact at scale.",
        ),
    ),
    (
        IP_RELEVANCE,
        "IP relevance and protectability",
        "知识产权相关性与可保护性",
        20,
        (
            "Nothing that IP could protect.",
            "Some protectable elements, not yet identified.",
            "Protectable assets identified, little protection yet.",
            "Assets partly protected, clear further options.",
            "Strong, protectable portfolio central to the business.",
        ),
    ),
    (
        "market",
        "Market and growth potential",
        "市场与增长潜力",
        15,
        (
            "No identified market.",
            "Small or unclear market.",
            "Defined market with early customers.",
            "Growing market with traction and a plan.",
            "Large market, strong traction, export potential.",
        ),
    ),
    (
        "team",
        "Team capacity and commitment",
        "团队能力与投入",
        15,
        (
            "No one available to take part.",
            "Limited time or skills to take part.",
            "A committed contact with basic capacity.",
            "A committed team with decision-makers involved.",
            "Senior management fully committed, clear owner for IP.",
        ),
    ),
    (
        "clinic_fit",
        "Clinic fit",
        "与诊所项目的契合度",
        10,
        (
            "The clinic would not help.",
            "Needs only partly match what the clinic offers.",
            "Needs match the clinic reasonably well.",
            "Needs match the clinic well; ready to act on advice.",
            "Ideal fit: clear IP questions the clinic answers.",
        ),
    ),
]


def default_criteria(cohort):
    return [
        RubricCriterion(
            cohort=cohort,
            key=key,
            name=name,
            name_zh=name_zh,
            weight=weight,
            order=index,
            **{f"anchor_{level}": text for level, text in enumerate(anchors, start=1)},
        )
        for index, (key, name, name_zh, weight, anchors) in enumerate(DEFAULT_RUBRIC)
    ]


def ensure_rubric(cohort):
    """The cohort's criteria, creating the DOMAIN.md default when it has none. Returns a list."""
    criteria = list(cohort.criteria.all())
    if not criteria:
        RubricCriterion.objects.bulk_create(default_criteria(cohort))
        criteria = list(cohort.criteria.all())
    return criteria


def copy_rubric(source, target):
    """Replace ``target``'s criteria with copies of ``source``'s. Side-effects: rows replaced."""
    target.criteria.all().delete()
    copies = []
    for criterion in ensure_rubric(source):
        criterion.pk = None
        criterion.cohort = target
        copies.append(criterion)
    RubricCriterion.objects.bulk_create(copies)


def rubric_locked(cohort):
    """The rubric is fixed once the first review of the cohort is submitted."""
    return Review.objects.filter(application__cohort=cohort, submitted_at__isnull=False).exists()


def validate_weights(weights):
    total = sum(weights)
    if total != 100:
        raise ValidationError(
            _("The weights must add up to 100 (they add up to %(total)s).") % {"total": total},
            code="weights",
        )


@transaction.atomic
def save_rubric(actor, cohort, criteria, deleted=()):
    """Save the edited criteria of a cohort (already field-validated).

    Checks: officer; no review submitted yet; weights sum to 100; keys unique.
    Side-effects: criteria saved, ``deleted`` ones removed; one audit record on the cohort.
    """
    if not permissions.can_manage_cohorts(actor):
        raise NotAllowed
    if rubric_locked(cohort):
        raise ValidationError(
            _("The rubric cannot change once a review has been submitted."), code="locked"
        )
    validate_weights([criterion.weight for criterion in criteria])
    keys = [criterion.key for criterion in criteria]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Each criterion needs its own key."), code="keys")
    for criterion in deleted:
        if criterion.pk:
            criterion.delete()
    for index, criterion in enumerate(criteria):
        criterion.cohort = cohort
        criterion.order = index
        criterion.save()
    audit.record(
        cohort,
        "rubric_changed",
        actor=actor,
        reason=", ".join(f"{c.name} {c.weight}" for c in criteria),
    )
    return criteria
