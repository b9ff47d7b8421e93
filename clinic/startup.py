"""Refuse to start a server, a worker or a command without the services it needs (one line)."""

from django.conf import settings

# Build steps: they run on a build machine that has the secret key and the hosts, but no database.
BUILD_COMMANDS = {"check", "collectstatic", "compilemessages", "makemessages", "help", "version"}


def refuse_missing_services():
    if settings.MISSING_SERVICES:
        raise SystemExit(f"Configuration error: {settings.MISSING_SERVICES[0]}")


def refuse_command_missing_services(argv):
    command = argv[1] if len(argv) > 1 else "help"
    if command not in BUILD_COMMANDS:
        refuse_missing_services()
