#!/bin/bash
# scwrap agent behind the real engines: podman (crun and runc) and
# containerd's ctr pass the recording profile's listenerPath to their
# runtime; docker 20.10 drops it, and records through scwrap-runtime, with
# a running agent or one it starts for the container.  Each profile the
# agent writes replays in the same engine, and refuses a call the
# container never made.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C

RUNTIME_BIN=$(dirname "$SCWRAP")/scwrap-runtime
[ -x "$RUNTIME_BIN" ] || skip_all "scwrap-runtime was not built"
A=$TESTS_BUILDDIR/argprog
[ -x "$A" ] || skip_all "tests/argprog was not built"
. "$TESTS_SRCDIR/engines-lib.sh"

SOCK=$E/run/agent.sock
OUT=$E/profiles
OUT2=$E/profiles-own
LOG=$E/agent.log
# docker: the wrapper as a runtime, pointed at the agent; and as another,
# that starts an agent of its own for each container.
DOCKER_DAEMON_JSON=$(jq -n --arg rt "$RUNTIME_BIN" --arg sock "$SOCK" --arg out "$OUT2" '{runtimes: {
	scwrap: {path: $rt, runtimeArgs: ["--scwrap-socket=" + $sock]},
	"scwrap-own": {path: $rt, runtimeArgs: ["--scwrap-output-dir=" + $out]}}}')

engines_rootfs
engines_rootfs_add "$A" argprog
engine_start_docker
engine_start_containerd
engines_image

plan 26

spawn "$SCWRAP" agent --socket="$SOCK" --output-dir="$OUT" </dev/null >"$LOG" 2>&1
agent_pid=$spawn_pid
stop_agent() { kill -TERM "$agent_pid" 2>/dev/null; wait "$agent_pid"; }
at_exit stop_agent
wait_for 20 grep -q 'listening on' "$LOG"; ok $? "the agent listens"

# recording NAME: the recording profile whose containers' profiles are
# named NAME.
recording() {
	"$SCWRAP" agent --recording-profile --socket="$SOCK" --metadata="$1" -o "$E/rec-$1.json" &&
		echo "$E/rec-$1.json"
}
profile_of() {
	wait_for 30 grep -q "^scwrap agent: $1: profile" "$LOG" && [ -s "$OUT/$1.json" ]
}

engine_podman_run crun unconfined -- ls /
unconfined=$out

# record_replay ENGINE-LABEL RUN...: record ls / with RUN (an engine_*_run
# and its leading arguments, the profile last), then replay it and try
# socket(2), which ls never makes.
record_replay() {
	local label=$1 rec; shift
	rec=$(recording "$label")
	"$@" "$rec" -- ls /
	is "$st:$out" "0:$unconfined" "$label: ls / runs under the recording profile"
	profile_of "$label"; ok $? "$label: the agent writes its profile"
	"$@" "$OUT/$label.json" -- ls /
	is "$st:$out" "0:$unconfined" "$label: the profile replays ls /"
	"$@" "$OUT/$label.json" -- argprog unix
	[ "$st" -ne 0 ] && [[ $err$out == *"Operation not permitted"* ]]
	ok $? "$label: and refuses socket, which ls never made (exit $st)"
}

# The engines' run helpers, with the profile first and -- CMD after it,
# as record_replay calls them.
podman_run() { engine_podman_run "$1" "$2" -- "${@:4}"; }
ctr_run() { engine_ctr_run "$1" -- "${@:3}"; }
ctr_anp() { engine_ctr_run "$1" --allow-new-privs -- "${@:3}"; }
p_crun() { podman_run crun "$@"; }
p_runc() { podman_run runc "$@"; }
record_replay podman-crun p_crun
record_replay podman-runc p_runc
record_replay ctr ctr_run
record_replay ctr-anp ctr_anp

# docker 20.10, through scwrap-runtime and the running agent: the
# container's id names its profile.
edocker run --rm --runtime scwrap --network none --cidfile "$E/cid" "$ENGINE_IMAGE" ls / \
	</dev/null >"$E/d.out" 2>"$E/d.err"; st=$?
is "$st:$(cat "$E/d.out")" "0:$unconfined" "docker --runtime scwrap-runtime: ls / runs, recorded"
[ "$st" -eq 0 ] || diag "$(tail -n 3 "$E/d.err")"
id=$(cat "$E/cid" 2>/dev/null)
profile_of "$id"; ok $? "the agent writes the docker container's profile, named by its id"
engine_docker_run "$OUT/$id.json" ls /
is "$st:$out" "0:$unconfined" "it replays in docker with runc"
engine_docker_run "$OUT/$id.json" argprog unix
[ "$st" -ne 0 ]; ok $? "and refuses socket (exit $st)"

# ... and with an agent scwrap-runtime starts for the container alone.
rm -f "$E/cid"
edocker run --rm --runtime scwrap-own --network none --cidfile "$E/cid" "$ENGINE_IMAGE" ls / \
	</dev/null >"$E/d.out" 2>"$E/d.err"; st=$?
is "$st:$(cat "$E/d.out")" "0:$unconfined" "docker --runtime scwrap-own: ls / runs, recorded"
id=$(cat "$E/cid" 2>/dev/null)
wait_for 30 test -s "$OUT2/$id.json"; ok $? "its own agent writes $OUT2/ID.json"
like "$(cat "$OUT2/$id.agent.log" 2>/dev/null)" "$id: profile written" "and logs it beside"
wait_for 30 sh -c "! pgrep -f 'scwra[p] agent --socket=/run/scwrap/runtime/$id.sock' >/dev/null"
ok $? "and exits once the container is written (--exit-idle)"
engine_docker_run "$OUT2/$id.json" ls /
is "$st:$out" "0:$unconfined" "that profile replays in docker"

done_testing
