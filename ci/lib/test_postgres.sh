# Sourced by ci/test.sh: a throwaway PostgreSQL for the integration tests, on a private unix
# socket (no TCP port to clash with), fsync off (test data only). PostgreSQL refuses to run as
# root, so as root the server runs as the 'postgres' account.

start_test_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
    echo "test_postgres: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin" >&2
    return 1
  fi
  TEST_PG_DIR=$(mktemp -d /tmp/pt-testpg-XXXXXX)
  chmod 711 "$TEST_PG_DIR"
  local as=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$TEST_PG_DIR"
    as=(runuser -u postgres --)
  fi
  TEST_PG_AS=("${as[@]}")
  TEST_PG_BIN=$bindir
  "${as[@]}" "$bindir/initdb" -N -D "$TEST_PG_DIR/data" -U postgres -A trust -E UTF8 \
    --locale=C >"$TEST_PG_DIR/initdb.log" 2>&1 || { cat "$TEST_PG_DIR/initdb.log" >&2; return 1; }
  cat >>"$TEST_PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$TEST_PG_DIR'
port = 5432
max_connections = 200
shared_buffers = 256MB
max_wal_size = 4GB
CONF
  if [[ -z "${PERFTRACK_TEST_PG_DURABLE:-}" ]]; then
    # Test data only: skip the disk flushes.
    printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' \
      >>"$TEST_PG_DIR/data/postgresql.conf"
  fi
  "${as[@]}" "$bindir/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/server.log" -w -t 60 start \
    >/dev/null || { cat "$TEST_PG_DIR/server.log" >&2; return 1; }
  export PERFTRACK_TEST_DSN="host=$TEST_PG_DIR port=5432 user=postgres dbname=postgres"
  export PERFTRACK_TEST_PG_DATA="$TEST_PG_DIR/data"
  export PERFTRACK_TEST_PG_BIN="$bindir"
  echo "test_postgres: running in $TEST_PG_DIR"
}

stop_test_postgres() {
  if [[ -n "${TEST_PG_DIR:-}" && -d "$TEST_PG_DIR/data" ]]; then
    "${TEST_PG_AS[@]}" "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
    rm -rf "$TEST_PG_DIR"
  fi
}
