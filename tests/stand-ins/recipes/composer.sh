# composer:<ver> — contract of the official image (Alpine, on php:8-alpine): PHP CLI as in the php
# images (PHP_INI_DIR, conf.d, docker-php-ext-*: _php.sh) with zip and bz2 loaded, and
# $PHP_INI_DIR/php-cli.ini (memory_limit=-1, date.timezone=UTC); Composer at /usr/bin/composer;
# git, unzip, zip, curl; COMPOSER_HOME=/tmp, COMPOSER_ALLOW_SUPERUSER=1; WORKDIR /app;
# ENTRYPOINT /docker-entrypoint.sh (runs Composer commands and options under tini, anything else as
# it is), CMD ["composer"].
# entrypoints/composer.sh (named here for the recipe hash)
# Stand-in: Debian trixie's PHP 8.4 (as the php stand-in, _php.sh) and Debian's composer package
# (2.8.8, its libraries from Debian's php-* packages) under every tag — composer:lts is Composer
# 2.2 on Docker Hub; intl loaded too (Debian's Symfony needs it); Debian, so bash/apt and no
# BusyBox wget; no mercurial, subversion, p7zip, make, patch or openssh-client. No Packagist
# here: a composer.json that requires packages resolves nothing (tests/fixtures/e2e/php-composer
# requires only php).
source "$(dirname "${BASH_SOURCE[0]}")/_php.sh"
tags=(composer:2.8 composer:2 composer:lts composer:latest)
suite=trixie
packages=("${php_packages[@]}" composer "php$php_version-zip" "php$php_version-bz2" git unzip
  zip tini)
changes=("${php_changes[@]}" 'ENV COMPOSER_ALLOW_SUPERUSER=1' 'ENV COMPOSER_HOME=/tmp'
  'WORKDIR /app' 'ENTRYPOINT ["/docker-entrypoint.sh"]' 'CMD ["composer"]')
customize() {
  local root=$1
  # intl too: Debian's Symfony (string, under Composer's console) needs Normalizer, which the
  # official composer.phar takes from its bundled polyfills.
  php_common "$root" zip bz2 intl
  php_assert "$root" zip bz2 intl
  printf '; composer php cli ini settings\ndate.timezone=UTC\nmemory_limit=-1\n' \
    >"$root$php_ini_dir/php-cli.ini"
  mkdir -p "$root/app"
  install -m 755 "$here/entrypoints/composer.sh" "$root/docker-entrypoint.sh"
  ln -sf /usr/bin/tini "$root/sbin/tini"
  [ "$(chroot "$root" php -r 'echo ini_get("memory_limit");')" = -1 ] \
    || { echo "stand-ins: php-cli.ini is not read" >&2; return 1; }
  # The entrypoint tells Composer's commands from others with `composer help`.
  chroot "$root" env COMPOSER_HOME=/tmp COMPOSER_ALLOW_SUPERUSER=1 \
    composer help --no-interaction update >/dev/null
  assert_present "$root" /usr/bin/composer /usr/bin/git /usr/bin/unzip /usr/bin/zip /usr/bin/curl \
    /sbin/tini /docker-entrypoint.sh
}
