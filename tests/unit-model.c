/* unit-model.c - the profile model on real and made-up profiles: reading
 * Docker's and Podman's forms, verdicts, merge rules, layers, JSON round
 * trips, and bad input refused with a message. */
#include <config.h>

#include <errno.h>
#include <seccomp.h>

#include "lib/abi.h"
#include "lib/additions.h"
#include "lib/lint.h"
#include "lib/profile.h"
#include "lib/diff.h"
#include "lib/report.h"
#include "lib/util.h"
#include "fuzz/fuzz.h"
#include "tap.h"

static const char *fixture(const char *name)
{
	static char path[4096];
	const char *dir = getenv("TESTS_SRCDIR");
	snprintf(path, sizeof(path), "%s/fixtures/profiles/%s", dir ? dir : "tests", name);
	return path;
}

static struct scw_profile *parse(const char *json, scw_error *err)
{
	memset(err, 0, sizeof(*err));
	return scw_profile_from_json(json, "test", err);
}

static const char *verdict(const struct scw_profile *p, const char *name)
{
	static char buf[64];
	struct scw_verdict v;
	scw_profile_verdict(p, name, &v);
	snprintf(buf, sizeof(buf), "%s/%d%s", scw_action_name(v.action),
		 v.action == SCW_ACT_ERRNO ? v.errno_ret : 0, v.conditional ? "/cond" : "");
	return buf;
}

/* Every name of an ABI, as each consumer spells it: an oracle written from
 * the OCI spec, Go's GOARCH list, systemd.exec(5) and the SeccompProfile
 * CRD, not from abi.c. */
