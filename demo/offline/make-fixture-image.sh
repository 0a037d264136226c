#!/usr/bin/env sh
# Imports devbox-fixture/busybox:1 from this machine's busybox-static binary, so the offline demo
# runs where no registry is reachable. The same image the engine tests build (tests/common).
set -eu
image="devbox-fixture/busybox:1"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image is already there"; exit 0
fi
busybox="${BUSYBOX:-$(command -v busybox || echo /bin/busybox)}"
[ -x "$busybox" ] || { echo "no busybox: apt-get install busybox-static" >&2; exit 1; }
root="$(mktemp -d)"; trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/root" \
  "$root/home/app" "$root/app" "$root/var/run" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list-full); do
  [ "$applet" = bin/busybox ] || ln -sf /bin/busybox "$root/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\napp:x:1000:\nnogroup:x:65534:\n' > "$root/etc/group"
tar -C "$root" -c . | docker import - "$image" >/dev/null
echo "imported $image"
