#!/bin/bash
# The consumer test (issue 15): profiles recorded on the host with the
# default --container run in every engine and setting, where they print
# what the same commands print unconfined: docker 20.10 (default and
# --security-opt no-new-privileges), podman 4.3 with crun and with runc
# (both settings), containerd 1.6's ctr (noNewPrivileges true, and false
# with --allow-new-privs).  An unrecorded call is refused; docker and
# podman --init run with the tini and catatonit lists; a -F k8s profile
# (its spec, as the Security Profiles Operator puts it on the node) and
# --args profiles run the same.  Then README's table of engines, settings
# and the --container value each needs is run row by row.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C
require_ptrace
require_cmd python3
. "$TESTS_SRCDIR/engines-lib.sh"
W=$TESTS_BUILDDIR/workload
A=$TESTS_BUILDDIR/argprog
[ -x "$W" ] && [ -x "$A" ] || skip_all "tests/workload and tests/argprog were not built"
python3 -c 'import yaml' 2>/dev/null || skip_all "python3-yaml is not installed"
cd "$T" || exit 1

# The rootfs: the host's static busybox, also at its host path, so that a
# command names the same program on both sides; so is the threaded and
# forking workload, with the host's libc; the static --args program.
engines_rootfs
mkdir -p "$ER${BB%/*}" && ln -sf /bin/busybox "$ER$BB" || exit 1
engines_rootfs_add "$W" workload
mkdir -p "$ER${W%/*}" && ln -sf /bin/workload "$ER$W" || exit 1
cp "$A" "$ER/bin/argprog" || exit 1
engine_start_docker
engine_start_containerd
engines_image

# The workloads, by name: each runs as is on the host and in the rootfs.
declare -A cmd
cmd[pipeline]="$BB sh -c '$BB seq 1 200 | $BB sort -rn | $BB head -n 3'"
cmd[threads]="$W threads 8"
cmd[forks]="$W forks 40 4"
names="pipeline threads forks"

# The settings: a name, and how to run in it (a helper and its options).
settings="docker docker-nnp podman-crun podman-crun-nnp podman-runc podman-runc-nnp ctr ctr-anp"
# run_in SETTING PROFILE [OPT...] -- CMD...: one container.
run_in() {
	local s=$1 p=$2
	shift 2
	case $s in
	docker) engine_docker_run "$p" "$@" ;;
	docker-nnp) engine_docker_run "$p" --security-opt no-new-privileges "$@" ;;
	podman-crun) engine_podman_run crun "$p" "$@" ;;
	podman-crun-nnp) engine_podman_run crun "$p" --security-opt no-new-privileges "$@" ;;
	podman-runc) engine_podman_run runc "$p" "$@" ;;
	podman-runc-nnp) engine_podman_run runc "$p" --security-opt no-new-privileges "$@" ;;
	ctr) engine_ctr_run "$p" "$@" ;;
	ctr-anp) engine_ctr_run "$p" --allow-new-privs "$@" ;;
	esac
}

# Record on the host, with the default --container; and what each prints
# unconfined, run on the host (the same program and libc).
for n in $names; do
	eval "\"$SCWRAP\" -q --container -o $n.json -- ${cmd[$n]}" >"$n.host" 2>/dev/null; st=$?
	is "$st" 0 "record $n on the host with --container"
done

# argv_of NAME: the workload's argv, one a line.
argv_of() { eval "set -- ${cmd[$1]}"; printf '%s\n' "$@"; }

for s in $settings; do
	for n in $names; do
		mapfile -t argv < <(argv_of "$n")
		run_in "$s" unconfined -- "${argv[@]}"
		want_st=$st want=$out
		if [ "$want_st" -ne 0 ]; then
			ok 1 "$s: $n runs unconfined (exit $want_st)"; diag "$err"
			continue
		fi
		run_in "$s" "$T/$n.json" -- "${argv[@]}"
		is "$st:$out" "$want_st:$want" "$s: $n under its profile prints what it prints unconfined"
		[ "$st" -eq 0 ] || diag "$s said: $err"
	done
	# A call the pipeline never made (mkdir) is refused.
	run_in "$s" "$T/pipeline.json" -- "$BB" mkdir /tmp/scwrap-refused
	[ "$st" -ne 0 ]; ok $? "$s: mkdir under the pipeline's profile fails (exit $st)"
	like "$err" 'Operation not permitted' "$s: with Operation not permitted"
done
is "$(cat pipeline.host)" "$(printf '200\n199\n198')" "the pipeline's output on the host, for the record"

