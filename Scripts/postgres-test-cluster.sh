#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, in a temporary directory, on a free port of
# 127.0.0.1 with trust authentication, run by an unprivileged user (initdb refuses root).
#
#   source Scripts/postgres-test-cluster.sh    # starts it, exports PAYGRID_TEST_POSTGRES_URL,
#                                              # and stops it when the sourcing shell exits
#
# Installs Debian's postgresql package when no server binaries are found.
set -euo pipefail

paygrid_pg_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/bin /usr/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if ! PAYGRID_PG_BIN=$(paygrid_pg_bin); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PAYGRID_PG_BIN=$(paygrid_pg_bin)
fi

# The server runs as the invoking user unless that is root; then as a user made for it.
PAYGRID_PG_USER=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    PAYGRID_PG_USER=paygrid-pg
    id -u "$PAYGRID_PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PAYGRID_PG_USER"
fi
paygrid_pg_as() {
    if [ "$(id -un)" = "$PAYGRID_PG_USER" ]; then "$@"; else runuser -u "$PAYGRID_PG_USER" -- "$@"; fi
}

PAYGRID_PG_DIR=$(mktemp -d /tmp/paygrid-pg.XXXXXX)
chown "$PAYGRID_PG_USER" "$PAYGRID_PG_DIR"
PAYGRID_PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

paygrid_pg_stop() {
    paygrid_pg_as "$PAYGRID_PG_BIN/pg_ctl" -D "$PAYGRID_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PAYGRID_PG_DIR"
}
trap paygrid_pg_stop EXIT

paygrid_pg_as "$PAYGRID_PG_BIN/initdb" -D "$PAYGRID_PG_DIR/data" -U paygrid --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$PAYGRID_PG_DIR/initdb.log"
# Durability is not what the tests check of PostgreSQL: fsync off keeps the suite quick. The
# benchmarks set PAYGRID_PG_FSYNC=on, so a commit there is as durable as SQLite's. The predicate
# locks are docs/postgresql.md's recommendation for several instances.
paygrid_pg_as "$PAYGRID_PG_BIN/pg_ctl" -D "$PAYGRID_PG_DIR/data" -l "$PAYGRID_PG_DIR/server.log" -w \
    -o "-p $PAYGRID_PG_PORT -k $PAYGRID_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 \
        -c fsync=${PAYGRID_PG_FSYNC:-off} -c shared_buffers=${PAYGRID_PG_SHARED_BUFFERS:-128MB} \
        -c max_pred_locks_per_transaction=4096 -c max_pred_locks_per_page=64" \
    start >/dev/null

export PAYGRID_TEST_POSTGRES_URL="postgres://paygrid@127.0.0.1:$PAYGRID_PG_PORT/postgres"
echo "PostgreSQL $("$PAYGRID_PG_BIN/postgres" --version | awk '{print $3}') for the tests at $PAYGRID_TEST_POSTGRES_URL"
