"""Billing's writes, one module per topic."""