static void test_abis(void)
{
	static const struct {
		uint32_t token;
		const char *name, *oci, *go, *systemd;
		bool k8s;
	} want[] = {
	    {SCMP_ARCH_X86, "x86", "SCMP_ARCH_X86", "386", "x86", true},
	    {SCMP_ARCH_X86_64, "x86_64", "SCMP_ARCH_X86_64", "amd64", "x86-64", true},
	    {SCMP_ARCH_X32, "x32", "SCMP_ARCH_X32", NULL, "x32", true},
	    {SCMP_ARCH_ARM, "arm", "SCMP_ARCH_ARM", "arm", "arm", true},
	    {SCMP_ARCH_AARCH64, "aarch64", "SCMP_ARCH_AARCH64", "arm64", "arm64", true},
	    {SCMP_ARCH_MIPS, "mips", "SCMP_ARCH_MIPS", NULL, "mips", true},
	    {SCMP_ARCH_MIPS64, "mips64", "SCMP_ARCH_MIPS64", "mips64", "mips64", true},
	    {SCMP_ARCH_MIPS64N32, "mips64n32", "SCMP_ARCH_MIPS64N32", NULL, "mips64-n32", true},
	    {SCMP_ARCH_MIPSEL, "mipsel", "SCMP_ARCH_MIPSEL", NULL, "mips-le", true},
	    {SCMP_ARCH_MIPSEL64, "mipsel64", "SCMP_ARCH_MIPSEL64", "mips64le", "mips64-le", true},
	    {SCMP_ARCH_MIPSEL64N32, "mipsel64n32", "SCMP_ARCH_MIPSEL64N32", NULL, "mips64-le-n32",
	     true},
	    {SCMP_ARCH_PPC, "ppc", "SCMP_ARCH_PPC", NULL, "ppc", true},
	    {SCMP_ARCH_PPC64, "ppc64", "SCMP_ARCH_PPC64", "ppc64", "ppc64", true},
	    {SCMP_ARCH_PPC64LE, "ppc64le", "SCMP_ARCH_PPC64LE", "ppc64le", "ppc64-le", true},
	    {SCMP_ARCH_S390, "s390", "SCMP_ARCH_S390", NULL, "s390", true},
	    {SCMP_ARCH_S390X, "s390x", "SCMP_ARCH_S390X", "s390x", "s390x", true},
	    {SCMP_ARCH_PARISC, "parisc", "SCMP_ARCH_PARISC", NULL, "parisc", true},
	    {SCMP_ARCH_PARISC64, "parisc64", "SCMP_ARCH_PARISC64", NULL, "parisc64", true},
	    {SCMP_ARCH_RISCV64, "riscv64", "SCMP_ARCH_RISCV64", "riscv64", "riscv64", true},
	};
	char bad[512] = "";
	bool spelled = true;
	uint32_t m[4];
	size_t n;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint32_t t = want[i].token;
		const char *go = scw_abi_go_name(t), *sd = scw_abi_systemd_name(t);
		char lower[32];
		if (!scw_abi_name(t) || strcmp(scw_abi_name(t), want[i].name) != 0 ||
		    !scw_abi_oci_name(t) || strcmp(scw_abi_oci_name(t), want[i].oci) != 0 ||
		    (go ? !want[i].go || strcmp(go, want[i].go) != 0 : want[i].go != NULL) ||
		    (sd ? !want[i].systemd || strcmp(sd, want[i].systemd) != 0
			: want[i].systemd != NULL) ||
		    scw_abi_k8s_admits(t) != want[i].k8s)
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), " %s", want[i].name);
		for (size_t k = 0; k <= strlen(want[i].oci); k++)
			lower[k] = (char)(want[i].oci[k] >= 'A' && want[i].oci[k] <= 'Z'
					      ? want[i].oci[k] - 'A' + 'a'
					      : want[i].oci[k]);
		spelled &= scw_abi_from_name(want[i].name) == t &&
			   scw_abi_from_name(want[i].oci) == t && scw_abi_from_name(lower) == t;
	}
	tap_ok(!*bad, "ABI table: libseccomp, OCI, Go and systemd names, CRD admission (wrong:%s)",
	       bad);
	tap_ok(spelled, "ABI table: libseccomp and OCI names read back, in any case");
	tap_ok(!scw_abi_name(0x1234) && !scw_abi_oci_name(0x1234) &&
		   !scw_abi_systemd_name(0x1234) && !scw_abi_go_name(0x1234) &&
		   !scw_abi_k8s_admits(0x1234) && scw_abi_from_name("SCMP_ARCH_NATIVE") == 0 &&
		   scw_abi_from_name("amd64") == 0,
	       "ABI table: an unknown ABI has no names, Go's names are not read");
	n = scw_abi_machine(m, 4);
	if (scw_abi_native() == SCMP_ARCH_X86_64)
		tap_ok(n == 3 && m[0] == SCMP_ARCH_X86_64 && m[1] == SCMP_ARCH_X86 &&
			   m[2] == SCMP_ARCH_X32,
		       "ABI table: x86_64 runs x86 and x32 beside it, native first");
	else
		tap_ok(n >= 1 && m[0] == scw_abi_native(), "ABI table: the native ABI first");
}

/* "Does this rule name X", and the conditional allow of a name. */
static void test_rule_names(void)
{
	scw_error err;
	struct scw_rule empty = {0};
	struct scw_profile *p =
	    parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
		  "{\"names\":[\"write\",\"getrlimit\",\"_llseek\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		  "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
		  "\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]},"
		  "{\"names\":[\"socket\",\"mmap\"],\"action\":\"SCMP_ACT_LOG\",\"args\":[{"
		  "\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  &err);
	const struct scw_rule *r;

	if (!p) {
		tap_ok(false, "rule names: the profile is read: %s", err.msg);
		tap_ok(false, "rule names: the conditional allow");
		return;
	}
	tap_ok(scw_rule_has_name(&p->rules[0], "_llseek") &&
		   scw_rule_has_name(&p->rules[0], "getrlimit") &&
		   scw_rule_has_name(&p->rules[0], "write") &&
		   !scw_rule_has_name(&p->rules[0], "read") && !scw_rule_has_name(&empty, "read"),
	       "rule names: each name of a rule read unsorted is found, no other");
	r = scw_profile_conditional_allow(p, "socket");
	tap_ok(r && r->action == SCW_ACT_LOG && scw_profile_conditional_allow(p, "mmap") == r &&
		   !scw_profile_conditional_allow(p, "write"),
	       "rule names: the conditional allow of a name, not its conditional deny");
	scw_profile_free(p);
}

