# redis:<ver>-alpine — contract: user redis 999 (gid 1000); WORKDIR /data (a VOLUME) owned by
# redis; redis-server and redis-cli on PATH; docker-entrypoint.sh steps down from root; protected
# mode off (the official build turns it off); EXPOSE 6379; BusyBox userland.
# Stand-in: Debian trixie's redis-server.
source "$(dirname "${BASH_SOURCE[0]}")/_alpine.sh"
tags=(redis:7.4.2-alpine redis:7-alpine redis:7.4-alpine redis:alpine redis:7)
suite=trixie
packages=(redis-server redis-tools busybox)
changes=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'VOLUME /data' 'WORKDIR /data' 'EXPOSE 6379'
  'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]')
customize() {
  local root=$1
  chroot "$root" groupmod -g 1000 redis
  chroot "$root" usermod -u 999 -g 1000 redis
  mkdir -p "$root/data"
  chroot "$root" chown redis:redis /data
  install -m 755 "$(dirname "${BASH_SOURCE[0]}")/../entrypoints/redis.sh" \
    "$root/usr/local/bin/docker-entrypoint.sh"
  alpine_userland "$root"
  assert_present "$root" /usr/bin/redis-server /usr/bin/redis-cli
}
