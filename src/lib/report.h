/* report.h - provenance (--report) and profile differences (scwrap diff),
 * as JSON and as text. */
#ifndef SCW_REPORT_H
#define SCW_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "accum.h"
#include "additions.h"
#include "lint.h"
#include "backend.h"
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
};

/* The --report JSON: every syscall, how often, which executables, the
 * first process (pid, exe, argv[0]); what was added and why. */
char *scw_report_json(const struct scw_report_in *in, scw_error *err);

/* How two profiles differ, name by name. */
struct scw_diff_line {
	char *name;
	char *a, *b; /* what each does with it ("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO(38)",
		      * "SCMP_ACT_ALLOW if arg0 == 1"...), never NULL */
	const char *layer_a, *layer_b; /* the layer that decides, or NULL: default */
};
struct scw_diff {
	bool same;
	char *default_a, *default_b; /* set when they differ */
	uint32_t *arches_added, *arches_removed;
	size_t n_added, n_removed;
	struct scw_diff_line *lines;
	size_t n_lines;
};
void scw_diff_profiles(const struct scw_profile *a, const struct scw_profile *b,
		       struct scw_diff *d);
void scw_diff_free(struct scw_diff *d);
void scw_diff_print(FILE *f, const struct scw_diff *d, const char *name_a, const char *name_b);
char *scw_diff_json(const struct scw_diff *d, const char *name_a, const char *name_b,
		    scw_error *err);

#endif
