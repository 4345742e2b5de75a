#!/usr/bin/env bash
# Run a command (the test suite) with a throw-away PostgreSQL server.
#
#   scripts/test-postgres.sh .venv/bin/python -m pytest
#
# Finds the server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin; when
# they are missing and we are root on Debian, installs the `postgresql` package
# (apt-get update once, then apt-get install -y postgresql). Starts a server as a
# non-root user (root cannot run one) on a free local port, in a temporary
# folder, exports its URL as RA_TEST_POSTGRES_URL for the tests, runs the
# command, and stops the server and removes the folder whatever happens.
# When no server can be had (not root, no apt), the command runs without the
# URL: the PostgreSQL tests are skipped with this reason -- or fail when CI=true.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 64
fi

say() { echo "test-postgres: $*" >&2; }

find_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if [ -n "${RA_TEST_POSTGRES_URL:-}" ]; then
    say "using the server given in RA_TEST_POSTGRES_URL"
    exec "$@"
fi

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        say "installing the Debian package postgresql"
        export DEBIAN_FRONTEND=noninteractive
        if apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null; then
            BIN="$(find_bin || true)"
        fi
    fi
fi
if [ -z "$BIN" ]; then
    reason="PostgreSQL server programs not found in /usr/lib/postgresql/*/bin and cannot install them (needs root and apt-get)"
    export RA_TEST_POSTGRES_SKIP="$reason"
    say "$reason; the PostgreSQL tests will be skipped (they fail when CI=true)"
    exec "$@"
fi

# the server refuses to run as root: use an unprivileged account
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
    USER_NAME=postgres
    if ! id "$USER_NAME" >/dev/null 2>&1; then
        USER_NAME=nobody
    fi
    RUN_AS=(runuser -u "$USER_NAME" --)
fi

DIR="$(mktemp -d /tmp/ra-postgres.XXXXXX)"
chmod 755 "$DIR"
if [ "${#RUN_AS[@]}" -gt 0 ]; then
    chown "$USER_NAME" "$DIR"
fi
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

cleanup() {
    "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U ra --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; say "initdb failed"; exit 1; }
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null \
    || { cat "$DIR/server.log" >&2; say "the server did not start"; exit 1; }
"${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U ra ra_test

export RA_TEST_POSTGRES_URL="postgresql+psycopg://ra@127.0.0.1:$PORT/ra_test"
say "$("$BIN/postgres" --version) on port $PORT ($DIR)"
set +e
"$@"
status=$?
set -e
exit "$status"
