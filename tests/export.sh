#!/bin/bash
# scwrap export: real profiles (tests/fixtures/profiles, see PROVENANCE.md)
# and profiles recorded here, in every format, each checked by what reads
# it: python3-yaml against the SeccompProfile CRD's fields, systemd-analyze
# verify, jq, and the kernel itself for BPF.
. "$TESTS_SRCDIR/lib.sh"
require_cmd jq python3 systemd-analyze
require_ptrace

FX=$TESTS_SRCDIR/fixtures/profiles
BPF_LOAD=$TESTS_BUILDDIR/bpf-load
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import yaml' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || skip_all "python3 has no yaml module (python3-yaml)"
[ -x "$BPF_LOAD" ] || skip_all "tests/bpf-load is not built (make check builds it)"

fixtures="moby-profiles_default hakoniwa_fine-grained-x86 seccompagent_notify-dangerous containers-common_seccomp issue_crun-453_flags-log"

# Profiles recorded by scwrap itself.
"$SCWRAP" -q -o "$T/ls.json" -- ls / >/dev/null
ok $? "record ls / to export it"
"$SCWRAP" -q -o "$T/true.json" -- true
ok $? "record true to export it"
cp "$T/ls.json" "$T/recorded-ls.json"
inputs="$fixtures recorded-ls"
input() { if [ "$1" = recorded-ls ]; then echo "$T/recorded-ls.json"; else echo "$FX/$1.json"; fi; }

# ---- oci ----------------------------------------------------------------
out=$("$SCWRAP" export "$T/ls.json")
ok $? "oci is the default format"
is "$(jq -S . <<<"$out")" "$(jq -S . "$T/ls.json")" "oci: a recorded profile comes back as it was"
for f in $fixtures; do
	"$SCWRAP" export -q -F oci -o "$T/$f.oci.json" "$(input "$f")"
	ok $? "oci: $f"
done

# ---- k8s ----------------------------------------------------------------
# The SeccompProfile CRD, version v1beta1, as the Security Profiles Operator
# ships it: kubernetes-sigs/security-profiles-operator,
# bundle/manifests/security-profiles-operator.x-k8s.io_seccompprofiles.yaml
# at commit f9e441dd943d1d2efa0901365a548bb6f389f560 (Apache-2.0); the Go
# types are api/seccompprofile/v1beta1/seccompprofile_types.go.  Only the
# field names, types, required fields and enums are transcribed here.
# spec.disabled is required there but has a default (false): the API server
# fills it in, and scwrap leaves it out so that older CRDs, which have no
# such field, take the resource too.  An older CRD typed errnoRet a string;
# this one (and the Go type, uint) an integer.
cat >"$T/crd-check.py" <<'EOF'
import json, re, sys, yaml

ACTIONS = ["SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
           "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
           "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"]
ARCHES = ["SCMP_ARCH_NATIVE", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
          "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
          "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
          "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
          "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
          "SCMP_ARCH_RISCV64"]
FLAGS = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
         "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]
OPS = ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
       "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"]
SPEC = {"architectures": list, "baseProfileName": str, "defaultAction": str,
        "disabled": bool, "flags": list, "listenerMetadata": str, "listenerPath": str,
        "syscalls": list}
SYSCALL = {"action": str, "args": list, "errnoRet": int, "names": list}
ARG = {"index": int, "op": str, "value": int, "valueTwo": int}
DNS1123 = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

def fail(msg):
    print(msg)
    sys.exit(1)

def fields(obj, allowed, required, where):
    if not isinstance(obj, dict):
        fail(f"{where} is not a mapping")
    for k, v in obj.items():
        if k not in allowed:
            fail(f"{where}.{k} is not a field of the CRD")
        if not isinstance(v, allowed[k]) or (allowed[k] is int and isinstance(v, bool)):
            fail(f"{where}.{k} is not of type {allowed[k].__name__}")
    for k in required:
        if k not in obj:
            fail(f"{where}.{k} is required")

doc = yaml.safe_load(open(sys.argv[1]))
fields(doc, {"apiVersion": str, "kind": str, "metadata": dict, "spec": dict},
       ["apiVersion", "kind", "metadata", "spec"], "")
if doc["apiVersion"] != "security-profiles-operator.x-k8s.io/v1beta1" or doc["kind"] != "SeccompProfile":
    fail("not a SeccompProfile of security-profiles-operator.x-k8s.io/v1beta1")
