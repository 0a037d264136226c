# nginxinc/nginx-unprivileged:<ver>-alpine — contract: nginx on PATH, USER 101 (nginx:nginx 101),
# listens on 8080, no `user` directive, pid /tmp/nginx.pid, every *_temp_path under /tmp,
# /etc/nginx and /var/cache/nginx owned 101:0 and group-writable, web root /usr/share/nginx/html,
# access and error logs to stdout/stderr, STOPSIGNAL SIGQUIT, EXPOSE 8080; BusyBox wget, no curl.
# Stand-in: Debian trixie's nginx.
source "$(dirname "${BASH_SOURCE[0]}")/_alpine.sh"
tags=(nginxinc/nginx-unprivileged:1.27-alpine nginxinc/nginx-unprivileged:alpine
      nginxinc/nginx-unprivileged:1.27 nginxinc/nginx-unprivileged:stable-alpine
      ghcr.io/nginx/nginx-unprivileged:1.27-alpine)
suite=trixie
packages=(nginx busybox)
changes=('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'USER 101'
  'EXPOSE 8080' 'STOPSIGNAL SIGQUIT' 'CMD ["nginx", "-g", "daemon off;"]')
customize() {
  local root=$1
  chroot "$root" groupadd --system --gid 101 nginx
  chroot "$root" useradd --system --uid 101 --gid 101 --home-dir /nonexistent --no-create-home \
    --shell /sbin/nologin nginx
  rm -rf "$root/etc/nginx/sites-enabled" "$root/etc/nginx/sites-available" \
    "$root/etc/nginx/modules-enabled" "$root/var/www"
  mkdir -p "$root/etc/nginx/conf.d" "$root/usr/share/nginx/html" "$root/var/cache/nginx" \
    "$root/var/log/nginx"
  cat >"$root/etc/nginx/nginx.conf" <<'CONF'
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /tmp/nginx.pid;
events {
    worker_connections 1024;
}
http {
    proxy_temp_path /tmp/proxy_temp;
    client_body_temp_path /tmp/client_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /var/log/nginx/access.log;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
CONF
  cat >"$root/etc/nginx/conf.d/default.conf" <<'CONF'
server {
    listen 8080;
    server_name localhost;
    location / {
        root /usr/share/nginx/html;
        index index.html index.htm;
    }
}
CONF
  printf '<!DOCTYPE html>\n<title>Welcome to nginx!</title>\n<h1>Welcome to nginx!</h1>\n' \
    >"$root/usr/share/nginx/html/index.html"
  ln -sf /dev/stdout "$root/var/log/nginx/access.log"
  ln -sf /dev/stderr "$root/var/log/nginx/error.log"
  chown -R 101:0 "$root/etc/nginx" "$root/var/cache/nginx" "$root/var/log/nginx"
  chmod -R g+w "$root/etc/nginx" "$root/var/cache/nginx"
  # The compile-time temp paths Debian's build names, in case a custom config omits them.
  mkdir -p "$root/var/lib/nginx" && chown 101:0 "$root/var/lib/nginx"
  alpine_userland "$root"
  assert_absent "$root" curl bash
}
