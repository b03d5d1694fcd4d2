#!/bin/bash
# Faults: scwrap signalled at any moment, its workload killed, its output on
# a full disk or an unwritable path, broken profiles as input, thousands of
# processes, threads that exec at once.  Each ends in a clear message and a
# defined exit status, with nothing lost and nothing left behind.  (Lost
# audit records, exit 124 and no profile unless --accept-loss: audit-live.sh.)
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
require_ptrace
require_cmd python3 timeout

# valid_profile FILE: FILE is a whole OCI profile whose recorded layer has
# the workload's execve (scwrap's additions alone would not).
valid_profile() {
	python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))
assert p["defaultAction"].startswith("SCMP_ACT_")
assert any("execve" in r["names"] for r in p["syscalls"]
           if (r.get("comment") or "").startswith("scwrap:recorded"))' "$1" 2>/dev/null
}

# leftovers DIR: the temporary files scwrap may have left in DIR.
leftovers() { find "$1" -maxdepth 1 -name '.*.scwrap-*'; }

# --- a signal at any moment ------------------------------------------------
# SIGTERM, SIGHUP and SIGINT (from kill) at a random moment, from scwrap's
# first instruction to the workload's pause: scwrap exits 128+N, and either
# the workload ran and its profile is whole, or it had not started and
# scwrap says so and writes nothing, or scwrap had not yet installed its
# handlers and died of the signal.  Never a hang, a half-written file, a
# temporary file left, or a workload left running.
# signal_at_random BACKEND SIG RUNS MAX_MS
signal_at_random() {
	local backend=$1 sig=$2 runs=$3 max_ms=$4 num i bad=0 ran=0 unstarted=0 early=0
	local dir="$T/rnd-$backend-$sig" st err why
	num=$(kill -l "$sig")
	mkdir -p "$dir"
	for i in $(seq "$runs"); do
		why=""
		env --default-signal=INT,QUIT "$SCWRAP" -b "$backend" -q -o "$dir/p.json" -- \
			"$W" ready "$dir/ready.$i" 2>"$dir/err" &
		local spid=$! comm=""
		# A background job starts with SIGINT ignored until env resets
		# it: a signal in that window is env's, not scwrap's.  Start the
		# clock once env has become scwrap.
		while [ "$comm" != scwrap ] && read -r comm 2>/dev/null < "/proc/$spid/comm"; do :; done
		sleep "$(printf '0.%03d' $((RANDOM % max_ms)))"
		kill -"$sig" "$spid"
		if ! wait_for 30 sh -c "! kill -0 $spid"; then
			why="scwrap still running 30 s after SIG$sig"
			kill -KILL "$spid"
		fi
		wait "$spid"; st=$?
		err=$(cat "$dir/err")
		if [ -n "$why" ]; then
			:
		elif [ "$st" -ne $((128 + num)) ]; then
			why="exit $st, not $((128 + num))"
		elif [ -e "$dir/p.json" ]; then
			valid_profile "$dir/p.json" && ran=$((ran + 1)) || why="a broken profile"
		elif [[ $err == "scwrap: the workload was killed by SIG$sig before it started: nothing was recorded and no profile was written" ]]; then
			unstarted=$((unstarted + 1))
		elif [ -z "$err" ] && [ ! -e "$dir/ready.$i" ]; then
			early=$((early + 1))
		else
			why="exit $st, no profile and no reason$(test -e "$dir/ready.$i" && echo ', the workload ran')"
		fi
		[ -z "$why" ] && [ -n "$(leftovers "$dir")" ] && why="left $(leftovers "$dir")"
		[ -z "$why" ] && pgrep -f "$dir/ready\.$i\$" >/dev/null && why="the workload is still running"
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			diag "run $i: $why; stderr: $err"
		fi
		pkill -KILL -f "$dir/ready\.$i\$" 2>/dev/null
		rm -f "$dir/p.json"
	done
	ok "$bad" "$backend: SIG$sig at random moments, $runs runs: exit $((128 + num)), a whole profile or none with the reason"
	diag "$ran profiles written, $unstarted runs ended before the workload started, $early before scwrap was ready"
}
for sig in TERM HUP INT; do
	signal_at_random ptrace $sig 25 20
done

