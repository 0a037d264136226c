# node:<ver>-slim — contract: Debian with node, npm, npx, yarn (1.22), corepack at /usr/local/bin;
# user `node` 1000:1000 (/home/node); sh (dash), bash, useradd/groupadd, apt-get; no wget, no curl.
# Stand-in: Debian trixie's Node.js 20 and npm; yarn 1.22 from the npm registry.
source "$(dirname "${BASH_SOURCE[0]}")/node-alpine.sh"
tags=(node:22.12-slim node:22-slim node:20-slim node:20.19-slim node:24-slim node:lts-slim node:slim)
packages=(nodejs npm node-corepack ca-certificates)
customize() {
  node_common "$1"
  assert_absent "$1" wget curl
  assert_present "$1" /usr/local/bin/node /usr/local/bin/npm /usr/local/bin/yarn /usr/sbin/useradd
}