# --init: docker's tini and podman's catatonit run under the profile.
"$SCWRAP" -q --container --container=tini,catatonit -o init.json -- "$BB" sh -c "$BB echo init ok" >/dev/null
"$SCWRAP" -q --container -o noinit.json -- "$BB" sh -c "$BB echo init ok" >/dev/null
for s in docker docker-nnp podman-crun podman-crun-nnp podman-runc podman-runc-nnp; do
	run_in "$s" "$T/init.json" --init -- "$BB" sh -c "$BB echo init ok"
	is "$st:$out" "0:init ok" "$s --init: runs with --container=...,tini,catatonit"
	[ "$st" -eq 0 ] || diag "$s said: $err"
done
run_in docker "$T/noinit.json" --init -- "$BB" sh -c "$BB echo init ok"
[ "$st" -ne 0 ]; ok $? "control: docker --init without tini's list fails (exit $st)"
run_in podman-crun "$T/noinit.json" --init -- "$BB" sh -c "$BB echo init ok"
[ "$st" -ne 0 ]; ok $? "control: podman --init without catatonit's list fails (exit $st)"

# -F k8s: the spec of the SeccompProfile, as JSON on the node.
eval "\"$SCWRAP\" -q --container -F k8s -o pipeline.yaml -- ${cmd[pipeline]}" >/dev/null
python3 -c 'import json, sys, yaml
json.dump(yaml.safe_load(open(sys.argv[1]))["spec"], open(sys.argv[2], "w"))' \
	pipeline.yaml k8s.json
mapfile -t argv < <(argv_of pipeline)
for s in $settings; do
	run_in "$s" "$T/k8s.json" -- "${argv[@]}"
	is "$st:$out" "0:$(printf '200\n199\n198')" "$s: the -F k8s profile's spec runs the pipeline"
	[ "$st" -eq 0 ] || diag "$s said: $err"
done

# --args: AF_UNIX through, AF_INET refused.
"$SCWRAP" -q --args --container -o args.json -- "$ER/bin/argprog" unix >/dev/null
for s in $settings; do
	run_in "$s" "$T/args.json" -- /bin/argprog unix
	is "$st:$out" "0:argprog: socket AF_UNIX: ok" "$s: the --args profile lets AF_UNIX through"
	[ "$st" -eq 0 ] || diag "$s said: $err"
	run_in "$s" "$T/args.json" -- /bin/argprog inet
	like "$st:$err" '^1:.*socket AF_INET: Operation not permitted' "$s: and refuses AF_INET"
done

# README's table: each row's engine and options, with a profile made with
# the row's --container value, runs the pipeline.
rows=$(sed -n '/^<!-- engines table -->/,/^<!-- end engines table -->/p' "$TESTS_SRCDIR/../README.md" |
	grep '^| [a-z]')
[ "$(printf '%s\n' "$rows" | grep -c .)" -ge 8 ]; ok $? "README has the engines table"
while IFS='|' read -r _ engine opts value _; do
	[ -n "$engine" ] || continue
	local_opts=$(printf '%s' "$opts" | grep -oE '`[^`]+`' | tr -d '`')
	val=$(printf '%s' "$value" | grep -oE '`--container[^`]*`' | head -n 1 | tr -d '`')
	engine=$(printf '%s' "$engine" | sed 's/^ *//; s/ *$//')
	case $engine in
	"docker 20.10") h=(engine_docker_run) ;;
	"podman 4.3") h=(engine_podman_run crun) ;;
	"podman 4.3 --runtime runc") h=(engine_podman_run runc) ;;
	"ctr 1.6") h=(engine_ctr_run) ;;
	*) ok 1 "README row of an engine this test does not know: $engine"; continue ;;
	esac
	eval "\"$SCWRAP\" -q $val -o row.json -- ${cmd[pipeline]}" >/dev/null 2>&1
	# shellcheck disable=SC2086
	"${h[@]}" "$T/row.json" $local_opts -- "${argv[@]}"
	is "$st:$out" "0:$(printf '200\n199\n198')" \
		"README: $engine ${local_opts:-(default)} with $val runs the pipeline"
	[ "$st" -eq 0 ] || diag "said: $err"
done <<<"$rows"
# And smaller values do not do (issue 15): each fails where the table says
# it needs more.
for c in "docker runc-nnp" "podman-crun runc" "docker crun" "ctr-anp runc-nnp"; do
	set -- $c
	eval "\"$SCWRAP\" -q --container=$2 -o small.json -- ${cmd[pipeline]}" >/dev/null 2>&1
	run_in "$1" "$T/small.json" -- "${argv[@]}"
	[ "$st" -ne 0 ]; ok $? "control: $1 does not start with --container=$2 (exit $st)"
done

done_testing
