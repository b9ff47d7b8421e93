"""What the mentoring stage registers with the core (clinic/ names no stage): its audit actions
and its quick links. My tasks entries: mentoring/todos.py and todos_plans.py."""

from django.utils.translation import gettext_lazy as _

from clinic import links, permissions
from clinic.models.audit import register_actions
from cohorts.services.messages import register_participant_filter

register_actions(
    {
        # Participation and mentoring (mentoring/services/)
        "participation_started": _("started the participation"),
        "audit_opened": _("opened the IP audit"),
        "audit_completed": _("completed the IP audit stage"),
        "dropped_out": _("marked as dropped out"),
        "expert_profile_updated": _("updated the expert profile"),
        "expert_assigned": _("assigned an expert"),
        "expert_unassigned": _("removed an expert"),
        "slot_offered": _("offered a session slot"),
        "slot_withdrawn": _("withdrew a session slot"),
        "session_scheduled": _("scheduled a session"),
        "session_booked": _("booked a session"),
        "session_rescheduled": _("rescheduled a session"),
        "session_moved": _("moved a session to another offered time"),
        "session_cancelled": _("cancelled a session"),
        "session_held": _("logged the session as held"),
        "session_logged": _("logged a past session"),
        "session_no_show": _("logged a no-show"),
        "notes_saved": _("saved session notes"),
        "notes_shared": _("shared session notes"),
        "notes_changed_after_lock": _("changed locked session notes"),
        "follow_up_done": _("ticked a follow-up done"),
        "follow_up_reopened": _("reopened a follow-up"),
        "session_rated": _("rated a session"),
        "session_reminder_sent": _("sent a session reminder"),
        # Action items and plan versions (mentoring/transitions.py)
        "action_started": _("started an action"),
        "action_done": _("marked an action done"),
        "action_dropped": _("dropped an action"),
        "action_reopened": _("reopened an action"),
        "action_resumed": _("took an action up again"),
        "plan_render_started": _("started rendering the plan"),
    }
)

links.register(
    _("My companies"),
    "mentoring:home",
    "bi-person-workspace",
    show=permissions.is_expert,
    primary=True,
    order=10,
)
links.register(
    _("My offered times"),
    "mentoring:slots",
    "bi-calendar-week",
    show=permissions.is_expert,
    order=11,
)
links.register(
    _("Mentoring"),
    "mentoring:home",
    "bi-chat-square-text",
    show=permissions.is_sme,
    primary=True,
    order=20,
)

links.register(
    _("Programme dashboard"),
    "mentoring:dashboard",
    "bi-bar-chart",
    show=permissions.is_officer,
    order=30,
)
links.register(
    _("My impact"), "mentoring:my_impact", "bi-graph-up-arrow", show=permissions.is_expert, order=12
)


@register_participant_filter
def without_drop_outs(applications):
    """A message to a cohort's participants leaves out the companies that dropped out."""
    return applications.exclude(participation__state="dropped_out")
