# mysql:<ver> — contract: user mysql 999:999; /var/lib/mysql (a VOLUME); mysqld, mysql and
# mysqladmin on PATH; docker-entrypoint.sh needs MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD
# or MYSQL_RANDOM_ROOT_PASSWORD on an empty data dir, initialises it on a --skip-networking
# temporary server, creates MYSQL_DATABASE and MYSQL_USER/MYSQL_PASSWORD, runs
# /docker-entrypoint-initdb.d/*.sql|*.sh, then serves on 3306; `mysqladmin ping -h 127.0.0.1`
# answers once it listens; EXPOSE 3306 33060. Stand-in: Debian trixie's MariaDB 11.8 (the
# official image is Oracle Linux: bash, no apt).
tags=(mysql:8.4.3 mysql:8.4 mysql:8 mysql:lts mariadb:11 mariadb:lts)
suite=trixie
packages=(mariadb-server mariadb-client)
changes=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'VOLUME /var/lib/mysql' 'EXPOSE 3306' 'EXPOSE 33060'
  'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["mysqld"]')
customize() {
  local root=$1
  chroot "$root" groupmod -g 999 mysql
  chroot "$root" usermod -u 999 -g 999 mysql
  rm -rf "$root/var/lib/mysql"
  mkdir -p "$root/var/lib/mysql" "$root/run/mysqld" "$root/docker-entrypoint-initdb.d"
  chroot "$root" chown -R mysql:mysql /var/lib/mysql /run/mysqld
  # Listen on every address and skip name resolution, as the official image's config does.
  printf '[mysqld]\nbind-address = 0.0.0.0\nskip-name-resolve\n' >"$root/etc/mysql/conf.d/docker.cnf"
  install -m 755 "$(dirname "${BASH_SOURCE[0]}")/../entrypoints/mysql.sh" \
    "$root/usr/local/bin/docker-entrypoint.sh"
  assert_present "$root" /usr/bin/mysqladmin /usr/sbin/mysqld
}
