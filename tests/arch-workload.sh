# arch-workload.sh RUN ROOT: the programs tests/arch.sh compares across
# architectures: busybox applets, dash and coreutils of ROOT (/ for this
# machine's own; an arm64 root for aarch64), each started as "RUN PROGRAM
# ARG..." (RUN is qemu-aarch64-static -strace, or env).  Only builtins and
# applets run inside one program: a program it executes would run natively
# under qemu, outside the trace.  Stops at the first failure.
set -eu
RUN=$1 R=$2
W=$(mktemp -d "${TMPDIR:-/tmp}/scwrap-arch.XXXXXX")
trap 'rm -rf "$W"' EXIT
# A coreutils program: in /bin or /usr/bin (Debian 12's arm64 package keeps
# both; the host's merged /usr has every one in both).
cu() {
	p=$1; shift
	if [ -x "$R/bin/$p" ]; then $RUN "$R/bin/$p" "$@"; else $RUN "$R/usr/bin/$p" "$@"; fi
}
bb() { cu busybox "$@"; }
bb ls -l / >/dev/null
bb cat /etc/passwd >/dev/null
bb sh -c 'echo a | cat >/dev/null; x=$(echo b); cd /; pwd >/dev/null; read y </etc/passwd'
bb mkdir "$W/d"; bb rmdir "$W/d"; bb mkdir -p "$W/e/f"
bb touch "$W/a"; bb cp "$W/a" "$W/b"; bb mv "$W/b" "$W/c"
bb ln -s "$W/c" "$W/l"; bb ln "$W/c" "$W/h"; bb readlink "$W/l" >/dev/null
bb chmod 600 "$W/a"; bb chown 0:0 "$W/a"; bb stat "$W/a" >/dev/null
bb find "$W" >/dev/null; bb du -s "$W" >/dev/null
bb sort /etc/passwd >/dev/null; bb wc /etc/passwd >/dev/null; bb date >/dev/null
bb grep root /etc/passwd >/dev/null; bb sed s/a/b/ /etc/passwd >/dev/null
bb awk '{print $1}' /etc/passwd >/dev/null
bb tar -cf "$W/t.tar" -C "$W" a; bb rm -r "$W/e"; bb rm "$W/l" "$W/h"
bb env >/dev/null; bb id >/dev/null; bb uname -a >/dev/null; bb df / >/dev/null
bb dd if=/dev/zero of="$W/z" bs=1k count=4 2>/dev/null; bb md5sum "$W/z" >/dev/null
$RUN "$R/bin/dash" -c 'echo a | read x; cd /; pwd >/dev/null; x=$(echo b); test -d /etc
	umask 022; trap "" INT; read y </etc/passwd; echo $((1 + 2)) >/dev/null'
cu ls -la / >/dev/null
cu cat /etc/passwd >/dev/null
cu cp "$W/a" "$W/b2"; cu mv "$W/b2" "$W/b3"; cu rm "$W/b3"
cu mkdir "$W/m"; cu rmdir "$W/m"; cu ln -s "$W/a" "$W/s2"; cu readlink "$W/s2" >/dev/null
cu stat "$W/a" >/dev/null; cu touch "$W/a"; cu chmod 644 "$W/a"; cu date >/dev/null
cu sort /etc/passwd >/dev/null; cu du -s "$W" >/dev/null; cu env >/dev/null; cu id >/dev/null
cu dd if=/dev/zero of="$W/z2" bs=1k count=4 2>/dev/null; cu sha256sum "$W/z2" >/dev/null
cu df / >/dev/null; cu wc /etc/passwd >/dev/null; cu head -1 /etc/passwd >/dev/null