# The moment the workload is being set up: scwrap's handlers in place, the
# child not yet the workload.  A signal there is never swallowed.
# signal_as_it_starts BACKEND
signal_as_it_starts() {
	local i spid st waited
	for i in $(seq 10); do
		env --default-signal=INT,QUIT "$SCWRAP" -b "$1" -q -o "$T/early.json" -- \
			"$W" ready "$T/early.$i" 2>"$T/early.err" &
		spid=$!
		# Once scwrap has a child, the handlers are in place.
		wait_for 10 pgrep -P "$spid" >/dev/null
		kill -TERM "$spid"
		wait_for 30 sh -c "! kill -0 $spid"; waited=$?
		wait "$spid"; st=$?
		[ "$waited" -eq 0 ] && [ "$st" -eq 143 ] || break
	done
	is "$waited:$st" 0:143 "$1: SIGTERM as the workload starts: never swallowed (10 runs)"
}
signal_as_it_starts ptrace

# scwrap audit reading a log that never ends: a signal ends it, the old
# output is untouched, no temporary file is left.
mkdir "$T/al"; echo old > "$T/al/p.json"
mkfifo "$T/al/fifo"
"$SCWRAP" audit -q -o "$T/al/p.json" "$T/al/fifo" 2>"$T/al/err" &
apid=$!
exec 8>"$T/al/fifo"
sed -n '1,20p' "$TESTS_SRCDIR/fixtures/audit/spo-enricher_auditsource-test-lines.log" >&8
kill -TERM "$apid"
wait "$apid"; st=$?
exec 8>&-
is "$st" 143 "scwrap audit on an endless log: SIGTERM ends it, 143"
is "$(cat "$T/al/p.json")" old "... the old output untouched"
is "$(leftovers "$T/al")" "" "... no temporary file left"

# --- the workload killed ----------------------------------------------------
killed_workload() { # killed_workload BACKEND
	rm -f "$T/kw.pid" "$T/kw.json"
	"$SCWRAP" -b "$1" -q -o "$T/kw.json" -- "$W" ready "$T/kw.pid" &
	local spid=$! st
	wait_for 20 test -s "$T/kw.pid"
	kill -KILL "$(cat "$T/kw.pid")"
	wait "$spid"; st=$?
	is "$st" 137 "$1: the workload killed by SIGKILL: 137"
	check "$1: ... its profile is written, pause included" -- grep -q '"pause"' "$T/kw.json"
}
killed_workload ptrace

# --- outputs ----------------------------------------------------------------
# A full file system: the workload ran, so its profile is not thrown away:
# it is kept in $TMPDIR and the message says where.  The old file stays.
rescued() { # rescued ERR: the file the message names, if it holds a profile
	local f
	f=$(printf '%s\n' "$1" | sed -n 's/.*the result was kept in \([^:]*\): move it.*/\1/p')
	[ -n "$f" ] && valid_profile "$f" && echo "$f"
}
if [ "$(id -u)" -eq 0 ] && mkdir "$T/full" && mount -t tmpfs -o size=64k scwrap-full "$T/full"; then
	umount_full() { umount "$T/full"; }
	at_exit umount_full
	echo old > "$T/full/p.json"
	dd if=/dev/zero of="$T/full/fill" bs=4k 2>/dev/null
	mkdir "$T/rescue"
	err=$(TMPDIR=$T/rescue "$SCWRAP" -q -o "$T/full/p.json" -- "$W" exit 3 2>&1); st=$?
	is "$st" 125 "full file system: exit 125"
	like "$err" "^scwrap: cannot write $T/full/p.json: No space left on device; the result was kept in $T/rescue/scwrap-rescued\.[A-Za-z0-9]+: move it where it belongs; the workload's own exit status was 3\$" \
		"full file system: one line: the cause, where the profile went, the workload's status"
	f=$(rescued "$err")
	check "full file system: the kept profile is whole" -- test -n "$f"
	is "$(stat -c %a "$f" 2>/dev/null)" 600 "full file system: the kept profile is private (0600)"
	is "$(cat "$T/full/p.json")" old "full file system: the old profile is untouched"
	is "$(leftovers "$T/full")" "" "full file system: no temporary file left"
else
	skip 6 "needs root to mount a small tmpfs"
