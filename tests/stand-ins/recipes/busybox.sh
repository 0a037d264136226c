# busybox:<ver>-musl — contract: a static BusyBox at /bin/busybox with every applet linked in /bin
# (wget among them), nothing else; runs on distroless static and scratch (the templates copy
# /bin/wget out of it as the health probe). Stand-in: Debian's busybox-static (static glibc, not
# musl: what matters is that it is static).
tags=(busybox:1.37.0-musl busybox:1.37-musl busybox:musl)
suite=trixie
variant=extract
packages=(busybox-static)
no_ca=1
changes=('CMD ["sh"]' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
customize() {
  local root=$1
  # Official layout: /bin/busybox and one link per applet in /bin (no merged /usr here).
  rm -rf "$root/bin" "$root/etc" "$root/var" "$root/dev"
  mkdir -p "$root/bin"
  mv "$root/usr/bin/busybox" "$root/bin/busybox"
  rm -rf "$root/usr"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  mkdir -p "$root/tmp" "$root/etc" && chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
  assert_present "$root" /bin/wget /bin/sh
}
