#!/bin/bash
# scwrap audit: real audit logs from public projects (tests/fixtures/audit,
# see PROVENANCE.md) become profiles.  The oracle for syscall numbers is
# ausyscall (auditd's own table), and for the enriched format the SYSCALL=
# names auditd wrote itself.
. "$TESTS_SRCDIR/lib.sh"
F=$TESTS_SRCDIR/fixtures/audit
require_cmd python3 ausyscall

# oracle ARCH FILE: the names of the syscall= numbers of FILE's SECCOMP
# lines, by ausyscall.
oracle() {
	grep -E 'type=1326|type=SECCOMP|SECCOMP auid=' "$2" | grep -oE ' syscall=[0-9]+' |
		cut -d= -f2 | sort -un | while read -r n; do ausyscall "$1" "$n"; done | sort -u
}

# run_audit NAME ARGS...: scwrap audit -o $T/NAME.json ARGS; $st, $err.
run_audit() {
	local name=$1; shift
	err=$("$SCWRAP" audit -o "$T/$name.json" "$@" 2>&1 >/dev/null); st=$?
}

# Raw auditd records whose enriched suffix lost its 0x1D separator.
f=$F/terminaldweller-blog_securedocker-seccomp-lines.log
run_audit td "$f"
is "$st" 0 "auditd records: exit 0"
is "$(names "$T/td.json")" "$(grep -oE 'SYSCALL=[a-z0-9_]+' "$f" | cut -d= -f2 | sort -u)" \
	"auditd records: the names auditd itself wrote (SYSCALL=)"
is "$(arches "$T/td.json")" "SCMP_ARCH_X86_64" "auditd records: x86_64 only"
like "$err" '10 +4 +/usr/bin/bash' "summary: 10 records, 4 distinct, by bash"

# Kernel printk lines from syslog (the Kubernetes seccomp tutorial).  Any
# user can write the same line (logger -t kernel), so they are records only
# with --trust-text: these tests say so, and the user must.
f=$F/k8s-website_seccomp-tutorial-syslog.log
run_audit k8s0 "$f"
like "$st:$err" "^1:scwrap: warning: 8 SECCOMP records of syslog or journal text skipped: any user can write such a line \\(logger\\); read journalctl -o json, dmesg or auditd's log instead, or pass --trust-text" \
	"syslog text: not records by default, with the cause and the way out"
run_audit k8s "$f" --trust-text
is "$st" 0 "syslog printk lines, --trust-text: exit 0"
is "$(names "$T/k8s.json")" "$(oracle x86_64 "$f")" "syslog printk lines: names as ausyscall says"

# Mixed forms (kmsg, syslog, auditd), a type=1016 with the same fields, a
# truncated line, other record types and kernel noise.
f=$F/spo-enricher_auditsource-test-lines.log
run_audit spo "$f" --trust-text
is "$st" 0 "mixed forms: exit 0"
is "$(names "$T/spo.json")" "$(oracle x86_64 "$f")" "mixed forms, --trust-text: every SECCOMP line, nothing else"
like "$err" 'warning: 1 malformed line skipped \(of 12 read\)' "the truncated record is counted, not fatal"
run_audit spok "$f"
grep -Ev ' kernel: |^audit: |^type=1326 syscall=1$' "$f" > "$T/spo-kernel.log"
is "$st:$(names "$T/spok.json")" "0:$(oracle x86_64 "$T/spo-kernel.log")" "mixed forms: auditd lines are records without --trust-text"
like "$err" 'warning: 3 SECCOMP records of syslog or journal text skipped' \
	"mixed forms: the syslog line and the bare messages (journalctl -o cat) are not, and are counted"
run_audit spom "$F/spo-enricher_auditsource-test-lines-malformed.log" --trust-text # bare messages
is "$st:$(names "$T/spom.json")" "0:read" "uid=invalid and missing fields: still read"

# journald: the same event in userspace and kernel form; an ERRNO action.
# journalctl's text: records only with --trust-text (logger -t can forge
# both forms).
run_audit crun0 "$F/issue_crun-683_journald-seccomp.log"
like "$st:$err" "^1:scwrap: warning: 2 SECCOMP records of syslog or journal text skipped" "journal text: refused without --trust-text"
run_audit crun "$F/issue_crun-683_journald-seccomp.log" --trust-text
is "$st:$(names "$T/crun.json")" "0:$(ausyscall x86_64 165)" "journald's two forms of a denied call (mount), --trust-text"

