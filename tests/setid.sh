#!/bin/bash
# A rootless recording of a set-user-ID or set-group-ID program: the
# recording filter's no_new_privs makes the kernel ignore those bits, so
# the program behaves otherwise than it will in production.  The summary
# names each such executable and says what to do; a run with root, where
# no_new_privs is not set, says nothing.
. "$TESTS_SRCDIR/lib.sh"
require_ptrace
W=$TESTS_BUILDDIR/workload

# A set-id program of our own: a copy of the workload, set-group-ID to our
# own group (which any user may set), where the test directory allows it.
cp "$W" "$T/setgid-prog"
chmod 2755 "$T/setgid-prog"
if ! [ -g "$T/setgid-prog" ] || findmnt -no OPTIONS -T "$T" | grep -qw nosuid; then
	skip_all "cannot make a set-group-ID program in $T"
fi
chmod 755 "$T"

# rootless COMMAND...: run it as an unprivileged user (as root: nobody).
rootless() {
	if [ "$(id -u)" -eq 0 ]; then
		require_cmd setpriv
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
mkdir -m 1777 "$T/out"

err=$(rootless "$SCWRAP" -o "$T/out/sg.json" -- "$T/setgid-prog" exit 0 2>&1); st=$?
is "$st" 0 "a set-group-ID program, rootless: its exit status"
like "$err" "warning: $T/setgid-prog is set-user-ID or set-group-ID, and ran without its privileges.*run scwrap as root" \
	"the summary names it and says what to do"
err=$(rootless "$SCWRAP" -o "$T/out/pl.json" -- "$W" exit 0 2>&1)
unlike "$err" 'set-user-ID' "a plain program: no such warning"
if [ "$(id -u)" -eq 0 ]; then
	err=$("$SCWRAP" -o "$T/out/root.json" -- "$T/setgid-prog" exit 0 2>&1)
	unlike "$err" 'set-user-ID' "as root (no no_new_privs): no such warning"
fi
done_testing