/* Argument values read from the JSON text, exactly: 2^64 - 1 (what
 * --args writes for personality(-1)) round-trips, forms of an integer
 * other than digits are read exactly, what is no u64 is refused. */
static void test_exact_numbers(void)
{
	static const char tmpl[] =
	    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"personality\"],"
	    "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":%s,"
	    "\"valueTwo\":%s,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	static const struct {
		const char *text;
		uint64_t want;
	} good[] = {
	    {"9007199254740993", 9007199254740993ull}, /* 2^53 + 1: no double holds it */
	    {"1e3", 1000},
	    {"1000.0", 1000},
	    {"1.8446744073709551615e19", UINT64_MAX},
	    {"-0", 0},
	};
	static const char *const bad[] = {"18446744073709551616", "1.5", "-1", "1e-1",
					  "1.8446744073709551616e19"};
	struct scw_profile *p, *q = NULL;
	cleanup_free char *in = scw_xasprintf(tmpl, "18446744073709551615", "18446744073709551614");
	cleanup_free char *json = NULL;
	scw_error err;
	bool ok = true;

	p = parse(in, &err);
	tap_ok(p && p->rules[0].args[0].value == UINT64_MAX &&
		   p->rules[0].args[0].value_two == UINT64_MAX - 1,
	       "2^64 - 1 is read exactly (%s)", p ? "" : err.msg);
	json = p ? scw_profile_to_json(p, &err) : NULL;
	q = json ? parse(json, &err) : NULL;
	tap_ok(json && strstr(json, "18446744073709551615") && q &&
		   q->rules[0].args[0].value == UINT64_MAX &&
		   q->rules[0].args[0].value_two == UINT64_MAX - 1,
	       "2^64 - 1 is written exactly and read back (%s)", q ? "" : err.msg);
	scw_profile_free(q);
	scw_profile_free(p);
	for (size_t i = 0; i < SCW_ARRAY_SIZE(good); i++) {
		cleanup_free char *t = scw_xasprintf(tmpl, good[i].text, "0");
		p = parse(t, &err);
		if (!p || p->rules[0].args[0].value != good[i].want) {
			printf("# %s: %s\n", good[i].text, p ? "misread" : err.msg);
			ok = false;
		}
		scw_profile_free(p);
	}
	tap_ok(ok, "integers in other forms are read exactly");
	ok = true;
	for (size_t i = 0; i < SCW_ARRAY_SIZE(bad); i++) {
		cleanup_free char *t = scw_xasprintf(tmpl, bad[i], "0");
		p = parse(t, &err);
		if (p || !strstr(err.msg, "unsigned 64-bit")) {
			printf("# %s: %s\n", bad[i], p ? "accepted" : err.msg);
			ok = false;
		}
		scw_profile_free(p);
	}
	tap_ok(ok, "what is no unsigned 64-bit integer is refused: %s", err.msg);
}

/* Random models (tests/fuzz/fuzz-model.c) from a fixed seed: each is
 * written, read back and the same. */
