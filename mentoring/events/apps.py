from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentoring.events"
    label = "events"
    verbose_name = _("Programme events")

    def ready(self):
        # My tasks entries, periodic jobs (reminders, waitlist), audit actions, links, search
        from . import dashboard, jobs, registrations, todos  # noqa: F401
        from .services import events as _events  # noqa: F401 - the moves' mail
        from .services import registrations as _seats  # noqa: F401

        dashboard.register()  # the programme dashboard's attendance section
