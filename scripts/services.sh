#!/usr/bin/env bash
# Makes sure the integration tests have MariaDB on 127.0.0.1:3306 (root, empty
# password, database `test`) and Redis on 127.0.0.1:6379. Installs them with
# apt-get and starts them when they are absent; does nothing when they answer.
# Safe to run any number of times. Set TIAOJIE_TEST_MYSQL_DSN or
# TIAOJIE_TEST_REDIS_URL to use servers of your own instead.
set -euo pipefail

log() { printf 'services: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
mariadb_up() { mysqladmin --protocol=tcp -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; }

wait_for() { # name, seconds, check command...
  local name=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 5))); do "$@" && return 0; sleep 0.2; done
  log "$name did not come up within ${secs}s"; return 1
}

missing=()
if [ -z "${TIAOJIE_TEST_REDIS_URL:-}" ] && ! command -v redis-server >/dev/null; then missing+=(redis-server redis-tools); fi
if [ -z "${TIAOJIE_TEST_MYSQL_DSN:-}" ] && ! command -v mariadbd >/dev/null && ! command -v mysqld >/dev/null; then
  missing+=(mariadb-server mariadb-client)
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -z "${TIAOJIE_TEST_REDIS_URL:-}" ] && ! redis_up; then
  log "starting redis-server on 127.0.0.1:6379"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for redis 15 redis_up
fi

if [ -z "${TIAOJIE_TEST_MYSQL_DSN:-}" ] && ! mariadb_up; then
  log "starting MariaDB on 127.0.0.1:3306"
  as_root install -d -o mysql -g mysql /run/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    as_root mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql --bind-address=127.0.0.1
  wait_for mariadb-socket 60 as_root mysqladmin -uroot ping
  # Debian's root logs in by unix socket only; the tests connect over TCP with
  # an empty password, as on the project machines.
  if ! mariadb_up || ! mysql --protocol=tcp -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    as_root mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
  fi
  wait_for mariadb 30 mariadb_up
fi
if [ -z "${TIAOJIE_TEST_MYSQL_DSN:-}" ]; then
  mysql --protocol=tcp -h127.0.0.1 -uroot -e 'CREATE DATABASE IF NOT EXISTS test' >/dev/null
fi
log "MariaDB and Redis are up"
