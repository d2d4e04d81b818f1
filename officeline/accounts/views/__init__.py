"""Pages of the accounts app: ``console.py`` for the operator's staff."""
