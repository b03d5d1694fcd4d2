/* shape.c - the layers of a profile, put together. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "args.h"
#include "shape.h"

/* Whether a name recorded was only ever probed: every result seen, on
 * every ABI that made it, was ENOSYS. */
static bool only_probed(const struct scw_acc *acc, const char *name)
{
	bool any = false;
	for (unsigned s = 0; s < acc->n_abis; s++) {
		int nr = scw_syscall_nr(acc->abis[s], name);
		if (nr < 0 || (uint32_t)nr >= SCW_NR_MAX || !acc->counts[s][nr])
			continue;
		if (!scw_acc_only_enosys(acc, s, (uint32_t)nr))
			return false;
		any = true;
	}
	return any;
}

/* Add (abi, nr) to the growing array *v of *n unnamed calls. */
static void add_unnamed(struct scw_unnamed **v, size_t *n, size_t *cap, uint32_t abi, uint32_t nr,
			uint64_t count)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = scw_xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = (struct scw_unnamed){.abi = abi, .nr = nr, .count = count};
}

struct scw_profile *scw_shape_recorded(const struct scw_acc *acc, struct scw_unnamed **unnamed,
				       size_t *n_unnamed)
{
	struct scw_profile *p = scw_xcalloc(1, sizeof(*p));
	char **names = NULL;
	const char **made, **probed;
	size_t n = 0, cap = 0, cap_un = 0, n_made = 0, n_probed = 0;

	*unnamed = NULL;
	*n_unnamed = 0;
	p->default_action = SCW_ACT_ERRNO;
	p->has_default_errno = true;
	p->default_errno = EPERM;
	p->arches = scw_xcalloc(acc->n_abis + 1, sizeof(*p->arches));
	for (unsigned s = 0; s < acc->n_abis; s++) {
		/* An ABI libseccomp has no name for (a bogus arch= in a log) is
		 * left out, its calls unnamed: libseccomp would read token 0 as
		 * the native ABI, and the profile could not be written. */
		bool used = false, known = scw_abi_name(acc->abis[s]) != NULL;
		for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
			char *name;
			if (acc->counts[s][nr] == 0)
				continue;
			used = known;
			name = known ? scw_syscall_name(acc->abis[s], nr) : NULL;
			if (!name) {
				add_unnamed(unnamed, n_unnamed, &cap_un, acc->abis[s], nr,
					    acc->counts[s][nr]);
				continue;
			}
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				names = scw_xreallocarray(names, cap, sizeof(*names));
			}
			names[n++] = name;
		}
		if (used)
			p->arches[p->n_arches++] = acc->abis[s];
	}
	/* The calls only probed go to an ENOSYS rule of their own, so that
	 * the program keeps taking its fallback under the profile. */
	made = scw_xcalloc(n + 1, sizeof(*made));
	probed = scw_xcalloc(n + 1, sizeof(*probed));
	for (size_t i = 0; i < n; i++) {
		if (only_probed(acc, names[i]))
			probed[n_probed++] = names[i];
		else
			made[n_made++] = names[i];
	}
	scw_profile_allow(p, SCW_LAYER_RECORDED, "scwrap:recorded: made by the workload", made,
			  n_made);
	scw_profile_errno(p, SCW_LAYER_PROBED,
			  "scwrap:probed: made by the workload, and failed with ENOSYS every "
			  "time: answered ENOSYS so that it keeps its fallback",
			  ENOSYS, probed, n_probed);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(made);
	free(probed);
	return p;
}

int scw_shape(const struct scw_acc *acc, const struct scw_run *run, const struct scw_shape_opts *o,
	      struct scw_shaped *out, scw_error *err)
{
	struct scw_profile *rec;
	size_t n;

	memset(out, 0, sizeof(*out));
	rec = scw_shape_recorded(acc, &out->unnamed, &out->n_unnamed);
	out->recorded = rec->n_rules ? rec->rules[0].n_names : 0;
	/* --args: the curated calls allowed with the values seen only. */
	scw_args_pin(rec, acc, &out->notes);
	if (o->baseline) {
		const struct scw_profile *b = o->baseline;
		/* What the baseline denies by name stays denied. */
		for (size_t i = 0; rec->n_rules && i < rec->rules[0].n_names; i++)
			if (scw_profile_denies_explicitly(b, rec->rules[0].names[i]))
				scw_notes_add(
				    &out->warnings,
				    "the workload called %s, which the baseline denies: it "
				    "stays denied",
				    rec->rules[0].names[i]);
		out->profile = scw_profile_dup(b);
		rec->default_action = b->default_action;
		rec->has_default_errno = b->has_default_errno;
		rec->default_errno = b->default_errno;
		if (scw_profile_merge(out->profile, rec, NULL, err) < 0) {
			scw_profile_free(rec);
			scw_shaped_free(out);
			return scw_context(err, "cannot merge the recording into the baseline");
		}
		scw_profile_free(rec);
	} else {
		out->profile = rec;
	}
	/* --arch before the additions, which look at the ABIs listed. */
	if (o->n_abis &&
	    scw_equiv_widen(out->profile, o->abis, o->n_abis, o->equiv, &out->equiv, err) < 0) {
		scw_shaped_free(out);
		return -1;
	}
	if (!o->no_additions) {
		n = scw_add_always(out->profile, &out->owned[0]);
		out->add[0] = (struct scw_additions){SCW_LAYER_ALWAYS, NULL, out->owned[0], n};
	}
	if (o->container) {
		if (scw_add_runtime(out->profile, o->container, &out->runtime_label, &out->owned[1],
				    &n, err) < 0) {
			scw_shaped_free(out);
			return -1;
		}
		out->add[1] =
		    (struct scw_additions){SCW_LAYER_RUNTIME, out->runtime_label, out->owned[1], n};
		free(scw_runtime_cover(o->container, &out->warnings));
	}
	if (!o->no_fallbacks) {
		n = scw_add_fallbacks(out->profile, &out->owned[2]);
		out->add[2] = (struct scw_additions){SCW_LAYER_FALLBACK, NULL, out->owned[2], n};
	}
	scw_profile_normalize(out->profile);
	if (run && run->own_filter_pid)
		scw_notes_add(
		    &out->warnings,
		    "%s (pid %d) loaded a seccomp filter of its own: the calls that filter "
		    "denies or kills never reached the recorder, so the profile may lack "
		    "what the program does without it",
		    run->own_filter_exe, (int)run->own_filter_pid);
	return 0;
}

void scw_shaped_free(struct scw_shaped *s)
{
	scw_profile_free(s->profile);
	for (int i = 0; i < 3; i++)
		free(s->owned[i]);
	free(s->runtime_label);
	free(s->unnamed);
	scw_notes_free(&s->warnings);
	scw_notes_free(&s->notes);
	scw_equiv_result_free(&s->equiv);
	memset(s, 0, sizeof(*s));
}
