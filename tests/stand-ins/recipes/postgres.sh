# postgres:<ver>-alpine — contract: user postgres 70:70; PGDATA=/var/lib/postgresql/data (a
# VOLUME); the server binaries and pg_isready on PATH; docker-entrypoint.sh: as root it owns the
# data dir and steps down to postgres; on an empty data dir it needs POSTGRES_PASSWORD (or
# POSTGRES_HOST_AUTH_METHOD=trust), runs initdb with POSTGRES_USER (default postgres), creates
# POSTGRES_DB (default the user), runs /docker-entrypoint-initdb.d/*.sql|*.sh on a socket-only
# temporary server, then starts listening on all addresses with password auth for TCP;
# STOPSIGNAL SIGINT; EXPOSE 5432; BusyBox userland. Stand-in: Debian trixie's PostgreSQL 17.
source "$(dirname "${BASH_SOURCE[0]}")/_alpine.sh"
tags=(postgres:16.6-alpine postgres:16-alpine postgres:17-alpine postgres:alpine postgres:16 postgres:17)
suite=trixie
packages=(postgresql busybox)
changes=('ENV PGDATA=/var/lib/postgresql/data'
  'ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'VOLUME /var/lib/postgresql/data' 'STOPSIGNAL SIGINT' 'EXPOSE 5432'
  'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]')
customize() {
  local root=$1
  chroot "$root" sh -c 'pg_dropcluster --stop 17 main 2>/dev/null || true'
  chroot "$root" usermod -u 70 postgres
  chroot "$root" groupmod -g 70 postgres
  mkdir -p "$root/var/lib/postgresql/data" "$root/var/run/postgresql" "$root/docker-entrypoint-initdb.d"
  chroot "$root" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
  chmod 3777 "$root/var/run/postgresql"
  install -m 755 "$(dirname "${BASH_SOURCE[0]}")/../entrypoints/postgres.sh" \
    "$root/usr/local/bin/docker-entrypoint.sh"
  alpine_userland "$root"
  assert_present "$root" /usr/lib/postgresql/17/bin/pg_isready /usr/lib/postgresql/17/bin/initdb
}
