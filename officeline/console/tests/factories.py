"""Console test helpers: staff users who have set up TOTP."""

from __future__ import annotations

from officeline.accounts.tests.factories import StaffFactory
from officeline.console.mfa import enrol_totp

# A fixed base32 secret for tests (RFC 6238 test key, "12345678901234567890").
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def staff_with_totp(**fields):
    """A staff user (agent unless ``staff_role`` says otherwise) enrolled with TOTP_SECRET."""
    user = StaffFactory(**fields)
    enrol_totp(user, TOTP_SECRET)
    return user
