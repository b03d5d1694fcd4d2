/* shape.c - the layers of a profile, put together. */
#include <config.h>

#include <string.h>

#include "args.h"
#include "shape.h"

int scw_shape(const struct scw_acc *acc, const struct scw_run *run, const struct scw_shape_opts *o,
	      struct scw_shaped *out, scw_error *err)
{
	struct scw_profile *rec;
	size_t n;

	memset(out, 0, sizeof(*out));
	rec = scw_profile_from_acc(acc, &out->unnamed, &out->n_unnamed);
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
	memset(s, 0, sizeof(*s));
}
