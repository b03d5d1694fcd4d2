#!/bin/bash
# scwrap agent with real runtimes: runc and crun load the recording
# profile, send the container's listener to the agent, and the profile it
# writes is what the container did, runtime calls after the load included
# (the oracle: strace -f of runc run, from the load on).  The profile
# replays in the same runtime and refuses what the container never did.
# Then runc exec, hostile connections, 50 containers at once, SIGTERM and
# SIGKILL of the agent.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C

require_cmd python3 strace
. "$TESTS_SRCDIR/runc-lib.sh"
R=$T/rootfs
busybox_rootfs "$R" "scwrap agent test file"
A=$TESTS_BUILDDIR/argprog
[ -x "$A" ] || skip_all "tests/argprog was not built"
cp "$A" "$R/bin/argprog" || exit 1

plan 62

SOCK=$T/run/agent.sock
OUT=$T/profiles
LOG=$T/agent.log
agent_pid=""

# start_agent ARGS...: an agent on $SOCK writing to $OUT, its lines in
# $LOG; waits until it listens.  Started with no descriptor of the test's
# (spawn), so that it holds no pipe of the harness.
start_agent() {
	: > "$LOG"
	spawn "$SCWRAP" agent --socket="$SOCK" --output-dir="$OUT" "$@" </dev/null >>"$LOG" 2>&1
	agent_pid=$spawn_pid
	wait_for 20 grep -q 'listening on' "$LOG"
}
stop_agent() {
	[ -n "$agent_pid" ] || return 0
	kill -TERM "$agent_pid" 2>/dev/null
	wait "$agent_pid"
	agent_st=$?
	agent_pid=""
}
at_exit stop_agent

# profile_of NAME: wait for the agent to write $OUT/NAME.json.
profile_of() {
	wait_for 20 grep -q "^scwrap agent: $1: profile" "$LOG" && [ -s "$OUT/$1.json" ]
}

rec=$T/recording.json
"$SCWRAP" agent --recording-profile --socket="$SOCK" > "$rec"; st=$?
is "$st" 0 "--recording-profile prints the recording profile"
is "$(jq -r '[.defaultAction, .syscalls[0].action, .listenerPath] | join(" ")' "$rec")" \
	"SCMP_ACT_ALLOW SCMP_ACT_NOTIFY $SOCK" "default allow, every name notified, listenerPath set"
got=$(jq -r '.syscalls[0].names | [index("openat") != null, index("socket") != null,
	index("write") == null, index("rt_sigreturn") == null, length > 300] | map(tostring)
	| join(" ")' "$rec")
is "$got" "true true true true true" "it notifies every name but write and runc init's own"
"$SCWRAP" agent --recording-profile --socket=relative.sock >/dev/null 2>"$T/err"; st=$?
is "$st" 125 "a relative socket path is a usage error"
"$SCWRAP" agent --socket="$SOCK" 2>"$T/err"; st=$?
is "$st:$(cat "$T/err")" \
	"125:scwrap: agent needs --output-dir=DIR; see 'scwrap agent --help'" "--output-dir is needed"

# The same container unconfined, for what it prints.
echo '{"defaultAction": "SCMP_ACT_ALLOW"}' > "$T/allow.json"
run_ctr "$T/allow.json" ls /
unconfined=$out

# --- runc, noNewPrivileges true (runc spec's default) ----------------------
start_agent; ok $? "the agent listens on $SOCK"
is "$(stat -c %a "$SOCK")" 600 "its socket is mode 0600"
CTR_JQ='.linux.seccomp.listenerMetadata = "runc-ls"' run_ctr "$rec" ls /
is "$st:$out" "0:$unconfined" "runc runs ls under the recording profile, output unchanged"
profile_of runc-ls; ok $? "the agent writes runc-ls.json, named from listenerMetadata"
names "$OUT/runc-ls.json" > "$T/runc-ls.names"
like "$(xargs < "$T/runc-ls.names")" '(^| )getdents64 .*execve|execve.*getdents64' \
	"it holds ls's getdents64 and the runtime's execve"
