#!/usr/bin/env bash
# `make run`: the whole service on its embedded defaults, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."

export OFFICELINE_DEPLOYMENT="${OFFICELINE_DEPLOYMENT:-demo}"
BIN=.venv/bin
mkdir -p var
"$BIN/officeline" migrate --noinput -v 0
"$BIN/officeline" collectstatic --noinput -v 0
"$BIN/officeline" seed_demo
exec "$BIN/honcho" start -f Procfile
