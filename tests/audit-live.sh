#!/bin/bash
# scwrap -b audit, live, against the real kernel audit stream: the same
# profiles as the ptrace backend, exact attribution with other workloads
# running at once, a workload that uses ptrace itself, both record sources,
# and lost records detected.  Needs root (audit session, audit status);
# auditd is started if it is not running (CI installs it).
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
require_root
require_ptrace
require_cmd python3 auditctl auditd strace

require_audit
# What start_daemon leaves running holds none of the test's descriptors,
# the lock on fd 9 among them.
start_daemon sh -c "sleep 300 </dev/null >/dev/null 2>&1 & echo \$! > '$T/daemon.pid'"
dpid=$(cat "$T/daemon.pid")
is "$(ls /proc/"$dpid"/fd | sort -n | xargs)" "0 1 2" "a daemon started by the tests inherits no lock or pipe"
kill "$dpid"

# same_as_ptrace DESCRIPTION COMMAND...: the audit profile's names equal
# the ptrace backend's for a deterministic workload.
same_as_ptrace() {
	local d=$1; shift
	"$SCWRAP" -q -o "$T/pt.json" -- "$@" >/dev/null 2>&1 </dev/null
	"$SCWRAP" -b audit -q -o "$T/au.json" -- "$@" >/dev/null 2>"$T/au.err" </dev/null
	if diff <(names "$T/pt.json") <(names "$T/au.json") > "$T/diff"; then ok 0 "$d"; else
		ok 1 "$d"; sed 's/^/# /' "$T/diff" "$T/au.err"; fi
}
same_as_ptrace "same as ptrace: ls -l" ls -l /
same_as_ptrace "same as ptrace: a shell pipeline" sh -c 'echo hi | tr a-z A-Z | wc -c'
same_as_ptrace "same as ptrace: 20 processes" "$W" forks 20
if [ -x "$TESTS_BUILDDIR/exerciser-x86_64" ]; then
	# Its i386 call only where the kernel runs int $0x80.
	if have_i386_syscalls; then i386=(-i386); else i386=(); fi
	same_as_ptrace "same as ptrace: the x86_64 exerciser (threads, vfork, int 0x80...)" \
		"$TESTS_BUILDDIR/exerciser-x86_64" "${i386[@]}" "$T/orphan"
	if [ -n "$i386_refused" ]; then
		skip_refused 1 "the i386 call opening the x86 ABI: $i386_refused"
	else
		is "$(arches "$T/au.json")" "SCMP_ARCH_X86_64 SCMP_ARCH_X86" "the i386 call opens the x86 ABI"
	fi
fi

# The summary says how records were attributed, and from where.
err=$(SCWRAP_AUDIT_SOURCE=log "$SCWRAP" -b audit -o "$T/s.json" -- sh -c 'ls / | wc -l' 2>&1 >/dev/null)
like "$err" '^scwrap: attributed by audit session [0-9]+, records from /' "attributed by its own audit session"
# The same session read back from auditd's logs, by scwrap audit and by an
# independent reader (libauparse, libaudit's syscall tables).
ses=$(printf '%s\n' "$err" | sed -n 's/^scwrap: attributed by audit session \([0-9]*\),.*/\1/p')
log=$(sed -n 's/^log_file *= *//p' /etc/audit/auditd.conf); log=${log:-/var/log/audit/audit.log}
cat $(ls -r "$log".[0-9]* 2>/dev/null) "$log" > "$T/all.log"
"$SCWRAP" audit -q --ses "$ses" -o "$T/back.json" "$T/all.log"
is "$(names "$T/back.json")" "$(names "$T/s.json")" "scwrap audit --ses reads back the live profile"
# libaudit spells pread64 and pwrite64 without the 64.
is "$("$TESTS_BUILDDIR/auparse-oracle" --ses "$ses" "$T/all.log" | sed 's/^pread$/pread64/; s/^pwrite$/pwrite64/' | sort -u)" \
	"$(names "$T/s.json")" "libauparse finds the same calls in that session"

# Exit statuses as with ptrace; a daemon is waited for.
"$SCWRAP" -b audit -q -o "$T/e.json" -- "$W" exit 3; st=$?
is "$st" 3 "the workload's exit status"
"$SCWRAP" -b audit -q -o "$T/e.json" -- scwrap-no-such-command 2>/dev/null; st=$?
is "$st" 127 "command not found: 127"
"$SCWRAP" -b audit -q -o "$T/d.json" -- "$W" daemon "$T/daemon.mark"; st=$?
check "a daemon outliving the first process is waited for" -- test -s "$T/daemon.mark"
check "and its calls are in the profile" -- grep -q '"getpgid"' "$T/d.json"

# A workload that uses ptrace itself: impossible under the ptrace backend.
"$SCWRAP" -b audit -q -o "$T/st.json" -- strace -f -qq -o /dev/null sh -c 'exit 5'; st=$?
is "$st" 5 "strace as the workload runs, exit status kept"
check "its ptrace calls are recorded" -- grep -q '"ptrace"' "$T/st.json"

