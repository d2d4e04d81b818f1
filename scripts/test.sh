#!/usr/bin/env bash
# `make test`: lint, import contracts, types, migrations, then the suite on PostgreSQL and on the embedded SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

export OFFICELINE_DEPLOYMENT=test OFFICELINE_SECRET_KEY=test-only-not-secret
export PLAYWRIGHT_BROWSERS_PATH=0 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
BIN=.venv/bin
PYTEST_ARGS=(-n "${OFFICELINE_TEST_WORKERS:-auto}" --dist loadfile -q -p no:randomly "$@")

echo "== ruff"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
NO_MKDOCS_2_WARNING=1 "$BIN/mkdocs" build --strict --site-dir var/site 2>/dev/null || NO_MKDOCS_2_WARNING=1 "$BIN/mkdocs" build --strict --site-dir var/site
echo "== import contracts"
"$BIN/lint-imports" --no-logo --no-cache >/dev/null || "$BIN/lint-imports" --no-logo --no-cache
echo "== mypy"
"$BIN/mypy" officeline
echo "== makemigrations --check"
DATABASE_URL="sqlite:///:memory:" "$BIN/python" manage.py makemigrations --check --dry-run >/dev/null \
    || { echo "a model change has no migration: run 'officeline makemigrations'" >&2; exit 1; }

# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# One test database per checkout, so that two checkouts on one server do not collide.
export OFFICELINE_TEST_DB_NAME="test_officeline_$(pwd | sha1sum | cut -c1-8)"

echo "== pytest on PostgreSQL"
"$BIN/pytest" "${PYTEST_ARGS[@]}"

echo "== pytest on SQLite (the embedded default)"
DATABASE_URL="sqlite:///$(pwd)/var/test-embedded.sqlite3" "$BIN/pytest" "${PYTEST_ARGS[@]}" -m "not browser and not sip"