# 32-bit ARM on an arm64 kernel: the profile opens that ABI only.
run_audit arm "$F/openharmony-docs_seccomp-kmsg-arm-compat.log"
is "$(arches "$T/arm.json"):$(names "$T/arm.json")" "SCMP_ARCH_ARM:setresuid32" \
	"arm compat record: SCMP_ARCH_ARM and the arm name"

# A CI debug dump: 40 journald lines among shell traces and other services.
f=$F/snapd-testing-tools_log-parser-with-debug-output.log.spread
run_audit snap "$f" --trust-text
is "$(names "$T/snap.json")" "$(oracle x86_64 "$f")" "SECCOMP lines picked out of noise"
like "$err" '40 +12 +/snap/test-snapd-curl' "all 40 records of 12 calls"

# Standard input.
out=$("$SCWRAP" audit -q --trust-text -o - - < "$F/k8s-website_seccomp-tutorial-syslog.log")
like "$out" '"getsockname"' "- reads standard input"

# Logs without a SECCOMP record: an error, and no profile.
run_audit none "$F/go-libaudit_testdata-rollover.log"
is "$st" 1 "no SECCOMP record: exit 1"
like "$err" '^scwrap: no SECCOMP record in the logs \(5 lines, 0 SECCOMP records read\); no profile written' \
	"no SECCOMP record: says so"
check "no SECCOMP record: no profile" -- test ! -e "$T/none.json"
run_audit wrapped "$F/issue_libreswan-782_ausearch-i-ppc64le-wrapped.log"
like "$st:$err" '^1:.*1 malformed line skipped' "an interpreted record wrapped over lines: malformed, no crash"

# Binary and compressed input: a clear error, exit 125.
printf 'type=SECCOMP \0\1\2 garbage' > "$T/bin.log"
run_audit bin "$T/bin.log"
like "$st:$err" "^125:scwrap: .*bin.log is not an audit log: it holds binary data" "binary data refused"
if command -v gzip >/dev/null; then
	gzip -c "$F/k8s-website_seccomp-tutorial-syslog.log" > "$T/k.log.gz"
	run_audit gz "$T/k.log.gz"
	like "$st:$err" "^125:.*is compressed; decompress it: zcat" "compressed log refused with a way out"
fi
run_audit missing "$T/no-such.log"
like "$st:$err" "^125:scwrap: cannot read .*no-such.log: No such file" "missing file"

# Filters, over two logs of different sessions, users and programs (one
# record is syslog text: --trust-text).
cat "$F/terminaldweller-blog_securedocker-seccomp-lines.log" "$F/spo-enricher_auditsource-test-lines.log" > "$T/both.log"
run_audit ses "$T/both.log" --trust-text --ses 1
is "$(names "$T/ses.json" | tr '\n' ' ')" "$(names "$T/td.json" | tr '\n' ' ')" "--ses 1: that session only"
run_audit unset "$T/both.log" --trust-text --ses unset
is "$(names "$T/unset.json" | tr '\n' ' ')" "$(names "$T/spo.json" | tr '\n' ' ')" "--ses unset: records of no session"
run_audit uid "$T/both.log" --trust-text --uid 1000
is "$(names "$T/uid.json" | tr '\n' ' ')" "$(names "$T/td.json" | tr '\n' ' ')" "--uid 1000"
run_audit exe "$T/both.log" --trust-text --exe /bin/ls
is "$(names "$T/exe.json")" "close" "--exe /bin/ls"
run_audit comm "$T/both.log" --trust-text --comm sh
grep 'comm="sh"' "$T/both.log" > "$T/sh.log"
is "$(names "$T/comm.json")" "$(oracle x86_64 "$T/sh.log")" "--comm sh (busybox and dash)"
# 1716144132 is the terminaldweller records' second.
run_audit since "$T/both.log" --trust-text --since @1716144132 --until @1716144133
is "$(names "$T/since.json" | tr '\n' ' ')" "$(names "$T/td.json" | tr '\n' ' ')" "--since and --until @EPOCH"
# The records of 2021: write, rt_sigaction, close, read.
run_audit until "$T/both.log" --trust-text --until 2022-01-01
like "$st:$(names "$T/until.json" | tr '\n' ' ')" '^0:close read rt_sigaction write $' "--until DATE"
run_audit nomatch "$T/both.log" --trust-text --ses 42
is "$st" 1 "filters matching nothing: exit 1"
like "$err" '^scwrap: no SECCOMP record matched the filters' "filters matching nothing: says so"
err=$("$SCWRAP" audit -o "$T/x.json" --pid abc "$T/both.log" 2>&1); st=$?
like "$st:$err" "^125:scwrap: --pid takes a process id, not 'abc'" "a bad number is a usage error"
err=$("$SCWRAP" audit -o "$T/x.json" --since 'next tuesday' "$T/both.log" 2>&1); st=$?
like "$st:$err" "^125:scwrap: cannot read the time 'next tuesday'; use now, recent" "a bad time names the forms"

