#!/bin/bash
# --container: the default is the union of every runtime list (runc and
# crun, either noNewPrivileges), each name's rule naming the lists that
# need it; several lists at once (commas, or the option repeated); the
# init lists; the summary names the engines the profile starts in and
# warns where it will not; list files are read with bounds.
. "$TESTS_SRCDIR/lib.sh"
export LC_ALL=C
require_ptrace
cd "$T" || exit 1

# rule_of FILE NAME: the comment of the runtime rule that allows NAME.
rule_of() {
	jq -r --arg n "$2" '.syscalls[] | select((.comment // "") | startswith("scwrap:runtime"))
		| select(.names | index($n)) | .comment' "$1"
}

"$SCWRAP" --container -o all.json -- true 2>all.err; st=$?
is "$st" 0 "--container alone records"
# setresgid: crun's only (noNewPrivileges false); capget: runc's only.
like "$(rule_of all.json setresgid)" 'crun' "the default has crun's list (setresgid)"
like "$(rule_of all.json capget)" 'runc' "and runc's (capget)"
is "$(rule_of all.json capset)" "scwrap:runtime: what runc, crun need after loading the profile" \
	"a name both need: its rule names both"
is "$(rule_of all.json setresgid)" "scwrap:runtime: what crun needs after loading the profile" \
	"a name one needs: its rule names that one"
like "$(cat all.err)" 'made for docker, podman --runtime runc, ctr and runc \(either noNewPrivileges\), podman and crun \(either noNewPrivileges\)' \
	"the closing hint names the engines and settings"
unlike "$(cat all.err)" 'will not start' "and warns of nothing"

"$SCWRAP" -q --container=runc,crun -o both.json -- true; st=$?
is "$st" 0 "--container=runc,crun is accepted"
is "$(jq -S . both.json)" "$(jq -S . all.json)" "and is the default"
"$SCWRAP" -q --container=runc --container=crun -o twice.json -- true
is "$(jq -S . twice.json)" "$(jq -S . all.json)" "--container given twice adds, not replaces"
"$SCWRAP" -q --container --container=tini -o tini.json -- true
is "$(rule_of tini.json rt_sigtimedwait)" "scwrap:runtime: what tini needs after loading the profile" \
	"--container=tini adds tini's calls"
"$SCWRAP" -q --container=catatonit,runc -o cat.json -- true
is "$(rule_of cat.json signalfd4)" "scwrap:runtime: what catatonit needs after loading the profile" \
	"catatonit's list too"

"$SCWRAP" --container=runc -o runc.json -- true 2>runc.err
like "$(cat runc.err)" 'will not start under crun' "runc alone: a warning that crun will not start it"
"$SCWRAP" --container=runc-nnp,crun -o nnp.json -- true 2>nnp.err
like "$(cat nnp.err)" 'under runc the container starts only with no-new-privileges' \
	"runc-nnp: a warning about docker's default"

"$SCWRAP" -q --container=runc,,crun -o x.json -- true 2>empty.err; st=$?
is "$st" 125 "an empty name in the list: exit 125"
like "$(cat empty.err)" 'empty name' "said as such"
"$SCWRAP" -q --container=runc,nosuch -o x.json -- true 2>unknown.err; st=$?
is "$st" 125 "an unknown list: exit 125"
like "$(cat unknown.err)" "no list of what runtime 'nosuch' needs.*tini" "named, with the lists scwrap ships"

# A list file's long line is refused whole, not read in pieces: a comment
# of 300 bytes whose 256th byte began "setns" once allowed setns.
{ printf '# %0253d' 0; echo 'setns and more words'; echo getpid; } >long.list
"$SCWRAP" -q --container=./long.list -o long.json -- true 2>long.err; st=$?
is "$st" 0 "a list with a long comment line is read"
is "$(rule_of long.json setns)" "" "a name inside the comment is not allowed"
is "$(rule_of long.json getpid)" "scwrap:runtime: what ./long.list needs after loading the profile" \
	"the name after it is"
{ printf '# %01100d\n' 0; echo getpid; } >toolong.list
"$SCWRAP" -q --container=./toolong.list -o x.json -- true 2>toolong.err; st=$?
is "$st" 125 "a line longer than the bound: exit 125"
like "$(cat toolong.err)" 'toolong.list:1: a line longer than' "named with file and line"
printf '%0100d\n' 0 | tr 0 a >longname.list
"$SCWRAP" -q --container=./longname.list -o x.json -- true 2>longname.err; st=$?
is "$st" 125 "a 100-letter name is not a syscall name: exit 125"

# The host is not the container: a shell there has PWD and never calls
# getcwd; in a container it does.  The always layer has it.
PWD=$T "$SCWRAP" --container=crun-nnp -o sh.json -- sh -c true 2>sh.err
allowed sh.json | grep -qx getcwd; ok $? "a shell recorded with PWD set: getcwd is allowed all the same"
like "$(cat sh.err)" 'added getcwd: shells call it at start where PWD is unset' "the summary says why"

done_testing
