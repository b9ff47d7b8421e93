from django.urls import path

from .views import cohorts, screening

app_name = "cohorts"

urlpatterns = [
    path("", cohorts.cohort_list, name="list"),
    path("new/", cohorts.cohort_form, name="create"),
    path("<int:pk>/", cohorts.cohort_detail, name="detail"),
    path("<int:pk>/edit/", cohorts.cohort_form, name="edit"),
    path("<int:pk>/screening/", screening.screening_queue, name="screening"),
    path(
        "applications/<int:pk>/screen/",
        screening.ScreenApplicationView.as_view(),
        name="screen",
    ),
    path("programmes/", cohorts.programme_list, name="programmes"),
    path("programmes/new/", cohorts.programme_form, name="programme_create"),
    path("programmes/<int:pk>/edit/", cohorts.programme_form, name="programme_edit"),
]
