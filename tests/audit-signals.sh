#!/bin/bash
# scwrap -b audit and signals: a signal sent to scwrap after the workload's
# first process has exited reaches what is left of its tree (never the
# first process's pid, reaped and free for reuse), and the profile is
# written.  Needs root and auditd (started if it is not running).
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
require_root
require_cmd auditctl auditd

require_audit

# bg_audit OUT.json MODE: scwrap -b audit running the workload in the
# background; sets $spid, and $wpid once the workload wrote its pid.
bg_audit() {
	rm -f "$T/pid" "$1"
	env --default-signal=INT,QUIT "$SCWRAP" -b audit -q -o "$1" -- "$W" "$2" "$T/pid" &
	spid=$!
	wait_for 20 test -s "$T/pid" || { diag "workload never became ready"; return 1; }
	wpid=$(cat "$T/pid")
}

# ended DESCRIPTION WANT-STATUS: scwrap ends within 30 s with that status.
ended() {
	if wait_for 30 sh -c "! kill -0 $spid 2>/dev/null"; then
		wait "$spid"; is "$?" "$2" "$1"
	else
		ok 1 "$1"
		kill -KILL "$wpid" 2>/dev/null
		wait "$spid" 2>/dev/null
	fi
}

bg_audit "$T/ready.json" ready
# Job control is the workload's: C, which must outlive it, ignores the
# terminal's stop signals, and the workload must not inherit that.
ign=$(sed -n 's/^SigIgn:\t//p' "/proc/$wpid/status")
is "$(( 0x$ign & ((1 << 19) | (1 << 20) | (1 << 21)) ))" 0 \
	"the workload does not ignore SIGTSTP, SIGTTIN, SIGTTOU (Ctrl-Z stops it)"
kill -TERM "$spid"
ended "SIGTERM to scwrap reaches the first process: exit 143" 143
check "its profile is written" -- grep -q '"pause"' "$T/ready.json"

bg_audit "$T/lin.json" lingering
kill -TERM "$spid"
ended "SIGTERM after the first process exited: the lingering process gets it" 143
check "and the profile of what ran is written" -- grep -q '"pause"' "$T/lin.json"
done_testing
