# engines-lib.sh - the real container engines for the tests: docker
# (dockerd 20.10), podman 4.3 (crun or runc) and containerd 1.6 (ctr), each
# with private roots under the test's $T, started by the test itself and
# stopped when it ends; an image built offline from a small rootfs.
# Source after lib.sh.  Recipes: ../shared DESIGN-NOTES, "Container
# runtimes on these machines".
#
#   engines_rootfs                   $ER: a rootfs with the static busybox
#   engines_rootfs_add PROG [NAME]   copy PROG and the libraries it loads
#   engines_image                    import $ER as $ENGINE_IMAGE (docker,
#                                    podman) once the daemons are up
#   engine_start_docker | engine_start_containerd   (skip_all if they fail)
#   engine_docker_run PROFILE [OPT... --] CMD...
#   engine_podman_run RUNTIME PROFILE [OPT... --] CMD...
#   engine_ctr_run PROFILE [OPT... --] CMD...
#
# PROFILE is a seccomp profile file, or "unconfined".  The run helpers set
# $out, $err and $st (the container's exit status, or the engine's); OPTs
# go to the engine's run command (--init, --security-opt
# no-new-privileges; ctr: --allow-new-privs).  Every run has a time limit.
#
# Daemons start with no descriptor but 0, 1 and 2 (start_daemon), so that
# nothing they leave behind holds a pipe or lock of the test's.

require_root
require_cmd jq unshare timeout

E=$T/e
mkdir -p "$E"
ER=$E/rootfs
ENGINE_IMAGE=scwrap-engines:test
ENGINE_TIMEOUT=${ENGINE_TIMEOUT:-120}
# Debian's docker.io client: a newer one (/usr/local/bin) may come first.
DOCKER_BIN=${DOCKER_BIN:-/usr/bin/docker}
_engine_pids=""

# _engine_up CMD...: CMD succeeds (quietly).
_engine_up() { "$@" >/dev/null 2>&1; }

# _engine_stop PIDFILE: TERM the daemon, wait until it is gone (it stops
# its containers first), KILL it after 30 s.
_engine_stop() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	wait_for 30 sh -c '! kill -0 "$1"' sh "$pid" || kill -9 "$pid" 2>/dev/null
	return 0
}
_engines_cleanup() {
	local p
	for p in $_engine_pids; do _engine_stop "$p"; done
	# vfs and overlay layers may still be mounted under $E.
	grep -o " $E/[^ ]*" /proc/self/mounts 2>/dev/null | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	return 0
}
at_exit _engines_cleanup

# engines_rootfs: $ER, a rootfs holding the static busybox as /bin/busybox
# with its applets linked in /bin, the usual empty directories, and a
# /etc/passwd for root.  Sets BB to the host's static busybox: a command
# recorded on the host with "$BB" makes in the container the calls it made
# on the host.
engines_rootfs() {
	local a
	BB=$(command -v busybox 2>/dev/null || true)
	[ -n "$BB" ] || skip_all "busybox is not installed (Debian: busybox-static)"
	BB=$(readlink -f "$BB")
	mkdir -p "$ER/bin" "$ER/proc" "$ER/dev" "$ER/sys" "$ER/etc" "$ER/tmp" \
		"$ER/root" "$ER/run" "$ER/var" || exit 1
	cp "$BB" "$ER/bin/busybox" || exit 1
	chroot "$ER" /bin/busybox true 2>/dev/null ||
		skip_all "$BB is not a static busybox (Debian: busybox-static)"
	for a in $("$BB" --list); do
		[ -e "$ER/bin/$a" ] || ln -s busybox "$ER/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$ER/etc/passwd"
	echo 'root:x:0:' >"$ER/etc/group"
}

