"""What the events app registers with the core (clinic/ names no stage): its audit actions, its
quick link and what the staff's search finds. My tasks entries: todos.py; jobs: jobs.py."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic import links, search
from clinic.models.audit import register_actions

from .permissions import visible_events

register_actions(
    {
        "event_created": _("created the event"),
        "event_changed": _("changed the event"),
        "event_published": _("published the event"),
        "event_cancelled": _("cancelled the event"),
        "event_held": _("closed the attendance"),
        "speaker_added": _("added a speaker"),
        "speaker_removed": _("removed a speaker"),
        "agenda_item_added": _("added an agenda item"),
        "agenda_item_removed": _("removed an agenda item"),
        "material_added": _("added a material"),
        "material_removed": _("removed a material"),
        "company_invited": _("invited a company"),
        "guest_invited": _("invited a guest"),
        "registered": _("registered a person"),
        "registration_cancelled": _("cancelled the registration"),
        "promoted_from_waitlist": _("gave a waitlisted person the freed seat"),
        "attendance_recorded": _("recorded attendance"),
        "attendance_imported": _("imported attendance"),
        "absence_recorded": _("recorded an absence"),
        "feedback_given": _("gave feedback"),
        "demo_signed_up": _("booked a demo-day slot"),
        "demo_withdrawn": _("withdrew a demo-day slot"),
        "introduction_requested": _("asked for an introduction"),
    }
)

links.register(_("Events"), "events:list", "bi-calendar-event", order=40)


@search.register
def events(user, query):
    matches = visible_events(user).filter(
        Q(title__icontains=query)
        | Q(title_zh__icontains=query)
        | Q(series__icontains=query)
        | Q(series_zh__icontains=query)
    )
    return search.group_of(
        _("Events"),
        matches.select_related("programme").order_by("-starts_at", "-pk"),
        lambda event: search.Result(
            str(event),
            reverse("events:detail", args=[event.pk]),
            f"{event.get_kind_display()} · {event.local_start:%Y-%m-%d}",
        ),
    )