fields(doc["metadata"], {"name": str}, ["name"], "metadata")
name = doc["metadata"]["name"]
if len(name) > 253 or not DNS1123.match(name):
    fail(f"metadata.name {name!r} is not a DNS-1123 subdomain")
spec = doc["spec"]
fields(spec, SPEC, ["defaultAction"], "spec")
if spec["defaultAction"] not in ACTIONS:
    fail("spec.defaultAction not in the enum")
for a in spec.get("architectures", []):
    if a not in ARCHES:
        fail(f"architecture {a} not in the enum")
for f in spec.get("flags", []):
    if f not in FLAGS:
        fail(f"flag {f} not in the enum")
for i, s in enumerate(spec.get("syscalls", [])):
    w = f"spec.syscalls[{i}]"
    fields(s, SYSCALL, ["action", "names"], w)
    if s["action"] not in ACTIONS:
        fail(f"{w}.action not in the enum")
    if not s["names"] or not all(isinstance(n, str) for n in s["names"]):
        fail(f"{w}.names is not a list of strings")
    if len(s.get("args", [])) > 6:
        fail(f"{w}.args has more than 6 items")
    for j, a in enumerate(s.get("args", [])):
        fields(a, ARG, ["index", "op"], f"{w}.args[{j}]")
        if a["op"] not in OPS or a["index"] < 0 or a.get("value", 0) < 0 or a.get("valueTwo", 0) < 0:
            fail(f"{w}.args[{j}] out of the CRD's range")

# The same profile as the OCI export says it (comments aside).
if len(sys.argv) > 2:
    want = json.load(open(sys.argv[2]))
    got = {"defaultAction": spec["defaultAction"]}
    for k in ("architectures", "flags", "listenerPath", "listenerMetadata"):
        if k in spec:
            got[k] = spec[k]
    got["syscalls"] = spec.get("syscalls", [])
    exp = {k: want[k] for k in ("defaultAction", "architectures", "flags", "listenerPath",
                                "listenerMetadata") if want.get(k)}
    exp["syscalls"] = [{k: v for k, v in r.items() if k != "comment"} for r in want.get("syscalls", [])]
    if got != exp:
        fail(f"the resource says another profile:\n{json.dumps(got)[:600]}\n{json.dumps(exp)[:600]}")
print("ok")
EOF

for f in $inputs; do
	"$SCWRAP" export -F k8s -o "$T/$f.yaml" "$(input "$f")" 2>"$T/$f.k8s.err"
	ok $? "k8s: $f exports"
	"$SCWRAP" export -q -F oci -o "$T/$f.oci.json" "$(input "$f")"
	res=$("$PY" "$T/crd-check.py" "$T/$f.yaml" "$T/$f.oci.json" 2>&1)
	is "$res" ok "k8s: $f has the CRD's fields and enums only, and says the same profile"
done
# The checker itself: a field the CRD lacks is caught.
sed 's/^spec:$/spec:\n  defaultErrnoRet: 1/' "$T/recorded-ls.yaml" >"$T/control.yaml"
like "$("$PY" "$T/crd-check.py" "$T/control.yaml")" 'defaultErrnoRet is not a field of the CRD' \
	"k8s: (control) the checker refuses a field the CRD has not"
like "$(cat "$T/containers-common_seccomp.k8s.err")" \
	'^scwrap: note: defaultErrnoRet 38: the SeccompProfile has no such field' \
	"k8s: a defaultErrnoRet other than EPERM is noted"
like "$(sed -n '/^  listenerMetadata/p' "$T/seccompagent_notify-dangerous.yaml")" \
	'^  listenerMetadata: "DEFAULT_ACTION=kill-container\\nMIDDLEWARE=falco"$' \
	"k8s: a multi-line listenerMetadata is one escaped line"

# Strings YAML would misread unquoted or unescaped.
"$PY" - "$T/odd.json" <<'EOF'
import json, sys
json.dump({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
           "listenerPath": "/run/a: b #c \"d\" \\e",
           "listenerMetadata": "yes\n- no: {x}\t&y *z\r\u00e9\u2028\U0001f600\u0085~",
           "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY",
                         "comment": "a comment\nwith # and \"quotes\""}]},
          open(sys.argv[1], "w"))