static void test_random_models(void)
{
	uint64_t x = 0x5c3a9b1d2e4f6071ull; /* xorshift64 state */
	size_t bad = 0, big = 0, rules = 0;

	for (int m = 0; m < 200; m++) {
		uint8_t bytes[1024];
		struct scw_profile *p, *q;
		char *json;
		scw_error err = {0};
		for (size_t i = 0; i < sizeof(bytes); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			bytes[i] = (uint8_t)x;
		}
		p = scw_fuzz_model_build(bytes, sizeof(bytes));
		json = scw_profile_to_json(p, &err);
		q = json ? scw_profile_from_json(json, "model", &err) : NULL;
		if (!q || !scw_fuzz_model_same(p, q)) {
			if (bad++ == 0)
				printf("# model %d: %s\n%s", m, q ? "differs" : err.msg, json);
		}
		rules += p->n_rules;
		for (size_t i = 0; i < p->n_rules; i++)
			for (size_t j = 0; j < p->rules[i].n_args; j++)
				big += p->rules[i].args[j].value > (1ull << 53);
		free(json);
		scw_profile_free(q);
		scw_profile_free(p);
	}
	tap_ok(bad == 0 && big > 0,
	       "200 random models (%zu rules, %zu values above 2^53) read "
	       "back the same (%zu differ)",
	       rules, big, bad);
}

/* A copy of p's rule 0 with the conditions of long_rule(n, last) put in. */
static void long_rule(struct scw_profile *p, size_t n, uint64_t last)
{
	struct scw_rule *r = &p->rules[0];
	free(r->args);
	r->args = scw_xcalloc(n, sizeof(*r->args));
	for (size_t i = 0; i < n; i++)
		r->args[i] = (struct scw_arg){.index = (unsigned)(i % 6),
					      .value = i + 1 == n ? last : UINT64_MAX - i,
					      .value_two = UINT64_MAX,
					      .op = SCW_OP_MASKED_EQ};
	r->n_args = n;
}

/* diff compares rules as structures: a difference in any condition counts,
 * however long the rule (a model built in memory has no cap); the order of
 * conditions and the second datum of a plain comparison do not. */
static void test_diff_structural(void)
{
	static const char json[] = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{"
				   "\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
				   "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	scw_error err;
	struct scw_profile *a = parse(json, &err), *b = parse(json, &err);
	struct scw_diff d;
	struct scw_arg swap;

	if (!a || !b) {
		tap_ok(false, "diff: structural comparison: %s", err.msg);
		tap_ok(false, "diff: the 20th condition");
		tap_ok(false, "diff: order and unused valueTwo");
		scw_profile_free(a);
		scw_profile_free(b);
		return;
	}
	long_rule(a, 6, 1);
	long_rule(b, 6, 2);
	scw_diff_profiles(a, b, &d);
	tap_ok(!d.same && d.n_lines == 1 && strcmp(d.lines[0].a, d.lines[0].b) != 0,
	       "diff: rules that differ in the 6th condition differ, and show it");
	scw_diff_free(&d);
	long_rule(a, 20, 1);
	long_rule(b, 20, 2);
	scw_diff_profiles(a, b, &d);
	tap_ok(!d.same && d.n_lines == 1, "diff: rules that differ in the 20th condition differ");
	scw_diff_free(&d);
	long_rule(b, 20, 1);
	swap = b->rules[0].args[0];
	b->rules[0].args[0] = b->rules[0].args[19];
	b->rules[0].args[19] = swap;
	a->rules[0].args[3].op = SCW_OP_EQ;
	b->rules[0].args[3].op = SCW_OP_EQ;
	b->rules[0].args[3].value_two = 7; /* SCMP_CMP_EQ ignores it */
	scw_diff_profiles(a, b, &d);
	tap_ok(d.same, "diff: the order of conditions and an unused valueTwo do not count");
	scw_diff_free(&d);
	scw_profile_free(a);
	scw_profile_free(b);
}

/* Whether added[0..n) names name with a reason. */
static bool was_added(const struct scw_added *added, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(added[i].name, name) == 0 && added[i].reason && *added[i].reason)
			return true;
	return false;
}

/* Whether lint says something that holds what. */
static bool lint_says(const struct scw_profile *p, const char *what)
{
	struct scw_notes notes = {0};
	bool found = false;
	scw_lint(p, &notes);
	for (size_t i = 0; i < notes.n; i++)
		found |= strstr(notes.v[i], what) != NULL;
	scw_notes_free(&notes);
	return found;
}

