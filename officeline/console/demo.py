"""Demo data of the console: a TOTP authenticator for every demo staff user.

TOTP is mandatory for staff. So that the demo works without enrolling each
user, every staff user without an authenticator gets one with the demo's
secret, generated once per deployment and printed with the logins. Codes come
from any authenticator app given that secret, or from ``officeline totp_code EMAIL``.
"""

from __future__ import annotations

from officeline.accounts.mfa import enrol_totp, totp_secret
from officeline.accounts.models import User
from officeline.demo import DemoReport


def seed(report: DemoReport) -> None:
    staff = list(User.objects.exclude(staff_role="").filter(is_active=True).order_by("pk"))
    if not staff:
        return
    # One secret for all demo staff: the first one already enrolled, else a new one.
    shared = next((s for s in (totp_secret(u) for u in staff) if s), None)
    for user in staff:
        shared = enrol_totp(user, shared)
    report.note(
        f"Staff log in with a TOTP code: secret {shared} (any authenticator app), "
        "or run `officeline totp_code EMAIL` for the current code."
    )
