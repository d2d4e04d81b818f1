"""``officeline seed_demo``: the demo data of ``make run``, and where to log in.

Each app may have a ``demo`` module with ``seed(report)``; they run in the order
of INSTALLED_APPS. Seeding is idempotent: it creates what is missing and leaves
what exists (and what the user changed) alone.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from officeline.demo import DemoReport


class Command(BaseCommand):
    help = "Create the demo operator, buildings, customers and staff (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = DemoReport()
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("officeline."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(report)
        self.stdout.write(report.render(settings.BASE_URL))
