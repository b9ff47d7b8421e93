from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self):
        from . import api, api_quotas, api_selection, jobs, journey, registrations, search, todos  # noqa: F401
        from .escalation import sources  # noqa: F401 - deadlines of reviews and approval
        from .escalation import todos as overdue_todos  # noqa: F401 - overdue on My tasks
        from .services import ranking  # noqa: F401 - what changes the ranking version
