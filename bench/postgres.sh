#!/usr/bin/env bash
# Sourced by bench/intake.sh and bench/e2e.sh: Debian's PostgreSQL (apt-get install postgresql) initdb'd into a
# folder and started on a free loopback port, as FaceSwap.Tests/Support/PostgresServer.cs does, but with fsync on
# (as SQLite's file is). start_postgres DIR sets pg_port and pg_connection (the superuser on the database
# "postgres"); stop_postgres DIR stops it (the caller's cleanup runs it, on exit and on Ctrl-C).
# postgres refuses to run as root: as root its tools run as the package's postgres user (PostgresBinaries.cs).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
start_postgres() {
  [ -n "$pg_bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
  chmod 1777 "$1"  # the postgres user creates its data folder inside, as in /tmp
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$pg_bin/initdb" -D "$1/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$1/pg" -l "$1/pg/server.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $1/pg -c max_connections=200" start >/dev/null
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
}
stop_postgres() {
  [ -n "$pg_bin" ] && [ -f "$1/pg/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$1/pg" -m immediate -w stop >/dev/null 2>&1
  return 0
}
