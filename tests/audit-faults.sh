#!/bin/bash
# scwrap -b audit when the machine works against it: the helper cannot
# become a subreaper (the end of the tree could not be told), or the
# kernel's count of lost records is reset during the run.  Each ends in a
# clear message, never in a silent short profile or an absurd count.
# Needs root and auditd (started if it is not running).
. "$TESTS_SRCDIR/lib.sh"
W=$TESTS_BUILDDIR/workload
BPF_LOAD=$TESTS_BUILDDIR/bpf-load
require_root
require_cmd auditctl auditd python3
[ -x "$BPF_LOAD" ] || skip_all "tests/bpf-load is not built (make check builds it)"

require_audit

# --- no subreaper --------------------------------------------------------
# scwrap under a filter that fails prctl(PR_SET_CHILD_SUBREAPER) with
# EPERM, as a sandbox may: the run fails, saying why, with no profile.
cat > "$T/nosub.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["prctl"],
 "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
 "args": [{"index": 0, "value": 36, "op": "SCMP_CMP_EQ"}]}]}
JSON
"$SCWRAP" export -F bpf -o "$T/nosub.bpf" "$T/nosub.json"
err=$("$BPF_LOAD" "$T/nosub.bpf" "$SCWRAP" -b audit -o "$T/ns.json" -- "$W" exit 0 2>&1); st=$?
is "$st" 125 "no subreaper: scwrap's own failure, 125"
like "$err" '^scwrap: cannot make the audit helper a subreaper.*-b ptrace' \
	"no subreaper: one line with the cause and the way out"
check "no subreaper: no profile" -- test ! -e "$T/ns.json"

# --- the helper's pipe cannot be made non-blocking -------------------------
# scwrap under a filter that fails fcntl(F_SETFL, O_NONBLOCK) with EPERM:
# the run fails, saying why, rather than going on with a blocking pipe
# (which would hold records unread while the helper is silent).
cat > "$T/noblock.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["fcntl"],
 "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
 "args": [{"index": 1, "value": 4, "op": "SCMP_CMP_EQ"},
          {"index": 2, "value": 2048, "op": "SCMP_CMP_EQ"}]}]}
JSON
"$SCWRAP" export -F bpf -o "$T/noblock.bpf" "$T/noblock.json"
err=$(timeout 120 "$BPF_LOAD" "$T/noblock.bpf" "$SCWRAP" -b audit -o "$T/nb.json" -- "$W" exit 0 2>&1); st=$?
is "$st" 125 "a blocking helper pipe: scwrap's own failure, 125"
like "$err" "^scwrap: cannot read the audit session helper's pipe: Operation not permitted" \
	"a blocking helper pipe: one line with the cause"
check "a blocking helper pipe: no profile" -- test ! -e "$T/nb.json"
check "a blocking helper pipe: no workload or helper left" -- \
	sh -c "! pgrep -f '$T/nb\.json'"

# --- the workload's failure before the helper's first word -----------------
# The helper C forks the workload W and then says it started; W's own
# failure (here execve: ENOEXEC) goes down the same pipe and may come
# first.  strace holds C's fork return for a second to make that order:
# the failure is still the one reported, and the run ends.
if command -v strace >/dev/null; then
	printf 'not a program\n\0' > "$T/noexec"; chmod +x "$T/noexec"
	# (LeakSanitizer cannot run under strace: no leak check here.)
	err=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		timeout 120 strace -f -qq -o "$T/order.log" -e trace=write,clone \
		-e inject=clone:delay_exit=1000000 \
		"$SCWRAP" -b audit -o "$T/ne.json" -- "$T/noexec" 2>&1); st=$?
	is "$st:$err" "126:scwrap: cannot run $T/noexec: Exec format error" \
		"W's failure before C's word: reported (126), one line"
	# The order was the one wanted: the failure (kind 2) before "started"
	# (kind 1) on the helper's pipe.
	order=$(grep -oE 'write\([0-9]+, "\\[12]\\0\\0\\0' "$T/order.log" | grep -oE '\\[12]\\0' | head -2 | tr -d '\\0\n')
	is "$order" 21 "... strace made that order (the failure first)"
else
	skip 2 "strace is not installed"
fi

# --- the lost counter reset during the run -------------------------------
# Make it non-zero first (a rate limit), as on a busy machine.
old_r=$(auditctl -s | awk '$1 == "rate_limit" {print $2}')
restore_audit() { auditctl -r "${old_r:-0}" >/dev/null 2>&1; }
at_exit restore_audit
if [ "$(auditctl -s | awk '$1 == "lost" {print $2}')" -eq 0 ]; then
	auditctl -r 100 >/dev/null
	"$SCWRAP" -b audit -q --accept-loss -o "$T/burn.json" -- "$W" threads 500 >/dev/null 2>&1
	restore_audit
fi
lost=$(auditctl -s | awk '$1 == "lost" {print $2}')
if [ "$lost" -eq 0 ]; then
	skip 3 "could not make the kernel lose a record"
else
	rm -f "$T/pid"
	"$SCWRAP" -b audit -o "$T/rs.json" -- "$W" ready "$T/pid" 2>"$T/rs.err" &
	spid=$!
	wait_for 20 test -s "$T/pid" || diag "workload never became ready"
	auditctl --reset-lost >/dev/null
	kill -TERM "$spid"
	wait "$spid"; st=$?
	is "$st" 143 "lost counter reset: not taken for 4 billion lost records"
	like "$(cat "$T/rs.err")" "lost audit records was reset during the run" \
		"lost counter reset: the summary says the loss could not be counted"
	check "lost counter reset: the profile is written" -- grep -q '"pause"' "$T/rs.json"
fi
done_testing
