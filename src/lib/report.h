/* report.h - provenance (--report) as JSON: every syscall, how often, which
 * executables, the first process; what was added and why. */
#ifndef SCW_REPORT_H
#define SCW_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "accum.h"
#include "additions.h"
#include "lint.h"
#include "backend.h"
#include "equiv.h"
#include "profile.h"
#include "util.h"

struct scw_report_in {
	const struct scw_acc *acc;
	const struct scw_run *run;
	const struct scw_profile *profile;
	const char *backend; /* "ptrace", "audit", "audit log" */
	char *const *argv;   /* the workload's, or NULL */
	const struct scw_additions *added;
	size_t n_added;
	const struct scw_notes *warnings;
	const struct scw_equiv_result *equiv; /* --arch, or NULL */
};

/* The --report JSON: every syscall, how often, which executables, the
 * first process (pid, exe, argv[0]); what was added and why. */
char *scw_report_json(const struct scw_report_in *in, scw_error *err);

#endif
