from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic"
    verbose_name = _("IP Clinic")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_migrate

        from . import ratelimit, roles, text_search  # noqa: F401  lookups, natural order
        from .services import api_tokens, ipaudit, webhooks  # noqa: F401  jobs, to-dos, listeners

        post_migrate.connect(roles.ensure_roles, dispatch_uid="clinic.ensure_roles")
        user_login_failed.connect(ratelimit.count_login_failure, dispatch_uid="clinic.ratelimit")
