# rust:<ver>-slim-bookworm — contract: Debian 12 slim + ca-certificates, gcc, libc6-dev; cargo and
# rustc in /usr/local/cargo/bin (on PATH); CARGO_HOME=/usr/local/cargo and
# RUSTUP_HOME=/usr/local/rustup, both world-writable; no wget, no curl, no pkg-config/libssl-dev.
# Stand-in: bookworm's rustc-web/cargo-web (a current Rust built for bookworm), so binaries link
# against bookworm's glibc like the real image's and run on debian:bookworm-slim and cc-debian12.
tags=(rust:1.83-slim-bookworm rust:1-slim-bookworm rust:slim-bookworm rust:1.85-slim-bookworm)
suite=bookworm
packages=(rustc-web cargo-web gcc libc6-dev ca-certificates)
changes=("${ca_env[@]}" 'ENV RUSTUP_HOME=/usr/local/rustup' 'ENV CARGO_HOME=/usr/local/cargo'
  'ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
customize() {
  local root=$1 tool
  mkdir -p "$root/usr/local/cargo/bin" "$root/usr/local/rustup"
  for tool in cargo rustc rustdoc; do ln -sf "/usr/bin/$tool" "$root/usr/local/cargo/bin/$tool"; done
  chmod -R a+w "$root/usr/local/cargo" "$root/usr/local/rustup"
  assert_absent "$root" wget curl pkg-config
  assert_present "$root" /usr/local/cargo/bin/cargo /usr/bin/gcc
}
