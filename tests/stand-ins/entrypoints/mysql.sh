#!/bin/sh
# Stand-in for the official mysql image's docker-entrypoint.sh (MariaDB underneath): step down to
# mysql, initialise an empty data dir from the MYSQL_* variables on a --skip-networking server,
# then exec the server.
set -eu
if [ "${1#-}" != "$1" ]; then set -- mysqld "$@"; fi
if [ "$1" != mysqld ]; then exec "$@"; fi
if [ "$(id -u)" = 0 ]; then
  mkdir -p /var/lib/mysql /run/mysqld
  chown -R mysql:mysql /var/lib/mysql /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
fi
if [ ! -d /var/lib/mysql/mysql ]; then
  if [ -z "${MYSQL_ROOT_PASSWORD:-}" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
    echo "error: database is uninitialized and password option is not specified" >&2
    echo "    You need to specify one of the following as an environment variable:" >&2
    echo "    - MYSQL_ROOT_PASSWORD" >&2
    echo "    - MYSQL_ALLOW_EMPTY_PASSWORD" >&2
    echo "    - MYSQL_RANDOM_ROOT_PASSWORD" >&2
    exit 1
  fi
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --auth-root-authentication-method=normal \
    --skip-test-db >/dev/null
  "$@" --skip-networking --socket=/run/mysqld/init.sock &
  pid=$!
  i=0
  until mariadb-admin --socket=/run/mysqld/init.sock ping >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -lt 60 ] || { echo "init server did not start" >&2; exit 1; }
    sleep 1
  done
  root_pw="${MYSQL_ROOT_PASSWORD:-}"
  if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
    root_pw=$(head -c 18 /dev/urandom | base64); echo "GENERATED ROOT PASSWORD: $root_pw"
  fi
  sql="ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_pw'; CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$root_pw'; GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
  if [ -n "${MYSQL_DATABASE:-}" ]; then sql="$sql CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"; fi
  if [ -n "${MYSQL_USER:-}" ] && [ -n "${MYSQL_PASSWORD:-}" ]; then
    sql="$sql CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY '$MYSQL_PASSWORD';"
    if [ -n "${MYSQL_DATABASE:-}" ]; then sql="$sql GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$MYSQL_USER'@'%';"; fi
  fi
  mariadb --socket=/run/mysqld/init.sock -uroot -e "$sql FLUSH PRIVILEGES;"
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) mariadb --socket=/run/mysqld/init.sock -uroot -p"$root_pw" "${MYSQL_DATABASE:-mysql}" <"$f" ;;
      *.sh) . "$f" ;;
    esac
  done
  kill "$pid"; wait "$pid" || true
  echo "MySQL init process done. Ready for start up."
fi
exec "$@"
