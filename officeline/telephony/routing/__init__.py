"""Kamailio's routing: what Kamailio's app_python3 loads (``kemi.py``) and what it imports.

Runs inside Kamailio, without Django: nothing here imports Django or another Officeline app
(an import-linter contract checks it). The facts the routing needs from the project (each
market's emergency numbers, country, language and barred ranges) are rendered into its
environment at start-up by the Django side (``telephony.kamailio``); the names it shares
with the Django side (tables, columns, call-event kinds, the message-summary body) are in
``contract.py``, which the Django side imports and the contract tests check.
"""
