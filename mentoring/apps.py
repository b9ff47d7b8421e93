from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        from clinic import permissions as core

        from . import receivers, todos  # noqa: F401 - signal receivers and My tasks providers
        from .permissions import assigned_companies
        from .services import sessions  # noqa: F401 - registers the session reminder job

        core.register_company_access(assigned_companies)
