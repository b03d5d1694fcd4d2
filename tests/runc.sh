#!/bin/bash
# A recorded profile works in a real runtime: record `busybox ls /` on the
# host, put the profile (plus what runc itself does after loading it) into a
# runc bundle whose rootfs holds the same static busybox, and check that ls
# runs in the container while cat, which needs a syscall ls never made, is
# refused with EPERM; a control run that also allows that syscall succeeds,
# so the refusal comes from the profile and not from the setup.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C

require_cmd python3
require_ptrace
. "$TESTS_SRCDIR/runc-lib.sh"

# What runc does itself after it loads the profile, up to its final execve,
# is the list scwrap ships (data/runtimes/, with how it was measured);
# --container adds it.  runc spec's bundles have noNewPrivileges true: the
# list for that, runc-nnp, must never hold read or sendfile, for the cat
# checks below depend on it.  The default list, runc, is for
# noNewPrivileges false (Docker's, Podman's, Kubernetes' default), checked
# at the end.
RUNC_LIST=$TESTS_SRCDIR/../data/runtimes/runc-nnp
RUNC_SYSCALLS=$(grep -v '^#' "$RUNC_LIST" | xargs)
[ -n "$RUNC_SYSCALLS" ] || { echo "1..1"; echo "not ok 1 - $RUNC_LIST lists nothing"; exit 1; }

# The rootfs: the static busybox and a few applet links, read-only in the
# container.  One rootfs, one bundle directory per container.
R=$T/rootfs
busybox_rootfs "$R" "scwrap runc test file"

plan 23

# profile_with IN OUT NAMES...: IN's allow rule plus NAMES.
profile_with() {
	local in=$1 out=$2; shift 2
	jq --arg add "$*" '
		.syscalls[0].names = ((.syscalls[0].names + ($add | split(" ") | map(select(. != "")))) | unique)
	' "$in" > "$out"
}

# Record on the host, with the very binary the rootfs holds; the container
# profile is written as is, with what runc needs (--container).
"$SCWRAP" -q -o "$T/ls.json" -- "$BB" ls / >/dev/null; st=$?
is "$st" 0 "scwrap records busybox ls / on the host"
"$SCWRAP" -q --container=runc-nnp -o "$T/ctr.json" -- "$BB" ls / >/dev/null; st=$?
is "$st" 0 "scwrap records it again with --container=runc-nnp"
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

jq -e '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1' "$T/ctr.json" >/dev/null
ok $? "the container profile denies everything else with EPERM"
is "$(jq -r '[.syscalls[] | select(.comment | startswith("scwrap:runtime")) | .names[]] | length > 0' "$T/ctr.json")" \
	true "the runtime's calls are a layer of their own"
is "$(comm -23 <(printf '%s\n' $RUNC_SYSCALLS | sort -u) <(allowed "$T/ctr.json") | xargs)" "" \
	"every call of the runc list is allowed"

# ls / in the container, under the profile as scwrap wrote it.
run_ctr "$T/ctr.json" ls /
is "$st" 0 "ls / in the container under the recorded profile, unchanged: exit 0"
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

# noNewPrivileges false, as Docker, Podman and Kubernetes run containers:
# runc loads the profile earlier and needs more than runc-nnp; the default
# list (--container, runc) has it.
nnp_false='.process.noNewPrivileges = false'
CTR_JQ=$nnp_false run_ctr "$T/ctr.json" ls /
[ "$st" -ne 0 ]; ok $? "noNewPrivileges false: the runc-nnp profile does not start (exit $st)"
like "$err" 'operation not permitted' "runc says operation not permitted"
"$SCWRAP" -q --container -o "$T/ctr-docker.json" -- "$BB" ls / >/dev/null
CTR_JQ=$nnp_false run_ctr "$T/ctr-docker.json" ls /
is "$st" 0 "noNewPrivileges false: the default --container profile runs ls, unchanged"
[ "$st" -eq 0 ] || diag "runc stderr: $err"
like "$out" '^etc$' "its output lists etc"
run_ctr "$T/ctr-docker.json" ls /
is "$st" 0 "and it serves noNewPrivileges true as well"

done_testing