# Both sources: the kernel's multicast group and auditd's log.
SCWRAP_AUDIT_SOURCE=netlink "$SCWRAP" -b audit -o "$T/nl.json" -- ls / 2>"$T/nl.err" >/dev/null
SCWRAP_AUDIT_SOURCE=log "$SCWRAP" -b audit -q -o "$T/log.json" -- ls / >/dev/null
like "$(cat "$T/nl.err")" "records from the kernel's audit socket" "netlink source used when asked"
is "$(names "$T/nl.json")" "$(names "$T/log.json")" "netlink and auditd's log give the same profile"

# Concurrency: two LOG-filtered recordings at once, plus a LOG-filtered
# program outside scwrap; each profile is exactly its own.  threads makes
# getppid and never wait4; forks makes wait4 and never getppid.
for i in 1 2 3; do
	"$SCWRAP" -b audit -q -o "$T/a$i.json" -- "$W" threads 50 2>"$T/a$i.err" &
	a=$!
	"$SCWRAP" -b audit -q -o "$T/b$i.json" -- "$W" forks 50 2>"$T/b$i.err" &
	b=$!
	"$SCWRAP" -b audit -q -o "$T/c$i.json" -- "$SCWRAP" -b audit -q -o "$T/inner$i.json" -- "$W" exit 0 &
	c=$!
	wait $a; echo "a$i $?" >> "$T/conc.status"
	wait $b; echo "b$i $?" >> "$T/conc.status"
	wait $c; echo "c$i $?" >> "$T/conc.status"
done
bad=""
for i in 1 2 3; do
	names "$T/a$i.json" | grep -qx getppid || bad="$bad a$i-lacks-getppid"
	names "$T/a$i.json" | grep -qx wait4 && bad="$bad a$i-has-wait4"
	names "$T/b$i.json" | grep -qx wait4 || bad="$bad b$i-lacks-wait4"
	names "$T/b$i.json" | grep -qx getppid && bad="$bad b$i-has-getppid"
done
is "$(awk '$2 != 0' "$T/conc.status")" "" "concurrent recordings: all exit 0"
is "$bad" "" "concurrent recordings: each profile holds its own calls and none of the other's"
[ -z "$bad" ] || cat "$T"/[ab]?.err | sed 's/^/# /'
# scwrap audit --pid follows a process tree through SYSCALL records: with
# a rule that logs fork and clone, the first process's pid brings in its
# children, and the result is what the session gave live.
auditctl -a always,exit -F arch=b64 -S clone,fork,vfork,clone3 -k scwrap-test >/dev/null
rm_rule() { auditctl -d always,exit -F arch=b64 -S clone,fork,vfork,clone3 -k scwrap-test >/dev/null 2>&1; }
at_exit rm_rule
SCWRAP_AUDIT_SOURCE=log "$SCWRAP" -b audit -q -o "$T/tree.json" -- sh -c "echo \$\$ > '$T/root.pid'; '$W' daemon '$T/d2.mark'"
rm_rule
cat $(ls -r "$log".[0-9]* 2>/dev/null) "$log" > "$T/all.log"
"$SCWRAP" audit -q --pid "$(cat "$T/root.pid")" -o "$T/bypid.json" "$T/all.log"
is "$(names "$T/bypid.json")" "$(names "$T/tree.json")" "--pid: the first process and its descendants, as recorded live"
# Only the grandchild (a double fork) calls getpgid.
check "--pid reached the grandchild (its getpgid)" -- grep -q '"getpgid"' "$T/bypid.json"

# Kernel auditing switched off: a clear error, not a wait.
auditctl -e 0 >/dev/null
err=$("$SCWRAP" -b audit -o "$T/off.json" -- "$W" exit 0 2>&1); st=$?
auditctl -e 1 >/dev/null
like "$st:$err" '^125:scwrap: kernel auditing is disabled.*auditctl -e 1' "auditing disabled: says so, exit 125"

# Lost records: the kernel's rate limit drops what exceeds it (counted in
# its lost counter); the run says so and writes nothing, unless
# --accept-loss.
saved=$(auditctl -s)
old_r=$(echo "$saved" | awk '/^rate_limit/ {print $2}')
restore_audit() { auditctl -r "${old_r:-0}" >/dev/null 2>&1; }
at_exit restore_audit
auditctl -r 100 >/dev/null
err=$("$SCWRAP" -b audit -o "$T/lost.json" -- "$W" threads 500 2>&1); st=$?
is "$st" 124 "records lost: exit 124"
like "$err" 'audit records were lost during the run.*none was written.*auditctl -b.*--accept-loss' \
	"records lost: says so, and how to fix it"
check "records lost: no profile" -- test ! -e "$T/lost.json"
err=$("$SCWRAP" -b audit --accept-loss -o "$T/lost.json" -- "$W" threads 500 2>&1); st=$?
is "$st" 0 "--accept-loss: the workload's status"
like "$err" 'warning: [0-9]+ audit records were lost' "--accept-loss: still warned"
check "--accept-loss: the profile of what arrived" -- test -s "$T/lost.json"
restore_audit
done_testing
