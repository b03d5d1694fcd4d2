#!/bin/bash
# Every option --help lists is documented in the man page and completed by
# the bash and zsh completions; the man page renders without warnings.
. "$TESTS_SRCDIR/lib.sh"
top=$TESTS_SRCDIR/..

opts=$( (for c in "" audit check merge diff lint export; do "$SCWRAP" $c --help; done) | grep -oE -- '--[a-z][a-z-]+' | sort -u)
[ -n "$opts" ]; ok $? "--help lists long options"
for o in $opts; do
	sed 's/\\-/-/g' "$top/man/scwrap.1" | grep -q -- "$o"; ok $? "man page documents $o"
	grep -q -- "$o" "$top/completions/bash/scwrap"; ok $? "bash completion offers $o"
	grep -q -- "$o" "$top/completions/zsh/_scwrap"; ok $? "zsh completion offers $o"
done
if command -v man >/dev/null && man --help 2>&1 | grep -q -- --warnings; then
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$top/man/scwrap.1" 2>&1 >/dev/null)
	is "$warn" "" "the man page renders without warnings"
fi
bash -n "$top/completions/bash/scwrap"; ok $? "bash completion parses"
done_testing
