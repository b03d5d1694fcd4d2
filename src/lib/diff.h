/* diff.h - how two profiles differ, name by name (scwrap diff). */
#ifndef SCW_DIFF_H
#define SCW_DIFF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "profile.h"

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
