#!/bin/bash
# scwrap exits as the workload did, and as env(1) when it cannot run it.
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
require_ptrace

for n in 0 1 3 124 255; do
	"$SCWRAP" -q -o "$T/p.json" -- "$W" exit $n; st=$?
	is "$st" "$n" "workload exit $n mirrored"
done
"$SCWRAP" -q -o "$T/p.json" -- "$W" raise 15; st=$?
is "$st" 143 "workload killed by SIGTERM: 128+15"
"$SCWRAP" -q -o "$T/p.json" -- "$W" raise 9; st=$?
is "$st" 137 "workload killed by SIGKILL: 128+9"
check "a profile is written for a workload that died by a signal" -- test -s "$T/p.json"

rm -f "$T/nf.json"
err=$("$SCWRAP" -q -o "$T/nf.json" -- scwrap-no-such-command 2>&1); st=$?
is "$st" 127 "command not found: 127"
like "$err" '^scwrap: scwrap-no-such-command: command not found' "not found: one clear line"
check "no profile when the command was not found" -- test ! -e "$T/nf.json"

printf '#!/bin/sh\necho hi\n' > "$T/noexec"; chmod 644 "$T/noexec"
err=$("$SCWRAP" -q -o "$T/ne.json" -- "$T/noexec" 2>&1); st=$?
is "$st" 126 "not executable: 126"
err=$("$SCWRAP" -q -o "$T/ne.json" -- "$T" 2>&1); st=$?
is "$st" 126 "a directory: 126"
mkdir -p "$T/bin"; printf '\177ELF garbage' > "$T/bin/badelf"; chmod 755 "$T/bin/badelf"
err=$("$SCWRAP" -q -o "$T/be.json" -- "$T/bin/badelf" 2>&1); st=$?
like "$st:$err" '^126:scwrap: cannot run .*badelf: Exec format error' "exec failure reported by the child: 126"
done_testing
