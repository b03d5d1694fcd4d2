#!/bin/bash
# --arch against real code of both architectures.  The oracle for aarch64
# is Debian's arm64 busybox-static, dash and coreutils run under
# qemu-aarch64-static -strace (tests/arm64-root.sh fetches them once, into
# $SCWRAP_TEST_ARM64 or the build tree); for x86_64, the same programs of
# this machine under strace -f.  One way: a recording made here with
# --arch=x86_64,aarch64 allows every call the aarch64 build made, by name
# and in its exported BPF (tests/bpf-sim runs aarch64's part), and the
# x86_64 workload runs under that BPF (tests/bpf-load).  The other way: a
# profile of the names the aarch64 build made, widened by export --arch,
# allows every call strace saw here.  Then diff, lint, merge, the report,
# and runc running a container under a two-architecture profile.
. "$TESTS_SRCDIR/lib.sh"
require_root
require_ptrace
require_cmd qemu-aarch64-static strace jq python3 busybox dash
BPF_SIM=$TESTS_BUILDDIR/bpf-sim
BPF_LOAD=$TESTS_BUILDDIR/bpf-load
[ -x "$BPF_SIM" ] && [ -x "$BPF_LOAD" ] || skip_all "tests/bpf-sim is not built (make check builds it)"
WL=$TESTS_SRCDIR/arch-workload.sh

cache=${SCWRAP_TEST_ARM64:-$TESTS_BUILDDIR/arm64-cache}
A64=$("$TESTS_SRCDIR/arm64-root.sh" "$cache" 2>"$T/fetch.err") ||
	skip_all "no arm64 programs: $(tail -n 1 "$T/fetch.err")"

# The aarch64 runner: busybox is static; dash and coreutils start through
# the arm64 ld.so with the arm64 libraries (not qemu's -L, which would
# turn the workload's own paths into paths under the arm64 root).
cat >"$T/qrun" <<QRUN
#!/bin/sh
case \$1 in
*/busybox) exec qemu-aarch64-static -strace "\$@" 2>>"$T/qemu.log" ;;
*) exec qemu-aarch64-static -strace "$A64/lib/ld-linux-aarch64.so.1" \\
	--library-path "$A64/lib/aarch64-linux-gnu:$A64/usr/lib/aarch64-linux-gnu" \\
	"\$@" 2>>"$T/qemu.log" ;;
esac
QRUN
chmod +x "$T/qrun"

# qemu_names LOG: the calls of a qemu -strace log, by libseccomp's aarch64
# names ("Unknown syscall 293" is rseq), only lines that name an aarch64
# syscall (the workload's own stderr is in the log too), sorted.
qemu_names() {
	python3 - "$1" <<'PY'
import ctypes, re, sys
lib = ctypes.CDLL("libseccomp.so.2")
lib.seccomp_syscall_resolve_num_arch.restype = ctypes.c_void_p
AARCH64 = 0xc00000b7
out = set()
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^(?:\d+ )?(?:Unknown syscall (\d+)|([a-z_][a-z0-9_]*)\()", line)
    if not m:
        continue
    if m.group(1):
        p = lib.seccomp_syscall_resolve_num_arch(AARCH64, int(m.group(1)))
        name = ctypes.string_at(p).decode() if p else None
    else:
        name = m.group(2)
        if lib.seccomp_syscall_resolve_name_arch(AARCH64, name.encode()) < 0:
            name = None
    if name:
        out.add(name)
print("\n".join(sorted(out)))
PY
}

# missing NAMES PROFILE: the names of the file NAMES that PROFILE does not
# allow unconditionally, space-separated.
missing() {
	allowed "$2" >"$T/allowed.txt"
	comm -23 "$1" "$T/allowed.txt" | tr '\n' ' ' | sed 's/ $//'
}

sh "$WL" "$T/qrun" "$A64" >"$T/a64.out" 2>&1
ok $? "the aarch64 workload runs under qemu-aarch64-static -strace" || cat "$T/a64.out"
qemu_names "$T/qemu.log" >"$T/a64.txt"
n=$(wc -l <"$T/a64.txt")
[ "$n" -gt 40 ]
ok $? "the aarch64 build made $n distinct calls"
# Each program under strace -f of its own: the calls of the programs, not
# of the shell that runs them.
printf '#!/bin/sh\nexec strace -f -qq -o "%s/strace.$$.log" "$@"\n' "$T" >"$T/srun"
chmod +x "$T/srun"
sh "$WL" "$T/srun" "" >"$T/x64.out" 2>&1
ok $? "the x86_64 workload runs under strace -f" || cat "$T/x64.out"
cat "$T"/strace.*.log >"$T/strace.log"
strace_names "$T/strace.log" >"$T/x64.txt"

# One way: recorded on x86_64, for both.
"$SCWRAP" -o "$T/p.json" --arch=amd64,arm64 --report "$T/r.json" -- sh "$WL" env "" \
	>/dev/null 2>"$T/rec.err"
ok $? "record --arch=amd64,arm64" || cat "$T/rec.err"
is "$(arches "$T/p.json")" "SCMP_ARCH_X86_64 SCMP_ARCH_AARCH64" "the profile lists both"
is "$(missing "$T/a64.txt" "$T/p.json")" "" "it allows every call the aarch64 build made"
"$SCWRAP" -q -o "$T/plain.json" -- sh "$WL" env "" >/dev/null 2>&1
m=$(missing "$T/a64.txt" "$T/plain.json")
[ -n "$m" ]
ok $? "without --arch it would lack some: $m"
c=${m%% *}
like "$(cat "$T/rec.err")" "added for aarch64 .* $c \\(" "the summary says $c was added for aarch64"
jq -e '[.added[] | select(.layer == "equivalent" and .abi == "aarch64"
	and (.reason | test("glibc|musl|Go")))] | length > 0' "$T/r.json" >/dev/null