is "$(jq -r '.syscalls[] | select(.names | index("write")) | .comment' "$OUT/runc-ls.json")" \
	"scwrap:agent: not notified while recording, so never seen: runc refuses to notify write, and its init may make the others before its listener is handed over, which would hang it" \
	"write is allowed, and the profile says why"
run_ctr "$OUT/runc-ls.json" ls /
is "$st:$out" "0:$unconfined" "the written profile replays ls in runc"
run_ctr "$OUT/runc-ls.json" argprog unix
is "$st" 1 "a call ls never made (socket) is refused"
like "$err$out" 'Operation not permitted' "with EPERM"

# --- runc, noNewPrivileges false (docker's, podman's, Kubernetes' default) --
nnp_false='.process.noNewPrivileges = false'
CTR_JQ="$nnp_false"' | .linux.seccomp.listenerMetadata = "runc-ls-nnpf"' run_ctr "$rec" ls /
is "$st:$out" "0:$unconfined" "noNewPrivileges false: runc runs ls under the recording profile"
profile_of runc-ls-nnpf; ok $? "its profile is written"
CTR_JQ=$nnp_false run_ctr "$OUT/runc-ls-nnpf.json" ls /
is "$st:$out" "0:$unconfined" "and replays with noNewPrivileges false"
CTR_JQ=$nnp_false run_ctr "$OUT/runc-ls-nnpf.json" argprog unix
is "$st" 1 "and refuses socket"
# runc loads the profile earlier with noNewPrivileges false: more of its
# own calls come after the load (setresgid, capset...).
extra=$(comm -13 "$T/runc-ls.names" <(names "$OUT/runc-ls-nnpf.json") | xargs)
like "$extra" 'capset|setgroups|setres' "with noNewPrivileges false it holds runc's set-id calls too ($extra)"

# --- the oracle: strace -f of runc run, from the load on -------------------
# The thread that loads the filter (seccomp SET_MODE_FILTER with
# NEW_LISTENER, which returns the listener) and whatever it starts after
# that make every call the filter sees; write aside, they are what the
# agent must have recorded, no more and no less.
CTR_JQ='.linux.seccomp.listenerMetadata = "oracle"' \
	STRACE_OUT=$T/strace.txt run_ctr "$rec" ls /
profile_of oracle; ok $? "the oracle's container is recorded"
python3 - "$T/strace.txt" > "$T/oracle.names" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
call = re.compile(r'^(\d+) +([a-z0-9_]+)\(')
res = re.compile(r'^(\d+) +<\.\.\. ([a-z0-9_]+) resumed>.*= (\d+)')
ret = re.compile(r'^(\d+) +([a-z0-9_]+)\(.*\) += (\d+)')
start = None
for i, l in enumerate(lines):
    if not re.search(r'seccomp\(SECCOMP_SET_MODE_FILTER, [^,]*NEW_LISTENER[^,]*, \{len=', l):
        continue
    pid = l.split()[0]
    if re.search(r'= \d+$', l):
        start, pids = i, {pid}
        break
    if l.endswith('<unfinished ...>'):
        for j in range(i + 1, len(lines)):
            if re.match(pid + r' +<\.\.\. seccomp resumed>', lines[j]):
                if re.search(r'= \d+$', lines[j]):
                    start, pids = j, {pid}
                break
    if start is not None:
        break
if start is None:
    sys.exit("no load of a notifying filter in the strace output: " +
             " | ".join(l for l in lines if "NEW_LISTENER" in l or "seccomp resumed" in l)[:3000])
names = set()
for l in lines[start + 1:]:
    m = call.match(l)
    if m and m.group(1) in pids:
        names.add(m.group(2))
    for r in (ret, res):
        m = r.match(l)
        if m and m.group(1) in pids and m.group(2) in ('clone', 'clone3', 'fork', 'vfork'):
            pids.add(m.group(3))
