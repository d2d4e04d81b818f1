"""Fixtures of billing's tests (shared with the tests of apps above billing through ``factories``)."""

from officeline.billing.tests.factories import commercial_line  # noqa: F401 (a fixture)
