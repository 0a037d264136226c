#!/bin/sh
# BusyBox `adduser` (Alpine's) on top of shadow's useradd, for the Alpine stand-ins: Debian
# builds BusyBox without it. adduser [-h DIR] [-g GECOS] [-s SHELL] [-G GRP] [-S] [-D] [-H]
# [-u UID] [-k SKEL] USER [GROUP]
set -eu
home= gecos= shell=/bin/sh group= system= nohome= uid= user= extra=
usage() {
  echo "usage: adduser [-h DIR] [-g GECOS] [-s SHELL] [-G GRP] [-S] [-D] [-H] [-u UID] USER [GROUP]" >&2
  exit 1
}
# BusyBox takes options before and after the user name (`adduser -S nextjs -u 1001`), and
# combined flags (`-DH`).
while [ $# -gt 0 ]; do
  case "$1" in
    -h) home=$2; shift 2 ;;
    -g) gecos=$2; shift 2 ;;
    -s) shell=$2; shift 2 ;;
    -G) group=$2; shift 2 ;;
    -u) uid=$2; shift 2 ;;
    -k) shift 2 ;;
    --) shift; break ;;
    -*)
      flags=${1#-}
      while [ -n "$flags" ]; do
        case "$flags" in
          S*) system=1 ;; D*) ;; H*) nohome=1 ;;
          *) usage ;;
        esac
        flags=${flags#?}
      done
      shift ;;
    *) if [ -z "$user" ]; then user=$1; elif [ -z "$extra" ]; then extra=$1; else usage; fi; shift ;;
  esac
done
[ -n "$user" ] || [ $# -gt 0 ] || usage
[ -n "$user" ] || { user=$1; shift; }
[ -z "$extra" ] && [ $# -gt 0 ] && extra=$1
if [ -n "$extra" ]; then
  exec /usr/lib/stand-in/usermod -a -G "$extra" "$user"
fi
set -- --shell "$shell"
[ -n "$uid" ] && set -- "$@" --uid "$uid"
[ -n "$gecos" ] && set -- "$@" --comment "$gecos"
[ -n "$home" ] && set -- "$@" --home-dir "$home"
if [ -n "$system" ]; then
  set -- "$@" --system
  [ -n "$shell" ] && [ "$shell" = /bin/sh ] && set -- "$@" --shell /sbin/nologin
fi
if [ -n "$group" ]; then
  set -- "$@" --gid "$group"
elif [ -n "$system" ]; then
  # BusyBox puts a system user without -G in nogroup.
  getent group nogroup >/dev/null || /usr/lib/stand-in/groupadd --gid 65533 nogroup
  set -- "$@" --gid nogroup
else
  getent group "$user" >/dev/null || /usr/lib/stand-in/groupadd ${uid:+--gid "$uid"} "$user"
  set -- "$@" --gid "$user"
fi
if [ -n "$nohome" ] || [ -n "$system" ]; then set -- "$@" --no-create-home; else set -- "$@" --create-home; fi
exec /usr/lib/stand-in/useradd "$@" "$user"
