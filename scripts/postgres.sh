# Sourced by test.sh: makes DATABASE_URL point at a PostgreSQL server for the tests.
#  1. DATABASE_URL as given;
#  2. else the local server on 127.0.0.1:5432, if one answers;
#  3. else a throwaway cluster started from the installed PostgreSQL binaries,
#     stopped and removed when the tests end.
if [[ -n "${DATABASE_URL:-}" ]]; then
    echo "== PostgreSQL: DATABASE_URL from the environment"
elif pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
    echo "== PostgreSQL: the local server on 127.0.0.1:5432"
else
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -z "$pg_bin" ]]; then
        echo "no PostgreSQL: set DATABASE_URL, start a server on 127.0.0.1:5432, or install postgresql" >&2
        exit 1
    fi
    pg_tmp=$(mktemp -d -t officeline-pg.XXXXXX)
    pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg=()
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres "$pg_tmp"
        as_pg=(runuser -u postgres --)
    fi
    "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_tmp/data" -A trust -U postgres >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/log" -w start \
        -o "-p $pg_port -k $pg_tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" >/dev/null
    trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_tmp/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_tmp"' EXIT
    export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
    echo "== PostgreSQL: a throwaway cluster on port $pg_port"
fi
