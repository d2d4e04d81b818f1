"""The ``officeline`` command: Django's management commands under one name.

``officeline deadline ...`` and ``officeline tick`` are management commands of the
markets and clock apps; every other Django command (migrate, runserver, ...) works too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError
    from django.core.management import CommandError


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officeline.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    # Commands are spelt with hyphens on the command line (billing-schedule) and
    # with underscores as Python modules (billing_schedule).
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["officeline", *args])


def command_error(exc: ValidationError, options: Mapping[str, str] | None = None) -> CommandError:
    """A service's refusal as the command's error: each problem after the option it is about.

    ``options`` names the option of a field the command spells otherwise
    (``{"from_number": "from"}``); a problem about no field is printed as it is.
    """
    from django.core.management import CommandError

    if not hasattr(exc, "error_dict"):
        return CommandError("; ".join(exc.messages))
    names = options or {}
    return CommandError(
        "; ".join(
            f"--{names.get(field, field)}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
    )


if __name__ == "__main__":
    main()
