from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        from clinic import permissions as core

        # API routes, signal receivers, My tasks providers, periodic jobs (reminders, follow-ups)
        from . import (  # noqa: F401
            api,
            api_experts,
            api_outcomes,
            api_plans,
            journey,
            receivers,
            registrations,
            todos,
            todos_plans,
        )
        from .insight import deadlines  # noqa: F401 - deadlines escalated by cohorts
        from .insight import todos as insight_todos  # noqa: F401 - re-ratings to confirm
        from .permissions import assigned_companies
        from .services import assessment, follow_up, re_rating, sessions  # noqa: F401

        core.register_company_access(assigned_companies)
