"""What the application stage registers with the core (clinic/ names no stage): its roles'
permissions, its audit actions and its quick link. My tasks entries: cohorts/todos.py; periodic
jobs: cohorts/jobs.py."""

from django.utils.translation import gettext_lazy as _

from clinic import links, roles
from clinic.models.audit import register_actions

roles.register_permissions(
    roles.OFFICER,
    "cohorts.add_programme",
    "cohorts.change_programme",
    "cohorts.view_programme",
    "cohorts.add_cohort",
    "cohorts.change_cohort",
    "cohorts.view_cohort",
    "cohorts.screen_application",
    "cohorts.view_application",
    "cohorts.change_rubriccriterion",
    "cohorts.view_review",
    "cohorts.propose_selection",
)
roles.register_permissions(roles.LEAD, "cohorts.approve_selection")

register_actions(
    {
        # Applications, screening and reviews (cohorts/services/)
        "submitted": _("submitted the application"),
        "withdrawn": _("withdrew the application"),
        "reopened": _("brought the application back to draft"),
        "confirmed_eligible": _("confirmed eligible"),
        "marked_ineligible": _("marked not eligible"),
        "information_requested": _("asked for information"),
        "review_started": _("review started"),
        "reviewer_assigned": _("assigned a reviewer"),
        "reviewer_unassigned": _("unassigned a reviewer"),
        "reviewers_auto_assigned": _("assigned reviewers automatically"),
        "conflict_declared": _("declared a conflict of interest"),
        "conflict_resolved": _("handled a conflict of interest"),
        "review_submitted": _("submitted a review"),
        "review_drafted": _("saved a review draft"),
        "review_abstained": _("abstained from a review"),
        "rubric_changed": _("changed the rubric"),
        "bulk_message_sent": _("sent a message to applicants"),
        "decided": _("decided"),
        # Selection, confirmation and waitlist (cohorts/services/quotas.py, proposals.py,
        # publishing.py, confirmation.py)
        "quota_rule_added": _("added a quota rule"),
        "quota_rule_changed": _("changed a quota rule"),
        "quota_rule_removed": _("removed a quota rule"),
        "proposal_started": _("started the selection proposal"),
        "proposal_saved": _("saved the selection proposal"),
        "proposal_reset": _("restarted the proposal from the suggestion"),
        "proposal_submitted": _("submitted the selection to the lead"),
        "proposal_approved": _("approved the selection"),
        "proposal_returned": _("returned the selection"),
        "decision_published": _("published the selection decision"),
        "place_confirmed": _("confirmed the place"),
        "place_declined": _("declined the place"),
        "place_lapsed": _("place lapsed"),
        "place_offered": _("offered a place from the waitlist"),
        "place_released": _("freed the place (dropped out)"),
        "waitlist_closed": _("closed the waitlist"),
    }
)

links.register(_("Cohorts"), "cohorts:list", "bi-people", order=30)
