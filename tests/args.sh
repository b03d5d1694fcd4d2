#!/bin/bash
# --args in a real runtime: a profile recorded from a static program that
# opens an AF_UNIX socket lets AF_UNIX through in runc and refuses AF_INET
# with EPERM, where the plain profile lets both through; the same for a
# namespace flag of unshare; a call the program only probed (ENOSYS) is
# answered ENOSYS under the profile, so its fallback runs.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C

require_ptrace
. "$TESTS_SRCDIR/runc-lib.sh"
A=$TESTS_BUILDDIR/argprog
[ -x "$A" ] || skip_all "tests/argprog was not built"
case $(uname -m) in
x86_64) ;;
*) skip_all "the probe (getpmsg, never implemented) is the x86_64 kernel's" ;;
esac
cd "$T" || exit 1

R=$T/rootfs
runc_rootfs "$R" || exit 1
cp "$A" "$R/bin/argprog" || exit 1
P=$R/bin/argprog
# unshare(CLONE_NEW*) needs CAP_SYS_ADMIN: give it, so that only the
# profile can refuse.
caps='.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'

plan 30

# pinned FILE NAME: the argument rules of NAME, compactly.
pinned() {
	jq -c --arg n "$2" '[.syscalls[] | select(.names == [$n] and (.args | length > 0))
		| [.args[] | [.index, .op, .value, .valueTwo]]]' "$1"
}

# --- socket ------------------------------------------------------------------
"$SCWRAP" -q --args --container -o unix.json --report unix-report.json -- "$P" unix >/dev/null; st=$?
is "$st" 0 "record argprog unix with --args"
is "$(pinned unix.json socket)" '[[[0,"SCMP_CMP_EQ",1,0],[1,"SCMP_CMP_MASKED_EQ",15,1]]]' \
	"socket is allowed for AF_UNIX, SOCK_STREAM only (flag bits masked off)"
is "$(jq '[.syscalls[] | select(.names | index("socket")) | select((.args // []) | length == 0)] | length' unix.json)" 0 \
	"and has no plain rule"
is "$(jq -c '.arguments[] | select(.name == "socket") | [.values, (.executables[0].path | endswith("argprog"))]' unix-report.json)" \
	'[[[1,1]],true]' "the report keeps the values, per executable"
"$SCWRAP" -q --container -o unix-plain.json -- "$P" unix >/dev/null
run_ctr unix.json /bin/argprog unix
is "$st:$out" "0:argprog: socket AF_UNIX: ok" "in runc, the --args profile lets AF_UNIX through"
[ "$st" -eq 0 ] || diag "runc said: $err"
run_ctr unix.json /bin/argprog inet
is "$st" 1 "and refuses AF_INET"
like "$err" 'socket AF_INET: Operation not permitted' "with Operation not permitted"
run_ctr unix-plain.json /bin/argprog inet
is "$st" 0 "control: the profile without --args lets AF_INET through"
"$SCWRAP" check -q unix.json -- "$P" inet 2>err; st=$?
is "$st" 1 "scwrap check finds the AF_INET socket outside the pinned values"
like "$(cat err)" 'denied: socket' "and names it"

# Grown, merged, compared: the pinned rules travel.
"$SCWRAP" -q --args --baseline unix.json -o both.json -- "$P" inet >/dev/null
is "$(pinned both.json socket | jq -c '[.[][0][2]] | sort')" '[1,2]' "--baseline + --args: AF_UNIX and AF_INET rules"
"$SCWRAP" -q --args -o inet.json -- "$P" inet >/dev/null
"$SCWRAP" merge -q -o merged.json unix.json inet.json
is "$(pinned merged.json socket | jq -c '[.[][0][2]] | sort')" '[1,2]' "merge keeps both inputs' argument rules"
"$SCWRAP" diff unix.json merged.json > d.out
like "$(cat d.out)" '^! socket +SCMP_ACT_ALLOW if arg0 == 0x1 && arg1 & 0xf == 0x1; else SCMP_ACT_ERRNO\(1\) \[recorded\] -> SCMP_ACT_ALLOW if arg0 == 0x1 && arg1 & 0xf == 0x1; SCMP_ACT_ALLOW if arg0 == 0x2' \
	"diff shows the argument conditions on each side"

