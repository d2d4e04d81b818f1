"""``officeline api_token EMAIL [--rotate] [--client NAME]``: issue and print a user's API token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.accounts.models import User
from officeline.accounts.tokens import issue_api_token, revoke_api_tokens


class Command(BaseCommand):
    help = (
        "Issue a new API token of a user for one client (replacing that client's token) and "
        "print it: only a hash of it is kept, so it cannot be shown again. --rotate first "
        "revokes all the user's tokens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--rotate", action="store_true", help="revoke all their tokens first")
        parser.add_argument(
            "--client", default="cli", help="the program the token is for (default: cli)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["email"].lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"no active user with the email {options['email']!r}")
        actor = "officeline api_token"
        if options["rotate"]:
            revoke_api_tokens(user=user, actor=actor, reason="rotated")
        try:
            issued = issue_api_token(user=user, client=options["client"], actor=actor)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(issued.value)
