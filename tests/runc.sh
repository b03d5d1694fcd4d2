#!/bin/bash
# A recorded profile works in a real runtime: record `busybox ls /` on the
# host, put the profile (plus what runc itself does after loading it) into a
# runc bundle whose rootfs holds the same static busybox, and check that ls
# runs in the container while cat, which needs a syscall ls never made, is
# refused with EPERM; a control run that also allows that syscall succeeds,
# so the refusal comes from the profile and not from the setup.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C

require_root
require_cmd runc jq python3
require_ptrace
BB=$(command -v busybox 2>/dev/null || true)
[ -n "$BB" ] || { [ -x /bin/busybox ] && BB=/bin/busybox; }
[ -n "$BB" ] || skip_all "busybox is not installed (Debian: busybox-static)"
BB=$(readlink -f "$BB")

# What runc 1.1.5 does itself after it loads the profile, up to and including
# its final execve of the container's process.  The profile must allow these
# or runc fails before the workload starts.
# Measured on this project's machine (Debian 12, runc 1.1.5+ds1, kernel 6.18),
# two ways:
#  - strace -f of `runc run`, 30 runs: the syscalls of the runc:[2:INIT]
#    thread after its prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ...) (runc
#    loads the filter with prctl, so without TSYNC: only that locked thread
#    and what it execs are filtered) up to execve: close epoll_ctl execve
#    fstatfs getdents64 getpid openat write, and futex in 29 of 30;
#  - config.json with the recorded `ls` profile but defaultAction
#    SCMP_ACT_LOG, auditd started by hand, about 1100 runs (half of them on a
#    CPU saturated by busy loops), then the type=SECCOMP records of
#    comm="runc:[2:INIT]" in audit.log: fstatfs, epoll_ctl and getpid in
#    every run, futex in 278 (it is timing-dependent: Go's runtime wakes
#    other threads), rt_sigreturn in 96 (Go's SIGURG preemption signal landed
#    on the thread while it ran Go code); nothing else.
# futex and rt_sigreturn stay although not in every run: Go's futexwakeup
# throws when futex fails, and a handler whose rt_sigreturn fails cannot
# return.  Without fstatfs runc fails ("ensure /proc/self/fd is on procfs",
# seen here); without openat, "open exec fifo" (DESIGN-NOTES).  runc survives
# EPERM from getpid and epoll_ctl here, but makes them in every run.
# nanosleep and sched_yield were seen only in runc's other, unfiltered
# threads; they are kept as cheap insurance for the same timing reasons.
# read and sendfile must never be here: the cat checks below depend on it.
# Issue 4 (scwrap --container) will replace this hand-kept list.
RUNC_SYSCALLS="close epoll_ctl execve fstatfs futex getdents64 getpid nanosleep openat rt_sigreturn sched_yield write"

# The rootfs: the static busybox and a few applet links, read-only in the
# container.  One rootfs, one bundle directory per container.
R=$T/rootfs
mkdir -p "$R/bin" "$R/proc" "$R/dev" "$R/sys" "$R/etc" "$R/tmp" "$R/root" "$R/run" || exit 1
cp "$BB" "$R/bin/busybox" || exit 1
for a in sh ls cat; do ln -s busybox "$R/bin/$a"; done
echo "scwrap runc test file" > "$R/etc/scwrap-test"
# Static or not: a dynamic busybox cannot run in a rootfs with no libc.
chroot "$R" /bin/busybox true 2>/dev/null ||
	skip_all "$BB is not a static busybox (Debian: busybox-static)"

STATE=$T/runc-state
mkdir -p "$STATE"
ids=""
cleanup_containers() {
	local id
	for id in $ids; do
		runc --root "$STATE" delete -f "$id" >/dev/null 2>&1
	done
	return 0
}
at_exit cleanup_containers

plan 15

# profile_with IN OUT NAMES...: IN's allow rule plus NAMES.
profile_with() {
	local in=$1 out=$2; shift 2
	jq --arg add "$*" '
		.syscalls[0].names = ((.syscalls[0].names + ($add | split(" ") | map(select(. != "")))) | unique)
	' "$in" > "$out"
}