/* sigreturn, which i386 and arm programs return from a handler with, is in
 * the always layer and checked by lint exactly where one of the profile's
 * ABIs has it in libseccomp's table. */
static void test_sigreturn(void)
{
	static const char tmpl[] =
	    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[%s],\"syscalls\":[{"
	    "\"names\":[\"exit\",\"exit_group\",\"rt_sigreturn\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	cleanup_free char *both = scw_xasprintf(tmpl, "\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"");
	cleanup_free char *x64 = scw_xasprintf(tmpl, "\"SCMP_ARCH_X86_64\"");
	cleanup_free char *arm = scw_xasprintf(tmpl, "\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"");
	struct scw_profile *p, *q = NULL, *r = NULL;
	struct scw_added *added;
	scw_error err;
	size_t n;

	if (!(p = parse(both, &err)) || !(q = parse(x64, &err)) || !(r = parse(arm, &err))) {
		for (int i = 0; i < 6; i++)
			tap_ok(false, "sigreturn: the profiles are read: %s", err.msg);
		goto out;
	}
	tap_ok(lint_says(p, "error: sigreturn is not allowed, and ABI x86 has it"),
	       "lint: a profile listing SCMP_ARCH_X86 without sigreturn is flagged");
	tap_ok(!lint_says(q, "sigreturn"), "lint: one of x86_64 only is not");
	n = scw_add_always(p, &added);
	tap_ok(was_added(added, n, "sigreturn") &&
		   strcmp(scw_profile_deciding_layer(p, "sigreturn"), "always") == 0,
	       "always: a profile listing SCMP_ARCH_X86 gets sigreturn, with a reason");
	free(added);
	tap_ok(!lint_says(p, "sigreturn"), "lint: then it is not flagged");
	n = scw_add_always(q, &added);
	tap_ok(!was_added(added, n, "sigreturn") && was_added(added, n, "restart_syscall") &&
		   strcmp(verdict(q, "sigreturn"), "SCMP_ACT_ERRNO/1") == 0,
	       "always: one of x86_64 only does not");
	free(added);
	n = scw_add_always(r, &added);
	tap_ok(was_added(added, n, "sigreturn"), "always: nor does arm go without it");
	free(added);
out:
	scw_profile_free(p);
	scw_profile_free(q);
	scw_profile_free(r);
}

