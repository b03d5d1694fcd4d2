#!/bin/sh
# run.sh - build scwrap's fuzz targets with libFuzzer, ASan and UBSan
# against the library sources, and run each for FUZZ_SECONDS (default 60).
#
#   tests/fuzz/run.sh [TARGET]...     targets: auditrec profile model
#                                     (default: all three)
#
# `make fuzz` runs it with the build's paths and libraries.  The corpus of
# each target grows in $FUZZ_WORKDIR/corpus-TARGET, seeded from
# tests/fixtures (model: tests/fuzz/seeds-model) and tests/fuzz/regress; an input that crashes, hangs, leaks
# or trips UBSan is kept as $FUZZ_WORKDIR/crash-TARGET-*, and the script
# exits 1.  Keep it as tests/fuzz/regress/TARGET-WHAT so that `make check`
# replays it (tests/unit-regress).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${FUZZ_SECONDS:=60}"
: "${FUZZ_CC:=clang}"
: "${FUZZ_WORKDIR:=$top_builddir/tests/fuzz}"
: "${FUZZ_LIBS:=$(pkg-config --libs libseccomp libcjson audit)}"
: "${FUZZ_CPPFLAGS:=$(pkg-config --cflags libseccomp libcjson audit)}"

command -v "$FUZZ_CC" >/dev/null 2>&1 || {
	echo "run.sh: $FUZZ_CC not found: apt-get install clang libclang-rt-14-dev" >&2
	exit 2
}
[ -f "$top_builddir/config.h" ] || {
	echo "run.sh: no config.h in $top_builddir: run ./configure first" >&2
	exit 2
}
mkdir -p "$FUZZ_WORKDIR" || exit 2

targets=${*:-auditrec profile model}
rc=0
for t in $targets; do
	case $t in
	auditrec) seeds=$top_srcdir/tests/fixtures/audit ;;
	profile) seeds=$top_srcdir/tests/fixtures/profiles ;;
	model) seeds=$top_srcdir/tests/fuzz/seeds-model ;;
	*) echo "run.sh: unknown target '$t' (auditrec, profile, model)" >&2; exit 2 ;;
	esac
	bin=$FUZZ_WORKDIR/fuzz-$t
	echo "run.sh: building $bin"
	# shellcheck disable=SC2086 # the flag lists are word lists
	"$FUZZ_CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -I"$top_builddir" -I"$top_srcdir/src" \
		-DSCW_PKGDATADIR="\"$top_srcdir/data\"" -DSCW_SRCDATADIR="\"$top_srcdir/data\"" \
		$FUZZ_CPPFLAGS -o "$bin" "$top_srcdir/tests/fuzz/fuzz-$t.c" \
		"$top_srcdir"/src/lib/*.c $FUZZ_LIBS || exit 2

	corpus=$FUZZ_WORKDIR/corpus-$t
	mkdir -p "$corpus"
	for f in "$seeds"/* "$top_srcdir"/tests/fuzz/regress/"$t"-*; do
		case $f in *.md | *"*") continue ;; esac
		[ -f "$f" ] && cp "$f" "$corpus/"
	done
	dict=
	[ -f "$top_srcdir/tests/fuzz/$t.dict" ] && dict=-dict="$top_srcdir/tests/fuzz/$t.dict"
	echo "run.sh: fuzzing $t for $FUZZ_SECONDS s"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		${dict:+"$dict"} -artifact_prefix="$FUZZ_WORKDIR/crash-$t-" \
		-print_final_stats=1 "$corpus" || {
		echo "run.sh: $t: a finding, kept in $FUZZ_WORKDIR/crash-$t-*" >&2
		rc=1
	}
done
exit $rc
