from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentoring.matchmaking"
    label = "matchmaking"
    verbose_name = _("Green technology matchmaking")

    def ready(self):
        from . import dashboard, todos  # noqa: F401 - My tasks entries
        from .services import introductions, listings, partners  # noqa: F401 - the moves' mail

        dashboard.register()  # the programme dashboard's matchmaking section