fi
err=$(TMPDIR=$T "$SCWRAP" -q -o /dev/full -- "$W" exit 0 2>&1); st=$?
f=$(rescued "$err")
is "$st:$(test -n "$f" && echo kept)" 125:kept "/dev/full: exit 125, the profile kept in \$TMPDIR"
err=$(TMPDIR=$T/none "$SCWRAP" -q -o /dev/full -- "$W" exit 0 2>&1); st=$?
like "$st:$err" "^125:scwrap: cannot write /dev/full: No space left on device; it could not be kept in $T/none either \(No such file or directory\)" \
	"/dev/full, nowhere to keep it: says both"

# An output or report that cannot be written: the workload never starts.
not_started() { # not_started DESCRIPTION REGEX SCWRAP-ARGS...
	local d=$1 re=$2 st err; shift 2
	rm -f "$T/started"
	err=$("$SCWRAP" -q "$@" -- "$W" ready "$T/started" 2>&1); st=$?
	like "$st:$err" "^125:scwrap: $re" "$d: exit 125, one line"
	check "$d: the workload did not start" -- test ! -e "$T/started"
}
not_started "--report in a missing directory" '.*cannot write .*/no/r\.json' \
	-o "$T/r.json" --report "$T/no/r.json"
not_started "-o in a missing directory, --report fine" '.*cannot write .*/no/p\.json' \
	-o "$T/no/p.json" --report "$T/r.json"
check "... and the report that could be written is not left" -- test ! -e "$T/r.json"

# --- broken profiles as input -------------------------------------------------
# A baseline (or the profile scwrap check runs under) that is truncated,
# invalid or not a profile: a clear error naming it, the file untouched, the
# old output untouched, the workload not started.
good=$TESTS_SRCDIR/fixtures/profiles/moby-profiles_default.json
mkdir "$T/bad"
head -c 3000 "$good" > "$T/bad/truncated.json"
: > "$T/bad/empty.json"
printf '{"defaultAction": 5}\n' > "$T/bad/wrongtype.json"
printf '[]\n' > "$T/bad/array.json"
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["no_such_call_at_all"],"action":"SCMP_ACT_BOGUS"}]}\n' > "$T/bad/action.json"
head -c 2000 /dev/urandom > "$T/bad/binary.json"
mkdir "$T/bad/dir.json"
for b in truncated empty wrongtype array action binary dir missing; do
	f=$T/bad/$b.json
	[ -f "$f" ] && cp "$f" "$T/bad/.copy"
	echo old > "$T/out.json"
	rm -f "$T/started"
	err=$("$SCWRAP" -q --baseline "$f" -o "$T/out.json" -- "$W" ready "$T/started" 2>&1); st=$?
	lines=$(printf '%s\n' "$err" | wc -l)
	like "$st:$lines:$err" "^125:1:scwrap: .*$f" "--baseline $b: exit 125, one line naming the file"
	check "--baseline $b: the workload did not start, the output is untouched" -- \
		sh -c "test ! -e '$T/started' && test \"\$(cat '$T/out.json')\" = old"
	rm -f "$T/started"
	err=$("$SCWRAP" check "$f" -- "$W" ready "$T/started" 2>&1); st=$?
	like "$st:$err" "^125:scwrap: .*$f" "check $b: exit 125, naming the file"
	check "check $b: the workload did not start" -- test ! -e "$T/started"
	if [ -f "$f" ]; then
		check "$b: the file itself is untouched" -- cmp -s "$f" "$T/bad/.copy"
	fi
done
echo old > "$T/out.json"
err=$("$SCWRAP" merge -o "$T/out.json" "$good" "$T/bad/truncated.json" 2>&1); st=$?
like "$st:$err" "^125:scwrap: .*truncated\.json" "merge with a truncated input: exit 125, naming it"
is "$(cat "$T/out.json")" old "merge with a truncated input: the output untouched"

