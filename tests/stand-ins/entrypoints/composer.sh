#!/bin/sh
# Stand-in for the official composer image's /docker-entrypoint.sh: options and Composer commands
# run as `composer …` under tini; anything else (sh, php, …) runs as it is.
isCommand() {
  if [ "$1" = "sh" ]; then
    return 1
  fi
  composer help --no-interaction "$1" >/dev/null 2>&1
}
if [ "${1#-}" != "$1" ]; then
  set -- /sbin/tini -- composer "$@"
elif [ "$1" = composer ]; then
  set -- /sbin/tini -- "$@"
elif isCommand "$1"; then
  set -- /sbin/tini -- composer "$@"
fi
exec "$@"
