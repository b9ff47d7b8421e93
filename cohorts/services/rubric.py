"""The review rubric of a cohort: the DOMAIN.md default, editing until the first review, copying."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clinic.services import audit
from clinic.transitions import Refused

from .. import permissions
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


# Chinese anchors of the default rubric, by key.
DEFAULT_ANCHORS_ZH = {
    "innovation": (
        "已知技术，看不到改进。",
        "对现有方案的小幅改动。",
        "较现有方案有明显改进。",
        "重大进步，同类方案很少。",
        "突破性技术，市场上没有同类方案。",
    ),
    "green_impact": (
        "没有可衡量的环境效益。",
        "环境效益小或间接。",
        "在一个可持续发展目标领域有可衡量的效益。",
        "在多个可持续发展目标领域有显著且量化的效益。",
        "有充分证据的、规模化的变革性影响。",
    ),
    IP_RELEVANCE: (
        "没有可用知识产权保护的内容。",
        "有一些可保护的要素，尚未识别。",
        "已识别可保护的资产，但保护很少。",
        "资产已部分受保护，后续方案清晰。",
        "强大且可保护的资产组合，是业务核心。",
    ),
    "market": (
        "没有明确的市场。",
        "市场小或不明确。",
        "市场明确，已有早期客户。",
        "市场增长，有进展和计划。",
        "市场大、进展强劲、具备出口潜力。",
    ),
    "team": (
        "没有人能参加。",
        "参加的时间或能力有限。",
        "有一位投入的联系人，具备基本能力。",
        "团队投入，决策者参与。",
        "高层全力投入，知识产权有明确负责人。",
    ),
    "clinic_fit": (
        "诊所帮不上忙。",
        "需求与诊所提供的内容部分相符。",
        "需求与诊所较为相符。",
        "需求与诊所很相符，愿意落实建议。",
        "非常契合：诊所能回答其明确的知识产权问题。",
    ),
}


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
            **{
                f"anchor_{level}_zh": text
                for level, text in enumerate(DEFAULT_ANCHORS_ZH[key], start=1)
            },
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

    Checks: officer; no review submitted yet; weights sum to 100; keys unique (also against
    criteria of the cohort the formset did not send).
    Side-effects: criteria saved, ``deleted`` ones removed; one audit record on the cohort.
    """
    if not permissions.can_manage_cohorts(actor):
        raise Refused("not_permitted")
    if rubric_locked(cohort):
        raise ValidationError(
            _("The rubric cannot change once a review has been submitted."), code="locked"
        )
    validate_weights([criterion.weight for criterion in criteria])
    touched = [criterion.pk for criterion in [*criteria, *deleted] if criterion.pk]
    untouched = cohort.criteria.exclude(pk__in=touched).values_list("key", flat=True)
    keys = [criterion.key for criterion in criteria] + list(untouched)
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
