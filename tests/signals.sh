#!/bin/bash
# Signals: those sent to scwrap reach the workload and scwrap still writes
# the profile; the terminal's Ctrl-C reaches the workload, not scwrap; if
# scwrap dies, the workload dies with it; job control keeps working.
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
require_ptrace
require_cmd python3

# start_bg OUT.json MODE: scwrap running the workload in the background;
# sets $spid (scwrap) and $wpid (the workload, once it is ready).
start_bg() {
	rm -f "$T/pid" "$1"
	# A script's background job starts with SIGINT ignored (and scwrap
	# keeps an inherited ignore): give it the default back.
	env --default-signal=INT,QUIT "$SCWRAP" -q -o "$1" -- "$W" "$2" "$T/pid" &
	spid=$!
	wait_for 10 test -s "$T/pid" || { diag "workload never became ready"; return 1; }
	wpid=$(cat "$T/pid")
}

for sig in TERM HUP INT; do
	num=$(kill -l "$sig")
	start_bg "$T/$sig.json" ready
	kill -"$sig" "$spid"
	wait "$spid"; st=$?
	is "$st" $((128 + num)) "SIG$sig to scwrap: passed to the workload, exit 128+$num"
	check "SIG$sig: the profile of what ran is written" -- grep -q '"pause"' "$T/$sig.json"
done

# The run a signal ended is partial: the summary and the report say so.
rm -f "$T/pid"
env --default-signal=INT,QUIT "$SCWRAP" -o "$T/part.json" --report "$T/part.rep" \
	-- "$W" ready "$T/pid" 2>"$T/part.err" &
spid=$!
wait_for 10 test -s "$T/pid" || diag "workload never became ready"
kill -TERM "$spid"
wait "$spid"
like "$(cat "$T/part.err")" 'ended by SIGTERM: the profile covers only what ran until then' \
	"the summary says a run ended by SIGTERM is partial"
check "the report says so too" -- python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
sys.exit(not (r["partial"] is True and r["signal"] == "SIGTERM"))' "$T/part.rep"
"$SCWRAP" -o "$T/whole.json" --report "$T/whole.rep" -- "$W" exit 0 2>"$T/whole.err"
unlike "$(cat "$T/whole.err")" 'ended by' "a run that ended by itself is not called partial"
check "nor in its report" -- python3 -c 'import json,sys
sys.exit(json.load(open(sys.argv[1]))["partial"] is not False)' "$T/whole.rep"

# A workload that ignores SIGTERM goes on; scwrap goes on with it.
start_bg "$T/ign.json" ignore-term
kill -TERM "$spid"
wait_for 5 grep -q SigCgt /proc/"$wpid"/status
kill -0 "$wpid" 2>/dev/null; ok $? "a workload that ignores SIGTERM keeps running"
kill -HUP "$spid"
wait "$spid"; st=$?
is "$st" 129 "then SIGHUP ends it: scwrap exits 128+1"
check "its profile has the handler it installed" -- grep -q '"rt_sigaction"' "$T/ign.json"

# The first process has exited, a process it started lingers: SIGTERM to
# scwrap reaches that process (the first one's pid is reaped, and may be
# another process's by now), and scwrap ends with the profile written.
start_bg "$T/lin.json" lingering
kill -TERM "$spid"
if wait_for 20 sh -c "! kill -0 $spid 2>/dev/null"; then
	wait "$spid"; st=$?
	is "$st" 143 "SIGTERM after the first process exited: the lingering process gets it"
	check "and the profile of what ran is written" -- grep -q '"pause"' "$T/lin.json"
else
	ok 1 "SIGTERM after the first process exited: the lingering process gets it"
	ok 1 "and the profile of what ran is written"
	kill -KILL "$wpid" "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
fi

# A signal sent to the workload itself passes through the tracer.
start_bg "$T/usr1.json" ready
kill -USR1 "$wpid"
wait "$spid"; st=$?
is "$st" $((128 + $(kill -l USR1))) "SIGUSR1 delivered to the workload kills it"

