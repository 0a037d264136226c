# caddy:<ver>-alpine — contract: /usr/bin/caddy with cap_net_bind_service=+ep; runs as root by
# default; XDG_CONFIG_HOME=/config, XDG_DATA_HOME=/data, /config/caddy and /data/caddy mode 1777;
# WORKDIR /srv; /etc/caddy/Caddyfile serves /usr/share/caddy on :80; EXPOSE 80 443 2019;
# BusyBox wget, no curl. Stand-in: Debian trixie's caddy 2.6.
source "$(dirname "${BASH_SOURCE[0]}")/_alpine.sh"
tags=(caddy:2.9-alpine caddy:2-alpine caddy:alpine caddy:2.9 caddy:2)
suite=trixie
packages=(caddy busybox libcap2-bin)
changes=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV XDG_CONFIG_HOME=/config' 'ENV XDG_DATA_HOME=/data' 'WORKDIR /srv'
  'EXPOSE 80' 'EXPOSE 443' 'EXPOSE 2019'
  'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]')
customize() {
  local root=$1
  mkdir -p "$root/config/caddy" "$root/data/caddy" "$root/etc/caddy" "$root/usr/share/caddy" "$root/srv"
  chmod 1777 "$root/config/caddy" "$root/data/caddy"
  printf ':80 {\n\troot * /usr/share/caddy\n\tfile_server\n}\n' >"$root/etc/caddy/Caddyfile"
  printf '<!DOCTYPE html>\n<title>Caddy works!</title>\n' >"$root/usr/share/caddy/index.html"
  chroot "$root" setcap cap_net_bind_service=+ep /usr/bin/caddy
  rm -f "$root/usr/sbin/setcap" "$root/usr/sbin/getcap" "$root/usr/sbin/capsh" "$root/usr/sbin/getpcaps"
  alpine_userland "$root"
  assert_absent "$root" curl bash
}