# run_ctr PROFILE ARGS...: run ARGS in a fresh container under PROFILE;
# sets $out, $err and $st.
nctr=0
run_ctr() {
	local prof=$1 b id; shift
	nctr=$((nctr + 1))
	b=$T/bundle-$nctr
	id=scwrap-test-$$-$nctr
	mkdir -p "$b"
	runc spec --bundle "$b" || { st=125; out=; err="runc spec failed"; return; }
	jq --arg root "$R" --slurpfile p "$prof" --args '
		.root = {path: $root, readonly: true}
		| .process.terminal = false
		| .process.args = $ARGS.positional
		| .hostname = "scwrap-test"
		| .linux.seccomp = $p[0]
	' "$@" < "$b/config.json" > "$b/config.json.new" &&
		mv "$b/config.json.new" "$b/config.json"
	ids="$ids $id"
	timeout 60 runc --root "$STATE" run --bundle "$b" "$id" \
		</dev/null >"$b/out" 2>"$b/err"
	st=$?
	out=$(cat "$b/out"); err=$(cat "$b/err")
	runc --root "$STATE" delete -f "$id" >/dev/null 2>&1
}

# Record on the host, with the very binary the rootfs holds.
"$SCWRAP" -q -o "$T/ls.json" -- "$BB" ls / >/dev/null; st=$?
is "$st" 0 "scwrap records busybox ls / on the host"
got=$("$SCWRAP" -q -o "$T/cat.json" -- "$BB" cat "$R/etc/scwrap-test" | cat)
is "$got" "scwrap runc test file" "scwrap records busybox cat on the host"

# What cat needs that ls does not.  busybox cat copies with sendfile (and
# falls back to read when sendfile fails); ls makes neither call: it opens,
# stats, getdents64s and writes.  Under the ls profile both sendfile and the
# read fallback get EPERM, and cat says "read error: Operation not permitted".
names "$T/ls.json" > "$T/ls.names"
names "$T/cat.json" > "$T/cat.names"
missing=$(comm -13 "$T/ls.names" "$T/cat.names" | xargs)
like "$missing" '(^| )sendfile( |$)' "cat needs sendfile, ls does not (cat lacks: $missing)"
printf '%s\n' $RUNC_SYSCALLS | sort -u > "$T/runc.names"
both=$(comm -12 "$T/runc.names" <(printf '%s\n' $missing read sendfile | sort -u) | xargs)
is "$both" "" "the runc list allows neither read, sendfile nor what cat lacks"

profile_with "$T/ls.json" "$T/ctr.json" $RUNC_SYSCALLS
jq -e '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1' "$T/ctr.json" >/dev/null
ok $? "the container profile denies everything else with EPERM"

# ls / in the container, under the profile.
run_ctr "$T/ctr.json" ls /
is "$st" 0 "ls / in the container under the recorded profile: exit 0"
[ "$st" -eq 0 ] || diag "runc stderr: $err"
like "$out" '^bin$' "its output lists bin"
like "$out" '^etc$' "its output lists etc"
like "$out" '^proc$' "its output lists proc"

# cat under the same profile: refused.
run_ctr "$T/ctr.json" cat /etc/scwrap-test
[ "$st" -ne 0 ]; ok $? "cat in the container under the same profile fails (exit $st)"
like "$out$err" 'Operation not permitted' "cat reports Operation not permitted"
unlike "$out" 'scwrap runc test file' "cat printed nothing of the file"
unlike "$err" 'runc|container_linux|exec fifo|procfs' "the failure is cat's own, not runc's"
[ "$st" -ne 0 ] && diag "cat said: $out$err"

# Control: the same profile plus what cat lacks.  Succeeds, so the refusal
# above came from the profile and not from the bundle.
profile_with "$T/ctr.json" "$T/ctr-cat.json" $missing
run_ctr "$T/ctr-cat.json" cat /etc/scwrap-test
is "$st" 0 "control: cat with $missing also allowed: exit 0"
[ "$st" -eq 0 ] || diag "runc stderr: $err"
is "$out" "scwrap runc test file" "control: cat prints the file"

done_testing
