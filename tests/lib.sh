# lib.sh - TAP helpers for scwrap's shell tests.  Source it, call plan N,
# then ok/is/... ; a private temporary directory $T is removed on exit.
#
# Skips: skip_all REASON skips the whole file where the machine truly cannot
# run it.  Under CI (CI=true) a skip is a failure: CI has root, ptrace,
# auditd and runc, and a test that skips there proves nothing.
set -u

: "${SCWRAP:?SCWRAP must name the scwrap binary (make check sets it)}"
: "${TESTS_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}"
: "${TESTS_BUILDDIR:=$TESTS_SRCDIR}"

T=$(mktemp -d "${TMPDIR:-/tmp}/scwrap-test.XXXXXX")
_tap_n=0
_tap_failed=0
_cleanup_hooks=""
_cleanup() {
	local h
	for h in $_cleanup_hooks; do "$h" || true; done
	rm -rf "$T"
}
trap _cleanup EXIT

# at_exit FUNCTION: run FUNCTION when the test ends (before $T goes).
at_exit() { _cleanup_hooks="$1 $_cleanup_hooks"; }

_planned=""
plan() { echo "1..$1"; _planned=1; }

skip_all() {
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - cannot run under CI: $*"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

diag() { printf '# %s\n' "$@"; }

# skip N REASON: N cases this machine cannot run (a failure under CI).
skip() {
	local n=$1 i; shift
	for i in $(seq "$n"); do
		_tap_n=$((_tap_n + 1))
		if [ "${CI:-}" = true ]; then
			echo "not ok $_tap_n - cannot run under CI: $*"
			_tap_failed=$((_tap_failed + 1))
		else
			echo "ok $_tap_n # SKIP $*"
		fi
	done
}

# skip_refused N REASON: N cases that this kernel refuses to run, as a
# probe has just shown (i386 syscalls in a VM without int $0x80): skipped
# under CI too, since CI runs on such machines, and the reason names the
# probe's evidence.
skip_refused() {
	local n=$1 i; shift
	for i in $(seq "$n"); do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # SKIP $*"
	done
}

ok() { # ok CONDITION-STATUS DESCRIPTION
	local st=$1; shift
	_tap_n=$((_tap_n + 1))
	if [ "$st" -eq 0 ]; then
		echo "ok $_tap_n - $*"
	else
		echo "not ok $_tap_n - $*"
		_tap_failed=$((_tap_failed + 1))
	fi
	return "$st"
}

# check DESCRIPTION -- COMMAND...: ok when COMMAND succeeds.
check() {
	local d=$1; shift; [ "$1" = -- ] && shift
	"$@"; ok $? "$d"
}

is() { # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"; diag "got:  '$1'" "want: '$2'"; fi
}

# like TEXT REGEX DESCRIPTION (grep -E)
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"; diag "got: '$1'" "want match: $2"; fi
}

unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"; diag "got: '$1'" "must not match: $2"; else ok 0 "$3"; fi
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds (no fixed sleeps).
# start_daemon CMD...: run CMD (a daemon, which forks away) with no
# descriptor but 0, 1 and 2, so that what it leaves running holds no lock
# or pipe of the test's: auditd started while audit-live.sh held its lock
# on fd 9 kept that lock, and faults.sh waited 10 minutes for it.
start_daemon() { (_exec_bare "$@"); }

# _exec_bare CMD...: in a subshell, close every descriptor but 0, 1 and 2,
# then become CMD.
_exec_bare() {
	local fd
	for fd in /proc/$BASHPID/fd/*; do
		fd=${fd##*/}
		[ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
	done
	exec "$@"
}

# spawn CMD... [REDIRECTIONS]: CMD in the background with no descriptor
# but 0, 1 and 2 (as start_daemon, for a program that stays in the
# foreground); $spawn_pid is CMD's own pid, for kill and wait.
spawn() {
	(_exec_bare "$@") &
	spawn_pid=$!
}

wait_for() {
	local limit=$1 i=0; shift
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge $((limit * 20)) ] && return 1
		sleep 0.05
	done
}

# require_audit: the kernel's audit state is one per machine, and the audit
# tests change it (auditing off, a rate limit, the lost counter): take
# turns through one lock on fd 9; skip where the kernel cannot log
# SCMP_ACT_LOG or has no audit; start auditd (with start_daemon) if it is
# not running.
require_audit() {
	exec 9>"${TMPDIR:-/tmp}/scwrap-audit-live.lock"
	flock -w 600 9 || diag "waited 10 minutes for another audit test; going on"
	grep -qw log /proc/sys/kernel/seccomp/actions_logged ||
		skip_all "the kernel does not log SCMP_ACT_LOG"
	auditctl -s >/dev/null 2>&1 || skip_all "no kernel audit support here"
	if ! pgrep -x auditd >/dev/null; then
		start_daemon auditd || skip_all "cannot start auditd"
		wait_for 10 test -s /var/run/auditd.pid || diag "auditd wrote no pid file"
	fi
}

# names FILE: what the workload did: the names of a profile's recorded
# layer (scwrap's additions left out), or of every ALLOW rule of a profile
# without layers; one a line, sorted.
names() {
	python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))
rules = [r for r in p.get("syscalls") or [] if r.get("action") == "SCMP_ACT_ALLOW"]
rec = [r for r in rules if (r.get("comment") or "").startswith("scwrap:recorded")]
layered = any((r.get("comment") or "").startswith("scwrap:") for r in rules)
for r in (rec if layered else rules):
    print("\n".join(r["names"]))' "$1" | sort -u
}

# allowed FILE: every name a profile allows unconditionally, sorted.
allowed() {
	python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))
for r in p.get("syscalls") or []:
    if r.get("action") == "SCMP_ACT_ALLOW" and not r.get("args"):
        print("\n".join(r["names"]))' "$1" | sort -u
}

# arches FILE: the profile's architectures, space-separated.
arches() {
	python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1])).get("architectures", [])))' "$1"
}

# strace_names FILE: the syscall names of an `strace -f -o FILE` log, sorted.
strace_names() {
	sed -E 's/^[0-9]+ +//; s/^<\.\.\. ([a-z0-9_]+) resumed>.*/\1(/' "$1" |
		grep -oE '^[a-z_][a-z0-9_]*\(' | tr -d '(' | sort -u
}

# can_ptrace: whether this machine lets us ptrace a child.
can_ptrace() {
	"$SCWRAP" -q -o "$T/.probe.json" -- true 2>"$T/.probe.err"
}

require_ptrace() {
	can_ptrace || skip_all "ptrace not permitted here: $(cat "$T/.probe.err")"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c is not installed"
	done
}

# have_i386_syscalls: whether this kernel runs i386 syscalls made from
# x86_64 code (int $0x80).  IA32 emulation built in is not enough: a kernel
# booted with ia32_emulation=0, and some VMs, kill the caller by SIGSEGV.
# Probed in a child (workload i386-call); when not, $i386_refused says why,
# for a skip.
i386_refused=""
have_i386_syscalls() {
	local why
	why=$("$TESTS_BUILDDIR/workload" i386-call 2>&1 >/dev/null) && return 0
	i386_refused="the kernel refuses i386 syscalls: ${why:-workload i386-call failed}"
	return 1
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root"
}

# done_testing: end the test; prints the plan when plan was not called.
done_testing() {
	[ -n "$_planned" ] || echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}
