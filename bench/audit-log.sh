#!/bin/bash
# bench/audit-log.sh [SIZE_MB] - how fast `scwrap audit` reads a large audit
# log, against `ausearch -m SECCOMP --raw` (the usual tool) and `cat` (the
# limit: reading the bytes), in one run, from the page cache: the median of
# RUNS runs of each (default 7).
#
# The log is made of real records: the SECCOMP lines of the test fixtures
# (auditd's enriched format and others, see tests/fixtures/audit) mixed with
# real SYSCALL/EXECVE/PATH lines, repeated with rising serials and pids.
set -eu
size_mb=${1:-200}
here=$(cd "$(dirname "$0")" && pwd)
top=$here/..
scwrap=${SCWRAP:-$top/src/scwrap}
fixtures=$top/tests/fixtures/audit
command -v ausearch >/dev/null || { echo "bench: ausearch is not installed (apt-get install auditd)" >&2; exit 1; }
[ -x "$scwrap" ] || { echo "bench: build scwrap first ($scwrap)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "${KEEP_LOG:-}" ] && trap - EXIT && echo "log kept in $tmp"
log=$tmp/audit.log

python3 - "$fixtures" "$log" "$size_mb" <<'PY'
import re, sys, glob
fixtures, out, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
seed = [l.rstrip("\n") for l in open(fixtures + "/terminaldweller-blog_securedocker-seccomp-lines.log")]
# Real non-SECCOMP records, as auditd writes them, for a realistic mix.
other = [
 'type=SYSCALL msg=audit(0.0:0): arch=c000003e syscall=59 success=yes exit=0 a0=55d1 a1=55d2 a2=55d3 a3=0 items=2 ppid=1000 pid=1001 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=1 comm="ls" exe="/usr/bin/ls" key=(null)',
 'type=EXECVE msg=audit(0.0:0): argc=2 a0="ls" a1="-l"',
 'type=PATH msg=audit(0.0:0): item=0 name="/usr/bin/ls" inode=1234 dev=fe:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0',
]
stamp = re.compile(r"audit\([0-9.]+:[0-9]+\)")
target = size_mb << 20
# A flood, as a recorded run writes it: 2000 events a second.
per_sec = 2000
serial, written = 1, 0
with open(out, "w") as f:
    while written < target:
        for line in seed + other:
            serial += 1
            t, ms = 1795000000 + serial // per_sec, (serial % per_sec) * 1000 // per_sec
            l = stamp.sub("audit(%d.%03d:%d)" % (t, ms, serial), line, count=1)
            l = l.replace("pid=19633", "pid=%d" % (19633 + serial // 40 % 30000))
            f.write(l + "\n")
            written += len(l) + 1
PY
bytes=$(stat -c %s "$log")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$log" > /dev/null # into the page cache

# seconds COMMAND...: the median wall time of RUNS runs (default 7).  A
# command that fails ends the bench: a fast failure is no figure.
runs=${RUNS:-7}
seconds() {
	local i s e times=""
	for i in $(seq "$runs"); do
		s=$(date +%s%N)
		if ! "$@" > /dev/null 2> "$tmp/err"; then
			echo "bench: $* failed: $(head -c 300 "$tmp/err")" >&2
			exit 1
		fi
		e=$(date +%s%N)
		times="$times $(( (e - s) / 1000 ))"
	done
	printf '%s\n' $times | sort -n | awk '{ t[NR] = $1 } END {
		m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		printf "%.3f", m / 1e6 }'
}

echo "log: $mb MiB, $(wc -l < "$log") lines, $(grep -c 'type=SECCOMP' "$log") SECCOMP records"
echo "median of $runs runs each, from the page cache; commands:"
echo "  cat LOG"
echo "  ausearch -m SECCOMP --raw -if LOG"
echo "  scwrap audit -q -o /dev/null LOG"
t_cat=$(seconds cat "$log")
t_aus=$(seconds ausearch -m SECCOMP --raw -if "$log")
t_scw=$(seconds "$scwrap" audit -q -o /dev/null "$log")
printf '%-10s %10s %10s\n' tool seconds MB/s
for row in "cat $t_cat" "ausearch $t_aus" "scwrap $t_scw"; do
	set -- $row
	printf '%-10s %10s %10s\n' "$1" "$2" "$(awk -v m="$mb" -v s="$2" 'BEGIN { printf "%.0f", m / s }')"
done
awk -v c="$t_cat" -v a="$t_aus" -v s="$t_scw" 'BEGIN {
	printf "scwrap is %.1fx faster than ausearch, and %.1fx the time of cat\n", a / s, s / c }'

# Memory and time against the number of executables: the log above, and a
# log of 60,000 distinct exe= values (what a hostile or very busy log can
# hold), each read once under /usr/bin/time -v.
if [ -x /usr/bin/time ]; then
	exes=$tmp/exes.log
	awk 'BEGIN { for (i = 0; i < 60000; i++)
		printf "type=SECCOMP msg=audit(1795000000.%03d:%d): auid=1000 uid=1000 gid=1000 ses=1 subj=unconfined pid=%d comm=\"app\" exe=\"/opt/app-%05d/bin/app\" sig=0 arch=c000003e syscall=%d compat=0 ip=0x7f3a1c2b9e5b code=0x7ffc0000\n", i % 1000, i + 1, 20000 + i % 500, i, i % 7 }' > "$exes"
	cat "$exes" > /dev/null
	echo
	echo "one run each under /usr/bin/time -v:"
	printf '%-34s %8s %8s %14s\n' log MiB seconds "peak RSS KiB"
	for l in "$log" "$exes"; do
		/usr/bin/time -v "$scwrap" audit -q -o /dev/null "$l" 2> "$tmp/time" > /dev/null ||
			{ echo "bench: scwrap audit $l failed: $(head -c 300 "$tmp/time")" >&2; exit 1; }
		name=$( [ "$l" = "$log" ] && echo "records (above)" || echo "60,000 distinct executables")
		printf '%-34s %8s %8s %14s\n' "$name" \
			"$(awk -v b="$(stat -c %s "$l")" 'BEGIN { printf "%.1f", b / 1048576 }')" \
			"$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$tmp/time")" \
			"$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")"
	done
fi
