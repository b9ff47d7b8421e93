"""URLs of programme events (namespace ``events``)."""

from django.urls import path

from .views import after, events, people, programme

app_name = "events"

urlpatterns = [
    path("", events.event_list, name="list"),
    path("new/", events.event_form, name="new"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("<int:pk>/edit/", events.event_form, name="edit"),
    path("<int:pk>/publish/", events.event_publish, name="publish"),
    path("<int:pk>/cancel/", events.event_cancel, name="cancel"),
    path("<int:pk>/held/", events.event_held, name="held"),
    path("<int:pk>/calendar.ics", events.event_ics_download, name="ics"),
    path("<int:pk>/speakers/", programme.speaker_add, name="speaker_add"),
    path("<int:pk>/speakers/<int:item>/remove/", programme.speaker_remove, name="speaker_remove"),
    path("<int:pk>/agenda/", programme.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item>/remove/", programme.agenda_remove, name="agenda_remove"),
    path("<int:pk>/materials/", programme.material_add, name="material_add"),
    path("<int:pk>/materials/<int:item>/", programme.material_download, name="material"),
    path(
        "<int:pk>/materials/<int:item>/remove/", programme.material_remove, name="material_remove"
    ),
    path("<int:pk>/invite/", people.invite, name="invite"),
    path("<int:pk>/register/", people.register, name="register"),
    path(
        "<int:pk>/registrations/<int:item>/cancel/",
        people.cancel_registration,
        name="cancel_registration",
    ),
    path("<int:pk>/attendees/", people.attendees, name="attendees"),
    path("<int:pk>/check-in/", people.check_in, name="check_in"),
    path("<int:pk>/check-in/<int:item>/", people.check, name="check"),
    path("<int:pk>/attendance.csv", people.attendance_csv, name="attendance_csv"),
    path("<int:pk>/results/", after.results, name="results"),
    path("<int:pk>/demo/", after.demo_sign_up, name="demo_sign_up"),
    path("<int:pk>/demo/<int:item>/withdraw/", after.demo_withdraw, name="demo_withdraw"),
    path("<int:pk>/demo/<int:item>/introduction/", after.ask_introduction, name="introduction"),
    path("feedback/<int:pk>/", after.give_feedback, name="feedback"),
    path("guest/<str:token>/", people.guest, name="guest"),
    path("guest/<str:token>/<int:item>/calendar.ics", people.guest_ics, name="guest_ics"),
]
