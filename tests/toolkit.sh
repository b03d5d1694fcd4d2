#!/bin/bash
# The profile toolkit on real recordings: additions and ENOSYS answers,
# scwrap check (against strace -f as the oracle), --baseline, merge, diff,
# lint, --report, and the warning for a workload's own filter.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C

require_cmd strace python3 jq
require_ptrace
W=$TESTS_BUILDDIR/workload
cd "$T" || exit 1

plan 69

# rule_of FILE NAME: "ACTION ERRNO LAYER" of the unconditional rule naming NAME.
rule_of() {
	jq -r --arg n "$2" '[.syscalls[] | select((.names | index($n)) and ((.args // []) | length == 0))][0]
		| if . == null then "none" else "\(.action) \(.errnoRet // "-") \((.comment // "") | split(":")[1] // "-")" end' "$1"
}

# --- additions -------------------------------------------------------------
"$SCWRAP" -o ls.json -- ls / >/dev/null 2>ls.err; st=$?
is "$st" 0 "record ls /"
is "$(rule_of ls.json getdents64)" "SCMP_ACT_ALLOW - recorded" "what ls did is in the recorded layer"
is "$(rule_of ls.json rt_sigreturn)" "SCMP_ACT_ALLOW - always" "rt_sigreturn added (always layer)"
is "$(rule_of ls.json exit)" "SCMP_ACT_ALLOW - always" "exit added"
is "$(rule_of ls.json clock_gettime)" "SCMP_ACT_ALLOW - always" "a vDSO call added"
is "$(rule_of ls.json clone3)" "SCMP_ACT_ERRNO 38 fallback" "clone3, never called, answered ENOSYS"
like "$(cat ls.err)" 'added rt_sigreturn.*: returns from a signal handler' "the summary names an addition with its reason"
like "$(cat ls.err)" 'ENOSYS for clone3: glibc' "the summary names an ENOSYS answer with its reason"
# sigreturn (how i386 and arm programs leave a handler) where an ABI of
# the profile has it in libseccomp's table, and only there.
is "$(rule_of ls.json sigreturn)" "none" "no sigreturn in a profile of x86_64 (or aarch64) only"
jq '.architectures += ["SCMP_ARCH_X86"] | .syscalls |= map(.names -= ["sigreturn"])' ls.json > ls-x86.json
"$SCWRAP" -o ls32.json --baseline ls-x86.json -- ls / >/dev/null 2>ls32.err
is "$(rule_of ls32.json sigreturn)" "SCMP_ACT_ALLOW - always" "a profile listing SCMP_ARCH_X86 gets sigreturn (always layer)"
like "$(cat ls32.err)" 'added sigreturn: returns from a signal handler on 32-bit ABIs' "the summary says why"
"$SCWRAP" -q --no-additions --no-fallbacks -o bare.json -- ls / >/dev/null
is "$(rule_of bare.json rt_sigreturn) $(rule_of bare.json clone3)" "none none" "--no-additions --no-fallbacks leave both out"
is "$(names bare.json)" "$(jq -r '.syscalls[] | select(.comment | startswith("scwrap:recorded")) | .names[]' ls.json | sort)" \
	"the bare profile is exactly the recorded layer"
# A recorded call stays recorded: the thread workload makes clone3.
"$SCWRAP" -q -o thr.json -- "$W" threads 2
is "$(rule_of thr.json clone3)" "SCMP_ACT_ALLOW - recorded" "clone3 that was called is allowed, not ENOSYS"