EOF
"$SCWRAP" export -q -F k8s --name odd.profile-1 -o "$T/odd.yaml" "$T/odd.json"
ok $? "k8s: a profile of odd strings exports"
is "$("$PY" "$T/crd-check.py" "$T/odd.yaml" "$T/odd.json")" ok \
	"k8s: odd strings come back exactly (quotes, colons, #, tabs, CR, U+2028, U+0085, emoji)"
is "$("$PY" -c 'import yaml,sys; print(yaml.safe_load(open(sys.argv[1]))["metadata"]["name"])' "$T/odd.yaml")" \
	odd.profile-1 "k8s: --name sets metadata.name"
LC_ALL=C grep -q '[^ -~]' "$T/odd.yaml"
ok $((!$?)) "k8s: the YAML is printable ASCII"

for bad in Upper under_score -lead trail- a..b "$(printf 'a%.0s' $(seq 254))"; do
	err=$("$SCWRAP" export -F k8s --name "$bad" "$T/ls.json" 2>&1 >/dev/null)
	st=$?
	[ $st -eq 125 ] && [[ $err == *DNS-1123* ]]
	ok $? "k8s: --name '${bad:0:20}' refused (exit $st), saying what a name is"
done

# A recording checks --name before the workload runs.
"$SCWRAP" -q -F k8s --name Bad_Name -o "$T/rec.yaml" -- sh -c ': >"$0"' "$T/ran" 2>"$T/rec.err"
is $? 125 "record -F k8s: a bad --name is refused (exit 125)"
[ ! -e "$T/ran" ] && grep -q DNS-1123 "$T/rec.err"
ok $? "record -F k8s: ... before the workload runs, saying what a name is"

# ---- systemd ------------------------------------------------------------
# unit NAME FRAGMENT: a unit running /bin/true with the fragment.
unit() {
	{ printf '[Unit]\nDescription=scwrap export test\n\n'; sed 's|^\[Service\]$|[Service]\nExecStart=/bin/true|' "$2"; } >"$T/$1.service"
}
for f in $inputs; do
	"$SCWRAP" export -F systemd -o "$T/$f.conf" "$(input "$f")" 2>"$T/$f.sd.err"
	ok $? "systemd: $f exports"
	unit "sd-$f" "$T/$f.conf"
	res=$(cd "$T" && systemd-analyze verify "./sd-$f.service" 2>&1)
	st=$?
	[ $st -eq 0 ] && ! grep -q "sd-$f.service" <<<"$res"
	ok $? "systemd: systemd-analyze verify takes $f's fragment without a word about it"
	[ -z "$res" ] || diag "$res"
done

# The check itself: verify does speak up about a line it cannot use.
printf '[Service]\nSystemCallFilter=read nosuchcall_scwrap\n' >"$T/control.conf"
unit sd-control "$T/control.conf"
like "$(cd "$T" && systemd-analyze verify ./sd-control.service 2>&1)" 'sd-control.service:.*nosuchcall_scwrap' \
	"systemd: (control) verify names a syscall it does not know"

# What moby's default says, in systemd's words.
conf=$(cat "$T/moby-profiles_default.conf")
like "$conf" $'^SystemCallFilter=~clone3:ENOSYS$' "systemd: Docker's clone3 keeps its ENOSYS"
like "$conf" '^SystemCallErrorNumber=EPERM$' "systemd: the default errno by name"
like "$conf" '^SystemCallArchitectures=x86-64 x86 x32$' "systemd: x86-64 x86 x32, systemd's names"
got=$(sed -n 's/^SystemCallFilter=\([^~]\)/\1/p' "$T/moby-profiles_default.conf" | tr ' ' '\n' | sort)
want=$("$SCWRAP" export -q -F text "$FX/moby-profiles_default.json")
unknown=$(sed -n 's/.*names libseccomp does not know, left out[^:]*: //p' "$T/moby-profiles_default.sd.err" | tr ' ' '\n')
want=$(comm -23 <(echo "$want") <(echo "$unknown" | sort))
is "$got" "$want" "systemd: the allow list is the profile's allowed names, less those libseccomp does not know"
[ -n "$unknown" ]; ok $? "systemd: names libseccomp does not know are said in a note"
like "$(cat "$T/moby-profiles_default.sd.err")" \
	'note: argument conditions dropped: allowed whatever the arguments \(broadened; .*\): clone personality socket$' \
	"systemd: conditions dropped, broadened, the calls named"

