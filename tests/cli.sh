#!/bin/bash
# The command line: help, version, usage errors, option parsing that stops at
# the workload, and a wrapper's pass-through of stdin and stdout.
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
require_ptrace

out=$("$SCWRAP" --help); st=$?
is "$st" 0 "--help exits 0"
like "$out" '^Usage: scwrap' "--help prints usage on stdout"
out=$("$SCWRAP" --version); st=$?
is "$st" 0 "--version exits 0"
like "$out" '^scwrap [0-9]+\.[0-9]+' "--version names the version"

err=$("$SCWRAP" -o "$T/p.json" 2>&1 >/dev/null); st=$?
is "$st" 125 "no command: exit 125"
like "$err" '^scwrap: no command to run; see' "no command: one line saying so"
err=$("$SCWRAP" -- true 2>&1 >/dev/null); st=$?
is "$st" 125 "no -o: exit 125"
like "$err" 'no output: .*-o FILE' "no -o: says how to give one"
err=$("$SCWRAP" --frobnicate -o "$T/p.json" -- true 2>&1); st=$?
is "$st" 125 "unknown option: exit 125"
like "$err" "unknown option '--frobnicate'" "unknown option named"
err=$("$SCWRAP" -o 2>&1); st=$?
like "$st:$err" "^125:.*'-o' needs an argument" "missing argument named"

# Options after the command belong to the workload.
"$SCWRAP" -q -o "$T/p.json" "$W" exit 0 -q -o x; st=$?
is "$st" 0 "options after COMMAND go to the workload"
"$SCWRAP" record -q -o "$T/r.json" -- "$W" exit 0; st=$?
test "$st" -eq 0 -a -s "$T/r.json"; ok $? "'record' spells out the default command"

# Pass-through: stdin to the workload, its stdout untouched.
out=$(printf 'line one\nline two\n' | "$SCWRAP" -q -o "$T/p.json" -- "$W" copy)
is "$out" "line one
line two" "stdin and stdout pass through"
# -q: nothing of scwrap's on stderr.
err=$("$SCWRAP" -q -o "$T/p.json" -- "$W" exit 0 2>&1 >/dev/null)
is "$err" "" "-q prints nothing"
# Without -q: the summary names the executable and where the profile went.
err=$("$SCWRAP" -o "$T/p.json" -- "$W" exit 0 2>&1 >/dev/null)
like "$err" "workload" "summary names the executable"
like "$err" "written to $T/p.json" "summary says where the profile is"
done_testing
