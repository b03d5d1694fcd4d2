#!/bin/bash
# bench/run.sh - the recorder's cost, in one run: native, scwrap (ptrace),
# and strace -f -qq --seccomp-bpf -o /dev/null, on a syscall-heavy workload
# (1M getppid) and on a build-like one (gcc compiling small files, many
# short processes).  Median of 5 runs each; also scwrap's peak memory at
# 100k and 1M syscalls, to show it does not grow per syscall.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
scwrap=${SCWRAP:-$here/../src/scwrap}
runs=${RUNS:-5}
n=${N:-1000000}
[ -x "$scwrap" ] || { echo "bench: build scwrap first ($scwrap)" >&2; exit 1; }
command -v strace >/dev/null || { echo "bench: strace is not installed (apt-get install strace)" >&2; exit 1; }
command -v gcc >/dev/null || { echo "bench: gcc is not installed" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/syscalls" "$here/syscalls.c"
for i in $(seq 1 12); do
	printf '#include <stdio.h>\nint f%d(int x) { return x * %d + printf("%%d", x); }\n' "$i" "$i" > "$tmp/f$i.c"
done
build() { for f in "$tmp"/f*.c; do gcc -O1 -c -o "${f%.c}.o" "$f"; done; }
export -f build
export tmp

# median SECONDS... of the commands' wall time over $runs runs
median() {
	local ts=() i s e
	for ((i = 0; i < runs; i++)); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		ts+=($(( (e - s) / 1000 )))
	done
	printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1e6}'
}

echo "scwrap: $scwrap ($("$scwrap" --version))"
echo "strace: $(strace -V | head -1)"
echo "machine: $(nproc) cores, $(uname -r); median of $runs runs"
echo
echo "commands:"
echo "  native  WORKLOAD"
echo "  scwrap  scwrap -q -o /dev/null -- WORKLOAD"
echo "  strace  strace -f -qq --seccomp-bpf -o /dev/null WORKLOAD"
echo "  syscalls: bench/syscalls $n (getppid); build: gcc -O1 -c of 12 small files"
echo

printf '%-10s %9s %9s %9s %13s %13s\n' workload native scwrap strace scwrap/native strace/native
for w in syscalls build; do
	if [ $w = syscalls ]; then cmd=("$tmp/syscalls" "$n"); else cmd=(bash -c build); fi
	tn=$(median "${cmd[@]}")
	ts=$(median "$scwrap" -q -o /dev/null -- "${cmd[@]}")
	tt=$(median strace -f -qq --seccomp-bpf -o /dev/null "${cmd[@]}")
	printf '%-10s %8ss %8ss %8ss %12.1fx %12.1fx\n' $w "$tn" "$ts" "$tt" \
		"$(awk -v a="$ts" -v b="$tn" 'BEGIN{print a/b}')" "$(awk -v a="$tt" -v b="$tn" 'BEGIN{print a/b}')"
	if [ $w = syscalls ]; then
		awk -v n="$n" -v tn="$tn" -v ts="$ts" -v tt="$tt" 'BEGIN {
			s = (ts - tn) / n * 1e6; t = (tt - tn) / n * 1e6
			printf "\nper syscall: scwrap +%.2f us, strace --seccomp-bpf +%.2f us: scwrap costs %.2f of strace\n\n", s, t, s / t }'
	fi
done

if [ -x /usr/bin/time ]; then
	for m in $((n / 10)) "$n"; do
		kb=$(/usr/bin/time -f %M "$scwrap" -q -o /dev/null -- "$tmp/syscalls" "$m" 2>&1 >/dev/null | tail -1)
		echo "scwrap peak RSS with $m syscalls: $kb KiB"
	done
else
	echo "(install the time package for scwrap's peak memory)"
fi
