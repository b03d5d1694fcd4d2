/* pipeline.h - from a source's result to the written outputs: shape the
 * accumulator into a profile (or take a profile as it is), merge it into a
 * previous one, render it in a format, write it and the report, and say
 * what was done. */
#ifndef SCW_PIPELINE_H
#define SCW_PIPELINE_H

#include <stdio.h>

#include "accum.h"
#include "backend.h"
#include "error.h"
#include "export.h"
#include "output.h"
#include "profile.h"
#include "shape.h"

struct scw_pipeline {
	/* The source: an accumulator and the run that filled it, shaped by
	 * shape; or, when acc is NULL, profile written as it is. */
	const struct scw_acc *acc;
	const struct scw_run *run;
	struct scw_shape_opts shape;
	const struct scw_profile *profile;
	/* Merged into the shaped profile (a checkpoint's previous one), or NULL. */
	const struct scw_profile *previous;

	/* The sinks. */
	const struct scw_format *format;
	struct scw_export_opts export;
	struct scw_output *out;	   /* opened; committed here */
	struct scw_output *report; /* --report, opened; or NULL */
	const char *backend;	   /* for the report: "ptrace", "audit", "audit log" */
	char *const *argv;	   /* the workload's, for the report; or NULL */
	const char *baseline_name; /* for the summary, with shape.baseline */
	/* The summary (with an accumulator) and the format's notes; NULL for
	 * none. */
	FILE *log;
};

/* Run the pipeline: the profile and the report committed, the summary
 * and the notes on pl->log.  A recorded profile that cannot be written is
 * kept in $TMPDIR (err names it).  Returns 0, or -1 with err set. */
int scw_pipeline_run(const struct scw_pipeline *pl, scw_error *err);

#endif
