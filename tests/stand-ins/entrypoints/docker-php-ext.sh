#!/bin/sh
# Stand-in for the official php images' docker-php-ext-install, docker-php-ext-enable and
# docker-php-ext-configure (installed under those three names). The official scripts build an
# extension from PHP's source with the compilers the image keeps; this image has neither, so they
# enable the build of that extension Debian packages in the image instead, as the official
# docker-php-ext-enable does: a $PHP_INI_DIR/conf.d/docker-php-ext-NAME.ini that loads it (read by
# the CLI and by Apache's PHP). An extension Debian's packages did not put here fails the build
# with the list of the ones that are.
set -eu
cmd=$(basename "$0")
: "${PHP_INI_DIR:=/usr/local/etc/php}"
ext_dir=$(php -n -r 'echo ini_get("extension_dir");')
mods=$(ls /etc/php/*/mods-available/*.ini 2>/dev/null | head -n 1 | xargs -r dirname)

usage() {
  if [ "$cmd" = docker-php-ext-configure ]; then
    echo "usage: $cmd ext-name [configure flags]" >&2
  else
    echo "usage: $cmd [-jN] [--ini-name file.ini] ext-name [ext-name ...]" >&2
    echo "   ie: $cmd gd mysqli" >&2
  fi
  echo >&2
  echo "Debian's builds of these extensions are in this stand-in image:" >&2
  available | sed 's/^/  /' | fmt -w 96 >&2
}
available() {
  ls "$ext_dir" | sed -n 's/\.so$//p' | sort | tr '\n' ' '
  echo
}
# compiled into PHP itself (Debian's build has pcntl, sodium, openssl… static)
builtin() {
  php -n -r 'exit(extension_loaded($argv[1]) ? 0 : 1);' "$1" 2>/dev/null
}
loaded() {
  case "$1" in
    opcache) php -r 'exit(extension_loaded("Zend OPcache") ? 0 : 1);' 2>/dev/null ;;
    *) php -r 'exit(extension_loaded($argv[1]) ? 0 : 1);' "$1" 2>/dev/null ;;
  esac
}
unavailable() {
  echo "error: $cmd: '$1' cannot be installed in this devbox stand-in for the php image:" >&2
  echo "it compiles nothing (no compiler, no PHP source); it only enables Debian's builds." >&2
  usage
  exit 1
}

ini_name=
jobs=
while [ $# -gt 0 ]; do
  case "$1" in
    --ini-name) ini_name=$2; shift 2 ;;
    --ini-name=*) ini_name=${1#*=}; shift ;;
    -j) jobs=$2; shift 2 ;;
    -j*) jobs=${1#-j}; shift ;;
    --) shift; break ;;
    -*) echo "error: $cmd: unknown option $1" >&2; usage; exit 1 ;;
    *) break ;;
  esac
done
: "$jobs"
[ $# -gt 0 ] || { usage; exit 1; }

if [ "$cmd" = docker-php-ext-configure ]; then
  # docker-php-ext-configure EXT [./configure flags]: Debian's build is used as it is.
  ext=$1
  shift
  if [ -e "$ext_dir/$ext.so" ] || builtin "$ext"; then
    echo "$cmd: devbox stand-in: $ext is Debian's build, used as it is${*:+ (ignored: $*)}" >&2
    exit 0
  fi
  unavailable "$ext"
fi

mkdir -p "$PHP_INI_DIR/conf.d"
for ext in "$@"; do
  if [ -e "$ext_dir/$ext.so" ]; then
    if loaded "$ext"; then
      echo "warning: $ext is already loaded!" >&2
      continue
    fi
    line="extension=$ext"
    if [ -n "$mods" ] && grep -q '^zend_extension' "$mods/$ext.ini" 2>/dev/null; then
      line="zend_extension=$ext"
    fi
    ini="$PHP_INI_DIR/conf.d/${ini_name:-docker-php-ext-$ext.ini}"
    if ! grep -qx "$line" "$ini" 2>/dev/null; then
      echo "$line" >>"$ini"
    fi
    loaded "$ext" || { echo "error: $cmd: PHP does not load $ext (see $ini)" >&2; exit 1; }
  elif builtin "$ext"; then
    echo "$cmd: devbox stand-in: $ext is compiled into PHP here (nothing to do)" >&2
  elif [ "$cmd" = docker-php-ext-enable ]; then
    echo "error: $cmd: no $ext.so in $ext_dir" >&2
    usage
    exit 1
  else
    unavailable "$ext"
  fi
done