# --- many processes, concurrent exec ------------------------------------------
# 3000 processes, 200 alive at a time: all followed and counted; scwrap's
# memory is that of the processes alive at once, not of all it has seen.
maxrss() { # maxrss COMMAND...: "STATUS KIB" of COMMAND, reaped with wait4
	python3 -c 'import os,sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, st, ru = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(st), ru.ru_maxrss)' "$@"
}
read -r st300 rss300 < <(maxrss "$SCWRAP" -q -o "$T/w300.json" -- "$W" forks 300 200)
err=$("$SCWRAP" -o "$T/w3000.json" -- "$W" forks 3000 200 2>&1); st=$?
is "$st" 0 "3000 processes, 200 at a time: exit 0"
like "$err" 'scwrap: +3001 +[0-9]+ +[0-9]+ +total' "3001 processes counted"
read -r st3000 rss3000 < <(maxrss "$SCWRAP" -q -o "$T/w3000.json" -- "$W" forks 3000 200)
diag "peak RSS: $rss300 KiB for 300 processes, $rss3000 KiB for 3000"
ok $(( st300 != 0 || st3000 != 0 || rss3000 > rss300 + 1024 )) \
	"peak memory for 3000 processes within 1 MiB of that for 300"

# Six threads exec at once: one wins, the kernel kills the rest mid-call.
# The new image is recorded, its status is the workload's, nothing hangs.
true_path=$(type -P true)
bad=0
for i in $(seq 20); do
	err=$(timeout 30 "$SCWRAP" -o "$T/ex.json" -- "$W" exec-threads 6 "$true_path" 2>&1); st=$?
	if [ "$st" -ne 0 ] || ! printf '%s\n' "$err" | grep -q "$(readlink -f "$true_path")" ||
		! valid_profile "$T/ex.json"; then
		bad=$((bad + 1)); diag "run $i: exit $st: $err"
	fi
done
ok "$bad" "6 threads exec at once, 20 runs: exit 0, the new image recorded, the profile whole"
like "$err" 'scwrap: +1 +[0-9]+ +[0-9]+ +total' "... still one process"

# --- the notify backend: the same signals, statuses and faults -----------------
if "$SCWRAP" -b notify -q -o "$T/np.json" -- true 2>/dev/null; then
	for sig in TERM HUP INT; do
		signal_at_random notify $sig 25 20
	done
	signal_as_it_starts notify
	killed_workload notify
	not_started "notify: -o in a missing directory" '.*cannot write .*/no/p\.json' \
		-b notify -o "$T/no/p.json"
	err=$("$SCWRAP" -b notify -o "$T/nw.json" -- "$W" forks 3000 200 2>&1); st=$?
	is "$st" 0 "notify: 3000 processes, 200 at a time: exit 0"
	like "$err" 'scwrap: +3001 +[0-9]+ +[0-9]+ +total' "notify: 3001 processes counted"
	bad=0
	for i in $(seq 20); do
		err=$(timeout 30 "$SCWRAP" -b notify -o "$T/nex.json" -- "$W" exec-threads 6 "$true_path" 2>&1); st=$?
		if [ "$st" -ne 0 ] || ! printf '%s\n' "$err" | grep -q "$(readlink -f "$true_path")" ||
			! valid_profile "$T/nex.json"; then
			bad=$((bad + 1)); diag "run $i: exit $st: $err"
		fi
	done
	ok "$bad" "notify: 6 threads exec at once, 20 runs: exit 0, the new image recorded, the profile whole"
else
	skip 12 "the kernel has no seccomp user notification with CONTINUE"
fi

# --- the audit backend ---------------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v auditctl >/dev/null && auditctl -s >/dev/null 2>&1 &&
	grep -qw log /proc/sys/kernel/seccomp/actions_logged; then
	# audit-live.sh changes the kernel's audit state: take turns with it.
	exec 9>"${TMPDIR:-/tmp}/scwrap-audit-live.lock"
	flock -w 600 9 || diag "waited 10 minutes for the audit lock; going on"
	pgrep -x auditd >/dev/null || start_daemon auditd || diag "cannot start auditd"
	for sig in TERM HUP INT; do
		signal_at_random audit $sig 8 12
	done
	signal_as_it_starts audit
	killed_workload audit
	not_started "audit: -o in a missing directory" '.*cannot write .*/no/p\.json' \
		-b audit -o "$T/no/p.json"
	err=$(timeout 60 "$SCWRAP" -b audit -o "$T/aex.json" -- "$W" exec-threads 6 "$true_path" 2>&1); st=$?
	is "$st:$(printf '%s\n' "$err" | grep -c " $(readlink -f "$true_path")\$")" 0:1 \
		"audit: 6 threads exec at once: exit 0, the new image recorded"
else
	skip 9 "the audit backend needs root, auditctl and a kernel that logs SCMP_ACT_LOG"
fi
done_testing
