"""URLs of mentoring (namespace ``mentoring``)."""

from django.urls import path

from .insight import views as insight
from .insight import views_impact as impact
from .views import (
    assessment,
    cohort_plans,
    experts,
    follow_up,
    matching,
    participants,
    plan_versions,
    plans,
    session_notes,
    sessions,
)

app_name = "mentoring"

urlpatterns = [
    path("", participants.my_mentoring, name="home"),
    path("dashboard/", insight.dashboard, name="dashboard"),
    path("impact/cohorts/<int:pk>/", impact.cohort_impact, name="cohort_impact"),
    path("impact/cohorts/<int:pk>/pdf/", impact.cohort_impact_pdf, name="impact_pdf"),
    path("impact/reports/<int:pk>/report.pdf", impact.impact_report_download, name="impact_report"),
    path("impact/experts/<int:pk>/", impact.expert_impact, name="expert_impact"),
    path("impact/mine/", impact.my_impact, name="my_impact"),
    path("impact/participants/<int:pk>/", impact.company_impact, name="company_impact"),
    path("experts/", experts.expert_list, name="experts"),
    path("experts/me/", experts.my_profile, name="my_profile"),
    path("experts/<int:pk>/", experts.expert_detail, name="expert"),
    path("experts/<int:pk>/edit/", experts.expert_edit, name="expert_edit"),
    path("cohorts/<int:pk>/matching/", matching.cohort_matching, name="cohort_matching"),
    path("cohorts/<int:pk>/matching/assign-all/", matching.assign_all, name="assign_all"),
    path("cohorts/<int:pk>/progress/", participants.cohort_progress, name="cohort_progress"),
    path("cohorts/<int:pk>/progress.csv", participants.cohort_progress_csv, name="progress_csv"),
    path("participants/<int:pk>/", participants.participant_detail, name="participant"),
    path("participants/<int:pk>/match/", matching.participant_match, name="match"),
    path("participants/<int:pk>/sessions.csv", participants.session_log_csv, name="session_log"),
    path("participants/<int:pk>/assign/", matching.assign, name="assign"),
    path("participants/<int:pk>/drop-out/", participants.drop_out, name="drop_out"),
    path("participants/<int:pk>/schedule/", sessions.schedule, name="schedule"),
    path("participants/<int:pk>/book/", sessions.book, name="book"),
    path("participants/<int:pk>/log-session/", sessions.log_past, name="log_past"),
    path("assignments/<int:pk>/remove/", matching.unassign, name="unassign"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/move/", sessions.session_move, name="session_move"),
    path("sessions/<int:pk>/calendar.ics", sessions.session_ics_download, name="session_ics"),
    path("sessions/<int:pk>/notes/", session_notes.session_notes, name="notes"),
    path(
        "sessions/<int:pk>/notes/follow-up-row/", session_notes.follow_up_row, name="follow_up_row"
    ),
    path("sessions/<int:pk>/rate/", session_notes.rate, name="rate"),
    path("follow-ups/<int:pk>/done/", session_notes.follow_up_toggle, name="follow_up_toggle"),
    path("slots/", sessions.slots, name="slots"),
    path("slots/<int:pk>/withdraw/", sessions.slot_withdraw, name="slot_withdraw"),
    # strategy assessment, action plan, plan PDF versions, outcomes (issue 7)
    path("participants/<int:pk>/assessment/", assessment.assessment, name="assessment"),
    path(
        "participants/<int:pk>/assessment/return/",
        assessment.assessment_return,
        name="assessment_return",
    ),
    path("participants/<int:pk>/plan/", plans.plan, name="plan"),
    path("participants/<int:pk>/plan/actions/new/", plans.item_form, name="action_add"),
    path("participants/<int:pk>/plan/actions/<int:item_pk>/", plans.item_form, name="action_edit"),
    path(
        "participants/<int:pk>/plan/actions/<int:item_pk>/delete/",
        plans.item_delete,
        name="action_delete",
    ),
    path("participants/<int:pk>/plan/generate/", plan_versions.generate, name="plan_generate"),
    path("plan-versions/<int:pk>/status/", plan_versions.version_status, name="version_status"),
    path(
        "plan-versions/<int:pk>/pages/<int:page>.png",
        plan_versions.version_page,
        name="version_page",
    ),
    path("plan-versions/<int:pk>/return/", plan_versions.version_return, name="version_return"),
    path("plan-versions/<int:pk>/retry/", plan_versions.version_retry, name="version_retry"),
    path(
        "plan-versions/<int:pk>/sign-off/", plan_versions.version_sign_off, name="version_sign_off"
    ),
    path(
        "plan-versions/<int:pk>/plan.pdf", plan_versions.version_download, name="version_download"
    ),
    path(
        "plan-versions/<int:pk>/signed.pdf",
        plan_versions.version_signed_download,
        name="version_signed",
    ),
    path("cohorts/<int:pk>/plans/", cohort_plans.cohort_plans, name="cohort_plans"),
    path(
        "cohorts/<int:pk>/plans/generate-all/",
        cohort_plans.cohort_generate_all,
        name="cohort_generate_all",
    ),
    path(
        "cohorts/<int:pk>/plans/progress/",
        cohort_plans.cohort_plans_progress,
        name="cohort_plans_progress",
    ),
    path("cohorts/<int:pk>/outcomes/", cohort_plans.cohort_outcomes, name="cohort_outcomes"),
    path("cohorts/<int:pk>/outcomes.csv", cohort_plans.cohort_outcomes_csv, name="outcomes_csv"),
    path("follow-up-reports/<int:pk>/", follow_up.follow_up_report, name="follow_up_report"),
]
