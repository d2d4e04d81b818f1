#!/usr/bin/env bash
# `make run`: the whole service on its embedded defaults, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."

export OFFICELINE_DEPLOYMENT="${OFFICELINE_DEPLOYMENT:-demo}"
export OFFICELINE_HTTP_BIND="${OFFICELINE_HTTP_BIND:-127.0.0.1:8000}"
export OFFICELINE_BASE_URL="${OFFICELINE_BASE_URL:-http://$OFFICELINE_HTTP_BIND}"
# The project's own SIP endpoints stand in for the echo test, the carrier trunk and the
# emergency gateway, and take voicemail, unless their addresses are given (then they are not
# started here).
PROCESSES=(web worker sip media)
SIP_PORT="${OFFICELINE_SIP_PORT:-5060}"
if [ -z "${OFFICELINE_ECHO_TEST:-}" ]; then
    export OFFICELINE_ECHO_TEST="sip:127.0.0.1:$((SIP_PORT + 2))"
    PROCESSES+=(echo)
fi
if [ -z "${OFFICELINE_CARRIER_TRUNK:-}" ]; then
    export OFFICELINE_CARRIER_TRUNK="sip:127.0.0.1:$((SIP_PORT + 4))"
    # The local stand-in only answers calls: trusting its address is a knowing choice here.
    export OFFICELINE_TRUNK_AUTH="${OFFICELINE_TRUNK_AUTH:-ip}"
    PROCESSES+=(trunk)
fi
if [ -z "${OFFICELINE_EMERGENCY_GATEWAY:-}" ]; then
    export OFFICELINE_EMERGENCY_GATEWAY="sip:127.0.0.1:$((SIP_PORT + 6))"
    PROCESSES+=(gateway)
fi
if [ -z "${OFFICELINE_VOICEMAIL:-}" ]; then
    export OFFICELINE_VOICEMAIL="sip:127.0.0.1:$((SIP_PORT + 8))"
    PROCESSES+=(voicemail)
fi
BIN=.venv/bin
mkdir -p var
"$BIN/officeline" migrate --noinput -v 0
"$BIN/officeline" collectstatic --noinput -v 0
"$BIN/officeline" seed_demo
exec "$BIN/honcho" start -f Procfile "${PROCESSES[@]}"
