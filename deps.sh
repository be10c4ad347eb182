#!/bin/sh
# deps.sh - make sure the Debian packages bonrun builds against (and the
# curl command two end-to-end tests speak HTTP with) are here.  Run by
# `make` before the first compile.  As root it installs what is missing
# with apt-get; otherwise it prints the exact command to run.
set -u
PKGS="gcc make pkg-config libcurl4-openssl-dev libgsl-dev libcjson-dev \
libmicrohttpd-dev libgmp-dev zlib1g-dev gnuplot-nox curl"
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $p"
  fi
done
# gnuplot from any flavour (gnuplot-qt, gnuplot-x11) will do.
case "$missing" in
  *gnuplot-nox*) command -v gnuplot >/dev/null 2>&1 &&
    missing=$(echo "$missing" | sed 's/ gnuplot-nox//') ;;
esac
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps.sh: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 &&
    apt-get install -y -qq --no-install-recommends $missing >&2 && exit 0
  echo "deps.sh: apt-get failed; install by hand:$missing" >&2
  exit 1
fi
echo "deps.sh: missing Debian packages. Run:" >&2
echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
exit 1
