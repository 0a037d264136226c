#!/bin/sh
# Stand-in for the official php images' docker-php-entrypoint: options go to apache2-foreground.
set -e
if [ "${1#-}" != "$1" ]; then
	set -- apache2-foreground "$@"
fi
exec "$@"
