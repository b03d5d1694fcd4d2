#!/usr/bin/env bash
# bench/run.sh: wall time of native vs scwrap (ptrace backend, and notify:
# -b notify) vs strace --seccomp-bpf, interleaved in one run, and scwrap's
# peak RSS. A benchmark, not a test: it prints numbers, never a verdict
# on exit status (non-zero only when something could not be run at all).
#
# Workloads:
#   syscalls  bench/syscalls N   (N getppid() calls; N=1000000 by default)
#   build     make -s -B -j1 of a generated tree of small C files (fork/exec heavy)
#
# Environment (all optional):
#   SCWRAP       scwrap binary            (default: <repo>/src/scwrap)
#   STRACE       strace binary            (default: strace from PATH)
#   CC           compiler                 (default: cc)
#   N            syscalls per run         (default: 1000000)
#   REPS         repetitions, syscalls    (default: 3; median reported)
#   BUILD_REPS   repetitions, build       (default: 5)
#   BUILD_FILES  C files in the build     (default: 48)
#   SYSCALLS_BIN prebuilt bench/syscalls  (default: bench/syscalls if up to
#                date, else built with $CC -O2 into a temporary directory)
#   RSS_TOOL     gnu-time | wrapper | none  (default: probe, in that order)
#   CPU          run every command pinned to this CPU (taskset -c CPU), so
#                that tracer and workload share it whatever the scheduler
#                would do (default: unpinned)

set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

SCWRAP=${SCWRAP:-$repo/src/scwrap}
STRACE=${STRACE:-strace}
CC=${CC:-cc}
N=${N:-1000000}
REPS=${REPS:-3}
BUILD_REPS=${BUILD_REPS:-5}
BUILD_FILES=${BUILD_FILES:-48}

die() {
	echo "bench: $*" >&2
	exit 1
}
note() {
	echo "bench: $*" >&2
}

for v in N REPS BUILD_REPS BUILD_FILES; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done
pin=()
if [[ -n ${CPU:-} ]]; then
	[[ $CPU =~ ^[0-9]+$ ]] || die "CPU must be a CPU number, not '$CPU'"
	command -v taskset >/dev/null || die "CPU is set but taskset is not found (Debian package util-linux)"
	taskset -c "$CPU" true 2>/dev/null || die "cannot run on CPU $CPU (taskset -c $CPU)"
	pin=(taskset -c "$CPU")
fi
((N >= 10)) || die "N must be at least 10 (the memory check runs N/10)"

# --- prerequisites ---------------------------------------------------------

[[ -x $SCWRAP ]] || die "scwrap not found or not executable: $SCWRAP (build it with 'make', or set SCWRAP)"
command -v "$CC" >/dev/null || die "no C compiler '$CC' (set CC)"
command -v make >/dev/null || die "make not found (Debian package make); the build workload needs it"

have_strace=1
if ! command -v "$STRACE" >/dev/null; then
	have_strace=0
	note "strace not found ('$STRACE'; Debian package strace): its columns will read n/a"
elif ! "$STRACE" -qq --seccomp-bpf -o /dev/null true 2>/dev/null; then
	have_strace=0
	note "'$STRACE -qq --seccomp-bpf' does not run here (strace < 5.3, or ptrace forbidden): its columns will read n/a"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scwrap-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# bench/syscalls: use a prebuilt one only if it is newer than its source.
if [[ -n ${SYSCALLS_BIN:-} ]]; then
	[[ -x $SYSCALLS_BIN ]] || die "SYSCALLS_BIN is not executable: $SYSCALLS_BIN"
	sysbin=$SYSCALLS_BIN
elif [[ -x $here/syscalls && $here/syscalls -nt $here/syscalls.c ]]; then
	sysbin=$here/syscalls
else
	sysbin=$tmp/syscalls
	"$CC" -O2 -o "$sysbin" "$here/syscalls.c" || die "could not build $here/syscalls.c with $CC"
fi

