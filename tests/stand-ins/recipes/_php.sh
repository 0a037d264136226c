# Sourced by the php-apache and composer recipes (not a recipe itself).
# entrypoints/docker-php-ext.sh (named here for the recipe hash)
#
# What the official php images (Debian based) give a Dockerfile and the stand-ins keep:
# PHP_INI_DIR=/usr/local/etc/php holding php.ini-production and php.ini-development and no php.ini
# (PHP's built-in defaults, allow_url_fopen on) until a Dockerfile puts one there, and a conf.d/
# that PHP scans (the CLI and Apache's module alike); `php` in /usr/local/bin;
# docker-php-ext-install, docker-php-ext-enable and docker-php-ext-configure on PATH; loaded by
# default: ctype, curl, dom, fileinfo, iconv, mbstring, mysqlnd, openssl, PDO, pdo_sqlite, Phar,
# posix, readline, SimpleXML, sodium, sqlite3, tokenizer, xml, xmlreader, xmlwriter, zlib (and the
# core ones), and Zend OPcache (conf.d/docker-php-ext-opcache.ini: the official images enable it
# since 2025; PHP 8.5 compiles it in); pdo_mysql, mysqli, pgsql, pdo_pgsql, intl, zip, gd, bcmath…
# only once a Dockerfile installs them.
# Differences of every stand-in here:
#   - Debian trixie's PHP 8.4 (php8.4-* packages) under every tag, 8.2, 8.3 and 8.5 ones too:
#     Debian's PHP reads /etc/php/8.4/<sapi>/php.ini and scans /etc/php/8.4/<sapi>/conf.d, which
#     are links into PHP_INI_DIR (php.ini, php-cli.ini / php-apache2handler.ini, conf.d), so an ini
#     file a Dockerfile puts in PHP_INI_DIR is read as on the official images. The extensions the
#     official build compiles in are Debian's shared modules, loaded by
#     conf.d/00-stand-in-builtins.ini (dependencies first); sodium and pcntl are compiled in, so
#     there is no docker-php-ext-sodium.ini, and pcntl is loaded (the official CLI has none).
#     Debian compiles in session.save_path=/var/lib/php/sessions (the official default is "", the
#     temp dir): that directory is a link to /tmp, so sessions land in /tmp as on the official
#     images (a read-only container with a /tmp tmpfs keeps them working).
#   - docker-php-ext-* compile nothing (no PHP source, no compilers, no phpize, pecl or
#     docker-php-source): install and enable write conf.d/docker-php-ext-NAME.ini for Debian's
#     build of NAME (or warn that it is already loaded), configure accepts and ignores its flags,
#     and an extension Debian's packages did not put in the image fails the build, listing the
#     ones that are. So `docker-php-ext-install opcache` passes here, as on 8.2-8.4, but fails on
#     the official 8.5 images (docker-library/php#1631).
#   - no $PHPIZE_DEPS (the official images keep gcc, g++, make, autoconf, pkg-config, re2c…
#     installed), no xz-utils, no PHP_VERSION/PHP_URL/GPG_KEYS variables, and no apt pin against
#     Debian's php* packages (here they are the PHP).

php_version=8.4
php_ini_dir=/usr/local/etc/php
php_packages=("php$php_version-cli" "php$php_version-mysql" "php$php_version-xml"
  "php$php_version-mbstring" "php$php_version-curl" "php$php_version-sqlite3"
  "php$php_version-readline" ca-certificates curl)
php_changes=("${ca_env[@]}" "ENV PHP_INI_DIR=$php_ini_dir"
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
# What the official build loads by default and Debian builds as shared modules, in load order.
php_builtins=(mysqlnd pdo xml ctype curl dom fileinfo iconv mbstring pdo_sqlite phar posix readline
  simplexml sqlite3 tokenizer xmlreader xmlwriter)

# php_common ROOT [EXT...]: PHP_INI_DIR, the links Debian's PHP reads it through, the default
# extensions (and the EXTs, loaded by default in this image), OPcache, `php` and the
# docker-php-ext-* shims.
php_common() {
  local root=$1; shift
  local etc=/etc/php/$php_version dir sapi ext tool
  mkdir -p "$root$php_ini_dir/conf.d"
  cp "$root/usr/lib/php/$php_version/php.ini-production" \
    "$root/usr/lib/php/$php_version/php.ini-development" "$root$php_ini_dir/"
  {
    echo "; devbox stand-in: the extensions the official php image compiles in, which Debian"
    echo "; builds as shared modules (dependencies first)."
    for ext in "${php_builtins[@]}" "$@"; do echo "extension=$ext"; done
  } >"$root$php_ini_dir/conf.d/00-stand-in-builtins.ini"
  echo 'zend_extension=opcache' >"$root$php_ini_dir/conf.d/docker-php-ext-opcache.ini"
  for dir in "$root$etc"/*/; do
    sapi=$(basename "$dir")
    case "$sapi" in
      cli) ;;
      apache2) sapi=apache2handler ;;
      *) continue ;;
    esac
    rm -rf "$dir/conf.d" "$dir/php.ini"
    ln -s "$php_ini_dir/conf.d" "$dir/conf.d"
    ln -s "$php_ini_dir/php.ini" "$dir/php.ini"
    ln -s "$php_ini_dir/php-$sapi.ini" "$dir/php-$sapi.ini"
  done
  if [ -d "$root/var/lib/php/sessions" ]; then
    rm -rf "$root/var/lib/php/sessions"
    ln -s /tmp "$root/var/lib/php/sessions"
  fi
  ln -sf "/usr/bin/php$php_version" "$root/usr/local/bin/php"
  for tool in install enable configure; do
    install -m 755 "$here/entrypoints/docker-php-ext.sh" "$root/usr/local/bin/docker-php-ext-$tool"
  done
}

# php_assert ROOT [EXT...]: PHP reads PHP_INI_DIR (no php.ini yet, conf.d scanned) and loads the
# default extensions and the EXTs.
php_assert() {
  local root=$1; shift
  local ext
  assert_present "$root" /usr/local/bin/php /usr/local/bin/docker-php-ext-install \
    /usr/local/bin/docker-php-ext-enable /usr/local/bin/docker-php-ext-configure \
    "$php_ini_dir/php.ini-production" "$php_ini_dir/php.ini-development" "$php_ini_dir/conf.d"
  chroot "$root" php --ini | grep -qx 'Loaded Configuration File:.*(none)' \
    || { echo "stand-ins: php reads a php.ini:" >&2; chroot "$root" php --ini >&2; return 1; }
  for ext in "${php_builtins[@]}" "Zend OPcache" "$@"; do
    chroot "$root" php -r 'exit(extension_loaded($argv[1]) ? 0 : 1);' "$ext" \
      || { echo "stand-ins: php does not load $ext" >&2; return 1; }
  done
  chroot "$root" php -r 'exit(ini_get("allow_url_fopen") ? 0 : 1);' \
    || { echo "stand-ins: allow_url_fopen is off" >&2; return 1; }
}
