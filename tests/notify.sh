#!/bin/bash
# The notify backend (-b notify): rootless recording of workloads that use
# ptrace themselves (gdb, strace), --args and --baseline as with ptrace,
# exit statuses and signals as a wrapper, and a workload killed at any
# moment of the listener's handover leaves no scwrap behind.  What it
# records is compared with strace -f in oracle.sh and exerciser.sh.
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
A=$TESTS_BUILDDIR/argprog
require_cmd gdb strace setpriv jq
"$SCWRAP" -b notify -q -o "$T/probe.json" -- true 2>"$T/probe.err" ||
	skip_all "no seccomp user notification here: $(cat "$T/probe.err")"
plan 34

# --- rootless: a debugger and a tracer ---------------------------------------
# As nobody, with no capability: the notify backend needs no privilege, and
# the workload's own ptrace works (the ptrace backend's would fail).
chmod 0777 "$T"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all -- "$@"; }
as_nobody "$SCWRAP" -b notify -q -o "$T/gdb.json" -- gdb -batch -ex run --args /bin/true \
	>"$T/gdb.out" 2>"$T/gdb.err"; st=$?
is "$st" 0 "rootless: gdb runs a program under scwrap -b notify"
like "$(cat "$T/gdb.out")" 'exited normally' "and gdb's own tracing works"
like "$(names "$T/gdb.json" | xargs)" '(^| )ptrace( |$)' "the profile allows ptrace (gdb's)"
like "$(names "$T/gdb.json" | xargs)" '(^| )wait4( |$)' "and wait4"
as_nobody "$SCWRAP" -b notify -q -o "$T/st.json" -- strace -f -o /dev/null true 2>"$T/st.err"; st=$?
is "$st" 0 "rootless: strace -f runs under scwrap -b notify"
as_nobody "$SCWRAP" -q -o "$T/stp.json" -- strace -f -o /dev/null true 2>/dev/null; st=$?
isnt() { [ "$1" != "$2" ]; ok $? "$3"; }
isnt "$st" 0 "(where the ptrace backend's strace fails: exit $st)"

# --- what it records, as the ptrace backend ----------------------------------
"$SCWRAP" -q -o "$T/p.json" -- "$W" threads 3
"$SCWRAP" -b notify -q -o "$T/n.json" -- "$W" threads 3; st=$?
is "$st" 0 "threads: exit 0"
is "$(names "$T/n.json" | xargs)" "$(names "$T/p.json" | xargs)" "threads: the same profile as the ptrace backend"
"$SCWRAP" -b notify -q -o "$T/n2.json" --report "$T/nr.json" -- "$W" threads 3
is "$(jq .processes "$T/nr.json")" 1 "threads: counted in their one process"
"$SCWRAP" -b notify -q -o "$T/sh.json" --report "$T/shr.json" -- sh -c 'ls / >/dev/null'
is "$(jq -r '.syscalls[] | select(.name == "getdents64") | "\(.first.exe) \(.first.argv0)"' "$T/shr.json")" \
	"$(readlink -f "$(command -v ls)") ls" "a call first seen after an execve: the new program's exe and argv[0]"
"$SCWRAP" -b notify -q -o "$T/d.json" -- "$W" daemon "$T/d.mark"; st=$?
is "$st" 0 "a daemon that outlives the first process: exit 0"
[ -e "$T/d.mark" ]
ok $? "scwrap waited for the daemon (the listener hangs up only when it is gone)"

# --args: the arguments are in the notification.
"$SCWRAP" -q --args -o "$T/ap.json" -- "$A" unix >/dev/null
"$SCWRAP" -b notify -q --args -o "$T/an.json" -- "$A" unix >/dev/null; st=$?
is "$st" 0 "--args: exit 0"
pinned() {
	jq -c --arg n "$2" '[.syscalls[] | select(.names == [$n] and (.args | length > 0))
		| [.args[] | [.index, .op, .value, .valueTwo]]]' "$1"
}
is "$(pinned "$T/an.json" socket)" '[[[0,"SCMP_CMP_EQ",1,0],[1,"SCMP_CMP_MASKED_EQ",15,1]]]' \
	"--args: socket pinned to AF_UNIX, SOCK_STREAM, as with ptrace"
is "$(jq -S .syscalls "$T/an.json")" "$(jq -S .syscalls "$T/ap.json")" "--args: the same rules as the ptrace backend"

# --baseline: what the baseline allows is not even notified.
"$SCWRAP" -b notify -q -o "$T/ls.json" -- ls / >/dev/null
"$SCWRAP" -b notify -q --baseline "$T/ls.json" -o "$T/ls2.json" --report "$T/cost.json" -- ls / >/dev/null; st=$?
is "$st" 0 "--baseline: exit 0"
is "$(jq .syscalls_made "$T/cost.json")" 0 "re-recording a known workload is notified of no syscall"

