#!/bin/sh
# BusyBox `addgroup` (Alpine's) on top of shadow's groupadd, for the Alpine stand-ins: Debian
# builds BusyBox without it. addgroup [-g GID] [-S] [USER] GROUP
set -eu
gid= system=
while getopts g:S opt; do
  case "$opt" in
    g) gid=$OPTARG ;; S) system=1 ;;
    *) echo "usage: addgroup [-g GID] [-S] [USER] GROUP" >&2; exit 1 ;;
  esac
done
shift $((OPTIND - 1))
case $# in
  1) exec /usr/lib/stand-in/groupadd ${gid:+--gid "$gid"} ${system:+--system} "$1" ;;
  2) exec /usr/lib/stand-in/usermod -a -G "$2" "$1" ;;
  *) echo "usage: addgroup [-g GID] [-S] [USER] GROUP" >&2; exit 1 ;;
esac
