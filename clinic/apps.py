from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic"
    verbose_name = _("IP Clinic")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import roles
        from .services import ipaudit  # noqa: F401  registers the audit reminder job and to-dos

        post_migrate.connect(roles.ensure_roles, dispatch_uid="clinic.ensure_roles")
