#!/bin/bash
# The same in crun: a profile recorded with --container=crun runs busybox
# ls / in crun unchanged, for noNewPrivileges true and false; a profile
# without crun's list does not start; cat, which needs a call ls never
# made, is refused with EPERM.  crun 1.8.1 runs here without cgroups of its
# own (see runc-lib.sh).
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C

require_ptrace
RUNTIME=crun
. "$TESTS_SRCDIR/runc-lib.sh"
R=$T/rootfs
busybox_rootfs "$R" "scwrap crun test file"

plan 9

nnp_false='.process.noNewPrivileges = false'
"$SCWRAP" -q --container=crun -o "$T/crun.json" -- "$BB" ls / >/dev/null; st=$?
is "$st" 0 "record busybox ls / with --container=crun"
run_ctr "$T/crun.json" ls /
is "$st" 0 "in crun (noNewPrivileges true), ls / runs under the profile unchanged"
[ "$st" -eq 0 ] || diag "crun said: $err"
like "$out" '^etc$' "its output lists etc"
CTR_JQ=$nnp_false run_ctr "$T/crun.json" ls /
is "$st" 0 "noNewPrivileges false too"
[ "$st" -eq 0 ] || diag "crun said: $err"
"$SCWRAP" -q --container=crun-nnp -o "$T/crun-nnp.json" -- "$BB" ls / >/dev/null
run_ctr "$T/crun-nnp.json" ls /
is "$st" 0 "the crun-nnp profile runs it with noNewPrivileges true"
CTR_JQ=$nnp_false run_ctr "$T/crun-nnp.json" ls /
[ "$st" -ne 0 ]; ok $? "but not with noNewPrivileges false (exit $st)"
"$SCWRAP" -q --no-additions -o "$T/bare.json" -- "$BB" ls / >/dev/null
CTR_JQ=$nnp_false run_ctr "$T/bare.json" ls /
[ "$st" -ne 0 ]; ok $? "control: without crun's list the container does not start (exit $st)"
# crun's list for noNewPrivileges false holds read, cat's fallback: the
# shorter crun-nnp list does not.
run_ctr "$T/crun-nnp.json" cat /etc/scwrap-test
[ "$st" -ne 0 ]; ok $? "cat under the ls profile (crun-nnp) fails (exit $st)"
like "$out$err" 'Operation not permitted' "cat reports Operation not permitted"

done_testing
