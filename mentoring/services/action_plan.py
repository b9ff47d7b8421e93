"""The action plan: action items (add, change, delete) and suggestions drawn from the largest
maturity gaps and from the open follow-ups of shared session notes.

Rules for every item: an owner at the company; a due date on or after the assessment date and
inside its horizon (now = 1 month, 3, 6 or 12 months from the assessment date); a cost that is
not negative, with a currency.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clinic.dates import add_months
from clinic.dimensions import Dimension
from clinic.services import audit
from clinic.transitions import Refused
from cohorts.models.cohorts import localized

from .. import permissions
from ..models import ActionItem, Horizon, Policy
from .session_log import open_follow_ups

SUGGESTED_GAPS = 5
ITEM_FIELDS = (
    "dimension",
    "policy",
    "title",
    "description",
    "horizon",
    "owner",
    "due_date",
    "cost",
    "currency",
    "kpi",
    "status",
)
# The Chinese texts of an item, saved beside ITEM_FIELDS (the form, the API and the PDF use both).
CHINESE_FIELDS = ("title_zh", "description_zh", "kpi_zh")
SAVED_FIELDS = ITEM_FIELDS + CHINESE_FIELDS
# The policy an action on each dimension most often serves (WIPO's minimum IP strategy).
DEFAULT_POLICY = {
    Dimension.AWARENESS: Policy.EXPLOIT,
    Dimension.INVENTORY: Policy.ACQUIRE,
    Dimension.OWNERSHIP: Policy.ACQUIRE,
    Dimension.TRADE_SECRETS: Policy.ACQUIRE,
    Dimension.PATENTS: Policy.ACQUIRE,
    Dimension.TRADEMARKS: Policy.ACQUIRE,
    Dimension.FREEDOM_TO_OPERATE: Policy.MONITOR,
    Dimension.COMMERCIALISATION: Policy.EXPLOIT,
    Dimension.INTERNATIONAL: Policy.ACQUIRE,
    Dimension.ENFORCEMENT: Policy.ENFORCE,
    Dimension.GREEN_POSITIONING: Policy.EXPLOIT,
}


def horizon_end(assessed_on, horizon):
    return add_months(assessed_on, int(horizon))


def check_item(assessment, values):
    """Raise Refused("invalid", the first broken rule) for action item ``values``."""
    if not (values.get("title") or "").strip():
        raise Refused("invalid", _("Give the action a title."))
    if not (values.get("owner") or "").strip():
        raise Refused("invalid", _("Name the owner of the action at the company."))
    if int(values["horizon"]) not in Horizon.values:
        raise Refused("invalid", _("Choose a horizon."))
    due = values.get("due_date")
    end = horizon_end(assessment.assessed_on, values["horizon"])
    if due is None or not assessment.assessed_on <= due <= end:
        raise Refused(
            "wrong_state",
            _("The due date must be between %(start)s and %(end)s (the horizon).")
            % {"start": assessment.assessed_on.isoformat(), "end": end.isoformat()},
        )
    cost = values.get("cost")
    if cost is None or Decimal(cost) < 0:
        raise Refused("invalid", _("The estimated cost cannot be negative."))
    if not values.get("currency"):
        raise Refused("invalid", _("Give the currency of the cost."))


def _check_editor(actor, assessment):
    if not permissions.can_write_assessment(actor, assessment.participation):
        raise Refused("not_permitted")
    if assessment.participation.plan_versions.filter(signed_at__isnull=False).exists():
        raise Refused(
            "wrong_state", _("The plan is signed off: its actions no longer change here.")
        )


@transaction.atomic
def add_item(actor, assessment, **values):
    """The lead expert adds an action item.

    Side-effects: the ActionItem; audit record "action_added".
    """
    _check_editor(actor, assessment)
    check_item(assessment, values)
    if assessment.actions.count() >= ActionItem.PER_PLAN_MAX:
        raise Refused(
            "invalid",
            _("A plan holds at most %(count)d actions.") % {"count": ActionItem.PER_PLAN_MAX},
        )
    item = ActionItem.objects.create(
        assessment=assessment, **{k: v for k, v in values.items() if k in SAVED_FIELDS}
    )
    audit.record(item, "action_added", actor=actor, to_state=item.status)
    return item


@transaction.atomic
def change_item(actor, item, **values):
    """The lead expert changes an action item. Side-effects: the row; audit record
    "action_changed" naming the changed fields with their before and after (and the status
    change, if any)."""
    _check_editor(actor, item.assessment)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)  # as saved, not as edited
    merged = {name: values.get(name, getattr(item, name)) for name in SAVED_FIELDS}
    check_item(item.assessment, merged)
    changed = [name for name in SAVED_FIELDS if getattr(item, name) != merged[name]]
    from_status = item.status
    for name in changed:
        setattr(item, name, merged[name])
    changes = audit.changes(item, changed)
    item.save()
    audit.record(
        item,
        "action_changed",
        actor=actor,
        from_state=from_status,
        to_state=item.status,
        reason=", ".join(changed),
        changes=changes,
    )
    return item


@transaction.atomic
def delete_item(actor, item):
    """The lead expert deletes an action item. Side-effects: the row; audit record. Deleting a
    deleted item again changes nothing."""
    _check_editor(actor, item.assessment)
    item = type(item).objects.select_for_update().filter(pk=item.pk).first()
    if item is None:
        return
    audit.record(item, "action_deleted", actor=actor, from_state=item.status)
    item.delete()


@dataclass(frozen=True)
class Suggestion:
    key: str  # "gap-<dimension>" or "follow-up-<n>"
    source: str  # gap or follow_up
    dimension: int
    policy: str
    title: str
    description: str
    horizon: int
    owner: str
    due_date: date
    kpi: str
    gap: int | None = None
    # The Chinese texts (``title`` and the others are in English when the system wrote them).
    title_zh: str = ""
    description_zh: str = ""
    kpi_zh: str = ""

    def initial(self):
        return {
            "dimension": self.dimension,
            "policy": self.policy,
            "title": self.title,
            "description": self.description,
            "horizon": self.horizon,
            "owner": self.owner,
            "due_date": self.due_date,
            "kpi": self.kpi,
            "title_zh": self.title_zh,
            "description_zh": self.description_zh,
            "kpi_zh": self.kpi_zh,
        }

    def localized_title(self):
        return localized(self.title, self.title_zh)


def in_both_languages(message, **params):
    """The (English, Chinese) texts of ``message`` (marked with ``gettext_noop``) with
    ``params``; lazy params (a dimension's label) are translated with it."""
    texts = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            texts.append(_(message) % params if params else _(message))
    return tuple(texts)


def suggestions(assessment):
    """Starting points for action items, the largest gaps first, then open follow-ups.

    Gaps: the dimensions where the expert's target exceeds the current maturity (up to five,
    largest gap first, ties by lower current maturity then dimension number); the two largest
    are due within 3 months, the next within 6, the rest within 12. Dimensions that already
    have an action item are left out. Follow-ups: every open follow-up of shared notes whose
    title is not already an action, due now (within a month).
    """
    taken = set(assessment.actions.values_list("dimension", flat=True))
    titles = {
        text.strip().lower()
        for pair in assessment.actions.values_list("title", "title_zh")
        for text in pair
        if text
    }
    gaps = [
        score
        for score in assessment.scores.all()
        if score.gap is not None and score.gap > 0 and score.dimension not in taken
    ]
    gaps.sort(key=lambda s: (-s.gap, s.maturity, s.dimension))
    result = []
    for rank, score in enumerate(gaps[:SUGGESTED_GAPS]):
        dimension = Dimension(score.dimension)
        horizon = Horizon.THREE if rank < 2 else Horizon.SIX if rank < 4 else Horizon.TWELVE
        title, title_zh = in_both_languages(
            gettext_noop("Raise %(dimension)s from level %(current)d to %(target)d"),
            dimension=dimension.label,
            current=score.maturity,
            target=score.target,
        )
        kpi, kpi_zh = in_both_languages(
            gettext_noop("Maturity %(target)d reached at the next review"), target=score.target
        )
        result.append(
            Suggestion(
                key=f"gap-{score.dimension}",
                source="gap",
                dimension=score.dimension,
                policy=DEFAULT_POLICY[dimension],
                title=title,
                description=score.rationale,
                horizon=horizon,
                owner="",
                due_date=horizon_end(assessment.assessed_on, horizon),
                kpi=kpi,
                gap=score.gap,
                title_zh=title_zh,
                kpi_zh=kpi_zh,
            )
        )
    for number, follow_up in enumerate(open_follow_ups(assessment.participation), start=1):
        if follow_up.title.strip().lower() in titles:
            continue
        end = horizon_end(assessment.assessed_on, Horizon.NOW)
        due = follow_up.due_date
        if due is None or not assessment.assessed_on <= due <= end:
            due = end
        description, description_zh = in_both_languages(
            gettext_noop("Open follow-up from mentoring session %(number)d."),
            number=follow_up.session_number,
        )
        kpi, kpi_zh = in_both_languages(gettext_noop("Done"))
        result.append(
            Suggestion(
                key=f"follow-up-{number}",
                source="follow_up",
                dimension=Dimension.AWARENESS,
                policy=Policy.ACQUIRE,
                title=follow_up.title,  # as the expert wrote it, in one language
                description=description,
                horizon=Horizon.NOW,
                owner=follow_up.owner,
                due_date=due,
                kpi=kpi,
                description_zh=description_zh,
                kpi_zh=kpi_zh,
            )
        )
    return result


def by_policy(items):
    """[(Policy, [items])] in the policy order, empty groups left out."""
    return [
        (policy, group)
        for policy in Policy
        if (group := [item for item in items if item.policy == policy])
    ]


def by_horizon(items):
    return [
        (horizon, group)
        for horizon in Horizon
        if (group := [item for item in items if item.horizon == horizon])
    ]
