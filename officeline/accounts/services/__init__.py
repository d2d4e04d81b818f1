"""Writes of the accounts app: named actions, one transaction and one event each; one module
per topic (customers' details and accounts, notices, staff departures, the staff access log)."""
