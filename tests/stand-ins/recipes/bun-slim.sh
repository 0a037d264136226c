# oven/bun:<ver>-slim and oven/bun:<ver> — contract and differences: see _bun.sh. The slim image is
# Debian slim: sh (dash), bash, useradd/groupadd, apt-get, ca-certificates; no wget, no curl.
# Stand-in: Debian bookworm minbase. `oven/bun:1.2` and `oven/bun:1` (the full-Debian variant
# upstream, also without curl/wget) are the same image here.
source "$(dirname "${BASH_SOURCE[0]}")/_bun.sh"
tags=(oven/bun:1.2-slim oven/bun:1-slim oven/bun:slim "oven/bun:$bun_version-slim"
  oven/bun:1.2 oven/bun:1 "oven/bun:$bun_version")
suite=bookworm
packages=(ca-certificates)
changes=("${bun_changes[@]}")
customize() {
  local root=$1
  bun_common "$root"
  chroot "$root" groupadd --gid 1000 bun
  chroot "$root" useradd --uid 1000 --gid bun --shell /bin/sh --create-home bun
  bun_finish "$root"
  assert_absent "$root" wget
  assert_present "$root" /usr/sbin/useradd /usr/bin/apt-get /bin/bash
}