for n in ('write', 'rt_sigreturn', 'futex', 'sched_yield', 'nanosleep', 'mmap', 'munmap', 'madvise'):
    names.discard(n)  # never notified: scwrap agent --help says why
print('\n'.join(sorted(names)))
EOF
ok $? "the oracle finds the load in strace's output" || diag "$(grep -c . "$T/strace.txt") lines"
jq -r '.syscalls[] | select(.comment | startswith("scwrap:recorded")) | .names[]' \
	"$OUT/oracle.json" | sort > "$T/oracle.agent"
diff=$(diff "$T/oracle.names" "$T/oracle.agent" | grep '^[<>]' | xargs)
is "$diff" "" "the agent recorded exactly what strace -f saw after the load"

# run_detached NAME SCRIPT: a container running sh -c SCRIPT in the
# background (runc run -d) under the recording profile, its profile named
# NAME; $id is its id.  Returns once the agent has seen it start.
run_detached() {
	local b=$T/bundle-$1
	id=scwrap-$1-$$
	mkdir -p "$b" && runc spec --bundle "$b"
	jq --arg root "$R" --slurpfile p "$rec" --arg name "$1" --arg script "$2" '
		.root = {path: $root, readonly: true} | .process.terminal = false
		| .process.args = ["sh", "-c", $script] | .linux.seccomp = $p[0]
		| .linux.seccomp.listenerMetadata = $name' \
		"$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
	_ctr_ids="$_ctr_ids $id"
	runc --root "$STATE" run -d --bundle "$b" "$id" </dev/null >/dev/null 2>&1
	wait_for 20 grep -q "^scwrap agent: $1: started" "$LOG"
}

# --- runc exec lands in the same profile ----------------------------------
run_detached execd 'sleep 2'
runc --root "$STATE" exec "$id" /bin/argprog unix >"$T/exec.out" 2>&1; st=$?
is "$st" 0 "runc exec runs in the recorded container (socket allowed while recording)"
like "$(cat "$LOG")" 'execd: another process of the container' "the exec's listener joins the container"
wait_for 20 sh -c "runc --root '$STATE' state '$id' | grep -q stopped"
runc --root "$STATE" delete -f "$id" >/dev/null 2>&1
profile_of execd; ok $? "the container's profile is written when its last listener hangs up"
like "$(names "$OUT/execd.json" | xargs)" '(^| )socket( |$).*(^| )wait4|nanosleep' \
	"it holds the exec's socket and the init's calls"

# --- crun ------------------------------------------------------------------
RUNTIME=crun
CTR_JQ='.linux.seccomp.listenerMetadata = "crun-ls"' run_ctr "$rec" ls /
is "$st:$out" "0:$unconfined" "crun runs ls under the recording profile"
profile_of crun-ls; ok $? "its profile is written"
run_ctr "$OUT/crun-ls.json" ls /
is "$st:$out" "0:$unconfined" "and replays ls in crun"
run_ctr "$OUT/crun-ls.json" argprog unix
is "$st" 1 "and refuses socket in crun"
CTR_JQ="$nnp_false"' | .linux.seccomp.listenerMetadata = "crun-ls-nnpf"' run_ctr "$rec" ls /
is "$st:$out" "0:$unconfined" "crun, noNewPrivileges false, under the recording profile"
profile_of crun-ls-nnpf; ok $? "its profile is written"
CTR_JQ=$nnp_false run_ctr "$OUT/crun-ls-nnpf.json" ls /
is "$st:$out" "0:$unconfined" "and replays with noNewPrivileges false"
RUNTIME=runc

# --- hostile connections: each refused, the agent serves on ----------------
python3 - "$SOCK" <<'EOF'
import json, os, socket, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s
state = json.dumps({"ociVersion": "1.0.2", "fds": ["seccompFd"], "pid": 1,
                    "state": {"id": "x", "status": "creating", "pid": 1}}).encode()
