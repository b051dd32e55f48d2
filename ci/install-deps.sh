#!/bin/sh
# Install the Debian packages hvlab needs, only those that are missing.
# Quiet when everything is already there. Runs as root (or via sudo).
set -e

# clang + libclang-rt-14-dev (libFuzzer, sanitizers): make fuzz and the
# short fuzz pass of make test. libjansson-dev: JSON checks in the tests.
# gnuplot-nox: the plots of hvlab report. libfdt-dev: the device tree the
# qemu backend writes; device-tree-compiler: dtc, to read one back.
# gcc-aarch64-linux-gnu: the arm64 hypervisor and its guests.
PKGS="gcc make libc6-dev libyaml-dev libcmocka-dev libgsl-dev cppcheck clang-format valgrind
clang libclang-rt-14-dev libjansson-dev gnuplot-nox libfdt-dev device-tree-compiler
gcc-aarch64-linux-gnu libc6-dev-arm64-cross"

# QEMU 10 from bookworm-backports: bookworm's QEMU 7.2 livelocks SMP
# guests under -icount (docs/arm64.md, "Why QEMU 10").
QEMU_PKG=qemu-system-arm
QEMU_MIN=10
BACKPORTS=/etc/apt/sources.list.d/hvlab-backports.sources

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

qemu_major=$(dpkg-query -W -f='${Version}' "$QEMU_PKG" 2>/dev/null |
	sed -n 's/^[0-9]*:\{0,1\}\([0-9][0-9]*\)\..*/\1/p')
need_qemu=""
[ "${qemu_major:-0}" -ge "$QEMU_MIN" ] || need_qemu=1

[ -z "$missing" ] && [ -z "$need_qemu" ] && exit 0

if [ -n "$need_qemu" ] && ! grep -rqs "bookworm-backports" \
	/etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "install-deps: adding bookworm-backports for QEMU 10" >&2
	printf '%s\n' "Types: deb" "URIs: http://deb.debian.org/debian" \
		"Suites: bookworm-backports" "Components: main" \
		"Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" |
		$SUDO tee "$BACKPORTS" >/dev/null
fi

echo "install-deps: installing$missing${need_qemu:+ $QEMU_PKG (backports)}" >&2
$SUDO apt-get update -q >/dev/null
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
if [ -n "$need_qemu" ]; then
	$SUDO apt-get install -y -q --no-install-recommends \
		-t bookworm-backports "$QEMU_PKG" >/dev/null
fi