# --- unshare -------------------------------------------------------------------
"$SCWRAP" -q --args --container -o uts.json -- "$P" unshare-uts >/dev/null; st=$?
is "$st" 0 "record argprog unshare-uts with --args"
is "$(pinned uts.json unshare)" '[[[0,"SCMP_CMP_EQ",67108864,0]]]' "unshare is allowed for CLONE_NEWUTS only"
"$SCWRAP" -q --container -o uts-plain.json -- "$P" unshare-uts >/dev/null
CTR_JQ=$caps run_ctr uts.json /bin/argprog unshare-uts
is "$st" 0 "in runc, CLONE_NEWUTS goes through"
[ "$st" -eq 0 ] || diag "runc said: $err"
CTR_JQ=$caps run_ctr uts.json /bin/argprog unshare-ipc
is "$st" 1 "CLONE_NEWIPC is refused"
like "$err" 'unshare CLONE_NEWIPC: Operation not permitted' "with Operation not permitted"
CTR_JQ=$caps run_ctr uts-plain.json /bin/argprog unshare-ipc
is "$st" 0 "control: the profile without --args lets CLONE_NEWIPC through"

# --- clone, mmap, the bound ------------------------------------------------------
"$SCWRAP" -q --args -o thr.json -- "$TESTS_BUILDDIR/workload" threads 2; st=$?
is "$st" 0 "record a threaded workload with --args"
is "$(pinned thr.json clone)" '[[[0,"SCMP_CMP_MASKED_EQ",2114060288,0]]]' \
	"clone is allowed without namespace flags only"
is "$(jq -r '.syscalls[] | select(.names == ["clone3"]) | "\(.action) \(.errnoRet)"' thr.json)" \
	"SCMP_ACT_ERRNO 38" "clone3 (flags in memory) is answered ENOSYS, clone takes over"
"$SCWRAP" check -q thr.json -- "$TESTS_BUILDDIR/workload" threads 2; st=$?
is "$st" 0 "and the threads still run under the profile"
"$SCWRAP" --args -o many.json -- "$P" ioctls 20 >/dev/null 2>many.err
is "$(pinned many.json ioctl)" '[]' "20 distinct ioctl requests: ioctl stays a plain rule"
like "$(cat many.err)" 'args: ioctl: more than 16 distinct argument values seen' "and the summary says so"
"$SCWRAP" -q --args -o few.json -- "$P" ioctls 3 >/dev/null
is "$(pinned few.json ioctl | jq -c '[.[][0][3] | select(. >= 23040 and . <= 23042)]')" "[23040,23041,23042]" \
	"3 requests: one rule each (beside stdio's own TCGETS)"

# --- a call only probed ---------------------------------------------------------
"$SCWRAP" -q --container -o probe.json -- "$P" probe >/dev/null; st=$?
is "$st" 0 "record argprog probe (getpmsg fails with ENOSYS)"
is "$(jq -r '.syscalls[] | select(.names | index("getpmsg")) | "\(.action) \(.errnoRet) \(.comment | split(":")[1])"' probe.json)" \
	"SCMP_ACT_ERRNO 38 probed" "getpmsg is an ENOSYS rule (layer probed), not an allow"
run_ctr probe.json /bin/argprog probe
is "$st:$out" "0:argprog: getpmsg: ENOSYS, fallback taken" "in runc the probe gets ENOSYS and takes its fallback"

# --- refused -----------------------------------------------------------------
"$SCWRAP" --args -b audit -o x.json -- true 2>err; st=$?
like "$st:$(cat err)" '^125:scwrap: --args needs the ptrace backend' "--args with the audit backend: a clear error"

done_testing