# comm= and exe= as the kernel writes a value with odd bytes: upper-case
# hex; a bare lower-case word (ausearch -i) is a name, not hex; a hex NUL
# ends the value.  getppid (110), getpid (39), gettid (186).
seccomp_line() { # seccomp_line SERIAL COMM EXE SYSCALL
	printf 'type=SECCOMP msg=audit(1700000000.000:%s): auid=0 uid=0 gid=0 ses=7 subj=unconfined pid=10 comm=%s exe=%s sig=0 arch=c000003e syscall=%s compat=0 ip=0x0 code=0x7ffc0000\n' "$@"
}
{
	seccomp_line 1 cafe 2F62696E2F63616665 110          # /bin/cafe
	seccomp_line 2 '"dead"' 2F62696E2F7800 39           # /bin/x, then NUL
	seccomp_line 3 63616665 '"/bin/y"' 186              # comm "cafe", hex
} > "$T/hex.log"
run_audit hexcomm "$T/hex.log" --comm cafe
is "$st:$(names "$T/hexcomm.json" | tr '\n' ' ')" "0:getppid gettid " "comm: a bare lower-case word is a name, upper-case hex is decoded"
run_audit hexexe "$T/hex.log" --exe /bin/x
is "$st:$(names "$T/hexexe.json" | tr '\n' ' ')" "0:getpid " "a hex NUL ends the exe"
run_audit hexexe2 "$T/hex.log" --exe /bin/cafe
is "$st:$(names "$T/hexexe2.json" | tr '\n' ' ')" "0:getppid " "an upper-case hex exe is decoded"

# --list: what the logs hold.
out=$("$SCWRAP" audit --list --trust-text "$T/both.log" 2>/dev/null); st=$?
is "$st" 0 "--list: exit 0"
like "$out" '^1 +10 +2024-05-19 [0-9:]+ +2024-05-19 [0-9:]+ +/usr/bin/bash \(10\)' "--list: session 1, its records and executables"
like "$out" '^unset +5 ' "--list: records of no session"

# --checkpoint: a nightly job reads only what is new and merges.
cp "$F/spo-enricher_auditsource-test-lines.log" "$T/night.log"
"$SCWRAP" audit -q --trust-text --checkpoint "$T/cp" -o "$T/night.json" "$T/night.log"; st=$?
is "$st" 0 "checkpoint, first night: exit 0"
like "$(cat "$T/cp")" '^scwrap-checkpoint-v1 1744780616598 836036$' "the checkpoint holds the newest record"
err=$("$SCWRAP" audit --trust-text --checkpoint "$T/cp" -o "$T/night.json" "$T/night.log" 2>&1); st=$?
is "$st" 1 "second night, nothing new: exit 1"
like "$err" '^scwrap: nothing new since the checkpoint' "second night: says so"
is "$(names "$T/night.json" | tr '\n' ' ')" "$(names "$T/spo.json" | tr '\n' ' ')" "and the profile is unchanged"
# New records (later than the checkpoint) arrive.
sed 's/audit(1716144132\./audit(1795000000./' "$F/terminaldweller-blog_securedocker-seccomp-lines.log" >> "$T/night.log"
err=$("$SCWRAP" audit --trust-text --checkpoint "$T/cp" -o "$T/night.json" "$T/night.log" 2>&1); st=$?
is "$st" 0 "third night: exit 0"
like "$err" '10 +4 +/usr/bin/bash' "only the new records were read"
is "$(names "$T/night.json" | tr '\n' ' ')" "$( (names "$T/spo.json"; names "$T/td.json") | sort -u | tr '\n' ' ')" \
	"merged into the previous profile"

# A log of 60,000 distinct executables (a hostile log can name millions):
# memory stays bounded, the records past the cap are still in the profile,
# counted under one bucket, and a warning says so.
awk 'BEGIN { for (i = 0; i < 60000; i++)
	printf "type=SECCOMP msg=audit(1700000000.000:%d): auid=0 uid=0 gid=0 ses=7 pid=%d comm=\"x\" exe=\"/opt/x/%d\" sig=0 arch=c000003e syscall=%d compat=0 ip=0x0 code=0x7ffc0000\n", i + 1, 100 + i % 50, i, i < 59999 ? 39 : 186 }' > "$T/exes.log"
