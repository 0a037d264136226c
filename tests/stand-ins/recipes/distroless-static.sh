# gcr.io/distroless/static-debian12:nonroot — contract: no shell, no libc, no package manager;
# /etc/passwd with root 0, nobody 65534, nonroot 65532; /etc/group; /tmp mode 1777; CA bundle,
# tzdata, netbase (/etc/services); USER 65532, WORKDIR /home/nonroot (owned by 65532), empty
# ENTRYPOINT so an exec-form CMD runs as is.
tags=(gcr.io/distroless/static-debian12:nonroot gcr.io/distroless/static-debian12
      gcr.io/distroless/static:nonroot gcr.io/distroless/static)
suite=bookworm
variant=extract
packages=(tzdata netbase)
changes=('USER 65532' 'WORKDIR /home/nonroot' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')
customize() {
  distroless_users "$1"
  assert_absent "$1" sh bash busybox wget curl
}