# scwrap killed: the workload dies too (PTRACE_O_EXITKILL), never left
# running untraced or stuck in a stop.
start_bg "$T/k.json" ready
kill -KILL "$spid"
wait "$spid" 2>/dev/null
wait_for 10 sh -c "! kill -0 $wpid 2>/dev/null"; ok $? "SIGKILL to scwrap kills the workload"
is "$(ls -A "$T" | grep -c 'k\.json')" 0 "and leaves no file behind, complete or not"

# Job control: a workload stopped by SIGSTOP stays stopped until SIGCONT.
start_bg "$T/stop.json" stop
wait_for 10 sh -c "grep -Eq '^State:.*(stopped|tracing stop)' /proc/$wpid/status"
ok $? "a workload stopped by SIGSTOP stays stopped"
kill -CONT "$wpid"
wait "$spid"; st=$?
is "$st" 0 "and finishes once continued"

# PTRACE_LISTEN refused (here by a filter around scwrap that fails it with
# EPERM): the group-stopped workload is resumed, never left in a ptrace
# stop that no SIGCONT can end.
BPF_LOAD=$TESTS_BUILDDIR/bpf-load
cat > "$T/nolisten.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["ptrace"],
 "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
 "args": [{"index": 0, "value": 16904, "op": "SCMP_CMP_EQ"}]}]}
JSON
if [ -x "$BPF_LOAD" ] && "$SCWRAP" export -F bpf -o "$T/nolisten.bpf" "$T/nolisten.json"; then
	rm -f "$T/pid"
	"$BPF_LOAD" "$T/nolisten.bpf" "$SCWRAP" -q -o "$T/nl.json" -- "$W" stop "$T/pid" &
	spid=$!
	wait_for 30 sh -c "! kill -0 $spid 2>/dev/null"; ended=$?
	if [ "$ended" -ne 0 ]; then
		# Stuck: the workload sits in a ptrace stop; SIGCONT cannot end it.
		diag "state: $(grep '^State:' "/proc/$(cat "$T/pid")/status" 2>/dev/null)"
		kill -KILL "$spid"
	fi
	wait "$spid"; st=$?
	is "$ended:$st" 0:0 "PTRACE_LISTEN refused: the stopped workload is resumed, scwrap ends (0)"
else
	ok 1 "tests/bpf-load is not built or the filter cannot be exported"
fi

# Ctrl-C on a terminal: the workload gets SIGINT from the terminal; scwrap
# survives it and writes the profile.
python3 - "$SCWRAP" "$W" "$T" <<'PY'
import os, pty, select, signal, sys, time
scwrap, w, t = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    # As a terminal's shell starts it: a test run in the background has
    # SIGINT ignored, and the workload would inherit that.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.execv(scwrap, [scwrap, "-o", t + "/tty.json", "--", w, "ready", t + "/ttypid"])
deadline = time.time() + 10
while not os.path.exists(t + "/ttypid") and time.time() < deadline:
    time.sleep(0.05)
os.write(fd, b"\x03")
out = b""
deadline = time.time() + 60
while time.time() < deadline:
    if not select.select([fd], [], [], 1)[0]:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
else:
    os.kill(pid, signal.SIGKILL)  # never wait forever: the checks below fail
_, st = os.waitpid(pid, 0)
open(t + "/tty.status", "w").write("%d\n" % os.waitstatus_to_exitcode(st))
open(t + "/tty.out", "wb").write(out)
PY
is "$(cat "$T/tty.status")" 130 "Ctrl-C on the terminal ends the workload: exit 130"
check "scwrap outlived it and wrote the profile" -- grep -q defaultAction "$T/tty.json"
like "$(tr -d '\r' < "$T/tty.out")" 'written to .*tty.json' "and its summary reached the terminal"
done_testing
