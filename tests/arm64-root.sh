#!/bin/bash
# arm64-root.sh DIR: Debian's arm64 busybox-static, dash and coreutils
# (with the libraries they need) extracted into DIR/root, once: a later
# call finds DIR/root/.complete and does nothing.  Needs root and Debian's
# mirrors (dpkg --add-architecture arm64, apt-get update, apt-get
# download, dpkg-deb -x); about 7 MB.  .ci/run calls it before the suites,
# and tests/arch.sh when $SCWRAP_TEST_ARM64 names no such directory.
# Prints DIR/root; exits non-zero with the reason on stderr.
set -u
dir=${1:?usage: arm64-root.sh DIR}
pkgs="busybox-static:arm64 dash:arm64 coreutils:arm64 libc6:arm64 libacl1:arm64
	libattr1:arm64 libgmp10:arm64 libselinux1:arm64 libpcre2-8-0:arm64"
if [ -e "$dir/root/.complete" ]; then
	echo "$dir/root"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "arm64-root.sh: needs root (dpkg --add-architecture)" >&2; exit 1; }
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	{ echo "arm64-root.sh: needs apt-get and dpkg-deb (Debian)" >&2; exit 1; }
mkdir -p "$dir/debs" || exit 1
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64 && apt-get update -q >&2 ||
		{ echo "arm64-root.sh: cannot add Debian's arm64 packages" >&2; exit 1; }
fi
# apt-get download writes to the current directory, as _apt where it can.
chmod 777 "$dir/debs"
# shellcheck disable=SC2086
(cd "$dir/debs" && apt-get download -q $pkgs >&2) ||
	{ echo "arm64-root.sh: apt-get download failed (apt-get update first?)" >&2; exit 1; }
rm -rf "$dir/root.new" && mkdir -p "$dir/root.new" || exit 1
for d in "$dir"/debs/*.deb; do
	dpkg-deb -x "$d" "$dir/root.new" || exit 1
done
touch "$dir/root.new/.complete" && rm -rf "$dir/root" && mv "$dir/root.new" "$dir/root" || exit 1
echo "$dir/root"