# --- scwrap check -b notify ---------------------------------------------------
# What ls -l needs beyond the ls / profile: the same calls, denied the same
# way, as the ptrace backend's check (itself checked against strace -f in
# toolkit.sh); the same calls recorded beyond it with --baseline.
violations() { sed -n 's/^scwrap: \(not allowed\|denied\): \([a-z0-9_]*\) .*/\2/p' "$1" | sort -u | xargs; }
"$SCWRAP" check --complain "$T/ls.json" -- ls -l / >/dev/null 2>"$T/cp.err"
"$SCWRAP" check -b notify --complain "$T/ls.json" -- ls -l / >/dev/null 2>"$T/cn.err"; st=$?
is "$st" 1 "check -b notify --complain: exit 1 when the profile lacks calls"
is "$(violations "$T/cn.err")" "$(violations "$T/cp.err")" "check -b notify finds what the ptrace backend's check finds"
"$SCWRAP" check -b notify "$T/ls.json" -- ls -l / >/dev/null 2>"$T/ce.err"; st=$?
is "$st" 1 "check -b notify (enforcing): exit 1"
like "$(cat "$T/ce.err")" 'Operation not permitted' "the calls fail with the profile's errno"
"$SCWRAP" -b notify -q --baseline "$T/ls.json" -o "$T/lsl.json" -- ls -l / >/dev/null 2>&1
comm -13 <(names "$T/ls.json") <(names "$T/lsl.json") | xargs > "$T/grown"
is "$(cat "$T/grown")" "$(violations "$T/cp.err")" "--baseline records exactly what check said was missing"
as_nobody "$SCWRAP" check -b notify "$T/gdb.json" -- gdb -batch -ex run --args /bin/true \
	>/dev/null 2>"$T/cg.err"; st=$?
is "$st:$(tail -n 1 "$T/cg.err")" "0:scwrap: $T/gdb.json allowed every syscall the command made (exit status 0)" \
	"rootless: gdb's own profile replays under check -b notify"
as_nobody "$SCWRAP" check "$T/gdb.json" -- gdb -batch -ex run --args /bin/true >/dev/null 2>"$T/cgp.err"
like "$(cat "$T/cgp.err")" 'warning: the command called ptrace, which fails under the ptrace backend' \
	"the ptrace backend's check warns that gdb's ptrace failed"
"$SCWRAP" check -b audit "$T/ls.json" -- true 2>"$T/ca.err"; st=$?
like "$st:$(cat "$T/ca.err")" "^125:scwrap: check needs a backend that can deny calls" "check -b audit: a usage error"

# --- a wrapper's manners ------------------------------------------------------
"$SCWRAP" -b notify -q -o "$T/x.json" -- sh -c 'exit 3'; st=$?
is "$st" 3 "the workload's exit status"
"$SCWRAP" -b notify -q -o "$T/x.json" -- no-such-command-here 2>/dev/null; st=$?
is "$st" 127 "a command not found: 127"
"$SCWRAP" -b notify -q -o "$T/x.json" -- /etc/hostname 2>/dev/null; st=$?
is "$st" 126 "a file that cannot be executed: 126"
"$SCWRAP" -b notify -q -o "$T/term.json" -- "$W" ready "$T/ready" &
spid=$!
wait_for 10 test -e "$T/ready"
kill -TERM "$spid"
wait "$spid"; st=$?
is "$st" 143 "SIGTERM is passed on: the workload ends, exit 143"
check "and the profile is written" -- grep -q defaultAction "$T/term.json"
# After the first process has exited: the signal reaches what is left.
"$SCWRAP" -b notify -q -o "$T/lin.json" -- "$W" lingering "$T/lin.pid" &
spid=$!
wait_for 10 test -s "$T/lin.pid"
kill -TERM "$spid"
if wait_for 20 sh -c "! kill -0 $spid 2>/dev/null"; then
	wait "$spid"; st=$?
else
	st=stuck; kill -KILL "$(cat "$T/lin.pid")" "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
fi
is "$st" 143 "SIGTERM after the first process exited: the lingering process gets it"
check "and the profile of what ran is written" -- grep -q '"pause"' "$T/lin.json"

# --- the handover: the child killed at any moment -----------------------------
# The child loads its filter and a helper thread hands the listener over;
# killed before, during or after that, scwrap must neither hang nor leave a
# process.  SIGKILL at spread delays after the start, 30 times.
# Under --enable-sanitizers, LeakSanitizer forks a tracer of scwrap as it
# exits, a child pkill -P would kill too (and LSan then waits for it
# forever): no leak check in these runs.
stuck=0 strays=0
for i in $(seq 30); do
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"$SCWRAP" -b notify -q -o "$T/k.json" -- true 2>/dev/null &
	spid=$!
	delay=$(awk -v i="$i" 'BEGIN { printf "%.4f", (i % 10) * 0.0007 }')
	sleep "$delay"
	pkill -KILL -P "$spid" 2>/dev/null
	if ! wait_for 10 sh -c "! kill -0 $spid 2>/dev/null"; then
		stuck=$((stuck + 1))
		kill -KILL "$spid" 2>/dev/null
	fi
	wait "$spid" 2>/dev/null
	pgrep -P "$spid" >/dev/null && strays=$((strays + 1))
done
is "$stuck" 0 "a child killed during the handover never leaves scwrap stuck (30 runs)"
is "$strays" 0 "nor a process behind"
done_testing