int main(void)
{
	struct scw_profile *p, *q;
	struct scw_added *added;
	scw_error err;
	size_t n, denied;
	char *json;

	tap_plan(59);
	test_abis();
	test_rule_names();
	tap_ok(scw_errno_clamp(0) == 0 && scw_errno_clamp(EPERM) == EPERM &&
		   scw_errno_clamp(4095) == 4095 && scw_errno_clamp(4096) == 4095 &&
		   scw_errno_clamp(65535) == 4095,
	       "errno clamp: above MAX_ERRNO (4095) the kernel answers 4095");

	/* Docker's current default profile, as dockerd resolves it here. */
	p = scw_profile_read(fixture("moby-profiles_default.json"), &err);
	tap_ok(p != NULL, "Docker's default profile is read (%s)", p ? "" : err.msg);
	if (!p)
		return tap_done();
	tap_is_int(p->n_arches, scw_abi_native() == SCMP_ARCH_X86_64 ? 3 : p->n_arches,
		   "archMap: this machine's entry and its subarchitectures");
	tap_is_int(p->arches[0], scw_abi_native(), "the native ABI first");
	tap_is_str(verdict(p, "read"), "SCMP_ACT_ALLOW/0", "read is allowed");
	tap_is_str(verdict(p, "clone3"), "SCMP_ACT_ERRNO/38", "clone3 answers ENOSYS");
	tap_is_str(verdict(p, "personality"), "SCMP_ACT_ERRNO/1/cond",
		   "personality is allowed only for some arguments");
	/* includes.caps CAP_SYS_ADMIN: not in a default container. */
	tap_is_str(verdict(p, "mount"), "SCMP_ACT_ERRNO/1", "mount (CAP_SYS_ADMIN only) is not");
	/* includes.minKernel 4.8: this kernel is newer. */
	tap_is_str(verdict(p, "ptrace"), "SCMP_ACT_ALLOW/0", "ptrace (minKernel 4.8) is");
	tap_ok(scw_profile_denies_explicitly(p, "clone3"), "clone3 is denied by name");
	tap_ok(!scw_profile_denies_explicitly(p, "mount"), "mount only by the default");
	json = scw_profile_to_json(p, &err);
	q = json ? parse(json, &err) : NULL;
	tap_ok(q != NULL, "its JSON reads back");
	if (q) {
		struct scw_diff d;
		scw_diff_profiles(p, q, &d);
		tap_ok(d.same, "and is the same profile");
		scw_diff_free(&d);
		scw_profile_free(q);
	}
	free(json);

	/* Merge: what one side denies by name stays denied. */
	q = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone3\","
		  "\"getppid\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  &err);
	tap_ok(scw_profile_merge(q, p, &denied, &err) == 0, "merge into Docker's profile");
	tap_is_str(verdict(q, "clone3"), "SCMP_ACT_ERRNO/38", "clone3 stays ENOSYS");
	tap_is_int(denied, 1, "one allowed name gave way");
	tap_is_str(verdict(q, "getppid"), "SCMP_ACT_ALLOW/0", "the other's allows are kept");
	scw_profile_free(q);
	q = parse("{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\"}", &err);
	tap_ok(scw_profile_merge(q, p, NULL, &err) < 0 && strstr(err.msg, "different default"),
	       "different default actions do not merge: %s", err.msg);
	scw_profile_free(q);
	scw_profile_free(p);

	/* Layers: additions go where nothing decides yet. */
	p = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"architectures\":"
		  "[\"SCMP_ARCH_X86_64\"],\"syscalls\":[{\"names\":[\"exit_group\",\"read\"],"
		  "\"action\":\"SCMP_ACT_ALLOW\",\"comment\":\"scwrap:recorded: x\"}]}",
		  &err);
	tap_ok(p && p->rules[0].layer == SCW_LAYER_RECORDED,
	       "a layer is read back from its comment");
	n = scw_add_always(p, &added);
	tap_ok(n > 0 && strcmp(added[0].name, "rt_sigreturn") == 0 && added[0].reason,
	       "rt_sigreturn is added with a reason");
	free(added);
	tap_is_str(verdict(p, "exit_group"), "SCMP_ACT_ALLOW/0", "a recorded name stays");
	n = scw_add_fallbacks(p, &added);
	free(added);
	tap_is_str(verdict(p, "clone3"), "SCMP_ACT_ERRNO/38", "clone3 not recorded: ENOSYS");
	tap_ok(!scw_profile_denies_explicitly(p, "clone3"), "a fallback is not an explicit deny");
	q = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone3\"],"
		  "\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  &err);
	tap_ok(scw_profile_merge(p, q, NULL, &err) == 0, "merge a profile that allows clone3");
	tap_is_str(verdict(p, "clone3"), "SCMP_ACT_ALLOW/0", "an allow wins over a fallback");
	scw_profile_free(q);
	scw_profile_free(p);

	/* Arguments: every unsigned 64-bit value, read and written exactly. */
	test_exact_numbers();
	test_random_models();
	test_diff_structural();
	test_sigreturn();

	/* Podman's profile: errno names, args null, empty comments. */
	p = scw_profile_read(fixture("containers-common_seccomp.json"), &err);
	tap_ok(p != NULL, "Podman's default profile is read (%s)", p ? "" : err.msg);
	if (p)
		tap_is_int(p->default_errno, ENOSYS, "its defaultErrnoRet is ENOSYS");
	else
		tap_ok(0, "its defaultErrnoRet is ENOSYS");
	scw_profile_free(p);

	/* Refused, with a message. */
	p = scw_profile_read(fixture("moby_default-2016-02-08-numeric.json"), &err);
	tap_ok(!p && strstr(err.msg, "2016 Docker format"), "the 2016 numeric format: %s", err.msg);
	p = scw_profile_read(fixture("moby-profiles_fixture-example.json"), &err);
	tap_ok(p != NULL, "an old single-name profile is read (%s)", p ? "" : err.msg);
	if (p)
		tap_is_str(verdict(p, "clone"), "SCMP_ACT_ERRNO/1/cond",
			   "its clone rule has arguments");
	else
		tap_ok(0, "its clone rule has arguments");
	scw_profile_free(p);
	p = parse("[1,2]", &err);
	tap_ok(!p && strstr(err.msg, "not a JSON seccomp profile"), "not an object: %s", err.msg);
	p = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"re ad\"],"
		  "\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  &err);
	tap_ok(!p && strstr(err.msg, "not a syscall name"), "a bad name: %s", err.msg);
	p = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_NOPE\"}]}",
		  &err);
	tap_ok(!p && strstr(err.msg, "no action scwrap knows"), "an unknown action: %s", err.msg);
	p = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_NOPE\"]}",
		  &err);
	tap_ok(!p && strstr(err.msg, "flag"), "an unknown flag: %s", err.msg);

	/* Lint. */
	p = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		  "\"syscalls\":[{\"names\":[\"bpf\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  &err);
	{
		struct scw_notes notes = {0};
		bool bpf = false, exitg = false;
		scw_lint(p, &notes);
		for (size_t i = 0; i < notes.n; i++) {
			bpf |= strstr(notes.v[i], "danger: bpf is allowed") != NULL;
			exitg |= strstr(notes.v[i], "error: exit_group is not allowed") != NULL;
		}
		tap_ok(bpf, "lint: bpf is dangerous");
		tap_ok(exitg, "lint: exit_group is missing");
		scw_notes_free(&notes);
	}
	tap_ok(scw_risk("ptrace") && !scw_risk("read"), "ptrace is a risk, read is not");
	scw_profile_free(p);

	/* diff's text says what runc does with two conditions on one argument
	 * (a rule each: either suffices), and with conditions on two (both). */
	p = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"socket\"],"
		  "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":"
		  "\"SCMP_CMP_EQ\"},{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]},"
		  "{\"names\":[\"mmap\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
		  "\"value\":0,\"op\":\"SCMP_CMP_EQ\"},{\"index\":2,\"value\":3,\"op\":"
		  "\"SCMP_CMP_EQ\"}]}]}",
		  &err);
	q = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\"}", &err);
	if (p && q) {
		struct scw_diff d;
		const char *sock = "", *mm = "";
		scw_diff_profiles(p, q, &d);
		for (size_t i = 0; i < d.n_lines; i++) {
			if (strcmp(d.lines[i].name, "socket") == 0)
				sock = d.lines[i].a;
			if (strcmp(d.lines[i].name, "mmap") == 0)
				mm = d.lines[i].a;
		}
		tap_is_str(sock,
			   "SCMP_ACT_ALLOW if arg0 == 0x1 || arg0 == 0x2; else SCMP_ACT_ERRNO(1)",
			   "diff: two conditions on one argument read as either");
		tap_is_str(mm, "SCMP_ACT_ALLOW if arg0 == 0 && arg2 == 0x3; else SCMP_ACT_ERRNO(1)",
			   "diff: conditions on two arguments read as both");
		scw_diff_free(&d);
	} else {
		tap_ok(false, "diff: two conditions on one argument: %s", err.msg);
		tap_ok(false, "diff: conditions on two arguments");
	}
	scw_profile_free(q);
	scw_profile_free(p);
	return tap_done();
}
