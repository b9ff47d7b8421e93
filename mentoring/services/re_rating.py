"""The 12-month re-measurement of IP maturity: the company re-rates the eleven dimensions in
its 12-month follow-up report, the lead expert confirms or adjusts them, and that closes the
participation (the lead expert stays assigned until then)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.dimensions import MAX_MATURITY, Dimension
from clinic.models.audit import register_actions
from clinic.services.outbox import queue_message
from clinic.transitions import Refused

from .. import permissions
from ..transitions import FOLLOW_UP, PARTICIPATION
from .sessions import lead_expert

register_actions(
    {
        "follow_up_submitted": gettext_lazy("submitted a follow-up report"),
        "re_rating_confirmed": gettext_lazy("confirmed the 12-month re-rating"),
        "follow_up_completed": gettext_lazy("completed the follow-up"),
    }
)


def clean_levels(levels):
    """{dimension (text): level} for every dimension, each a whole number 0-4; else refused."""
    levels = levels or {}
    clean = {}
    for dimension in Dimension.values:
        value = levels.get(str(dimension), levels.get(dimension))
        try:
            level = int(value)
        except (TypeError, ValueError):
            level = None
        if level is None or not 0 <= level <= MAX_MATURITY:
            raise Refused("invalid", _("Rate every dimension from 0 to 4."))
        clean[str(dimension)] = level
    return clean


@FOLLOW_UP.mailer
def notify_lead_expert(report, kind="re_rating_submitted", context=None, **_move):
    """The submitted 12-month report's re-rating to the lead expert (other rounds send none)."""
    expert = lead_expert(report.participation)
    if expert is None or report.round != report.Round.TWELVE:
        return
    queue_message(
        expert,
        kind,
        {
            "company": report.participation.company,
            "url": reverse("mentoring:follow_up_report", args=[report.pk]),
        },
        related=report,
    )


@transaction.atomic
def confirm_re_rating(actor, report, levels):
    """The lead expert confirms (or adjusts) the company's 12-month re-rating.

    Checks, on the locked row: ``can_confirm_re_rating``; the report is submitted (a confirmed
    one is returned as it is: a repeat changes nothing); every dimension rated 0-4.
    Side-effects: confirmed_levels/at/by; audit record "re_rating_confirmed" naming the
    adjusted dimensions; the participation follow_up -> closed (audit "follow_up_completed")
    and the flow's follow-up stage completed, which ends the flow.
    """
    from ..flows import ParticipationFlow, complete_stage

    report = FOLLOW_UP.lock(report)
    if not permissions.can_confirm_re_rating(actor, report):
        raise Refused("not_permitted")
    if not FOLLOW_UP.applies(
        report,
        "re_rating_confirmed",
        message=_("Only a submitted 12-month report can be confirmed."),
    ):
        return report
    report.confirmed_levels = clean_levels(levels)
    report.confirmed_at, report.confirmed_by = timezone.now(), actor
    adjusted = [
        str(Dimension(int(d)).label)
        for d, level in report.confirmed_levels.items()
        if report.self_levels.get(d) != level
    ]
    FOLLOW_UP.move(
        report,
        "re_rating_confirmed",
        actor=actor,
        reason="; ".join(adjusted),
        fields=["confirmed_levels", "confirmed_at", "confirmed_by"],
    )
    participation = PARTICIPATION.lock(report.participation)
    if PARTICIPATION.allows(participation.state, "follow_up_completed"):
        PARTICIPATION.move(participation, "follow_up_completed", actor=actor)
        complete_stage(participation, ParticipationFlow.follow_up)
    return report
