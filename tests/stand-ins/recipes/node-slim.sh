# node:<ver>-slim — contract: Debian with node, npm, npx, yarn (1.22), corepack at /usr/local/bin;
# user `node` 1000:1000 (/home/node); sh (dash), bash, useradd/groupadd, apt-get; no wget, no curl.
# Stand-in: as node-alpine (corepack 0.30 and yarn 1.22 from the npm registry), on Debian.
source "$(dirname "${BASH_SOURCE[0]}")/node-alpine.sh"
tags=(node:22.12-slim node:22-slim node:20-slim node:20.19-slim node:24-slim node:lts-slim node:slim)
packages=(nodejs npm ca-certificates)
customize() {
  node_common "$1"
  assert_absent "$1" wget curl
  assert_present "$1" /usr/local/bin/node /usr/local/bin/npm /usr/local/bin/yarn /usr/local/bin/corepack /usr/sbin/useradd
}
