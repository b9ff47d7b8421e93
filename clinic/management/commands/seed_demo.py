import importlib.util
import os

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo programme (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "demo12345")
        demo = {"password": password, "log": self.stdout.write}
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            with transaction.atomic():
                module.seed(demo)
        self.print_logins(password)

    def print_logins(self, password):
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo programme ready. Log in at {settings.SITE_URL} with password "
                f"'{password}' as:\n"
                "  officer, officer2          programme officers\n"
                "  lead                   programme lead: approves selections, signs off plans\n"
                "  reviewer1 … reviewer6      reviewers\n"
                "  expert1 … expert6          experts (mentors)\n"
                "  sme1 … sme60               SME representatives\n"
                "  sme_join                   SME account without a company (Join your company)\n"
                "  partner1 … partner7        partner representatives (city, utility, …)\n"
            )
        )
