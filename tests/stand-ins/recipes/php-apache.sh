# php:<ver>-apache — contract of the official images (Debian based): Debian's Apache 2 with mod_php
# on the prefork MPM, config in /etc/apache2 (APACHE_CONFDIR, APACHE_ENVVARS; every variable of
# envvars can be overridden from the environment): sites-available/000-default.conf `<VirtualHost
# *:80>` with DocumentRoot /var/www/html, ports.conf `Listen 80`, apache2.conf `<Directory
# /var/www/>` AllowOverride None, conf-enabled/docker-php.conf (.php handled by PHP, DirectoryIndex
# index.php index.html, `<Directory /var/www/>` Options -Indexes, AllowOverride All);
# a2enmod/a2enconf/a2ensite; APACHE_DOCUMENT_ROOT not set; WORKDIR /var/www/html (www-data, 1777,
# empty); user www-data 33:33; /var/run/apache2 (and its socks/), /var/lock/apache2 and
# /var/log/apache2 owned by www-data, 1777, so Apache also starts as www-data; error.log, access.log
# and other_vhosts_access.log link to /dev/stderr and /dev/stdout; `apache2-foreground` (Apache in
# the foreground, stale pid file removed) as CMD through ENTRYPOINT docker-php-entrypoint;
# STOPSIGNAL SIGWINCH (graceful stop); EXPOSE 80; curl present, no wget. PHP: see _php.sh.
# entrypoints/apache2-foreground.sh entrypoints/docker-php-entrypoint.sh (for the recipe hash)
# Stand-in: Debian trixie's apache2 and libapache2-mod-php8.4 — PHP 8.4 under every tag, 8.2 and
# 8.3 included (other differences: _php.sh); Debian's builds of pdo_mysql, mysqli, pdo_pgsql,
# pgsql, intl, zip, gd, bcmath, exif, calendar, ftp, sockets, xsl… are in the image for
# docker-php-ext-install to enable.
source "$(dirname "${BASH_SOURCE[0]}")/_php.sh"
tags=(php:8.3-apache php:8.2-apache php:8.4-apache php:8-apache php:apache)
suite=trixie
# /var/run/apache2 (/run/apache2) is in the image, as on the official one: keep /run.
skip=(cleanup/run)
packages=("${php_packages[@]}" apache2 "libapache2-mod-php$php_version"
  "php$php_version-opcache" "php$php_version-pgsql" "php$php_version-intl" "php$php_version-zip"
  "php$php_version-gd" "php$php_version-bcmath")
changes=("${php_changes[@]}" 'ENV APACHE_CONFDIR=/etc/apache2'
  'ENV APACHE_ENVVARS=/etc/apache2/envvars' 'ENTRYPOINT ["docker-php-entrypoint"]'
  'STOPSIGNAL SIGWINCH' 'WORKDIR /var/www/html' 'EXPOSE 80' 'CMD ["apache2-foreground"]')
customize() {
  local root=$1
  php_common "$root"
  install -m 755 "$here/entrypoints/apache2-foreground.sh" "$root/usr/local/bin/apache2-foreground"
  install -m 755 "$here/entrypoints/docker-php-entrypoint.sh" \
    "$root/usr/local/bin/docker-php-entrypoint"
  cat >"$root/etc/apache2/conf-available/docker-php.conf" <<'CONF'
<FilesMatch \.php$>
	SetHandler application/x-httpd-php
</FilesMatch>

DirectoryIndex disabled
DirectoryIndex index.php index.html

<Directory /var/www/>
	Options -Indexes
	AllowOverride All
</Directory>
CONF
  # Inside the image: /var/run and /var/lock are absolute links (to /run, /run/lock).
  chroot "$root" /bin/bash -euo pipefail <<'SH'
sed -ri 's/^export ([^=]+)=(.*)$/: ${\1:=\2}\nexport \1/' /etc/apache2/envvars
set +u
. /etc/apache2/envvars
set -u
for dir in "$APACHE_LOCK_DIR" "$APACHE_RUN_DIR" "$APACHE_LOG_DIR" "$APACHE_RUN_DIR/socks" \
  /var/www/html; do
  rm -rf "$dir"
  mkdir -p "$dir"
  chown "$APACHE_RUN_USER:$APACHE_RUN_GROUP" "$dir"
  chmod 1777 "$dir"
done
ln -sfT /dev/stderr "$APACHE_LOG_DIR/error.log"
ln -sfT /dev/stdout "$APACHE_LOG_DIR/access.log"
ln -sfT /dev/stdout "$APACHE_LOG_DIR/other_vhosts_access.log"
chown -R --no-dereference "$APACHE_RUN_USER:$APACHE_RUN_GROUP" "$APACHE_LOG_DIR"
a2dismod -q mpm_event 2>/dev/null || true
a2enmod -q mpm_prefork
a2enconf -q docker-php
apache2 -t 2>&1 | grep -v AH00558
[ "$(id -u www-data):$(id -g www-data)" = 33:33 ]
SH
  php_assert "$root"
  assert_present "$root" /usr/local/bin/apache2-foreground /usr/local/bin/docker-php-entrypoint \
    /usr/sbin/apache2 /usr/sbin/a2enmod /usr/bin/curl /etc/apache2/mods-enabled/mpm_prefork.load \
    "/etc/apache2/mods-enabled/php$php_version.load" /etc/apache2/conf-enabled/docker-php.conf
  assert_absent "$root" wget
}