# --- check -----------------------------------------------------------------
# Oracle: what strace -f sees `ls -l /` call, less what the ls / profile allows.
strace -f -qq -o ls-l.strace ls -l / >/dev/null
strace_names ls-l.strace > ls-l.names
allowed ls.json > ls.names
comm -23 ls-l.names ls.names > want-missing
"$SCWRAP" check --complain ls.json -- ls -l / >/dev/null 2>complain.err; st=$?
is "$st" 1 "check --complain: exit 1 when the profile lacks calls"
sed -n 's/^scwrap: not allowed: \([a-z0-9_]*\) .*/\1/p' complain.err | sort -u > got-missing
is "$(xargs < got-missing)" "$(xargs < want-missing)" "check finds exactly what strace -f shows beyond the profile"
like "$(grep -m1 'not allowed' complain.err)" '\(x86_64|aarch64|[a-z0-9_]+\), [0-9]+ calls?, first by pid [0-9]+ \(/[^,]*ls, argv\[0\] ls\)' \
	"each is reported with ABI, count, pid, executable and argv[0]"
"$SCWRAP" check ls.json -- ls -l / >/dev/null 2>enforce.err; st=$?
is "$st" 1 "check (enforcing): exit 1"
like "$(cat enforce.err)" 'Operation not permitted' "ls -l under the ls / profile is refused with EPERM"
like "$(cat enforce.err)" 'denied: ' "and the denied calls are reported"
# An errno above 4095 is answered as the kernel answers it: capped at
# MAX_ERRNO (kernel/seccomp.c), not written raw into the return register,
# where libc would take it for a success.
jq '.defaultErrnoRet = 5000' ls.json > big-errno.json
"$SCWRAP" check big-errno.json -- ls -l / >/dev/null 2>big-errno.err
like "$(cat big-errno.err)" '^ls: .*: Unknown error 4095' "check answers errno 5000 as the kernel does: 4095"
"$SCWRAP" check -q ls.json -- ls / >/dev/null 2>ok.err; st=$?
is "$st" 0 "check of the recorded command itself: exit 0"
is "$(cat ok.err)" "" "-q and nothing to report: silent"
"$SCWRAP" -q -o sh.json -- sh -c 'exit 3'
"$SCWRAP" check -q sh.json -- sh -c 'exit 3'; st=$?
is "$st" 3 "check passes the command's own status on when nothing was denied"
"$SCWRAP" check no-such.json -- touch started 2>err; st=$?
is "$st" 125 "check: unreadable profile: 125"
[ ! -e started ]; ok $? "and the command was not started"

# --- baseline ---------------------------------------------------------------
cp ls.json base.json
sum0=$(sha256sum base.json)
"$SCWRAP" --baseline base.json -o ls-l.json --report again.json -- ls -l / >/dev/null 2>base.err; st=$?
is "$st" 0 "record ls -l / on the baseline of ls /"
is "$(sha256sum base.json)" "$sum0" "the baseline file is untouched"
"$SCWRAP" check -q ls-l.json -- ls -l / >/dev/null; st=$?
is "$st" 0 "the grown profile passes check for ls -l /"
is "$(comm -13 ls.names <(allowed ls-l.json) | xargs)" "$(xargs < want-missing)" \
	"what was added to the baseline is what check said was missing"
like "$(cat base.err)" "baseline base.json: $(wc -l < want-missing) syscalls recorded beyond it" "the summary says how much was new"
"$SCWRAP" -q --baseline ls-l.json -o again2.json --report cost.json -- ls -l / >/dev/null
is "$(jq .syscalls_made cost.json)" 0 "re-recording a known workload traces no syscall at all"
"$SCWRAP" diff -q ls-l.json again2.json; ok $? "and gives the same profile"
# What the baseline denies stays denied.
jq '.syscalls += [{"names": ["getdents64"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]
	| .syscalls[0].names -= ["getdents64"]' ls.json > deny.json
"$SCWRAP" --baseline deny.json -o denied.json -- ls / >/dev/null 2>deny.err
is "$(rule_of denied.json getdents64)" "SCMP_ACT_ERRNO 13 -" "a call the baseline denies stays denied"
like "$(cat deny.err)" 'warning: the workload called getdents64, which the baseline denies' "and the summary says so"
# A Docker default profile as baseline: its conditional rules survive.
"$SCWRAP" -q --baseline "$TESTS_SRCDIR/fixtures/profiles/moby-profiles_default.json" -o docker.json -- ls / >/dev/null; st=$?
is "$st" 0 "Docker's default profile as a baseline"
is "$(jq -c '[.syscalls[] | select(.names == ["personality"]) | .args[0].value] | sort' docker.json)" \
	"[0,8,131072,131080,4294967295]" "its personality argument rules are kept"