ok $? "the report lists each addition with its ABI and its source"
"$SCWRAP" export -q -F bpf -o "$T/p.bpf" "$T/p.json"
ok $? "export -F bpf"
"$BPF_SIM" "$T/p.bpf" aarch64 $(cat "$T/a64.txt") >"$T/sim.txt"
is "$(grep -v ' allow$' "$T/sim.txt")" "" "its BPF allows every one of them for aarch64 (bpf-sim)"
is "$("$BPF_SIM" "$T/p.bpf" aarch64 ptrace mount)" "ptrace errno 1
mount errno 1" "and denies what was not recorded"
"$BPF_LOAD" "$T/p.bpf" /bin/sh "$WL" env "" >"$T/load.out" 2>&1
ok $? "the x86_64 workload runs under that BPF, loaded (bpf-load)" || tail -n 3 "$T/load.out"

# The other way: the names the aarch64 build made, widened for x86_64.
jq -Rn '{defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_AARCH64"],
	syscalls: [{names: [inputs], action: "SCMP_ACT_ALLOW"}]}' <"$T/a64.txt" >"$T/a64.json"
"$SCWRAP" export --arch=x86_64,aarch64 -o "$T/both.json" "$T/a64.json" 2>"$T/exp.err"
ok $? "export --arch=x86_64,aarch64 of the aarch64 names" || cat "$T/exp.err"
like "$(cat "$T/exp.err")" "added for x86_64 .*arch_prctl \(execve\)" \
	"the summary names x86_64's own start (arch_prctl)"
is "$(missing "$T/x64.txt" "$T/both.json")" "" "it allows every call strace -f saw on x86_64"
"$SCWRAP" export -q -o "$T/a64-only.json" "$T/a64.json"
m=$(missing "$T/x64.txt" "$T/a64-only.json")
[ -n "$m" ]
ok $? "without --arch it would lack some: $m"
"$SCWRAP" export -q -F bpf --arch=x86_64,aarch64 -o "$T/both.bpf" "$T/a64.json"
"$BPF_SIM" "$T/both.bpf" x86_64 $(cat "$T/x64.txt") >"$T/sim2.txt"
is "$(grep -v ' allow$' "$T/sim2.txt")" "" "its BPF allows every one of them for x86_64 (bpf-sim)"

# diff, lint, merge.
"$SCWRAP" diff "$T/plain.json" "$T/p.json" >"$T/diff.txt"
like "$(cat "$T/diff.txt")" "@@ equivalent: .*
\+ [a-z0-9_]+ +SCMP_ACT_ERRNO\(1\) \[default\] -> SCMP_ACT_ALLOW \[equivalent\]" \
	"diff shows the equivalents as a section of their own"
jq '.architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"]' "$T/plain.json" >"$T/both-bare.json"
"$SCWRAP" lint "$T/both-bare.json" >"$T/lint.txt"
like "$(cat "$T/lint.txt")" "warning: [a-z0-9_]+ is allowed for x86_64, but none of its equivalents on aarch64" \
	"lint warns of aarch64 listed without the equivalents"
"$SCWRAP" lint "$T/p.json" >"$T/lint2.txt"
unlike "$(cat "$T/lint2.txt")" "equivalents" "and not once --arch added them"
"$SCWRAP" merge -q --arch=x86_64,aarch64 -o "$T/merged.json" "$T/plain.json" "$T/a64.json"
is "$(missing "$T/a64.txt" "$T/merged.json") / $(missing "$T/x64.txt" "$T/merged.json")" " / " \
	"merge --arch of both recordings allows what each build made"
"$SCWRAP" export --arch=x86_64,vax -o "$T/bad.json" "$T/p.json" 2>"$T/bad.err"
is "$?" 125 "an unknown architecture is a usage error"
like "$(cat "$T/bad.err")" "'vax' is no architecture" "that names it"
cat >"$T/args.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
 "syscalls": [{"names": ["read", "exit_group"], "action": "SCMP_ACT_ALLOW"},
  {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
   "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]}]}
JSON
"$SCWRAP" export --arch=x86_64,s390x -o "$T/s390.json" "$T/args.json" 2>"$T/s390.err"
is "$?" 125 "clone's flags pinned (--args) and s390x: refused"
like "$(cat "$T/s390.err")" "second argument on s390" "saying why"

# runc runs a container under a two-architecture profile.
. "$TESTS_SRCDIR/runc-lib.sh"
R=$T/rootfs
busybox_rootfs "$R" "scwrap arch test"
printf 'ls / >/dev/null\ncat /etc/scwrap-test\n' >"$R/etc/work.sh"
"$SCWRAP" -q --container --arch=x86_64,aarch64 -o "$T/ctr.json" -- chroot "$R" /bin/sh /etc/work.sh \
	>/dev/null
ok $? "record a container's workload with --arch"
run_ctr "$T/ctr.json" sh /etc/work.sh
is "$st:$out" "0:scwrap arch test" "runc runs it under the two-architecture profile"
[ "$st" = 0 ] || diag "$err"
done_testing
