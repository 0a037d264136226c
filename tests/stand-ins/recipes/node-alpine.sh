# node:<ver>-alpine — contract: node, npm, npx, yarn (1.22) and corepack at /usr/local/bin; user
# `node` 1000:1000 with home /home/node; BusyBox sh, adduser/addgroup (-S), wget; no curl, no bash,
# no useradd, no apt; `docker-entrypoint.sh` execs its arguments (adds `node` before a flag);
# CMD ["node"]. Stand-in: Debian trixie's Node.js 20 and npm; yarn 1.22 and corepack 0.30 (the one
# Node 22.12 bundles; Debian's 0.24 cannot fetch Yarn 2+ from the npm registry) from the npm
# registry. Network accommodations, not part of the contract: repo.yarnpkg.com is unreachable from
# here, so corepack fetches Yarn and pnpm from the npm registry (COREPACK_NPM_REGISTRY), and this
# network's registry serves packages without npm's signatures, which corepack 0.30 would otherwise
# reject (COREPACK_INTEGRITY_KEYS=0).
source "$(dirname "${BASH_SOURCE[0]}")/_alpine.sh"
tags=(node:22.12-alpine node:22-alpine node:20-alpine node:20.19-alpine node:24-alpine node:lts-alpine node:alpine)
suite=trixie
packages=(nodejs npm busybox ca-certificates)
changes=("${ca_env[@]}" 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV YARN_VERSION=1.22.22' 'ENV COREPACK_NPM_REGISTRY=https://registry.npmjs.org'
  'ENV COREPACK_INTEGRITY_KEYS=0' 'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["node"]')
node_common() {
  local root=$1
  install_ca "$root"
  ln -sf /usr/bin/node "$root/usr/local/bin/node"
  ln -sf /usr/bin/npm "$root/usr/local/bin/npm"
  ln -sf /usr/bin/npx "$root/usr/local/bin/npx"
  chroot "$root" env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    npm install --global --prefix /opt/yarn --no-audit --no-fund --loglevel=error yarn@1.22.22
  # Like Node's own install: only the `corepack` link in /usr/local/bin (`corepack enable` then
  # writes its shims next to it).
  chroot "$root" env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    npm install --global --prefix /opt/corepack --no-audit --no-fund --loglevel=error corepack@0.30.0
  ln -sf /opt/corepack/bin/corepack "$root/usr/local/bin/corepack"
  ln -sf /opt/yarn/bin/yarn "$root/usr/local/bin/yarn"
  ln -sf /opt/yarn/bin/yarnpkg "$root/usr/local/bin/yarnpkg"
  rm -rf "$root/root/.npm"
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/sh --create-home node
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
# Run node with the arguments when the first one is a flag or not a command on PATH.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
SH
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
}
customize() {
  node_common "$1"
  alpine_userland "$1"
  assert_absent "$1" curl bash useradd apt-get
  assert_present "$1" /usr/local/bin/node /usr/local/bin/npm /usr/local/bin/yarn /usr/local/bin/corepack /usr/bin/wget
}