s = conn(); s.sendall(b"\x00garbage{{{"); s.close()
s = conn(); s.sendall(state); s.close()                       # no descriptor
r, w = os.pipe()
s = conn(); socket.send_fds(s, [state], [r]); s.close()       # not a listener
s = conn(); socket.send_fds(s, [state], [r, w]); s.close()    # two descriptors
s = conn()
try:
    s.sendall(b"[" * (70 * 1024))                             # too long
except OSError:
    pass
s.close()
bad = json.dumps({"fds": ["seccompFd"], "state": {"id": "a\nb"}}).encode()
s = conn(); socket.send_fds(s, [bad], [r]); s.close()         # control character
stall = conn()                                                # sends nothing
time.sleep(6)
stall.close()
EOF
for why in 'its message is not JSON' 'its message came with no descriptor' \
	'the descriptor it sent is no seccomp listener' 'it sent 2 descriptors' \
	'its message is longer than 65536 bytes' 'its state has no valid container id' \
	'it sent no whole message within 5 seconds'; do
	like "$(cat "$LOG")" "refused a connection from pid [0-9]+: $why" "refused: $why"
done
# The same listener sent twice (no runtime does): served twice, the second
# RECV of one notification would block the agent until that filter's
# last task is gone (here, 4 s later), and every other container with it.
timeout 20 "$TESTS_BUILDDIR/send-listener" "$SOCK" twice 2 4 > "$T/twice.out" &
twice_pid=$!
wait_for 10 grep -q answered "$T/twice.out"; ok $? "a listener sent twice: its call is answered"
got=$(timeout 2 "$TESTS_BUILDDIR/send-listener" "$SOCK" other 1)
is "$got" "answered" "and the agent serves another at once"
wait "$twice_pid"
like "$(cat "$LOG")" "refused a connection from pid [0-9]+: the listener it sent is served already" \
	"the second is refused"
CTR_JQ='.linux.seccomp.listenerMetadata = "../../escape"' run_ctr "$rec" ls /
is "$st:$out" "0:$unconfined" "a container named ../../escape runs"
profile_of _._.._escape; ok $? "its profile stays in the output directory (_._.._escape.json)"
# Where the name taken as a path would have put it: two levels up.
[ ! -e "$OUT/../../escape.json" ] && [ ! -e "$OUT/../escape.json" ]
ok $? "nothing is written outside it"

# --- 50 containers at once, each its own profile ---------------------------
pids=""
for i in $(seq 1 50); do
	mode=unix; [ $((i % 2)) -eq 0 ] && mode=unshare-uts
	_nctr=$((_nctr + 1)) # each in a bundle of its own (run_ctr counts in a subshell)
	CTR_JQ=".linux.seccomp.listenerMetadata = \"load-$i\"" run_ctr "$rec" argprog $mode \
		>/dev/null 2>&1 &
	pids="$pids $!"
done
_nctr=$((_nctr + 1)) # past the last subshell's
wait $pids
n=0 wrong=""
for i in $(seq 1 50); do
	profile_of "load-$i" || { wrong="$wrong load-$i:missing"; continue; }
	got=$(names "$OUT/load-$i.json" | grep -xE 'socket|unshare' | xargs)
	want=socket; [ $((i % 2)) -eq 0 ] && want=unshare
	[ "$got" = "$want" ] && n=$((n + 1)) || wrong="$wrong load-$i:$got"
done
is "$n" 50 "50 containers at once: 50 profiles, each with its own call only${wrong:+ (wrong:$wrong)}"

