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

    execute_from_command_line(["officeline", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
