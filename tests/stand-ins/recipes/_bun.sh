# Sourced by the bun-slim and bun-alpine recipes (not a recipe itself).
#
# oven/bun:<ver>-{slim,alpine} — contract of the official images: `bun` at /usr/local/bin and
# `bunx` linked to it; `node` linked to bun in /usr/local/bun-node-fallback-bin, last on PATH (no
# npm, no npx, no yarn); user `bun` 1000:1000 with home /home/bun and shell /bin/sh; WORKDIR
# /home/bun/app, owned by root (as `WORKDIR` leaves it: a `USER bun` build writes there only after
# a chown); ENV BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 and BUN_INSTALL_BIN=/usr/local/bin;
# ENTRYPOINT /usr/local/bin/docker-entrypoint.sh (runs bun when the first argument is a flag or
# not a command); CMD ["/usr/local/bin/bun"]. The amd64 images carry Bun's x64-baseline build (no
# AVX2 needed).
# Differences of every stand-in here:
#   - Bun 1.2.23 under every tag (`slim`, `alpine`, `1-*` are 1.3 or later upstream), from the
#     npm registry's @oven/bun-linux-x64-baseline (Bun is not in Debian; GitHub releases are not
#     reachable): the same x64-baseline binary the official amd64 images unpack, always the
#     baseline one whatever the build machine's CPU, checked against the registry's sha512. The
#     tarball is kept under $DEVBOX_STAND_IN_CACHE/downloads, so a rebuilt root file system does
#     not fetch it again; the pinned version and checksum are part of the recipe hash.
#   - the host's CA bundle and the ca_env variables (Bun reads NODE_EXTRA_CA_CERTS), so
#     `bun install` reaches registry.npmjs.org through the proxy.

bun_version=1.2.23
bun_package=bun-linux-x64-baseline
bun_sha512=c5fbc2e76dd8b84c634ba298f0efd66cc7b536b45db4c067de4874d0df5faa9858982609201c5f5dcf676fac0cb5800a1995c01ac3ccbee09e04947c22154ff8
bun_changes=("${ca_env[@]}"
  'ENV BUN_RUNTIME_TRANSPILER_CACHE_PATH=0' 'ENV BUN_INSTALL_BIN=/usr/local/bin'
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/bun-node-fallback-bin'
  'WORKDIR /home/bun/app'
  'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' 'CMD ["/usr/local/bin/bun"]')

# bun_fetch: prints the path of the npm tarball, fetched on the host (curl, the host's CA) once.
bun_fetch() {
  local dir="${DEVBOX_STAND_IN_CACHE:-/var/cache/devbox/stand-ins}/downloads"
  local tgz="$dir/$bun_package-$bun_version.tgz"
  mkdir -p "$dir"
  if ! echo "$bun_sha512  $tgz" | sha512sum --check --status 2>/dev/null; then
    rm -f "$dir/$bun_package"-*.tgz
    curl -fsSL --retry 3 -o "$tgz.partial" \
      "https://registry.npmjs.org/@oven/$bun_package/-/$bun_package-$bun_version.tgz" >&2
    echo "$bun_sha512  $tgz.partial" | sha512sum --check --quiet >&2 \
      || { echo "stand-ins: $bun_package-$bun_version.tgz fails its sha512" >&2; rm -f "$tgz.partial"; return 1; }
    mv "$tgz.partial" "$tgz"
  fi
  echo "$tgz"
}

# bun_common ROOT: bun, bunx, the node fallback, the entrypoint, WORKDIR. The user is the
# variant's (useradd on Debian, BusyBox adduser on Alpine).
bun_common() {
  local root=$1 tgz
  tgz=$(bun_fetch)
  tar -xzf "$tgz" -O package/bin/bun >"$root/usr/local/bin/bun"
  chmod 755 "$root/usr/local/bin/bun"
  ln -s bun "$root/usr/local/bin/bunx"
  mkdir -p "$root/usr/local/bun-node-fallback-bin"
  ln -s /usr/local/bin/bun "$root/usr/local/bun-node-fallback-bin/node"
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
# Run bun with the arguments when the first one is a flag or not a command on PATH.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- /usr/local/bin/bun "$@"
fi
exec "$@"
SH
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
  [ "$(chroot "$root" /usr/local/bin/bun --version)" = "$bun_version" ] \
    || { echo "stand-ins: /usr/local/bin/bun is not Bun $bun_version" >&2; return 1; }
}

# bun_finish ROOT: the WORKDIR (root's, as Docker's WORKDIR makes it) and the checks both share.
bun_finish() {
  local root=$1
  mkdir -p "$root/home/bun/app"
  chown 0:0 "$root/home/bun/app"
  [ "$(chroot "$root" id -u bun):$(chroot "$root" id -g bun)" = 1000:1000 ] \
    || { echo "stand-ins: user bun is not 1000:1000" >&2; return 1; }
  [ "$(chroot "$root" getent passwd bun | cut -d: -f6)" = /home/bun ] \
    || { echo "stand-ins: bun's home is not /home/bun" >&2; return 1; }
  rm -rf "$root/root/.bun" "$root/home/bun/.bun"
  assert_absent "$root" curl npm npx yarn
  assert_present "$root" /usr/local/bin/bun /usr/local/bin/bunx /usr/local/bin/docker-entrypoint.sh \
    /usr/local/bun-node-fallback-bin/node /bin/sh
}
