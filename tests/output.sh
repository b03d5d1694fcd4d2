#!/bin/bash
# The output path is checked before the workload starts, and the profile is
# written atomically: never truncated, never half-written, errors reported.
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
require_ptrace

# An unusable path: scwrap fails at once and the workload never starts.
unusable() { # unusable PATH DESCRIPTION REGEX
	rm -f "$T/started"
	err=$("$SCWRAP" -q -o "$1" -- "$W" ready "$T/started" 2>&1); st=$?
	is "$st" 125 "$2: exit 125"
	like "$err" "$3" "$2: one clear line"
	check "$2: the workload did not start" -- test ! -e "$T/started"
}
unusable "$T/no/such/dir/p.json" "missing directory" '^scwrap: cannot write .*No such file or directory; .*-o'
unusable "$T" "a directory" '^scwrap: cannot write .*Is a directory; name a file'
unusable "$TESTS_BUILDDIR/workload/p.json" "a file as directory" 'Not a directory'
if [ "$(id -u)" -eq 0 ]; then
	mkdir "$T/ro"
	if mount -t tmpfs -o ro,size=64k scwrap-ro "$T/ro" 2>/dev/null; then
		umount_ro() { umount "$T/ro"; }
		at_exit umount_ro
		unusable "$T/ro/p.json" "a read-only file system" 'Read-only file system'
	else
		skip_all "cannot mount a read-only tmpfs for the read-only test"
	fi
else
	mkdir "$T/ro"; chmod 555 "$T/ro"
	unusable "$T/ro/p.json" "an unwritable directory" 'Permission denied'
fi

# A write error at the end (disk full) is reported and the status says so.
err=$("$SCWRAP" -q -o /dev/full -- "$W" exit 0 2>&1); st=$?
is "$st" 125 "disk full: exit 125"
like "$err" '^scwrap: cannot write /dev/full: No space left on device' "disk full: reported"

# "-" is standard output: the profile, parseable.
out=$("$SCWRAP" -q -o - -- "$W" exit 0)
like "$out" '"defaultAction":' "-o - writes the profile to stdout"

# An existing profile is replaced whole, its mode kept, no temporary left.
echo "old" > "$T/keep.json"; chmod 600 "$T/keep.json"
"$SCWRAP" -q -o "$T/keep.json" -- "$W" exit 0
check "existing file replaced by a profile" -- grep -q defaultAction "$T/keep.json"
is "$(stat -c %a "$T/keep.json")" 600 "its mode is kept"
is "$(ls -A "$T" | grep -c scwrap-)" 0 "no temporary file left behind"
# ... and left untouched when the workload cannot be run.
echo "old" > "$T/keep2.json"
"$SCWRAP" -q -o "$T/keep2.json" -- scwrap-no-such-command 2>/dev/null
is "$(cat "$T/keep2.json")" old "a failed run leaves the old profile alone"
is "$(ls -A "$T" | grep -c scwrap-)" 0 "no temporary file after a failed run"
# The rename is made durable: the directory is synced after it (fsync(2):
# the file's own fsync does not cover its name).  strace is the oracle.
if command -v strace >/dev/null; then
	mkdir "$T/sync"
	# (LeakSanitizer cannot run under strace: no leak check here.)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -o "$T/sync.log" -e trace=openat,rename,renameat,renameat2,fsync \
		"$SCWRAP" export -o "$T/sync/p.json" \
		"$TESTS_SRCDIR/fixtures/profiles/moby-profiles_default.json"
	is "$?" 0 "scwrap export under strace: exit 0"
	# After the rename that puts p.json in place: the directory opened,
	# then that descriptor synced.
	synced=$(awk -v dir="\"$T/sync\"" -v file="\"$T/sync/p.json\")" '
		/^rename/ && index($0, file) && / = 0$/ { renamed = 1; next }
		renamed && /^openat/ && index($0, dir ",") && /O_DIRECTORY/ { fd = $NF; next }
		fd != "" && $0 ~ "^fsync\\(" fd "\\) += 0$" { print "yes"; exit }' "$T/sync.log")
	is "$synced" yes "the profile's directory is synced after the rename"
else
	skip 1 "strace is not installed"
fi
# A new file gets the mode umask gives.
(umask 027; "$SCWRAP" -q -o "$T/new.json" -- "$W" exit 0)
is "$(stat -c %a "$T/new.json")" 640 "a new profile follows the umask"
done_testing
