import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
application = get_wsgi_application()

from clinic.startup import refuse_missing_services  # noqa: E402 (needs the settings loaded above)

refuse_missing_services()
