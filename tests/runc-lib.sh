# runc-lib.sh - containers for the tests that replay profiles in runc.
# Source after lib.sh: runc_rootfs DIR FILE... makes a read-only rootfs of
# static FILEs in DIR/bin (the first is the rootfs's /bin/busybox when it
# is busybox); run_ctr PROFILE ARGS... runs one container.  CTR_JQ, when
# set, is a jq filter applied to config.json too (capabilities, say).

require_root
require_cmd runc jq

STATE=$T/runc-state
mkdir -p "$STATE"
_ctr_ids=""
_cleanup_containers() {
	local id
	for id in $_ctr_ids; do
		runc --root "$STATE" delete -f "$id" >/dev/null 2>&1
	done
	return 0
}
at_exit _cleanup_containers

# runc_rootfs DIR: the skeleton of a rootfs (the caller copies programs in).
runc_rootfs() {
	mkdir -p "$1/bin" "$1/proc" "$1/dev" "$1/sys" "$1/etc" "$1/tmp" "$1/root" "$1/run"
}

# run_ctr PROFILE ARGS...: run ARGS in a fresh container whose rootfs is
# $R, under PROFILE; sets $out, $err and $st.
_nctr=0
run_ctr() {
	local prof=$1 b id; shift
	_nctr=$((_nctr + 1))
	b=$T/bundle-$_nctr
	id=scwrap-test-$$-$_nctr
	mkdir -p "$b"
	runc spec --bundle "$b" || { st=125; out=; err="runc spec failed"; return; }
	jq --arg root "$R" --slurpfile p "$prof" --args '
		.root = {path: $root, readonly: true}
		| .process.terminal = false
		| .process.args = $ARGS.positional
		| .hostname = "scwrap-test"
		| .linux.seccomp = $p[0]
	' "$@" < "$b/config.json" | jq "${CTR_JQ:-.}" > "$b/config.json.new" &&
		mv "$b/config.json.new" "$b/config.json"
	_ctr_ids="$_ctr_ids $id"
	timeout 60 runc --root "$STATE" run --bundle "$b" "$id" \
		</dev/null >"$b/out" 2>"$b/err"
	st=$?
	out=$(cat "$b/out"); err=$(cat "$b/err")
	runc --root "$STATE" delete -f "$id" >/dev/null 2>&1
}
