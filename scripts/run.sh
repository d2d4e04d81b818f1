#!/usr/bin/env bash
# `make run`: the whole service on its embedded defaults, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."

export OFFICELINE_DEPLOYMENT="${OFFICELINE_DEPLOYMENT:-demo}"
export OFFICELINE_HTTP_BIND="${OFFICELINE_HTTP_BIND:-127.0.0.1:8000}"
export OFFICELINE_BASE_URL="${OFFICELINE_BASE_URL:-http://$OFFICELINE_HTTP_BIND}"
BIN=.venv/bin
mkdir -p var
"$BIN/officeline" migrate --noinput -v 0
"$BIN/officeline" collectstatic --noinput -v 0
"$BIN/officeline" seed_demo
exec "$BIN/honcho" start -f Procfile
