"""``officeline totp_code EMAIL``: the current TOTP code of a staff user (demo and test only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from officeline.accounts.mfa import current_code, totp_secret
from officeline.accounts.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a staff user (demo and test deployments only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEPLOYMENT == "production":
            raise CommandError("totp_code is not available in production")
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"no user with the email {options['email']!r}")
        secret = totp_secret(user)
        if secret is None:
            raise CommandError(f"{user.email} has no TOTP authenticator")
        self.stdout.write(current_code(secret))
