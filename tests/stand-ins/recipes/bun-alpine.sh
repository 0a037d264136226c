# oven/bun:<ver>-alpine — contract and differences: see _bun.sh. The Alpine image adds: BusyBox
# sh, adduser/addgroup, wget; libgcc/libstdc++; no bash, no curl, no useradd, no apt.
# Stand-in: Debian trixie with BusyBox's user land (_alpine.sh); Bun's glibc x64-baseline build
# (upstream's is the musl one), no `apk`.
source "$(dirname "${BASH_SOURCE[0]}")/_alpine.sh"
source "$(dirname "${BASH_SOURCE[0]}")/_bun.sh"
tags=(oven/bun:1.2-alpine oven/bun:1-alpine oven/bun:alpine "oven/bun:$bun_version-alpine")
suite=trixie
packages=(busybox ca-certificates)
changes=("${bun_changes[@]}")
customize() {
  local root=$1
  bun_common "$root"
  alpine_userland "$root"
  # The official image's own commands, through the BusyBox shims.
  chroot "$root" addgroup -g 1000 bun
  chroot "$root" adduser -u 1000 -G bun -s /bin/sh -D bun
  # BusyBox makes the home 0755; the shim's useradd follows trixie's HOME_MODE 0700.
  chmod 755 "$root/home/bun"
  bun_finish "$root"
  assert_absent "$root" bash useradd apt-get
  assert_present "$root" /usr/bin/wget /usr/sbin/adduser /usr/sbin/addgroup
}
