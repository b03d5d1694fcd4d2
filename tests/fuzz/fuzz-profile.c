/* fuzz-profile.c - the profile reader, scw_profile_from_json(), on any
 * input; a profile it accepts must keep the model's invariants, serialise,
 * parse again to the same profile, and survive every operation scwrap
 * applies to an input profile (merge, normalize, verdicts, lint, diff, the
 * layers --baseline adds).  libFuzzer target; tests/unit-regress.c replays
 * it. */
#include <config.h>

#include <string.h>

#include "lib/accum.h"
#include "lib/additions.h"
#include "lib/lint.h"
#include "lib/profile.h"
#include "lib/diff.h"
#include "lib/shape.h"
#include "lib/util.h"
#include "fuzz.h"

/* What profile.h promises of every profile: names sorted and unique within
 * a rule, at most SCW_ARGS_MAX arguments of index 0-5, enums in range. */
static void check_model(const struct scw_profile *p)
{
	FUZZ_CHECK((unsigned)p->default_action <= SCW_ACT_ALLOW);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		FUZZ_CHECK(r->n_names > 0);
		FUZZ_CHECK((unsigned)r->action <= SCW_ACT_ALLOW);
		FUZZ_CHECK((unsigned)r->layer <= SCW_LAYER_FALLBACK);
		for (size_t j = 0; j < r->n_names; j++) {
			FUZZ_CHECK(r->names[j] != NULL);
			if (j > 0)
				FUZZ_CHECK(strcmp(r->names[j - 1], r->names[j]) < 0);
		}
		FUZZ_CHECK(r->n_args <= SCW_ARGS_MAX);
		for (size_t j = 0; j < r->n_args; j++) {
			FUZZ_CHECK(r->args[j].index <= 5);
			FUZZ_CHECK((unsigned)r->args[j].op <= SCW_OP_MASKED_EQ);
		}
	}
}

/* The JSON of p, which must be there. */
static char *to_json(const struct scw_profile *p)
{
	scw_error err = {0};
	char *json = scw_profile_to_json(p, &err);
	if (!json)
		fprintf(stderr, "scw_profile_to_json: %s\n", err.msg);
	FUZZ_CHECK(json != NULL);
	return json;
}

/* p written and read back: the same profile, written the same way. */
static struct scw_profile *round_trip(const struct scw_profile *p)
{
	scw_error err = {0};
	cleanup_free char *json = to_json(p), *again = NULL;
	struct scw_profile *q = scw_profile_from_json(json, "round trip", &err);
	struct scw_diff d;

	if (!q)
		fprintf(stderr, "a profile scwrap wrote does not parse: %s\n%s", err.msg, json);
	FUZZ_CHECK(q != NULL);
	check_model(q);
	again = to_json(q);
	if (strcmp(json, again) != 0)
		fprintf(stderr, "written:\n%s\nread and written again:\n%s", json, again);
	FUZZ_CHECK(strcmp(json, again) == 0);
	scw_diff_profiles(p, q, &d);
	FUZZ_CHECK(d.same);
	scw_diff_free(&d);
	return q;
}

/* What the CLI does with an input profile: lint it, ask verdicts, diff it. */
static void inspect(const struct scw_profile *p, const struct scw_profile *other)
{
	static const char *const probes[] = {"read",	     "clone3", "exit_group",
					     "rt_sigreturn", "ptrace", "no_such_call"};
	struct scw_notes notes = {0};
	struct scw_verdict v;
	const char **names;
	size_t n = scw_profile_allowed(p, &names);
	struct scw_diff d;
	scw_error err = {0};
	char *json;
	FILE *devnull;

	for (size_t i = 0; i < n; i++) {
		scw_profile_verdict(p, names[i], &v);
		FUZZ_CHECK(scw_action_allows(v.action));
		/* Names are unique across unconditional rules: none is denied too. */
		FUZZ_CHECK(!scw_profile_denies_explicitly(p, names[i]));
	}
	free(names);
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			scw_profile_verdict(p, p->rules[i].names[j], &v);
	for (size_t i = 0; i < SCW_ARRAY_SIZE(probes); i++)
		scw_profile_verdict(p, probes[i], &v);
	scw_lint(p, &notes);
	for (size_t i = 0; i < notes.n; i++)
		FUZZ_CHECK(notes.v[i] && *notes.v[i]);
	scw_notes_free(&notes);

	scw_diff_profiles(p, other, &d);
	json = scw_diff_json(&d, "a", "b", &err);
	FUZZ_CHECK(json != NULL);
	free(json);
	devnull = fopen("/dev/null", "we");
	FUZZ_CHECK(devnull != NULL);
	scw_diff_print(devnull, &d, "a", "b");
	fclose(devnull);
	scw_diff_free(&d);
}

/* --baseline: an empty recording merged into it, scwrap's layers added. */
static void as_baseline(const struct scw_profile *p)
{
	struct scw_shape_opts so = {.baseline = p};
	struct scw_shaped sh;
	struct scw_acc acc;
	scw_error err = {0};

	scw_acc_init(&acc);
	if (scw_shape(&acc, NULL, &so, &sh, &err) == 0) {
		check_model(sh.profile);
		scw_profile_free(round_trip(sh.profile));
		scw_shaped_free(&sh);
	} else {
		FUZZ_CHECK(err.msg[0] != '\0');
	}
	scw_acc_free(&acc);
}

void scw_fuzz_profile(const uint8_t *data, size_t size)
{
	cleanup_free char *text = scw_xmalloc(size + 1);
	struct scw_profile *p, *q, *m;
	scw_error err = {0};
	size_t denied;

	memcpy(text, data, size);
	text[size] = '\0';
	p = scw_profile_from_json(text, "fuzz", &err);
	if (!p) {
		FUZZ_CHECK(err.msg[0] != '\0');
		return;
	}
	check_model(p);
	q = round_trip(p);
	inspect(p, q);

	/* Merged with itself (as scwrap merge A A) and with its copy. */
	m = scw_profile_dup(p);
	check_model(m);
	if (scw_profile_merge(m, q, &denied, &err) == 0) {
		check_model(m);
		scw_profile_normalize(m);
		check_model(m);
		inspect(m, p);
		scw_profile_free(round_trip(m));
	}
	scw_profile_free(m);

	as_baseline(p);
	scw_profile_free(q);
	scw_profile_free(p);
}

#ifndef SCW_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	scw_fuzz_profile(data, size);
	return 0;
}
#endif
