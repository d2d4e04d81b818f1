"""The ``officeline`` command: Django's management commands under one name.

``officeline deadline ...`` and ``officeline tick`` are management commands of the
markets and clock apps; every other Django command (migrate, runserver, ...) works too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officeline.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    # Commands are spelt with hyphens on the command line (billing-schedule) and
    # with underscores as Python modules (billing_schedule).
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["officeline", *args])


if __name__ == "__main__":
    main()
