/* summary.h - what the user reads on stderr at the end of a run: the
 * summary, what was added and why, check's violations.  (The live status
 * while the workload runs is status.c's.) */
#ifndef SCW_SUMMARY_H
#define SCW_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "accum.h"
#include "backend.h"
#include "profile.h"
#include "additions.h"
#include "equiv.h"

/* The end-of-run summary: per executable, totals, ABIs, warnings. */
void scw_summary_print(FILE *f, const struct scw_acc *acc, const struct scw_run *run,
		       const struct scw_profile *p, const struct scw_unnamed *unnamed,
		       size_t n_unnamed);

/* What was added to the recording and why, the risky calls the profile
 * allows (with the executables that made them), and warnings. */
void scw_summary_shape(FILE *f, const struct scw_acc *acc, const struct scw_profile *p,
		       const struct scw_additions *add, size_t n_add, const struct scw_notes *notes,
		       const struct scw_notes *warnings);

/* --arch: per ABI, what was added and for which call; the notes. */
void scw_summary_equiv(FILE *f, const struct scw_equiv_result *r);

/* scwrap check: each call the profile did not allow, with its ABI, count,
 * first process and executables; returns how many distinct calls. */
size_t scw_summary_violations(FILE *f, const struct scw_acc *acc, bool enforced);

#endif
