#!/usr/bin/env bash
# Idempotent set-up: Debian packages (when root), the uv tool, the locked .venv, compiled translations.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=/usr/bin/python3.11
UV_VERSION=0.13.9

missing=()
while read -r pkg; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done < debian-packages.txt

if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        echo "setup: installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        # Services that Debian would start on install are started by Officeline itself.
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        apt-get install -y -q --no-install-recommends "${missing[@]}"
        rm -f /usr/sbin/policy-rc.d
    else
        echo "setup: missing Debian packages (run as root, or install them): ${missing[*]}" >&2
        exit 1
    fi
fi

if [[ ! -x .tools/bin/uv ]] || ! .tools/bin/uv --version | grep -q "$UV_VERSION"; then
    "$PYTHON" -m venv .tools
    .tools/bin/pip install -q "uv==$UV_VERSION" 2>&1 | grep -v "is ignored: it is neither" || true
fi

export UV_PROJECT_ENVIRONMENT=.venv UV_PYTHON_DOWNLOADS=never
.tools/bin/uv sync --frozen --python "$PYTHON" --quiet

mkdir -p var
# Translations are compiled from the .po files kept in each app's locale/ folder.
if [[ -n "$(find officeline -name '*.po' -print -quit)" ]]; then
    (cd officeline && ../.venv/bin/officeline compilemessages -v 0)
fi
