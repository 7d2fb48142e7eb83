# A throwaway PostgreSQL server on a free loopback port, for the benchmark scripts (sourced, not
# run). As Tests/AssayTestSupport/PostgresServer.swift does: initdb and pg_ctl from the newest
# /usr/lib/postgresql/N/bin, run as the `postgres` user when we are root, password auth over TCP
# as a deployment has it, fsync off (the data is thrown away).
#
#   source Benchmarks/lib/throwaway-postgres.sh
#   pg_workdir NAME         # WORK and PIDS, cleaned up (PIDS killed, server stopped, WORK removed) on exit
#   pg_start "$WORK"        # sets PG_BIN, PG_PORT and exports ASSAY_PG_PASSWORD; data in $WORK/pg
#   pg_psql -d postgres -c 'CREATE DATABASE x'
#   pg_stop "$WORK"         # (pg_workdir's EXIT trap does it)

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pg_start() {
    local work=$1
    if [ -z "$PG_BIN" ]; then echo "PostgreSQL's server binaries are missing: install postgresql (scripts/install-deps.sh)" >&2; exit 69; fi
    ASSAY_PG_PASSWORD=$(python3 -c 'import uuid; print(uuid.uuid4())')
    export ASSAY_PG_PASSWORD
    echo "$ASSAY_PG_PASSWORD" > "$work/pwfile"
    mkdir -p "$work/pg" "$work/sock"
    if [ "$(id -u)" = 0 ]; then chown postgres "$work/pwfile" "$work/pg" "$work/sock"; fi
    as_postgres "$PG_BIN/initdb" -D "$work/pg" -U assay --pwfile="$work/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --no-sync >/dev/null
    PG_PORT=$(free_port)
    as_postgres "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/sock/pg.log" -w \
        -o "-p $PG_PORT -k $work/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
}

pg_psql() { PGPASSWORD=$ASSAY_PG_PASSWORD psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U assay "$@"; }

pg_stop() { as_postgres "$PG_BIN/pg_ctl" -D "$1/pg" -m fast -w stop >/dev/null 2>&1 || true; }

# pg_workdir NAME: makes WORK (a temporary folder the postgres user can enter, for the server's
# data) and an empty PIDS; on exit, kills PIDS, stops the server and removes WORK.
pg_workdir() {
    WORK=$(mktemp -d "/tmp/assay-$1-bench.XXXXXX")
    chmod 755 "$WORK"
    PIDS=()
    trap pg_cleanup EXIT
}
pg_cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    pg_stop "$WORK"
    rm -rf "$WORK"
}
