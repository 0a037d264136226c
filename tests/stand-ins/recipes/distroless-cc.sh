# gcr.io/distroless/cc-debian12:nonroot — contract: distroless static plus glibc, libssl,
# libgcc-s1, libstdc++6 (a glibc binary built on bookworm runs); still no shell.
tags=(gcr.io/distroless/cc-debian12:nonroot gcr.io/distroless/cc-debian12
      gcr.io/distroless/base-debian12:nonroot gcr.io/distroless/base-debian12)
suite=bookworm
variant=extract
packages=(tzdata netbase libc6 libgcc-s1 libstdc++6 libssl3 zlib1g)
changes=('USER 65532' 'WORKDIR /home/nonroot' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')
customize() {
  distroless_users "$1"
  # libc6 ships a few shell scripts (ldd, tzselect); without a shell they cannot run anyway.
  assert_absent "$1" sh bash busybox wget curl
  assert_present "$1" /lib64/ld-linux-x86-64.so.2
}
