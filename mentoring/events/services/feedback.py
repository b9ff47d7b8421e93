"""Feedback: an attendee rates a held event (1-5), comments, and rates each speaker."""

from django.db import transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from clinic.services import audit
from clinic.transitions import Refused

from .. import permissions
from ..models import Feedback, Registration, SpeakerScore
from ..transitions import REGISTRATION


@transaction.atomic
def give_feedback(actor, registration, *, score, comment="", speaker_scores=None):
    """The attendee rates the event; giving it again replaces the first answer.

    Side-effects: Feedback (and SpeakerScore per rated speaker); audit "feedback_given".
    """
    registration = REGISTRATION.lock(registration)
    if not permissions.can_give_feedback(actor, registration):
        raise Refused("not_permitted", _("Only attendees give feedback, after the event."))
    feedback, _created = Feedback.objects.update_or_create(
        registration=registration, defaults={"score": score, "comment": comment.strip()[:1000]}
    )
    feedback.speaker_scores.all().delete()
    speakers = {s.pk: s for s in registration.event.speakers.all()}
    SpeakerScore.objects.bulk_create(
        SpeakerScore(feedback=feedback, speaker=speakers[pk], score=value)
        for pk, value in (speaker_scores or {}).items()
        if pk in speakers and value
    )
    audit.record(registration, "feedback_given", actor=actor, reason=str(score))
    return feedback


def results(event):
    """The event's mean rating and count, each speaker's, and the comments (three queries)."""
    feedback = Feedback.objects.filter(registration__event=event)
    overall = feedback.aggregate(average=Avg("score"), count=Count("pk"))
    per_speaker = list(
        SpeakerScore.objects.filter(speaker__event=event)
        .values("speaker", "speaker__name")
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by("-average", "speaker__name")
    )
    comments = list(
        feedback.exclude(comment="").order_by("-created_at").values_list("score", "comment")[:200]
    )
    return overall, per_speaker, comments


def attendee_registration(user, event):
    return event.registrations.filter(user=user, state=Registration.State.ATTENDED).first()
