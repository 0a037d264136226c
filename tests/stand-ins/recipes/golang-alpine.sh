# golang:<ver>-alpine — contract: go at /usr/local/go/bin (on PATH), GOPATH=/go (mode 1777, /go/bin
# on PATH), GOTOOLCHAIN=local; BusyBox sh, adduser/addgroup, wget; no git, no curl, no bash.
# Stand-in: Debian trixie's Go 1.24 (modules cannot be fetched here: fixtures use the standard
# library or vendored modules).
source "$(dirname "${BASH_SOURCE[0]}")/_alpine.sh"
tags=(golang:1.23-alpine golang:1.22-alpine golang:1.24-alpine golang:1-alpine golang:alpine)
suite=trixie
packages=(golang-go busybox ca-certificates)
changes=("${ca_env[@]}" 'ENV GOPATH=/go' 'ENV GOTOOLCHAIN=local'
  'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'WORKDIR /go')
customize() {
  local root=$1 goroot
  goroot=$(cd "$root/usr/lib" && ls -d go-1.* | sort -V | tail -n 1)
  # Relative, so the check below (run on the host) follows it inside the image.
  ln -sfn "../lib/$goroot" "$root/usr/local/go"
  mkdir -p "$root/go/bin" "$root/go/src"
  chmod -R 1777 "$root/go"
  alpine_userland "$root"
  assert_absent "$root" git curl bash
  assert_present "$root" /usr/local/go/bin/go /usr/bin/wget
}
