# denoland/deno:<ver> (the Debian variant, also `debian-<ver>`) — contract of the official image:
# `deno` at /bin/deno; user `deno` 1993:1993; DENO_DIR=/deno-dir (owned by deno) and
# DENO_INSTALL_ROOT=/usr/local; tini at /tini; ENTRYPOINT ["/tini", "--", "docker-entrypoint.sh"]
# (runs deno when the first argument is a flag or a deno subcommand); Debian slim: sh (dash),
# bash, useradd, apt-get; no wget, no curl.
# Differences: Deno 2.9.6 under every tag, the binary from the npm registry's
# @deno/linux-x64-glibc (Deno is not in Debian; GitHub releases are not reachable), checked
# against the registry's sha512 and kept under $DEVBOX_STAND_IN_CACHE/downloads; Debian's tini;
# the host's CA bundle with DENO_CERT pointing at it, so `deno install` reaches the npm registry
# through the proxy (jsr.io and deno.land are not reachable from here: fixtures use npm: imports).
deno_version=2.9.6
deno_sha512=de67784ca2c2bb3b0b0e67cea02e4a37b34065ac525643209bae2f83a7e80f4d090400c2a584b6ff942a5dfce09cfe59433de22cff6f05026d120735d7a380a1
tags=("denoland/deno:$deno_version" "denoland/deno:debian-$deno_version" denoland/deno:2 denoland/deno:latest)
suite=bookworm
packages=(ca-certificates tini)
changes=("${ca_env[@]}" 'ENV DENO_CERT=/etc/ssl/certs/ca-certificates.crt'
  'ENV DENO_DIR=/deno-dir/' 'ENV DENO_INSTALL_ROOT=/usr/local'
  'ENTRYPOINT ["/tini", "--", "docker-entrypoint.sh"]'
  'CMD ["run", "https://deno.land/std/examples/welcome.ts"]')

deno_fetch() {
  local dir="${DEVBOX_STAND_IN_CACHE:-/var/cache/devbox/stand-ins}/downloads"
  local tgz="$dir/deno-linux-x64-glibc-$deno_version.tgz"
  mkdir -p "$dir"
  if ! echo "$deno_sha512  $tgz" | sha512sum --check --status 2>/dev/null; then
    rm -f "$dir"/deno-linux-x64-glibc-*.tgz
    curl -fsSL --retry 3 -o "$tgz.partial" \
      "https://registry.npmjs.org/@deno/linux-x64-glibc/-/linux-x64-glibc-$deno_version.tgz" >&2
    echo "$deno_sha512  $tgz.partial" | sha512sum --check --quiet >&2 \
      || { echo "stand-ins: deno $deno_version fails its sha512" >&2; rm -f "$tgz.partial"; return 1; }
    mv "$tgz.partial" "$tgz"
  fi
  echo "$tgz"
}

customize() {
  local root=$1 tgz
  install_ca "$root"
  tgz=$(deno_fetch)
  tar -xzf "$tgz" -O package/deno >"$root/bin/deno"
  chmod 755 "$root/bin/deno"
  ln -s /usr/bin/tini "$root/tini"
  chroot "$root" groupadd --gid 1993 deno
  chroot "$root" useradd --uid 1993 --gid deno --shell /bin/sh --create-home deno
  mkdir -p "$root/deno-dir"
  chown 1993:1993 "$root/deno-dir"
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
# deno with the arguments when the first one is a flag or a deno subcommand.
if [ "${1#-}" != "${1}" ]; then
  exec deno "$@"
fi
case "$1" in
  add | bench | cache | check | clean | compile | completions | coverage | doc | eval | fmt | help | info | init | install | jupyter | lint | lsp | outdated | publish | remove | repl | run | serve | task | test | types | uninstall | update | upgrade)
    exec deno "$@" ;;
esac
exec "$@"
SH
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
  [ "$(chroot "$root" /bin/deno --version | head -n1 | cut -d' ' -f2)" = "$deno_version" ] \
    || { echo "stand-ins: /bin/deno is not Deno $deno_version" >&2; return 1; }
  assert_absent "$root" curl wget
  assert_present "$root" /bin/deno /tini /usr/local/bin/docker-entrypoint.sh /usr/sbin/useradd
}
