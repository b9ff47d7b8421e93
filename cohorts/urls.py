from django.urls import path

from .views import applications, cohorts, places, proposals, ranking, reviews, rubric, screening

app_name = "cohorts"

urlpatterns = [
    path("", cohorts.cohort_list, name="list"),
    path("new/", cohorts.cohort_form, name="create"),
    path("<int:pk>/", cohorts.cohort_detail, name="detail"),
    path("<int:pk>/edit/", cohorts.cohort_form, name="edit"),
    path("<int:pk>/call/", applications.call, name="call"),
    path("<int:pk>/apply/", applications.apply, name="apply"),
    path("<int:pk>/rubric/", rubric.rubric, name="rubric"),
    path("<int:pk>/screening/", screening.screening_queue, name="screening"),
    path("<int:pk>/screening/confirm-clean/", screening.confirm_clean, name="confirm_clean"),
    path("<int:pk>/reviewers/", reviews.assignments, name="assignments"),
    path("<int:pk>/reviewers/auto/", reviews.auto_assign, name="auto_assign"),
    path("<int:pk>/ranking/", ranking.ranking, name="ranking"),
    path("<int:pk>/ranking.csv", ranking.ranking_csv, name="ranking_csv"),
    path("<int:pk>/quotas/", proposals.quota_rules, name="quota_rules"),
    path("<int:pk>/selection/", proposals.ProposalView.as_view(), name="proposal"),
    path("<int:pk>/roster/", places.roster, name="roster"),
    path("<int:pk>/roster.csv", places.roster_csv, name="roster_csv"),
    path("applications/<int:pk>/place/", places.place, name="place"),
    path("applications/", applications.my_applications, name="my_applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<int:pk>/withdraw/", applications.withdraw, name="withdraw"),
    path("applications/<int:pk>/reopen/", applications.reopen, name="reopen"),
    path("applications/<int:pk>/pitch-deck/", applications.pitch_deck, name="pitch_deck"),
    path(
        "applications/<int:pk>/screen/",
        screening.ScreenApplicationView.as_view(),
        name="screen",
    ),
    path("applications/<int:pk>/assign/", reviews.assign, name="assign"),
    path("reviews/", reviews.review_list, name="reviews"),
    path("reviews/<int:pk>/", reviews.review_form, name="review"),
    path("reviews/<int:pk>/conflict/", reviews.declare_conflict, name="declare_conflict"),
    path("reviews/<int:pk>/unassign/", reviews.unassign, name="unassign"),
    path("conflicts/<int:pk>/resolve/", reviews.resolve_conflict, name="resolve_conflict"),
    path("programmes/", cohorts.programme_list, name="programmes"),
    path("programmes/new/", cohorts.programme_form, name="programme_create"),
    path("programmes/<int:pk>/edit/", cohorts.programme_form, name="programme_edit"),
]
