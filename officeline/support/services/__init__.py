"""Writes of the support app, one module per topic: tickets (``tickets``), the complaints code
(``complaints``), its letters (``letters``) and billing disputes (``disputes``)."""