# A denylist with an agent: names denied, the agent's absence said.
conf=$(cat "$T/seccompagent_notify-dangerous.conf")
got=$(grep '^SystemCallFilter=' <<<"$conf" | grep -vc '^SystemCallFilter=~')
is "$got" 0 "systemd: a denylist is written with ~ on every line"
got=$(sed -n 's/^SystemCallFilter=~//p' <<<"$conf" | tr ' ' '\n' | sort)
want=$(jq -r '.syscalls[] | select(.action == "SCMP_ACT_NOTIFY") | .names[]' "$FX/seccompagent_notify-dangerous.json" | sort)
is "$got" "$want" "systemd: the denylist is the NOTIFY rule's names"
like "$conf" '^SystemCallErrorNumber=ENOSYS$' "systemd: no agent: ENOSYS, as the kernel answers"
like "$(cat "$T/seccompagent_notify-dangerous.sd.err")" 'note: SCMP_ACT_NOTIFY: no seccomp agent under systemd' \
	"systemd: NOTIFY noted"
like "$(cat "$T/seccompagent_notify-dangerous.sd.err")" 'note: listenerPath and listenerMetadata dropped' \
	"systemd: the listener noted"

# A denylist whose rules answer differently.
cat >"$T/deny.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mount", "umount2", "pivot_root"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
              {"names": ["reboot"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
              {"names": ["kexec_load"], "action": "SCMP_ACT_KILL_PROCESS"},
              {"names": ["setns"], "action": "SCMP_ACT_LOG"}]}
EOF
"$SCWRAP" export -F systemd -o "$T/deny.conf" "$T/deny.json" 2>"$T/deny.err"
ok $? "systemd: a denylist with several answers exports"
like "$(cat "$T/deny.conf")" '^SystemCallFilter=~kexec_load:kill mount pivot_root reboot:EACCES umount2$' \
	"systemd: per-name answers as ~NAME:ERRNO and ~NAME:kill"
like "$(cat "$T/deny.conf")" '^SystemCallLog=setns$' "systemd: SCMP_ACT_LOG as SystemCallLog="
unit sd-deny "$T/deny.conf"
res=$(cd "$T" && systemd-analyze verify ./sd-deny.service 2>&1)
ok $? "systemd: systemd-analyze verify takes the denylist"
unlike "$res" 'sd-deny' "systemd: ... without a word about it"

# ---- text ---------------------------------------------------------------
allowed_jq='[.syscalls[]? | select(.action == "SCMP_ACT_ALLOW" or .action == "SCMP_ACT_LOG") | .names[]] | unique | .[]'
for f in $inputs; do
	got=$("$SCWRAP" export -F text "$(input "$f")" 2>"$T/$f.text.err")
	ok $? "text: $f exports"
	is "$got" "$(jq -r "$allowed_jq" "$T/$f.oci.json")" "text: $f: the allowed names, sorted, once each"
done
is "$("$SCWRAP" export -q -F text "$FX/hakoniwa_fine-grained-x86.json")" \
	"$(jq -r "$allowed_jq" "$FX/hakoniwa_fine-grained-x86.json")" \
	"text: hakoniwa's 371 names, straight from the file"
is "$("$SCWRAP" export -F text "$T/ls.json")" "$(jq -r "$allowed_jq" "$T/ls.json")" \
	"text: a recorded profile's allowed names, every layer"
like "$(cat "$T/moby-profiles_default.text.err")" 'note: conditional: .*: clone personality socket$' \
	"text: names allowed under conditions are noted"
like "$(cat "$T/seccompagent_notify-dangerous.text.err")" 'allows every call not listed' \
	"text: a denylist says the list is not what it allows"

# ---- bpf ----------------------------------------------------------------
for f in $inputs; do
	"$SCWRAP" export -q -F bpf -o "$T/$f.bpf" "$(input "$f")"
	ok $? "bpf: $f exports"
	size=$(stat -c %s "$T/$f.bpf")
	[ "$size" -gt 0 ] && [ $((size % 8)) -eq 0 ]
	ok $? "bpf: $f is whole struct sock_filter instructions ($size bytes)"