if [ -x /usr/bin/time ]; then
	err=$(/usr/bin/time -f 'maxrss=%M' "$SCWRAP" audit -o "$T/exes.json" "$T/exes.log" 2>&1 >/dev/null); st=$?
	rss=$(printf '%s\n' "$err" | sed -n 's/^maxrss=//p')
	check "60,000 executables: peak RSS ${rss} KiB, under 64 MiB" -- test "${rss:-999999}" -lt 65536
else
	run_audit exes "$T/exes.log"
	skip 1 "60,000 executables: peak RSS (no /usr/bin/time)"
fi
is "$st:$(names "$T/exes.json" | tr '\n' ' ')" "0:getpid gettid " "60,000 executables: every record in the profile, the last one too"
like "$err" 'warning: more than 4096 executables: the 55904 records of the rest are counted under "\(other executables\)"' \
	"60,000 executables: the records past the cap are counted and said"

# Hostile stamps: a 19-digit second whose milliseconds wrap 64 bits, and a
# second in the year 5138.  Neither may move the checkpoint, or every
# genuine record after it would be "nothing new" forever.  ptrace (101) in
# the wrapped record, getuid (102) in the future one.
{
	seccomp_line 1 '"app"' '"/usr/bin/app"' 39
	printf 'type=SECCOMP msg=audit(9999999999999999999.000:11): auid=0 uid=0 gid=0 ses=7 pid=10 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=101 compat=0 ip=0x0 code=0x7ffc0000\n'
	printf 'type=SECCOMP msg=audit(99999999999.000:12): auid=0 uid=0 gid=0 ses=7 pid=10 comm="app" exe="/usr/bin/app" sig=0 arch=c000003e syscall=102 compat=0 ip=0x0 code=0x7ffc0000\n'
} > "$T/stamps.log"
err=$("$SCWRAP" audit --checkpoint "$T/stamps.cp" -o "$T/stamps.json" "$T/stamps.log" 2>&1); st=$?
is "$st:$(cat "$T/stamps.cp")" "0:scwrap-checkpoint-v1 1700000000000 1" \
	"hostile stamps: the checkpoint is the genuine record's"
like "$err" 'warning: 1 malformed line skipped' "a stamp whose milliseconds overflow is malformed"
like "$err" 'warning: 1 record stamped more than a day in the future .*not used for the checkpoint' \
	"a record from the future is counted and said"
unlike "$(names "$T/stamps.json")" 'ptrace' "the wrapped record allows nothing"
seccomp_line 2 '"app"' '"/usr/bin/app"' 186 | sed 's/1700000000/1700000100/' >> "$T/stamps.log"
err=$("$SCWRAP" audit --checkpoint "$T/stamps.cp" -o "$T/stamps.json" "$T/stamps.log" 2>&1); st=$?
is "$st:$(cat "$T/stamps.cp")" "0:scwrap-checkpoint-v1 1700000100000 2" "a later genuine record is read"
like "$(names "$T/stamps.json" | tr '\n' ' ')" 'gettid' "and reaches the profile"
# A checkpoint poisoned by an older scwrap: refused with the way out.
echo 'scwrap-checkpoint-v1 7766279631452241020 11' > "$T/poisoned.cp"
err=$("$SCWRAP" audit --checkpoint "$T/poisoned.cp" -o "$T/p.json" "$T/stamps.log" 2>&1); st=$?
like "$st:$err" '^125:scwrap: the checkpoint .*poisoned.cp is in the future .*; remove it to start over' \
	"a checkpoint in the future is refused, naming the way out"

# Forged records.  The fields of a SECCOMP record; ptrace (101) is what a
# forger wants nginx's profile to allow.
body() { # body SERIAL SYSCALL
	printf 'auid=4294967295 uid=33 gid=33 ses=4294967295 subj=unconfined pid=812 comm="nginx" exe="/usr/sbin/nginx" sig=0 arch=c000003e syscall=%s compat=0 ip=0x7f0c3d2e1b5b code=0x7ffc0000' "$2"
}
# What any user writes to /var/log/syslog with logger: its own tag, the
# kernel's tag (logger -t kernel), journald's audit tag (logger -t 'audit[1]').
{
	echo "Dec  6 10:00:02 host mallory: audit: type=1326 audit(1765015202.000:11): $(body 11 101)"
	echo "Dec  6 10:00:02 host kernel: audit: type=1326 audit(1765015202.000:12): $(body 12 101)"
	echo "Dec 06 10:00:02 host audit[1]: SECCOMP $(body 13 101)"
} > "$T/syslog"
run_audit forged "$T/syslog" --exe /usr/sbin/nginx
like "$st:$err" "^1:scwrap: warning: 2 SECCOMP records of syslog or journal text skipped.*
scwrap: warning: 1 forged SECCOMP record refused: written by a user process" \
	"logger lines in syslog: none is a record"
