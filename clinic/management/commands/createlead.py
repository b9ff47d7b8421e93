from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from clinic.services import accounts, signup

from ...transitions import Refused


class Command(BaseCommand):
    help = (
        "Make the first programme lead of an installation that has no active lead (later leads "
        "are granted by a lead under People and roles). An existing account with the email gets "
        "the role; otherwise an account is created and mailed a link to set its password."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, choices=dict(settings.LANGUAGES)
        )

    def handle(self, *args, email, first_name, last_name, language, **options):
        try:
            validate_email(email)
            user, created = accounts.create_first_lead(
                email=email.strip().lower(),
                first_name=first_name,
                last_name=last_name,
                language=language,
            )
        except (ValidationError, Refused) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(
            self.style.SUCCESS(f"{user.username} <{user.email}> is a programme lead.")
        )
        if created:
            link = settings.SITE_URL + signup.password_set_url(user)
            self.stdout.write(f"A link to set the password was mailed; it is also here:\n{link}")