# --- merged with what is there; another agent refused ----------------------
CTR_JQ='.linux.seccomp.listenerMetadata = "runc-ls"' run_ctr "$rec" argprog unix
wait_for 20 grep -q "runc-ls: profile merged" "$LOG"
ok $? "a second run of runc-ls is merged into its profile" || diag "$(tail -n 3 "$LOG")"
got=$(names "$OUT/runc-ls.json" | grep -xE 'socket|getdents64' | xargs)
is "$got" "getdents64 socket" "which now holds both runs' calls"
"$SCWRAP" agent --socket="$SOCK" --output-dir="$OUT" 2>"$T/err"; st=$?
is "$st" 125 "a second agent on the same socket exits 125"
like "$(cat "$T/err")" "another agent listens on $SOCK" "and says why"
mkdir -m 0777 "$T/open"
"$SCWRAP" agent --socket="$T/open/a.sock" --output-dir="$OUT" 2>"$T/err"; st=$?
is "$st:$(grep -c 'may be written by others' "$T/err")" "125:1" \
	"a socket directory others may write to is refused"

# --- SIGTERM: what open containers recorded, marked partial ----------------
run_detached term 'ls / >/dev/null; sleep 30'
sleep 0.5
stop_agent
is "$agent_st" 0 "SIGTERM: the agent exits 0"
like "$(names "$OUT/term.partial.json" | xargs)" 'getdents64' \
	"what the open container recorded is in term.partial.json"
[ ! -e "$OUT/term.json" ]; ok $? "and not presented as whole (no term.json)"
runc --root "$STATE" kill "$id" KILL >/dev/null 2>&1
runc --root "$STATE" delete -f "$id" >/dev/null 2>&1

# --- SIGKILL mid-run: never a truncated profile ----------------------------
rm -rf "$OUT"
start_agent
pids=""
for i in $(seq 1 12); do
	_nctr=$((_nctr + 1))
	(
		CTR_JQ=".linux.seccomp.listenerMetadata = \"kill-$i\"" run_ctr "$rec" ls -R /
		echo "$st" > "$T/kill-st-$i"
	) >/dev/null 2>&1 &
	pids="$pids $!"
done
wait_for 20 sh -c "grep -c 'profile written' '$LOG' | grep -qv '^0$'"
kill -KILL "$agent_pid"; wait "$agent_pid" 2>/dev/null; agent_pid=""
_nctr=$((_nctr + 1))
wait $pids
bad=""
for f in "$OUT"/*; do
	[ -e "$f" ] || continue
	case $f in *.json) jq -e .syscalls "$f" >/dev/null 2>&1 || bad="$bad ${f##*/}" ;;
	*) bad="$bad ${f##*/}" ;; esac
done
is "$bad" "" "after SIGKILL every file in the output directory is a whole profile"
is "$(cat "$T"/kill-st-* | grep -c '^124$')" 0 \
	"no container hangs when the agent dies (their calls fail with ENOSYS)"

# --- --args: the container's argument values, pinned ----------------------
spawn "$SCWRAP" agent --args --exit-idle --socket="$T/run/args.sock" --output-dir="$T/args" \
	</dev/null >"$T/args.log" 2>&1
args_pid=$spawn_pid
wait_for 20 grep -q 'listening on' "$T/args.log"
"$SCWRAP" agent --recording-profile --socket="$T/run/args.sock" --metadata=args > "$T/rec-args.json"
run_ctr "$T/rec-args.json" argprog unix
wait "$args_pid"
is "$st:$?:$(jq -c '[.syscalls[] | select(.names == ["socket"]) | .args[0] | .index, .value]' "$T/args/args.json")" \
	"0:0:[0,1]" "--args: the agent pins socket to the domain the container used (AF_UNIX)"
run_ctr "$T/args/args.json" argprog unix
is "$st" 0 "the pinned profile lets socket(AF_UNIX) through"
run_ctr "$T/args/args.json" argprog inet
is "$st" 1 "and refuses socket(AF_INET)"

# --- --exit-idle -----------------------------------------------------------
start_agent --exit-idle
CTR_JQ='.linux.seccomp.listenerMetadata = "idle"' run_ctr "$rec" ls /
wait "$agent_pid"; st=$?; agent_pid=""
is "$st" 0 "--exit-idle: the agent exits 0 once its container is written"
[ -s "$OUT/idle.json" ] && [ ! -e "$SOCK" ]; ok $? "the profile is there and the socket gone"

done_testing
