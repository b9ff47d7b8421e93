#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    from django.core.management import execute_from_command_line

    from clinic.startup import refuse_command_missing_services

    refuse_command_missing_services(sys.argv)
    execute_from_command_line(sys.argv)
