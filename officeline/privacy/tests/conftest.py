"""Fixtures the privacy tests share."""

from officeline.billing.tests.factories import commercial_line  # noqa: F401 (a fixture)
