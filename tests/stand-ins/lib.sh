# The steps recipes share (sourced by build and hook.sh). Part of every recipe's hash: a change
# here rebuilds every root file system, so orchestration lives in `build`, not here. A recipe sets:
#   tags=(image:tag ...)        the names it stands in for; the first is the one it is built as
#   suite=bookworm|trixie       Debian release (omit with make_rootfs)
#   variant=minbase|extract     mmdebstrap variant (extract: only the listed packages, no dpkg)
#   packages=(...)              Debian packages
#   changes=('ENV K=V' 'USER 1000:1000' 'CMD ["node"]' ...)   image config (docker import --change)
#   customize ROOT              optional: runs on the host after install, ROOT is the file system
#                               (chroot "$1" … works: /proc and /dev are mounted by mmdebstrap)
#   make_rootfs DIR             optional: fills DIR instead of mmdebstrap (for non-Debian layouts)

ca_bundle=/etc/ssl/certs/ca-certificates.crt
label=org.devbox.stand-in


# The host's CA bundle (it trusts the outbound HTTPS proxy) and any local CAs, so package managers
# inside builds reach the registries; a local CA also survives `update-ca-certificates` in a build.
install_ca() {
  local root=$1
  mkdir -p "$root/etc/ssl/certs" "$root/usr/local/share/ca-certificates"
  cp "$ca_bundle" "$root/etc/ssl/certs/ca-certificates.crt"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  fi
}

# The variables the package managers read for a CA bundle (npm/node, pip, requests/poetry, uv,
# cargo, go, curl, git), as image ENV.
ca_env=(
  'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
  'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt'
  'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt'
  'ENV REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt'
  'ENV UV_SYSTEM_CERTS=1'
  'ENV CARGO_HTTP_CAINFO=/etc/ssl/certs/ca-certificates.crt'
  'ENV CURL_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt'
  'ENV GIT_SSL_CAINFO=/etc/ssl/certs/ca-certificates.crt'
)

# Fails the build when a tool the official image lacks is present, or one it has is missing.
assert_absent() {
  local root=$1; shift
  local tool
  for tool in "$@"; do
    for dir in bin usr/bin sbin usr/sbin usr/local/bin; do
      if [ -e "$root/$dir/$tool" ] || [ -L "$root/$dir/$tool" ]; then
        echo "stand-ins: $tool must be absent but is at /$dir/$tool" >&2
        return 1
      fi
    done
  done
}
assert_present() {
  local root=$1; shift
  local path
  for path in "$@"; do
    # -L too: a link's absolute target resolves against the host here, not the image.
    [ -e "$root$path" ] || [ -L "$root$path" ] || { echo "stand-ins: $path must be present" >&2; return 1; }
  done
}

# distroless: the three users, /tmp 1777, a nonroot home; no dpkg database, docs or caches.
distroless_users() {
  local root=$1
  mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot" "$root/root"
  cat >"$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
P
  cat >"$root/etc/group" <<'G'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
G
  chmod 1777 "$root/tmp"
  chown 65532:65532 "$root/home/nonroot"
  chmod 700 "$root/root"
  rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/var/lib/dpkg" "$root/var/cache" "$root/var/log" \
    "$root/etc/apt" "$root/etc/dpkg" "$root/dev" "$root/etc/resolv.conf" "$root/etc/hostname"
}
