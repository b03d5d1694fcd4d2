#!/bin/bash
# Every option --help lists is documented in the man page and completed by
# the bash and zsh completions; the man page renders without warnings.
. "$TESTS_SRCDIR/lib.sh"
top=$TESTS_SRCDIR/..

opts=$( (for c in "" audit check merge diff lint export agent; do "$SCWRAP" $c --help; done) | grep -oE -- '--[a-z][a-z-]+' | sort -u)
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

# doc/kubernetes: the DaemonSet's YAML parses, and its paths agree: the
# recording profile lands where the kubelet looks and the pod names it,
# it points at the socket the agent listens on, which is a hostPath, and
# the agent sees the host's pids.
if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
	got=$(python3 - "$top/doc/kubernetes/scwrap-agent.yaml" <<'EOF'
import sys, yaml
ds, pod = list(yaml.safe_load_all(open(sys.argv[1])))
spec = ds["spec"]["template"]["spec"]
vols = {v["name"]: v["hostPath"]["path"] for v in spec["volumes"]}
def mounts(c):
    return {m["mountPath"]: vols[m["name"]] for m in c["volumeMounts"]}
init, agent = spec["initContainers"][0], spec["containers"][0]
def opt(c, k):
    return [a.split("=", 1)[1] for a in c["command"] if a.startswith(k + "=")][0]
sock, out, rec = opt(agent, "--socket"), opt(agent, "--output-dir"), opt(init, "--output")
checks = [
    ds["kind"] == "DaemonSet" and spec["hostPID"] is True,
    agent["securityContext"]["privileged"] is True,
    opt(init, "--socket") == sock,
    any(sock.startswith(m + "/") and v == m for m, v in mounts(agent).items()),
    any(out == m and v == m for m, v in mounts(agent).items()),
    any(rec.startswith(m + "/") and v == "/var/lib/kubelet/seccomp" for m, v in mounts(init).items()),
    pod["spec"]["securityContext"]["seccompProfile"]
    == {"type": "Localhost", "localhostProfile": rec.rsplit("/", 1)[1]},
]
print(" ".join("ok" if c else "bad" for c in checks))
EOF
)
	is "$got" "ok ok ok ok ok ok ok" "doc/kubernetes/scwrap-agent.yaml parses, and its paths agree"
fi
done_testing
