#!/bin/bash
# The freestanding exerciser (tests/exerciser-x86_64.c) makes a known set of
# syscalls in every awkward way: threads from raw clone, vfork, exec from a
# thread's child and from a non-leader thread, an i386 call through
# int $0x80, a signal handler, an orphan that outlives the root process and
# a CLONE_UNTRACED child.  The recorded set must be exactly that set.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C
X=$TESTS_BUILDDIR/exerciser-x86_64

[ "$(uname -m)" = x86_64 ] || skip_all "the exerciser is x86_64 code; this is $(uname -m)"
[ -x "$X" ] || skip_all "$X was not built"
require_ptrace
require_cmd python3

# Every name the exerciser makes, over all its processes and both ABIs, and
# the part of it that makes each (see the table in exerciser-x86_64.c):
#   execve        the workload's own exec, and the -vfork, -tfork and -texec
#                 images (vfork child, a thread's fork child, non-leader thread)
#   rt_sigaction getpid kill rt_sigreturn   the signal part; getegid is the
#                 handler's marker, rt_sigreturn its return through the
#                 SA_RESTORER trampoline
#   getuid32      the i386 call (int $0x80, x86 nr 199; asked for with
#                 -i386); under the x86_64 table 199 would read fremovexattr
#   pipe2 fork close poll openat write exit_group   the orphan: fork twice,
#                 wait for the root's pipe end to hang up, create a file
#   clone futex exit gettid   a raw-clone thread, waited for on its
#                 CLONE_CHILD_CLEARTID word; gettid is its marker
#   fork wait4 getgid         a thread forks; the child execs -tfork (getgid)
#   vfork getuid              the vfork child execs -vfork (getuid)
#   fork clone geteuid        a child's second thread execs -texec (geteuid)
#   clone getpgrp             clone(CLONE_UNTRACED|SIGCHLD); the child's marker
# read is absent on purpose: only scwrap's own child (reading its sync pipe
# before the workload's execve) reads, and that is not the workload's.
want="clone close execve exit exit_group fork futex getegid geteuid getgid getpgrp getpid gettid getuid getuid32 kill openat pipe2 poll rt_sigaction rt_sigreturn vfork wait4 write"
want_arches="SCMP_ARCH_X86_64 SCMP_ARCH_X86"
# The i386 call only where this kernel runs int $0x80 (not everywhere IA32
# emulation is built in); elsewhere every other part is checked as exactly:
# the same set less getuid32, under x86_64 alone.
if have_i386_syscalls; then
	i386=(-i386)
else
	i386=()
	want=$(echo "$want" | sed 's/ getuid32 / /')
	want_arches="SCMP_ARCH_X86_64"
	diag "no i386 call: $i386_refused"
fi

# The quiet run: the profile.
"$SCWRAP" -q -o "$T/p.json" -- "$X" "${i386[@]}" "$T/orphan" >"$T/out" 2>"$T/err"; st=$?
# Checked before anything else: the orphan made the file only after the
# root process was gone, so it exists now only if scwrap waited for it
# (scwrap exiting first would have killed it, PTRACE_O_EXITKILL).
[ "$(cat "$T/orphan" 2>/dev/null)" = orphan ]
ok $? "the orphan finished before scwrap returned (its file is there)"
is "$st" 0 "the exerciser exits 0 under scwrap"
is "$(cat "$T/err")" "" "and says nothing on stderr (no UNTRACED-FAIL, no failure)"
got=$(names "$T/p.json" | tr '\n' ' '); got=${got% }
is "$got" "$want" "the recorded names are exactly the exerciser's"
is "$(arches "$T/p.json")" "$want_arches" "architectures: x86_64, x86 only after int \$0x80, no x32"
unlike "$got" '(^| )(seccomp|prctl|read|fremovexattr)( |$)' \
	"no pre-exec call of scwrap's child (seccomp, prctl, read) and no i386 call under the x86_64 table"

# The notify backend sees the same tree with no ptrace at all: the same
# names, the orphan waited for (the listener hangs up only when every task
# holding the filter is gone), CLONE_UNTRACED irrelevant.
"$SCWRAP" -b notify -q -o "$T/n.json" -- "$X" "${i386[@]}" "$T/orphan-n" >/dev/null 2>"$T/n.err"; st=$?
[ "$(cat "$T/orphan-n" 2>/dev/null)" = orphan ]
ok $? "notify: the orphan finished before scwrap returned"
is "$st:$(cat "$T/n.err")" "0:" "notify: the exerciser exits 0, nothing on stderr"
got=$(names "$T/n.json" | tr '\n' ' '); got=${got% }
is "$got" "$want" "notify: the recorded names are exactly the exerciser's"
is "$(arches "$T/n.json")" "$want_arches" "notify: the same architectures"

# Once more with the summary: it names the call that came from the x86 ABI.
"$SCWRAP" -o "$T/s.json" -- "$X" "${i386[@]}" "$T/orphan2" >/dev/null 2>"$T/summary"; st=$?
is "$st" 0 "the summary run exits 0 too"
if [ -n "$i386_refused" ]; then
	skip_refused 1 "the summary's x86 ABI line: $i386_refused"
else
	like "$(cat "$T/summary")" '^scwrap: ABI x86 \(compat\): getuid32$' "the summary lists getuid32 under the x86 ABI"
fi
unlike "$(cat "$T/summary")" 'warning' "and gives no warning (nothing undecoded)"

# The independent oracle.  strace -f sees the same calls but one: it does
# not clear CLONE_UNTRACED, so it never attaches that child and never sees
# its getpgrp (without a seccomp filter the child's calls simply work).
# strace names the int $0x80 call from the i386 table too (getuid32).
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -o "$T/st" -- "$X" "${i386[@]}" "$T/orphan3" >/dev/null 2>"$T/st.err"; st=$?
	is "$st" 0 "under strace -f the exerciser exits 0"
	sgot=$(strace_names "$T/st" | tr '\n' ' '); sgot=${sgot% }
	is "$sgot" "$(echo "$want" | sed 's/ getpgrp / /')" "strace -f sees the same names, less the CLONE_UNTRACED child's getpgrp"
else
	ok 0 "# SKIP strace is not installed"
	ok 0 "# SKIP strace is not installed"
fi
done_testing
