#!/bin/sh
# Install the Debian packages hvlab needs, only those that are missing.
# Quiet when everything is already there. Runs as root (or via sudo).
set -e

# clang + libclang-rt-14-dev (libFuzzer, sanitizers): make fuzz and the
# short fuzz pass of make test. libjansson-dev: JSON checks in the tests.
# gnuplot-nox: the plots of hvlab report.
PKGS="gcc make libc6-dev libyaml-dev libcmocka-dev libgsl-dev cppcheck clang-format valgrind
clang libclang-rt-14-dev libjansson-dev gnuplot-nox"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
