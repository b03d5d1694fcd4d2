/* pipeline.c - from an accumulator (or a profile) to the written outputs. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "report.h"
#include "summary.h"
#include "util.h"

/* The profile in pl's format, committed to pl->out; the format's notes on
 * pl->log.  A recorded profile that cannot be written is rescued. */
static int write_profile(const struct scw_pipeline *pl, const struct scw_profile *p, scw_error *err)
{
	struct scw_notes dropped = {0};
	size_t len = 0;
	cleanup_free char *text = pl->format->render(p, &pl->export, &len, &dropped, err);
	int rc = -1;

	if (text && scw_output_commit(pl->out, text, len, err) == 0)
		rc = 0;
	else if (text && pl->acc)
		scw_output_rescue(text, len, err);
	for (size_t i = 0; pl->log && i < dropped.n; i++)
		fprintf(pl->log, "scwrap: note: %s\n", dropped.v[i]);
	scw_notes_free(&dropped);
	return rc;
}

/* A profile written as it is, or, with --arch, widened first (what was
 * added said on pl->log). */
static int write_widened(const struct scw_pipeline *pl, scw_error *err)
{
	struct scw_equiv_result eq;
	struct scw_profile *p;
	int rc;

	if (!pl->shape.n_abis)
		return write_profile(pl, pl->profile, err);
	p = scw_profile_dup(pl->profile);
	if (scw_equiv_widen(p, pl->shape.abis, pl->shape.n_abis, pl->shape.equiv, &eq, err) < 0) {
		scw_profile_free(p);
		return -1;
	}
	rc = write_profile(pl, p, err);
	if (rc == 0 && pl->log)
		scw_summary_equiv(pl->log, &eq);
	scw_equiv_result_free(&eq);
	scw_profile_free(p);
	return rc;
}

/* The report of a shaped recording, committed to pl->report. */
static int write_report(const struct scw_pipeline *pl, const struct scw_shaped *sh, scw_error *err)
{
	struct scw_report_in in = {
	    .acc = pl->acc,
	    .run = pl->run,
	    .profile = sh->profile,
	    .backend = pl->backend,
	    .argv = pl->argv,
	    .added = sh->add,
	    .n_added = SCW_ARRAY_SIZE(sh->add),
	    .warnings = &sh->warnings,
	    .equiv = &sh->equiv,
	};
	cleanup_free char *json = scw_report_json(&in, err);

	if (!json || scw_output_commit(pl->report, json, strlen(json), err) < 0)
		return scw_context(err, "the profile was written to %s, but not the report",
				   scw_output_name(pl->out));
	return 0;
}

/* What a recording became: the summary, the additions, where it went. */
static void summarize(const struct scw_pipeline *pl, const struct scw_shaped *sh)
{
	const char **names;
	size_t n = scw_profile_allowed(sh->profile, &names);

	free(names);
	scw_summary_print(pl->log, pl->acc, pl->run, sh->profile, sh->unnamed, sh->n_unnamed);
	scw_summary_shape(pl->log, pl->acc, sh->profile, sh->add, SCW_ARRAY_SIZE(sh->add),
			  &sh->notes, &sh->warnings);
	scw_summary_equiv(pl->log, &sh->equiv);
	if (pl->shape.baseline)
		fprintf(pl->log, "scwrap: baseline %s: %zu syscalls recorded beyond it\n",
			pl->baseline_name, sh->recorded);
	fprintf(pl->log, "scwrap: profile (%s) of %zu allowed syscalls written to %s\n",
		pl->format->name, n, scw_output_name(pl->out));
	if (pl->report)
		fprintf(pl->log, "scwrap: report written to %s\n", scw_output_name(pl->report));
}

int scw_pipeline_run(const struct scw_pipeline *pl, scw_error *err)
{
	struct scw_shaped sh;
	int rc = -1;

	if (!pl->acc)
		return write_widened(pl, err);
	if (scw_shape(pl->acc, pl->run, &pl->shape, &sh, err) < 0)
		return -1;
	if (pl->previous && scw_profile_merge(sh.profile, pl->previous, NULL, err) < 0) {
		scw_context(err, "cannot merge into the previous profile");
		goto out;
	}
	if (write_profile(pl, sh.profile, err) < 0)
		goto out;
	if (pl->report && write_report(pl, &sh, err) < 0)
		goto out;
	if (pl->log)
		summarize(pl, &sh);
	rc = 0;
out:
	scw_shaped_free(&sh);
	return rc;
}
