/* shape.h - from what was recorded to the profile written: the recorded
 * allowlist, a baseline merged in, and scwrap's additions, each a layer. */
#ifndef SCW_SHAPE_H
#define SCW_SHAPE_H

#include <stdbool.h>

#include "accum.h"
#include "additions.h"
#include "backend.h"
#include "equiv.h"
#include "error.h"
#include "profile.h"
#include "util.h"

struct scw_shape_opts {
	const struct scw_profile *baseline; /* or NULL */
	const char *container;		    /* runtime name or list path, or NULL */
	bool no_additions;		    /* leave out the always-needed calls */
	bool no_fallbacks;		    /* leave out the ENOSYS answers */
	/* --arch: the profile's ABIs, widened with the table's equivalents
	 * (n_abis 0: the ABIs recorded). */
	const uint32_t *abis;
	size_t n_abis;
	const struct scw_equiv *equiv;
};

struct scw_shaped {
	struct scw_profile *profile;
	struct scw_additions add[3]; /* always, runtime, fallback */
	struct scw_added *owned[3];
	char *runtime_label;
	struct scw_notes warnings;     /* for the summary and the report */
	struct scw_notes notes;	       /* --args: what stayed plain, and why */
	struct scw_equiv_result equiv; /* --arch: what was added for which ABI */
	struct scw_unnamed *unnamed;   /* recorded numbers with no name */
	size_t n_unnamed;
	size_t recorded; /* names of the recorded layer */
};

/* The recorded layer of acc: default ERRNO(EPERM), the ABIs used, one ALLOW
 * rule of sorted names (layer RECORDED), and one ENOSYS rule (layer PROBED)
 * of the calls whose every result seen was ENOSYS.  Numbers libseccomp
 * cannot name are returned in *unnamed (caller frees) and left out.  The
 * caller frees the profile. */
struct scw_profile *scw_shape_recorded(const struct scw_acc *acc, struct scw_unnamed **unnamed,
				       size_t *n_unnamed);

/* The profile of acc as o says. */
int scw_shape(const struct scw_acc *acc, const struct scw_run *run, const struct scw_shape_opts *o,
	      struct scw_shaped *out, scw_error *err);
void scw_shaped_free(struct scw_shaped *s);

#endif
