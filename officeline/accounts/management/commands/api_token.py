"""``officeline api_token EMAIL [--rotate]``: print a user's API token (creating it if needed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from officeline.accounts.models import User


class Command(BaseCommand):
    help = "Print the API token of a user; --rotate replaces it with a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--rotate", action="store_true", help="revoke the old token first")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["email"].lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"no active user with the email {options['email']!r}")
        if options["rotate"]:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
