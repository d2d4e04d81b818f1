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


def log_in_with_totp(client, user, secret: str = TOTP_SECRET) -> None:
    """Log in through allauth's pages as a person does: the password, then the TOTP code."""
    from officeline.accounts.tests.factories import PASSWORD
    from officeline.console.mfa import current_code

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/accounts/2fa/authenticate/"), response["Location"]
    code = current_code(secret)
    _forget_used_code(user, code)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]


def _forget_used_code(user, code: str) -> None:
    """allauth refuses a code used in the last period by the same user id; a database that
    reuses ids after a rolled-back test (SQLite) would make it refuse a fresh login."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core.cache import cache

    totp = TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP))
    cache.delete(totp._get_used_cache_key(code))
