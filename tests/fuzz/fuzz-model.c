/* fuzz-model.c - the profile writer and reader from the other side: the
 * input bytes choose a profile model (rules of every layer, names from
 * libseccomp's tables, every action, errnos, up to six conditions with any
 * 64-bit values and every operator, ABIs, flags, listener fields), which
 * is normalized, written (scw_profile_to_json), read back
 * (scw_profile_from_json) and must come back equal, field by field.  What
 * scwrap writes, it must read.  libFuzzer target; tests/unit-regress.c
 * replays it, tests/unit-model.c runs it on a fixed seed. */
#include <config.h>

#include <seccomp.h>
#include <string.h>

#include "lib/abi.h"
#include "lib/diff.h"
#include "lib/profile.h"
#include "lib/util.h"
#include "fuzz.h"

/* The input, read as a stream of choices; zeros once it is used up. */
struct bytes {
	const uint8_t *p;
	size_t n;
};

/* The next byte of the input, or 0. */
static uint8_t byte(struct bytes *b)
{
	if (!b->n)
		return 0;
	b->n--;
	return *b->p++;
}

/* A choice below n (n <= 256). */
static unsigned pick(struct bytes *b, unsigned n)
{
	return byte(b) % n;
}

/* An errno: mostly small, now and then up to 65535 (the reader's bound). */
static int errno_value(struct bytes *b)
{
	unsigned hi;
	if (pick(b, 4))
		return (int)pick(b, 200);
	hi = byte(b);
	return (int)(hi << 8 | byte(b));
}

/* A 64-bit value: an edge (2^53 + 1, 2^64 - 1...) or eight raw bytes. */
static uint64_t u64(struct bytes *b)
{
	static const uint64_t edges[] = {
	    0,
	    1,
	    0xffffffffu,
	    0x100000000u,
	    (1ull << 53) - 1,
	    1ull << 53,
	    (1ull << 53) + 1,
	    1ull << 63,
	    UINT64_MAX - 1,
	    UINT64_MAX,
	};
	uint64_t v = 0;
	unsigned k = pick(b, 2);
	if (k == 0)
		return edges[pick(b, SCW_ARRAY_SIZE(edges))];
	for (int i = 0; i < 8; i++)
		v = v << 8 | byte(b);
	return v;
}

/* A string of 1 to 16 bytes, any but NUL: quotes, backslashes, control
 * characters and bytes above 0x7f included. */
static char *text(struct bytes *b, const char *prefix)
{
	size_t len = 1 + pick(b, 16), pl = strlen(prefix);
	char *s = scw_xmalloc(pl + len + 1);
	memcpy(s, prefix, pl);
	for (size_t i = 0; i < len; i++)
		s[pl + i] = (char)(1 + pick(b, 255));
	s[pl + len] = '\0';
	return s;
}

/* The ABIs a profile may list, as libseccomp knows them. */
static const uint32_t abis[] = {
    SCMP_ARCH_X86_64,  SCMP_ARCH_X86,	SCMP_ARCH_X32,	   SCMP_ARCH_ARM,
    SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS,	SCMP_ARCH_MIPS64,  SCMP_ARCH_PPC64,
    SCMP_ARCH_PPC64LE, SCMP_ARCH_S390X, SCMP_ARCH_RISCV64,
};

static const char *const flags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

/* A syscall name: libseccomp's name of a number on one of p's ABIs, or
 * now and then a well-formed name no table has. */
static char *name(struct bytes *b, const struct scw_profile *p)
{
	uint32_t abi = p->n_arches ? p->arches[pick(b, (unsigned)p->n_arches)] : scw_abi_native();
	for (int tries = 0; tries < 4; tries++) {
		unsigned nr = (unsigned)byte(b) << 1 | pick(b, 2);
		char *s;
		if (pick(b, 16) == 0)
			return scw_xasprintf("no_such_call_%u", nr);
		s = scw_syscall_name(abi, nr);
		if (s) {
			/* libseccomp's malloc'd name: scwrap frees with free() too. */
			return s;
		}
	}
	return scw_xstrdup("read");
}

/* A rule's comment, which carries its layer (profile-json.c, LAYER_TAG). */
static char *comment(struct bytes *b, enum scw_layer l)
{
	switch (pick(b, 3)) {
	case 0:
		return l == SCW_LAYER_BASELINE ? NULL
					       : scw_xasprintf("scwrap:%s", scw_layer_name(l));
	case 1: {
		cleanup_free char *t = text(b, "");
		return scw_xasprintf("scwrap:%s: %s", scw_layer_name(l), t);
	}
	default:
		/* Not a tag: a comment of someone else's, in the baseline. */
		return l == SCW_LAYER_BASELINE ? text(b, "x")
					       : scw_xasprintf("scwrap:%s ", scw_layer_name(l));
	}
}

struct scw_profile *scw_fuzz_model_build(const uint8_t *data, size_t size)
{
	struct bytes b = {data, size};
	struct scw_profile *p = scw_xcalloc(1, sizeof(*p));
	unsigned n;