# Peak RSS: GNU time's %M, else a tiny wait4() wrapper, else nothing. Both give
# ru_maxrss of the child as wait4(2) reports it: the largest of the child and
# the descendants it reaped (for scwrap: scwrap itself or its workload).
rss_tool=${RSS_TOOL:-}
if [[ -z $rss_tool ]]; then
	if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o "$tmp/probe" true 2>/dev/null &&
		[[ $(cat "$tmp/probe") =~ ^[0-9]+$ ]]; then
		rss_tool=gnu-time
	else
		rss_tool=wrapper
	fi
fi
if [[ $rss_tool == wrapper ]]; then
	cat >"$tmp/maxrss.c" <<'EOF'
/* maxrss FILE CMD...: run CMD, write its ru_maxrss (KiB) to FILE, pass on its status. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *f;

	if (argc < 3)
		return 125;
	pid = fork();
	if (pid < 0)
		return 125;
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 125;
	f = fopen(argv[1], "w");
	if (f) {
		fprintf(f, "%ld\n", ru.ru_maxrss);
		fclose(f);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
EOF
	if ! "$CC" -O2 -o "$tmp/maxrss" "$tmp/maxrss.c" 2>/dev/null; then
		note "/usr/bin/time (Debian package time) missing and no wait4 wrapper could be built: no RSS figures"
		rss_tool=none
	fi
fi
case $rss_tool in
gnu-time) rss_desc="GNU time -f %M (/usr/bin/time)" ;;
wrapper) rss_desc="a wait4() ru_maxrss wrapper (/usr/bin/time not available)" ;;
none) rss_desc="unavailable" ;;
*) die "RSS_TOOL must be gnu-time, wrapper or none, not '$rss_tool'" ;;
esac

# --- the build workload ------------------------------------------------------

build=$tmp/build
mkdir -p "$build"
for ((i = 1; i <= BUILD_FILES; i++)); do
	cat >"$build/f$i.c" <<EOF
#include <stdio.h>
#include <string.h>
int f$i(const char *s)
{
	int h = $i;
	for (size_t k = 0; k < strlen(s); k++)
		h = h * 31 + s[k];
	return h;
}
EOF
done
{
	echo '#include <stdio.h>'
	for ((i = 1; i <= BUILD_FILES; i++)); do echo "int f$i(const char *s);"; done
	echo 'int main(int argc, char **argv)'
	echo '{'
	echo '	int h = 0;'
	echo '	(void)argc;'
	for ((i = 1; i <= BUILD_FILES; i++)); do echo "	h ^= f$i(argv[0]);"; done
	echo '	printf("%d\n", h);'
	echo '	return 0;'
	echo '}'
} >"$build/main.c"
cat >"$build/Makefile" <<EOF
CC = $CC
OBJS = \$(patsubst %.c,%.o,\$(sort \$(wildcard *.c)))
prog: \$(OBJS)
	\$(CC) -o \$@ \$(OBJS)
%.o: %.c
	\$(CC) -O2 -c -o \$@ \$<
EOF

# --- measuring ---------------------------------------------------------------

# Microseconds since the epoch (bash 5's EPOCHREALTIME avoids forking date).
now_us() {
	if [[ -n ${EPOCHREALTIME:-} ]]; then
		local t=$EPOCHREALTIME
		echo $((10#${t%.*} * 1000000 + 10#${t#*.}))
	else
		echo $(($(date +%s%N) / 1000))
	fi
}

# measure TAG CMD...: run CMD (stdout to /dev/null, stderr to $tmp/TAG.err);
# sets last_us (wall time) and last_rss (KiB, or "" when unknown).
measure() {
	local tag=$1 t0 t1 rc=0
	shift
	: >"$tmp/rss"
	t0=$(now_us)
	case $rss_tool in
	gnu-time) /usr/bin/time -f %M -o "$tmp/rss" "${pin[@]}" "$@" >/dev/null 2>>"$tmp/$tag.err" || rc=$? ;;
	wrapper) "$tmp/maxrss" "$tmp/rss" "${pin[@]}" "$@" >/dev/null 2>>"$tmp/$tag.err" || rc=$? ;;
	none) "${pin[@]}" "$@" >/dev/null 2>>"$tmp/$tag.err" || rc=$? ;;
	esac
	t1=$(now_us)
	if ((rc != 0)); then
		echo "bench: '$*' exited with status $rc; its stderr ends with:" >&2
		tail -n 5 "$tmp/$tag.err" >&2
		exit 1
	fi
	last_us=$((t1 - t0))
	last_rss=$(tail -n 1 "$tmp/rss" 2>/dev/null || true)
	[[ $last_rss =~ ^[0-9]+$ ]] || last_rss=
}

# median of the arguments (integers)
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print ""; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# fmt_s MICROSECONDS -> seconds with 3 decimals, or n/a
fmt_s() {
	[[ -n ${1:-} ]] || { echo n/a; return; }
	awk -v u="$1" 'BEGIN { printf "%.3f", u / 1e6 }'
}

# ratio A B -> A/B with 2 decimals, or n/a
ratio() {
	[[ -n ${1:-} && -n ${2:-} && ${2:-0} != 0 ]] || { echo n/a; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

scwrap_cmd=("$SCWRAP" -q -o "$tmp/profile.json" --)
notify_cmd=("$SCWRAP" -b notify -q -o "$tmp/profile-notify.json" --)
have_notify=1
"${notify_cmd[@]}" true 2>/dev/null || {
	have_notify=0
	note "scwrap -b notify does not run here (kernel < 5.5?): its columns will read n/a"
}
strace_cmd=("$STRACE" -f -qq --seccomp-bpf -o /dev/null)
sys_cmd=("$sysbin" "$N")
build_cmd=(make -s -B -j1 -C "$build")

# run_workload NAME REPS CMD...: NAME_native/_scwrap/_strace arrays of
# microseconds, NAME_rss_scwrap/_strace arrays of KiB.
run_workload() {
	local name=$1 reps=$2 r
	shift 2
	eval "${name}_native=() ${name}_scwrap=() ${name}_strace=() ${name}_notify=()"
	eval "${name}_rss_native=() ${name}_rss_scwrap=() ${name}_rss_strace=()"
	measure "$name-native" "$@" # warm-up: page cache, dynamic loader
	for ((r = 1; r <= reps; r++)); do
		measure "$name-native" "$@"
		eval "${name}_native+=($last_us)"
		[[ -z $last_rss ]] || eval "${name}_rss_native+=($last_rss)"
		local line="$name rep $r/$reps: native $(fmt_s "$last_us") s"

		measure "$name-scwrap" "${scwrap_cmd[@]}" "$@"
		eval "${name}_scwrap+=($last_us)"
		[[ -z $last_rss ]] || eval "${name}_rss_scwrap+=($last_rss)"
		line+=", scwrap $(fmt_s "$last_us") s"

		if ((have_notify)); then
			measure "$name-notify" "${notify_cmd[@]}" "$@"
			eval "${name}_notify+=($last_us)"
			line+=", notify $(fmt_s "$last_us") s"
		fi

		if ((have_strace)); then
			measure "$name-strace" "${strace_cmd[@]}" "$@"
			eval "${name}_strace+=($last_us)"
			[[ -z $last_rss ]] || eval "${name}_rss_strace+=($last_rss)"
			line+=", strace $(fmt_s "$last_us") s"
		fi
		note "$line"
	done
}

# --- run -------------------------------------------------------------------

start_us=$(now_us)

echo "scwrap bench: $(uname -sr), $(nproc) CPU(s), $("$SCWRAP" -V 2>/dev/null | head -n 1)"
if ((have_strace)); then
	echo "strace: $("$STRACE" -V | head -n 1)"
fi
echo "peak RSS from: $rss_desc"
echo
echo "command lines (run from $PWD):"
echo "  syscalls, native : ${sys_cmd[*]}"
echo "  syscalls, scwrap : ${scwrap_cmd[*]} ${sys_cmd[*]}"
echo "  syscalls, notify : ${notify_cmd[*]} ${sys_cmd[*]}"
echo "  syscalls, strace : ${strace_cmd[*]} ${sys_cmd[*]}"
echo "  build,    native : ${build_cmd[*]}    ($BUILD_FILES x $CC -O2 -c, then one link)"
echo "  build,    scwrap : ${scwrap_cmd[*]} ${build_cmd[*]}"
echo "  build,    notify : ${notify_cmd[*]} ${build_cmd[*]}"
echo "  build,    strace : ${strace_cmd[*]} ${build_cmd[*]}"
echo "  memory, 1/10 N   : ${scwrap_cmd[*]} $sysbin $((N / 10))"
((have_strace)) || echo "  (strace not available: its runs are skipped)"
echo "each timed run is wrapped in the RSS tool; first run of each workload is an untimed warm-up"
if ((${#pin[@]})); then
	echo "every command runs pinned: ${pin[*]} (tracer and workload on one CPU)"
else
	echo "unpinned: the scheduler places tracer and workload (CPU=N pins both to CPU N)"
fi
echo

run_workload sys "$REPS" "${sys_cmd[@]}"
grep -q '"getppid"' "$tmp/profile.json" ||
	note "warning: scwrap's profile of the syscalls workload does not list getppid"
run_workload build "$BUILD_REPS" "${build_cmd[@]}"
[[ -x $build/prog ]] || die "the build workload did not produce $build/prog"

# memory with 10x fewer syscalls
small_rss=()
for ((r = 1; r <= REPS; r++)); do
	measure small-scwrap "${scwrap_cmd[@]}" "$sysbin" $((N / 10))
	[[ -z $last_rss ]] || small_rss+=("$last_rss")
done

# --- report ------------------------------------------------------------------

sn=$(median "${sys_native[@]}")
ss=$(median "${sys_scwrap[@]}")
st=$( ((have_strace)) && median "${sys_strace[@]}" || true)
bn=$(median "${build_native[@]}")
bs=$(median "${build_scwrap[@]}")
bt=$( ((have_strace)) && median "${build_strace[@]}" || true)

echo
echo "wall time, median of the repetitions (seconds):"
printf '%-26s %4s %9s %9s %9s %14s %14s\n' workload reps "native s" "scwrap s" "strace s" scwrap/native strace/native
printf '%-26s %4s %9s %9s %9s %14s %14s\n' "syscalls (N=$N)" "$REPS" \
	"$(fmt_s "$sn")" "$(fmt_s "$ss")" "$(fmt_s "$st")" "$(ratio "$ss" "$sn")" "$(ratio "$st" "$sn")"
printf '%-26s %4s %9s %9s %9s %14s %14s\n' "build ($BUILD_FILES cc -c + link)" "$BUILD_REPS" \
	"$(fmt_s "$bn")" "$(fmt_s "$bs")" "$(fmt_s "$bt")" "$(ratio "$bs" "$bn")" "$(ratio "$bt" "$bn")"

sy=$( ((have_notify)) && median "${sys_notify[@]}" || true)
by=$( ((have_notify)) && median "${build_notify[@]}" || true)
echo
echo "the notify backend (-b notify), median wall time (seconds):"
printf '%-26s %9s %14s %14s\n' workload "notify s" notify/native "notify/ptrace"
printf '%-26s %9s %14s %14s\n' "syscalls (N=$N)" "$(fmt_s "$sy")" "$(ratio "$sy" "$sn")" \
	"$(ratio "$(( ${sy:-0} - sn ))" "$(( ss - sn ))")"
printf '%-26s %9s %14s %14s\n' "build ($BUILD_FILES cc -c + link)" "$(fmt_s "$by")" \
	"$(ratio "$by" "$bn")" "$(ratio "$(( ${by:-0} - bn ))" "$(( bs - bn ))")"
echo "  (notify/ptrace: overhead over native, notify's over ptrace's; targets"
echo "   <= 0.60 on syscalls, <= 0.80 on the build)"
# per_rep NAME: notify/ptrace of each repetition, with that repetition's native
per_rep() {
	local name=$1 i out="" n s y
	local -n nat=${name}_native sc=${name}_scwrap no=${name}_notify
	for ((i = 0; i < ${#no[@]}; i++)); do
		n=${nat[i]} s=${sc[i]} y=${no[i]}
		out+=" $(ratio "$((y - n))" "$((s - n))")"
	done
	echo "${out:- n/a}"
}
if ((have_notify)); then
	echo "  notify/ptrace of each repetition (its own native run):"
	echo "    syscalls:$(per_rep sys)"
	echo "    build:   $(per_rep build)"
fi
echo
echo "per-syscall overhead on the syscalls workload, (t - t_native) / N:"
ov_s=$(awk -v t="$ss" -v n0="$sn" -v n="$N" 'BEGIN { printf "%.3f", (t - n0) / n }')
if [[ -n $st ]]; then
	ov_t="$(awk -v t="$st" -v n0="$sn" -v n="$N" 'BEGIN { printf "%.3f", (t - n0) / n }') us"
	ov_r=$(ratio "$ov_s" "${ov_t% us}")
	verdict=$(awk -v r="$ov_r" 'BEGIN { print (r <= 0.5) ? "met" : "NOT met" }')
else
	ov_t=n/a ov_r=n/a verdict="unknown (no strace)"
fi
printf '  scwrap %s us   strace %s   scwrap/strace %s   (target <= 0.50: %s)\n' \
	"$ov_s" "$ov_t" "$ov_r" "$verdict"
if [[ -s $tmp/sys-strace.err ]] && grep -q 'no syscalls to filter' "$tmp/sys-strace.err"; then
	echo "  note: strace said \"$(grep -m 1 'no syscalls to filter' "$tmp/sys-strace.err" | sed 's/^strace: //')\""
	echo "        with every syscall traced it drops the filter and stops twice per syscall (PTRACE_SYSCALL)"
fi

echo
echo "peak RSS (KiB, median; the larger of the tracer and its workload, via $rss_tool):"
if [[ $rss_tool == none ]]; then
	echo "  n/a"
else
	rb=$(median "${sys_rss_scwrap[@]}")
	rsm=$(median "${small_rss[@]}")
	printf '  %-32s %8s\n' "workload alone (native), N=$N" "$(median "${sys_rss_native[@]}")"
	printf '  %-32s %8s\n' "scwrap, N=$N" "${rb:-n/a}"
	printf '  %-32s %8s\n' "scwrap, N=$((N / 10))" "${rsm:-n/a}"
	printf '  growth from N/10 to N: %s KiB for %s more syscalls (ratio %s)\n' \
		"$(( ${rb:-0} - ${rsm:-0} ))" "$((N - N / 10))" "$(ratio "$rb" "$rsm")"
	if ((have_strace)); then
		printf '  %-32s %8s\n' "strace, N=$N (for comparison)" "$(median "${sys_rss_strace[@]}")"
	fi
	printf '  build workload: native %s, scwrap %s, strace %s (the compiler dominates)\n' \
		"$(median "${build_rss_native[@]}")" "$(median "${build_rss_scwrap[@]}")" \
		"$( ((have_strace)) && median "${build_rss_strace[@]}" || echo n/a)"
fi

echo
echo "samples (seconds, in run order):"
samples() {
	local label=$1 u out=""
	shift
	for u in "$@"; do out+=" $(fmt_s "$u")"; done
	printf '  %-16s%s\n' "$label" "${out:- n/a}"
}
samples "syscalls native" "${sys_native[@]}"
samples "syscalls scwrap" "${sys_scwrap[@]}"
samples "syscalls strace" "${sys_strace[@]}"
samples "build native" "${build_native[@]}"
samples "build scwrap" "${build_scwrap[@]}"
samples "build strace" "${build_strace[@]}"
samples "syscalls notify" "${sys_notify[@]}"
samples "build notify" "${build_notify[@]}"

echo
echo "total bench time: $(fmt_s $(($(now_us) - start_us))) s"