check "logger lines in syslog: no profile allows ptrace" -- test ! -e "$T/forged.json"
head -n 1 "$T/syslog" > "$T/syslog1"
run_audit forged2 "$T/syslog1" --exe /usr/sbin/nginx --trust-text
like "$st:$err" '^1:scwrap: warning: 1 forged SECCOMP record refused' \
	"--trust-text: a syslog tag other than kernel is still refused"
# The kernel's own forms, as dmesg and /dev/kmsg show them: records.
{
	echo "[ 1234.567890] audit: type=1326 audit(1765015202.000:21): $(body 21 39)"
	echo "[Sat Dec  6 10:00:02 2025] audit: type=1326 audit(1765015202.000:22): $(body 22 110)"
	echo "<5>[ 1234.567892] audit: type=1326 audit(1765015202.000:23): $(body 23 186)"
} > "$T/dmesg"
run_audit dmesg "$T/dmesg" --exe /usr/sbin/nginx
is "$st:$(names "$T/dmesg.json" | tr '\n' ' ')" "0:getpid getppid gettid " "dmesg, dmesg -T and kmsg lines: records"
# journalctl -o json: _TRANSPORT (journald's own field) says who wrote an
# entry.  kernel and audit are records (audit's stamp is in
# _SOURCE_REALTIME_TIMESTAMP and _AUDIT_ID); a message a user logged is not,
# whatever its text, even one that spells a _TRANSPORT inside it.
python3 - "$(body 0 39)" "$(body 0 110)" "$(body 0 101)" > "$T/journal.json" <<'PY'
import json, sys
getpid, getppid, ptrace = sys.argv[1:4]
kmsg = "audit: type=1326 audit(1765015202.000:%d): %s"
for e in [
    {"__CURSOR": "s=1;i=1", "__REALTIME_TIMESTAMP": "1765015202000100", "PRIORITY": "5",
     "SYSLOG_FACILITY": "0", "SYSLOG_IDENTIFIER": "kernel", "_TRANSPORT": "kernel",
     "_HOSTNAME": "host", "MESSAGE": kmsg % (31, getpid)},
    {"__CURSOR": "s=1;i=2", "_TRANSPORT": "audit", "SYSLOG_IDENTIFIER": "audit", "_PID": "812",
     "_AUDIT_TYPE": "1326", "_AUDIT_TYPE_NAME": "SECCOMP", "_AUDIT_ID": "32",
     "_SOURCE_REALTIME_TIMESTAMP": "1765015203004000", "MESSAGE": "SECCOMP " + getppid},
    # logger -t kernel; a native journal client; a stdout line that spells
    # another entry's fields inside its message.
    {"__CURSOR": "s=1;i=3", "_TRANSPORT": "syslog", "SYSLOG_IDENTIFIER": "kernel", "_UID": "1000",
     "MESSAGE": kmsg % (33, ptrace)},
    {"__CURSOR": "s=1;i=4", "_TRANSPORT": "journal", "SYSLOG_IDENTIFIER": "audit",
     "MESSAGE": "SECCOMP " + ptrace},
    {"__CURSOR": "s=1;i=5", "_TRANSPORT": "stdout",
     "MESSAGE": 'x","_TRANSPORT":"kernel","MESSAGE":"' + kmsg % (35, ptrace)},
]:
    print(json.dumps(e, separators=(",", ":")))
PY
err=$("$SCWRAP" audit --exe /usr/sbin/nginx --checkpoint "$T/journal.cp" -o "$T/journal.json.out" "$T/journal.json" 2>&1); st=$?
is "$st:$(names "$T/journal.json.out" | tr '\n' ' ')" "0:getpid getppid " "journalctl -o json: the kernel and audit transports are records"
like "$err" 'warning: 3 forged SECCOMP records refused' "journalctl -o json: user transports are refused, injection too"
is "$(cat "$T/journal.cp")" "scwrap-checkpoint-v1 1765015203004 32" "journalctl -o json: the audit transport's stamp"
done_testing
