"""ACC-6: strong passwords, stored only as salted hashes fit for their use."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from officeline.accounts.tests.factories import OfficeManagerFactory

PASSWORD = "correct horse battery staple 42"

pytestmark = pytest.mark.django_db


def test_acc6_portal_passwords_are_salted_argon2_hashes():
    """ACC-6: the stored password is an Argon2 hash with its own salt, never the password."""
    a, b = OfficeManagerFactory(), OfficeManagerFactory()
    assert str(a.password).startswith("argon2$") and PASSWORD not in str(a.password)
    assert a.password != b.password  # same password, different salts


@pytest.mark.parametrize("weak", ["short1", "password123456", "12345678901234", "officeline"])
def test_acc6_weak_passwords_are_refused(weak):
    """ACC-6: short, common or all-digit passwords are refused."""
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_acc6_a_long_passphrase_is_accepted():
    validate_password("correct horse battery staple 42")
