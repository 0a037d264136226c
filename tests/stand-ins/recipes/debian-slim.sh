# debian:bookworm-slim — contract: Debian 12 minbase (sh, apt-get, dpkg, useradd/groupadd), no
# ca-certificates, no wget, no curl; apt reaches deb.debian.org.
tags=(debian:bookworm-slim debian:12-slim)
suite=bookworm
variant=minbase
changes=('CMD ["bash"]' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
customize() {
  # Only the local CAs (not a bundle): the real image has no ca-certificates, and installing that
  # package in a build then trusts the proxy's CA too.
  rm -f "$1/etc/ssl/certs/ca-certificates.crt"
  assert_absent "$1" wget curl
}