done
"$SCWRAP" export -F bpf -o "$T/true.bpf" "$T/true.json"
ok $? "bpf: the profile of true exports"
"$BPF_LOAD" "$T/true.bpf" /bin/true
ok $? "bpf: under its own program, loaded with seccomp(2), true runs and exits 0"
"$BPF_LOAD" -c brk "$T/true.bpf"
is $? 0 "bpf: a call in the profile (brk) runs"
jq -e '[.syscalls[].names[]] | index("getppid") == null' "$T/true.json" >/dev/null
ok $? "bpf: true makes no getppid, so..."
"$BPF_LOAD" -c getppid "$T/true.bpf"
is $? 1 "bpf: ... getppid fails with EPERM (1) under its program"
"$BPF_LOAD" "$T/moby-profiles_default.bpf" /bin/true
ok $? "bpf: true runs under Docker's default"
"$BPF_LOAD" -c clone3 "$T/moby-profiles_default.bpf"
is $? 38 "bpf: Docker's default answers clone3 with ENOSYS (38)"
"$BPF_LOAD" -c mount "$T/moby-profiles_default.bpf"
is $? 1 "bpf: Docker's default denies mount with EPERM"
"$BPF_LOAD" -c mount "$T/seccompagent_notify-dangerous.bpf"
is $? 38 "bpf: a NOTIFY rule without an agent: ENOSYS (38), as the systemd export says"
"$BPF_LOAD" "$T/seccompagent_notify-dangerous.bpf" /bin/true
ok $? "bpf: true runs under the NOTIFY denylist"

# Refused on a terminal: run it on a pseudo-terminal.
cat >"$T/on-pty.py" <<'EOF'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        d = os.read(fd, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(st))
EOF
out=$("$PY" "$T/on-pty.py" "$SCWRAP" export -F bpf "$T/true.json")
st=$?
is $st 125 "bpf: refused on a terminal (exit 125)"
like "$out" '^scwrap: the bpf format is binary and standard output is a terminal: write it to a file with -o FILE' \
	"bpf: ... with one line saying to use -o FILE"
out=$("$PY" "$T/on-pty.py" "$SCWRAP" export -F text "$T/true.json")
is $? 0 "text: written to a terminal"

# ---- the command line ---------------------------------------------------
out=$("$SCWRAP" export --help)
ok $? "export --help exits 0"
for f in oci k8s systemd text bpf; do
	like "$out" "^ +$f " "export --help lists the $f format"
done
err=$("$SCWRAP" export -F yaml "$T/ls.json" 2>&1)
is $? 125 "unknown format: exit 125"
like "$err" "^scwrap: unknown format 'yaml' \(oci, k8s, systemd, text or bpf\)" "unknown format: the formats named"
err=$("$SCWRAP" export "$T/nosuch.json" 2>&1)
is $? 125 "missing profile: exit 125"
like "$err" '^scwrap: cannot read .*nosuch.json: No such file or directory; name an OCI/Docker JSON profile' \
	"missing profile: the cause and the way out"
printf '{"defaultAction": "SCMP_ACT_ALLOW", ' >"$T/bad.json"
err=$("$SCWRAP" export -F k8s -o "$T/bad.yaml" "$T/bad.json" 2>&1)
is $? 125 "invalid JSON: exit 125"
like "$err" '^scwrap: .*bad.json is not a JSON seccomp profile; ' "invalid JSON: one line, with a hint"
[ ! -e "$T/bad.yaml" ]; ok $? "invalid JSON: nothing written"
err=$("$SCWRAP" export -F text --name x "$T/ls.json" 2>&1)
is $? 125 "--name without -F k8s: exit 125"
like "$err" '^scwrap: --name goes with -F k8s' "--name without -F k8s: said so"
err=$("$SCWRAP" export 2>&1)
is $? 125 "no profile: exit 125"
err=$("$SCWRAP" export "$T/ls.json" "$T/true.json" 2>&1)
is $? 125 "two profiles: exit 125"
err=$("$SCWRAP" export -o "$T/nodir/x.yaml" -F k8s "$T/ls.json" 2>&1)
is $? 125 "an output directory that does not exist: exit 125"
is "$("$SCWRAP" export -F text - <"$T/ls.json")" "$("$SCWRAP" export -F text "$T/ls.json")" \
	"PROFILE - is standard input"
err=$("$SCWRAP" export -q -F systemd "$FX/moby-profiles_default.json" 2>&1 >/dev/null)
is "$err" "" "-q: no notes"
err=$("$SCWRAP" export -F systemd "$FX/moby-profiles_default.json" 2>&1 >/dev/null)
like "$err" '^scwrap: note: ' "notes go to stderr as 'scwrap: note: ...'"

done_testing