is "$(rule_of docker.json clone3)" "SCMP_ACT_ERRNO 38 -" "its clone3 ENOSYS rule is kept"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [' > trunc.json
sum1=$(sha256sum trunc.json)
"$SCWRAP" --baseline trunc.json -o x.json -- touch started 2>err; st=$?
is "$st" 125 "a truncated baseline: 125"
like "$(cat err)" 'cannot use the baseline: trunc.json is not a JSON seccomp profile' "with a clear message"
[ ! -e started ] && [ ! -e x.json ] && [ "$(sha256sum trunc.json)" = "$sum1" ]
ok $? "workload not started, no output, baseline untouched"

# --- merge and diff ----------------------------------------------------------
"$SCWRAP" -q --no-additions --no-fallbacks -o a.json -- ls / >/dev/null
"$SCWRAP" -q --no-additions --no-fallbacks -o b.json -- "$W" threads 2
"$SCWRAP" merge -q -o ab.json a.json b.json; st=$?
is "$st" 0 "merge two recordings"
is "$(names ab.json)" "$(sort -u <(names a.json) <(names b.json))" "the merge allows the union"
"$SCWRAP" merge -q -o ad.json a.json deny.json
is "$(rule_of ad.json getdents64)" "SCMP_ACT_ERRNO 13 -" "an explicit deny of one input wins over the other's allow"
jq '.defaultAction = "SCMP_ACT_KILL_PROCESS" | del(.defaultErrnoRet)' a.json > kill.json
"$SCWRAP" merge -o m.json a.json kill.json 2>err; st=$?
is "$st" 125 "merge of different default actions: 125"
like "$(cat err)" 'different default actions' "says why"
"$SCWRAP" diff a.json a.json >out; st=$?
is "$st:$(cat out)" "0:" "diff of a profile with itself: exit 0, no output"
"$SCWRAP" diff a.json ab.json >out; st=$?
is "$st" 1 "diff of different profiles: exit 1"
only_b=$(comm -13 <(names a.json) <(names b.json) | head -1)
like "$(cat out)" "^\\+ $only_b +SCMP_ACT_ERRNO\\(1\\) \\[default\\] -> SCMP_ACT_ALLOW \\[recorded\\]" "a call only B allows is a + line with its layer"
"$SCWRAP" diff --json a.json ab.json > d.json
is "$(jq -r '.same, (.syscalls | length)' d.json | xargs)" "false $(comm -13 <(names a.json) <(names ab.json) | wc -l)" "--json: same false, one entry per differing call"
"$SCWRAP" diff ls.json bare.json >out
like "$(cat out)" '^- rt_sigreturn +SCMP_ACT_ALLOW \[always\] -> SCMP_ACT_ERRNO\(1\) \[default\]' "diff shows the layer of an addition apart"
# Long rules: a difference in any condition counts (diff once compared
# text cut at 512 bytes), and a rule has at most 6 conditions, as
# libseccomp (SCMP_ARGS) and crun take.
# conds N LAST: a profile whose socket rule has N masked conditions, the
# last one's value LAST.
conds() {
	python3 -c 'import json, sys
n, last = int(sys.argv[1]), int(sys.argv[2])
args = [{"index": i % 6, "value": (last if i == n - 1 else (1 << 53) - 1 - i),
	 "valueTwo": (1 << 53) - 1, "op": "SCMP_CMP_MASKED_EQ"} for i in range(n)]
print(json.dumps({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
	{"names": ["exit", "exit_group", "rt_sigreturn"], "action": "SCMP_ACT_ALLOW"},
	{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": args}]}))' "$@"
}
conds 6 1 > six-a.json
conds 6 2 > six-b.json
"$SCWRAP" diff six-a.json six-b.json >out; st=$?
is "$st:$(grep -c '^! socket' out)" "1:1" "diff: profiles that differ in a rule's 6th condition differ"
conds 7 1 > seven.json
"$SCWRAP" lint seven.json >out 2>&1; st=$?
is "$st" 125 "a rule of 7 conditions is refused: 125"
like "$(cat out)" 'syscalls\[1\] \(socket\) has 7 argument conditions, more than the 6' "with a message naming the rule"
conds 20 1 > twenty-a.json
conds 20 2 > twenty-b.json
"$SCWRAP" diff twenty-a.json twenty-b.json >out 2>&1; st=$?
is "$st" 125 "diff: a rule of 20 conditions is refused, not taken for the same"
like "$(cat out)" 'twenty-a.json: syscalls\[1\] \(socket\) has 20 argument conditions' "and says which"

# --- lint -------------------------------------------------------------------
"$SCWRAP" lint ls.json >out; st=$?
is "$st:$(cat out)" "0:ls.json: nothing to flag" "lint of a recorded profile: nothing to flag"
jq '.syscalls |= map(.names -= ["exit_group"])' bare.json > noexit.json
"$SCWRAP" lint noexit.json >out; st=$?
is "$st" 1 "lint of a profile without exit_group: exit 1"
like "$(cat out)" 'error: exit_group is not allowed' "it says exit_group is missing"
"$SCWRAP" lint ls-x86.json >out; st=$?
is "$st:$(grep -c 'error: sigreturn is not allowed, and ABI x86 has it' out)" "1:1" "lint flags a profile listing SCMP_ARCH_X86 without sigreturn"
"$SCWRAP" lint ls32.json >out
is "$(grep -c sigreturn out)" 0 "and not one with it"
"$SCWRAP" lint "$TESTS_SRCDIR/fixtures/profiles/moby-profiles_default.json" >out; st=$?
like "$(cat out)" 'danger: ptrace is allowed' "lint flags ptrace in Docker's default profile"
like "$(cat out)" 'warning: ABI x86 is open' "and the i386 ABI it opens"
# What scwrap writes, it reads: --args pins personality(-1) at 2^64 - 1,
# beyond the 2^53 a JSON number read as a double keeps exactly.
"$SCWRAP" -q --args -o pers.json -- python3 -c \
	'import ctypes; ctypes.CDLL(None).personality(ctypes.c_ulong(2**64 - 1))'
like "$(tr -d ' \t\n' < pers.json)" '"names":\["personality"\],.*"value":18446744073709551615' \
	"--args writes personality(-1) as 2^64 - 1"
"$SCWRAP" lint pers.json >out 2>&1; st=$?
is "$st:$(grep -c 'personality is allowed with some arguments' out)" "1:1" \
	"lint reads it back (it flags personality), no exit 125"

# --- report and completeness -------------------------------------------------
"$SCWRAP" -q -o sh2.json --report rep.json -- sh -c 'ls / >/dev/null'
strace -f -qq -o sh.strace sh -c 'ls / >/dev/null'
want=$(grep -c 'getdents64(' sh.strace)
is "$(jq '.syscalls[] | select(.name == "getdents64") | .count' rep.json)" "$want" "the report's count of getdents64 is strace's"
is "$(jq -r '.syscalls[] | select(.name == "getdents64") | "\(.first.exe) \(.first.argv0) \(.executables | join(","))"' rep.json)" \
	"$(readlink -f "$(command -v ls)") ls $(readlink -f "$(command -v ls)")" "its first process is ls, by exe and argv[0]"
"$SCWRAP" -o own.json -- "$W" own-filter 2>own.err; st=$?
is "$st" 0 "a workload that loads its own filter"
like "$(cat own.err)" 'warning: .*workload \(pid [0-9]+\) loaded a seccomp filter of its own' "is warned about"

done_testing
