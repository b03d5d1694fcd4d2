# runc-lib.sh - containers for the tests that replay profiles in a real
# OCI runtime.  Source after lib.sh, with RUNTIME set to runc (the default)
# or crun: runc_rootfs DIR makes a rootfs skeleton; run_ctr PROFILE ARGS...
# runs one container.  CTR_JQ, when set, is a jq filter applied to
# config.json too (capabilities, say).

RUNTIME=${RUNTIME:-runc}
require_root
require_cmd runc "$RUNTIME" jq unshare

STATE=$T/runc-state
mkdir -p "$STATE"
_ctr_ids=""
_cleanup_containers() {
	local id
	for id in $_ctr_ids; do
		"$RUNTIME" --root "$STATE" delete -f "$id" >/dev/null 2>&1
	done
	return 0
}

# rt_run BUNDLE ID: the runtime's `run`.  crun 1.8.1 refuses a hybrid
# cgroup layout whose unified hierarchy has controllers (this project's
# machines: "cgroups in hybrid mode not supported"); it runs in a private
# mount namespace where that file reads empty, without cgroups of its own.
# The host's mounts are untouched.
: > "$T/empty"
rt_run() {
	if [ "$RUNTIME" = crun ]; then
		timeout 60 unshare -m --propagation private sh -c '
			c=/sys/fs/cgroup/unified/cgroup.controllers
			grep -q . "$c" 2>/dev/null && mount --bind "$1" "$c"
			exec crun --cgroup-manager=disabled --root "$2" run --bundle "$3" "$4"' \
			sh "$T/empty" "$STATE" "$1" "$2"
	elif [ -n "${STRACE_OUT:-}" ]; then
		# The oracle's view: every call of runc and the container.
		timeout 60 strace -f -qq -o "$STRACE_OUT" runc --root "$STATE" run --bundle "$1" "$2"
	else
		timeout 60 runc --root "$STATE" run --bundle "$1" "$2"
	fi
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
	rt_run "$b" "$id" </dev/null >"$b/out" 2>"$b/err"
	st=$?
	out=$(cat "$b/out"); err=$(cat "$b/err")
	"$RUNTIME" --root "$STATE" delete -f "$id" >/dev/null 2>&1
}

# busybox_rootfs DIR TEXT: BB (set) to the static busybox, and DIR a rootfs
# holding it with sh, ls and cat, and TEXT in /etc/scwrap-test; skips where
# there is no static busybox.
busybox_rootfs() {
	BB=$(command -v busybox 2>/dev/null || true)
	[ -n "$BB" ] || { [ -x /bin/busybox ] && BB=/bin/busybox; }
	[ -n "$BB" ] || skip_all "busybox is not installed (Debian: busybox-static)"
	BB=$(readlink -f "$BB")
	runc_rootfs "$1" || exit 1
	cp "$BB" "$1/bin/busybox" || exit 1
	for a in sh ls cat; do ln -s busybox "$1/bin/$a"; done
	echo "$2" > "$1/etc/scwrap-test"
	# Static or not: a dynamic busybox cannot run in a rootfs with no libc.
	chroot "$1" /bin/busybox true 2>/dev/null ||
		skip_all "$BB is not a static busybox (Debian: busybox-static)"
}
