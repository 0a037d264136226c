#!/bin/bash
# Stand-in for the official php:*-apache images' apache2-foreground: Apache in the foreground with
# Debian's envvars (every APACHE_* variable can be overridden from the environment), a stale pid
# file removed and the run, lock and log directories created when missing.
set -e
: "${APACHE_CONFDIR:=/etc/apache2}"
: "${APACHE_ENVVARS:=$APACHE_CONFDIR/envvars}"
if test -f "$APACHE_ENVVARS"; then
	# shellcheck disable=SC1090
	. "$APACHE_ENVVARS"
fi
# Apache refuses to start over an existing pid file.
: "${APACHE_RUN_DIR:=/var/run/apache2}"
: "${APACHE_PID_FILE:=$APACHE_RUN_DIR/apache2.pid}"
rm -f "$APACHE_PID_FILE"
for e in "${!APACHE_@}"; do
	if [[ "$e" == *_DIR ]] && [[ "${!e}" == /* ]]; then
		# /var/lock is a link to /run/lock: create what a link points to before mkdir -p.
		dir="${!e}"
		while [ "$dir" != "$(dirname "$dir")" ]; do
			dir="$(dirname "$dir")"
			if [ -d "$dir" ]; then
				break
			fi
			absDir="$(readlink -f "$dir" 2>/dev/null || :)"
			if [ -n "$absDir" ]; then
				mkdir -p "$absDir"
			fi
		done
		mkdir -p "${!e}"
	fi
done
exec apache2 -DFOREGROUND "$@"