	p->default_action = (enum scw_action)pick(&b, SCW_ACT_ALLOW + 1);
	if ((p->has_default_errno = pick(&b, 2)))
		p->default_errno = errno_value(&b);
	n = pick(&b, 4);
	p->arches = scw_xcalloc(n + 1, sizeof(*p->arches));
	for (unsigned i = 0; i < n; i++) {
		uint32_t a = abis[pick(&b, SCW_ARRAY_SIZE(abis))];
		bool have = false;
		for (size_t j = 0; j < p->n_arches; j++)
			have |= p->arches[j] == a;
		if (!have)
			p->arches[p->n_arches++] = a;
	}
	n = pick(&b, 16);
	p->flags = scw_xcalloc(SCW_ARRAY_SIZE(flags) + 1, sizeof(*p->flags));
	for (unsigned i = 0; i < SCW_ARRAY_SIZE(flags); i++)
		if (n & (1u << i))
			p->flags[p->n_flags++] = scw_xstrdup(flags[i]);
	if (pick(&b, 4) == 0)
		p->listener_path = text(&b, "/");
	if (pick(&b, 4) == 0)
		p->listener_metadata = text(&b, "");

	n = pick(&b, 12);
	p->rules = scw_xcalloc(n + 1, sizeof(*p->rules));
	for (unsigned i = 0; i < n; i++) {
		struct scw_rule *r = &p->rules[p->n_rules++];
		unsigned names = 1 + pick(&b, 8), args = pick(&b, 3) ? 0 : pick(&b, 7);
		r->layer = (enum scw_layer)pick(&b, SCW_LAYER_FALLBACK + 1);
		r->action = (enum scw_action)pick(&b, SCW_ACT_ALLOW + 1);
		if ((r->has_errno = pick(&b, 2)))
			r->errno_ret = errno_value(&b);
		r->comment = comment(&b, r->layer);
		r->names = scw_xcalloc(names + 1, sizeof(*r->names));
		for (unsigned j = 0; j < names; j++)
			r->names[r->n_names++] = name(&b, p);
		r->args = scw_xcalloc(args + 1, sizeof(*r->args));
		for (unsigned j = 0; j < args; j++) {
			struct scw_arg *a = &r->args[r->n_args++];
			a->index = pick(&b, 6);
			a->op = (enum scw_op)pick(&b, SCW_OP_MASKED_EQ + 1);
			a->value = u64(&b);
			a->value_two = u64(&b);
		}
	}
	scw_profile_normalize(p);
	return p;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether two rules say the same, layer and comment included. */
static bool same_rule(const struct scw_rule *a, const struct scw_rule *b)
{
	if (a->action != b->action || a->has_errno != b->has_errno ||
	    a->errno_ret != b->errno_ret || a->layer != b->layer ||
	    !same_str(a->comment, b->comment) || a->n_names != b->n_names || a->n_args != b->n_args)
		return false;
	for (size_t i = 0; i < a->n_names; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			return false;
	for (size_t i = 0; i < a->n_args; i++)
		if (a->args[i].index != b->args[i].index || a->args[i].op != b->args[i].op ||
		    a->args[i].value != b->args[i].value ||
		    a->args[i].value_two != b->args[i].value_two)
			return false;
	return true;
}

bool scw_fuzz_model_same(const struct scw_profile *a, const struct scw_profile *b)
{
	if (a->default_action != b->default_action ||
	    a->has_default_errno != b->has_default_errno || a->default_errno != b->default_errno ||
	    a->n_arches != b->n_arches || a->n_flags != b->n_flags || a->n_rules != b->n_rules ||
	    !same_str(a->listener_path, b->listener_path) ||
	    !same_str(a->listener_metadata, b->listener_metadata))
		return false;
	for (size_t i = 0; i < a->n_arches; i++)
		if (a->arches[i] != b->arches[i])
			return false;
	for (size_t i = 0; i < a->n_flags; i++)
		if (strcmp(a->flags[i], b->flags[i]) != 0)
			return false;
	for (size_t i = 0; i < a->n_rules; i++)
		if (!same_rule(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}

void scw_fuzz_model(const uint8_t *data, size_t size)
{
	struct scw_profile *p = scw_fuzz_model_build(data, size), *q;
	cleanup_free char *json = NULL, *again = NULL;
	scw_error err = {0};
	struct scw_diff d;

	json = scw_profile_to_json(p, &err);
	if (!json)
		fprintf(stderr, "scw_profile_to_json: %s\n", err.msg);
	FUZZ_CHECK(json != NULL);
	q = scw_profile_from_json(json, "model", &err);
	if (!q)
		fprintf(stderr, "scwrap cannot read what it wrote: %s\n%s", err.msg, json);
	FUZZ_CHECK(q != NULL);
	again = scw_profile_to_json(q, &err);
	FUZZ_CHECK(again != NULL);
	if (!scw_fuzz_model_same(p, q))
		fprintf(stderr, "written:\n%sread back and written again:\n%s", json, again);
	FUZZ_CHECK(scw_fuzz_model_same(p, q));
	FUZZ_CHECK(strcmp(json, again) == 0);
	scw_diff_profiles(p, q, &d);
	FUZZ_CHECK(d.same);
	scw_diff_free(&d);
	scw_profile_free(q);
	scw_profile_free(p);
}

#ifndef SCW_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	scw_fuzz_model(data, size);
	return 0;
}
#endif
