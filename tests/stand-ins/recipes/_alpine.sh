# Sourced by the recipes that stand in for Alpine-based images (not a recipe itself).
# entrypoints/busybox-adduser.sh entrypoints/busybox-addgroup.sh (named here for the recipe hash)

# Alpine's user land as far as the templates and the linter rely on it: BusyBox sh, adduser,
# addgroup (-S, -D, -u, -G), wget; no bash, no curl, no shadow's useradd/groupadd, no apt.
alpine_userland() {
  local root=$1 applet
  [ -x "$root/bin/busybox" ] || { echo "alpine_userland: busybox missing in $root" >&2; return 1; }
  local tool
  # Debian builds BusyBox without adduser/addgroup: shims with BusyBox's syntax call shadow's
  # tools, which move off PATH (Alpine has no useradd).
  mkdir -p "$root/usr/lib/stand-in"
  for tool in useradd groupadd usermod; do
    mv "$root/usr/sbin/$tool" "$root/usr/lib/stand-in/$tool"
  done
  for applet in adduser addgroup deluser delgroup wget; do
    rm -f "$root/usr/sbin/$applet" "$root/usr/bin/$applet" "$root/bin/$applet" "$root/sbin/$applet"
  done
  install -m 755 "$here/entrypoints/busybox-adduser.sh" "$root/usr/sbin/adduser"
  install -m 755 "$here/entrypoints/busybox-addgroup.sh" "$root/usr/sbin/addgroup"
  ln -s /bin/busybox "$root/usr/bin/wget"
  ln -sf busybox "$root/bin/sh"
  rm -f "$root/bin/bash" "$root/usr/bin/bash" "$root/usr/bin/curl" \
    "$root/usr/sbin/useradd" "$root/usr/sbin/groupadd" "$root/usr/sbin/usermod" \
    "$root/usr/sbin/groupmod" "$root/usr/sbin/userdel" "$root/usr/sbin/groupdel" \
    "$root"/usr/bin/apt "$root"/usr/bin/apt-get "$root"/usr/bin/apt-cache "$root"/usr/bin/apt-config
  echo "stand-in ($(basename "$root")): alpine user land" >"$root/etc/devbox-stand-in-userland"
}

