#!/bin/bash
# The live status never touches the workload's screen: under a real
# terminal (tmux), an interactive shell recorded by scwrap keeps its prompt
# and its typed input, the counts go to the terminal's title, set only when
# they change, and the title is given back at the end.
. "$TESTS_SRCDIR/lib.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed (README's test command installs it)"
command -v script >/dev/null || skip_all "script(1) is not installed (bsdutils)"
plan 8

sock="scwrap-status-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
stop_tmux() { tm kill-server 2>/dev/null; }
at_exit stop_tmux
screen() { tm capture-pane -p -S - -E -; }
title() { tm display -p '#{pane_title}'; }
shows() { screen | grep -q -- "$1"; }
title_is_status() { title | grep -q '^scwrap: 1 process alive'; }

# One pane, tall enough for the summary; the shell's prompt is "$ ".
tm new-session -d -x 120 -y 100 \
	"env PS1='\$ ' '$SCWRAP' -o '$T/i.json' -- sh -i; echo scwrap-exit=\$?; sleep 600"
wait_for 10 shows '^\$ *$'
ok $? "an interactive shell under scwrap shows its prompt"
tm send-keys "echo hel"
# Half typed: wait until the status has been set while the line waits.
wait_for 10 title_is_status
ok $? "the terminal's title shows the live status ($(title))"
tm send-keys "lo" Enter
wait_for 10 shows '^hello$'
tm send-keys "exit" Enter
wait_for 20 shows '^scwrap-exit='
like "$(screen)" 'scwrap-exit=0' "the shell and scwrap exit 0"
is "$(screen | grep -x -A1 '\$ echo hello' | tail -n 1)" "hello" \
	"the prompt, the typed input and the output are intact"
unlike() { ! grep -q -- "$1" <<<"$2"; }
unlike 'process alive\|syscalls, [0-9]* distinct' "$(screen)"
ok $? "no status text on the screen"
title_is_status
is $? 1 "the title is given back at the end ($(title))"

# Set only on change: a workload that sleeps makes no syscall, so the title
# is set once or twice, not four times a second.
script -qc "'$SCWRAP' -o '$T/s.json' -- sleep 2" /dev/null > "$T/raw" 2>&1
n=$(grep -o $'\e\\]2;scwrap' "$T/raw" | wc -l)
[ "$n" -ge 1 ] && [ "$n" -le 3 ]
ok $? "the title is set only when the counts change ($n times in 2 s of sleep)"
grep -q $'\r\e\\[K' "$T/raw"
is $? 1 "and no line is erased"
done_testing
