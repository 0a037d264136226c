# mmdebstrap customize hook: runs a recipe's customize step on the new root file system, then the
# steps every stand-in shares. Called as: bash hook.sh RECIPE ROOT
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
recipe=$1 root=$2
source "$here/lib.sh"
tags=(); packages=(); changes=(); no_ca=
source "$recipe"
[ -n "$no_ca" ] || install_ca "$root"
if declare -F customize >/dev/null; then customize "$root"; fi
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/var/log/apt/* \
  "$root"/var/log/dpkg.log
