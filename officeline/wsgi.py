"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officeline.settings")
application = get_wsgi_application()

# gunicorn runs no management command: a production deployment without its secret key, mail
# server or payment provider refuses to start here (officeline.E001...).
from officeline.deployment import refuse_to_start_if_misconfigured  # noqa: E402

refuse_to_start_if_misconfigured()
