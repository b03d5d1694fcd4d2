#!/bin/bash
# Oracle: for real commands, the recorded names equal what `strace -f` shows
# for the same command, an independent tracer; with the ptrace backend and
# with the notify backend.
. "$TESTS_SRCDIR/lib.sh"
require_ptrace
require_cmd strace python3 busybox

# same_as_strace DESCRIPTION COMMAND...: with $backend.
same_as_strace() {
	local d="$1 ($backend)"; shift
	"$SCWRAP" -b "$backend" -q -o "$T/o.json" -- "$@" >/dev/null 2>"$T/o.err" </dev/null ||
		diag "scwrap: $(cat "$T/o.err")"
	strace -f -qq -o "$T/o.strace" -- "$@" >/dev/null 2>&1 </dev/null
	names "$T/o.json" > "$T/o.scw"
	strace_names "$T/o.strace" > "$T/o.str"
	if diff -u "$T/o.str" "$T/o.scw" > "$T/o.diff"; then ok 0 "$d"; else
		ok 1 "$d"; sed 's/^/# /' "$T/o.diff"; fi
}

for backend in ptrace notify; do
	same_as_strace "a shell pipeline" sh -c 'echo hello | tr a-z A-Z | wc -c; ls / > /dev/null'
	same_as_strace "python3 with a thread" python3 -c '
import threading
t = threading.Thread(target=lambda: open("/dev/null").close())
t.start(); t.join()'
	same_as_strace "busybox applets" busybox sh -c 'busybox ls / | busybox wc -l; busybox cat /etc/hostname'
	same_as_strace "ls -l (more than ls)" ls -l /
done
done_testing