# engines_rootfs_add PROG [NAME]: copy PROG into $ER as /bin/NAME (its
# own name by default) with every library ldd says it loads, at the same
# paths: the container then runs the host's program on the host's libc.
engines_rootfs_add() {
	local prog=$1 name=${2:-${1##*/}} lib
	cp "$prog" "$ER/bin/$name" || exit 1
	for lib in $(ldd "$prog" 2>/dev/null | grep -oE '/[^ ]+'); do
		[ -e "$ER$lib" ] && continue
		mkdir -p "$ER${lib%/*}" && cp -L "$lib" "$ER$lib" || exit 1
	done
}

# _engine_args "$@": split [OPT... --] CMD... into _eopts and _ecmd.
_engine_args() {
	_eopts=() _ecmd=()
	local a seen=
	for a in "$@"; do [ "$a" = -- ] && seen=1; done
	if [ -n "$seen" ]; then
		while [ "$1" != -- ]; do _eopts+=("$1"); shift; done
		shift
	fi
	_ecmd=("$@")
}

# _engine_result FILE-PREFIX: $out, $err from the files.
_engine_result() {
	out=$(cat "$1.out")
	err=$(cat "$1.err")
}

# --- docker -----------------------------------------------------------

DOCKER_SOCK=$E/docker.sock
edocker() { timeout "$ENGINE_TIMEOUT" "$DOCKER_BIN" -H "unix://$DOCKER_SOCK" "$@"; }

# engine_start_docker: dockerd with its data, exec root, socket and
# containerd under $E; no network (no bridge, no iptables), vfs storage;
# $DOCKER_DAEMON_JSON, when set, is its daemon.json (runtimes, say).
engine_start_docker() {
	require_cmd dockerd "$DOCKER_BIN"
	mkdir -p "$E/docker"
	echo "${DOCKER_DAEMON_JSON:-{\}}" >"$E/docker/daemon.json"
	start_daemon dockerd --config-file "$E/docker/daemon.json" \
		--iptables=false --ip-masq=false --ip6tables=false --bridge=none \
		--storage-driver=vfs -H "unix://$DOCKER_SOCK" \
		--data-root "$E/docker/data" --exec-root "$E/docker/exec" \
		--pidfile "$E/docker/pid" </dev/null >"$E/docker/log" 2>&1 &
	_engine_pids="$_engine_pids $E/docker/pid"
	if ! wait_for 60 _engine_up edocker version; then
		diag "$(tail -n 5 "$E/docker/log")"
		skip_all "dockerd did not start (log above)"
	fi
}

# engine_docker_run PROFILE [OPT... --] CMD...: docker run --rm under
# PROFILE.
_n_engine=0
engine_docker_run() {
	local prof=$1 f
	shift
	_engine_args "$@"
	_n_engine=$((_n_engine + 1))
	f=$E/run-$_n_engine
	edocker run --rm --network none --security-opt "seccomp=$prof" \
		"${_eopts[@]}" "$ENGINE_IMAGE" "${_ecmd[@]}" </dev/null >"$f.out" 2>"$f.err"
	st=$?
	_engine_result "$f"
}

# --- podman -----------------------------------------------------------

# epodman RUNTIME ARGS...: podman with its root, run root and tmp dir under
# $E.  crun 1.8.1 refuses this machine's hybrid cgroup layout: as in
# runc-lib.sh, podman then runs in a private mount namespace where the
# unified hierarchy's cgroup.controllers reads empty.  The host's mounts
# are untouched.
: >"$E/empty"
epodman() {
	local rt=$1
	shift
	timeout "$ENGINE_TIMEOUT" unshare -m --propagation private sh -c '
		c=/sys/fs/cgroup/unified/cgroup.controllers
		[ "$1" = crun ] && grep -q . "$c" 2>/dev/null && mount --bind "$2" "$c"
		shift 2
		exec "$@"' sh "$rt" "$E/empty" \
		podman --root "$E/podman/root" --runroot "$E/podman/run" \
		--tmpdir "$E/podman/tmp" --storage-driver vfs --cgroup-manager cgroupfs \
		--events-backend file --runtime "$rt" "$@"
}

# engine_podman_run RUNTIME PROFILE [OPT... --] CMD...: podman run --rm
# with RUNTIME (crun, runc) under PROFILE.
engine_podman_run() {
	local rt=$1 prof=$2 f
	shift 2
	_engine_args "$@"
	_n_engine=$((_n_engine + 1))
	f=$E/run-$_n_engine
	epodman "$rt" run --rm --network none --security-opt "seccomp=$prof" \
		--ulimit nofile=20000:20000 --ulimit nproc=4096:4096 \
		"${_eopts[@]}" "$ENGINE_IMAGE" "${_ecmd[@]}" </dev/null >"$f.out" 2>"$f.err"
	st=$?
	_engine_result "$f"
}

# --- containerd -------------------------------------------------------

CTR_SOCK=$E/containerd/c.sock
CTR_NS=scwrap
ectr() { timeout "$ENGINE_TIMEOUT" ctr -a "$CTR_SOCK" -n "$CTR_NS" "$@"; }

# engine_start_containerd: a standalone containerd (no CRI plugin) with
# its root, state and sockets under $E.
engine_start_containerd() {
	require_cmd containerd ctr
	mkdir -p "$E/containerd"
	cat >"$E/containerd/config.toml" <<EOF
version = 2
root = "$E/containerd/root"
state = "$E/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTR_SOCK"
[ttrpc]
  address = "$CTR_SOCK.ttrpc"
EOF
	start_daemon sh -c 'echo $$ >"$1"; exec containerd --config "$2"' sh \
		"$E/containerd/pid" "$E/containerd/config.toml" \
		</dev/null >"$E/containerd/log" 2>&1 &
	_engine_pids="$_engine_pids $E/containerd/pid"
	if ! wait_for 60 _engine_up ctr -a "$CTR_SOCK" version; then
		diag "$(tail -n 5 "$E/containerd/log")"
		skip_all "containerd did not start (log above)"
	fi
}

# engine_ctr_run PROFILE [OPT... --] CMD...: ctr run --rm on $ER itself
# (--rootfs: no image, no snapshotter) under PROFILE (noNewPrivileges
# true unless OPT has --allow-new-privs); "unconfined" runs without
# --seccomp.
engine_ctr_run() {
	local prof=$1 f
	local -a sec=(--seccomp --seccomp-profile "$prof")
	shift
	[ "$prof" = unconfined ] && sec=()
	_engine_args "$@"
	_n_engine=$((_n_engine + 1))
	f=$E/run-$_n_engine
	ectr run --rm "${sec[@]}" --env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		"${_eopts[@]}" --rootfs "$ER" \
		"scwrap-$$-$_n_engine" "${_ecmd[@]}" </dev/null >"$f.out" 2>"$f.err"
	st=$?
	_engine_result "$f"
}

# engines_image: $ER as $ENGINE_IMAGE in docker (when started) and podman.
engines_image() {
	tar -C "$ER" -cf "$E/rootfs.tar" . || exit 1
	if [ -e "$E/docker/pid" ]; then
		edocker import "$E/rootfs.tar" "$ENGINE_IMAGE" >/dev/null ||
			skip_all "docker import failed"
	fi
	if command -v podman >/dev/null 2>&1; then
		epodman runc import "$E/rootfs.tar" "$ENGINE_IMAGE" >"$E/podman-import.log" 2>&1 ||
			{ diag "$(tail -n 5 "$E/podman-import.log")"; skip_all "podman import failed"; }
	fi
}
