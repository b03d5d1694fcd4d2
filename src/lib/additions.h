/* additions.h - what a profile needs beyond one recording: calls every
 * program may make on another host or path, ENOSYS for newer calls with a
 * fallback, and what an OCI runtime does after it loads the profile. */
#ifndef SCW_ADDITIONS_H
#define SCW_ADDITIONS_H

#include <stddef.h>

#include "error.h"
#include "profile.h"

/* A name added to a profile and why, for the summary. */
struct scw_added {
	char name[64];
	const char *reason; /* static */
};

/* What scwrap added to a recording, one layer: the names of one call of
 * the functions below. */
struct scw_additions {
	enum scw_layer layer;
	const char *label; /* "runc" for the runtime layer, else NULL */
	const struct scw_added *v;
	size_t n;
};

/* Allow the always-needed calls the profile lacks (rt_sigreturn,
 * sigreturn, restart_syscall, exit, exit_group, the vDSO calls), those
 * that exist on one of its ABIs (sigreturn: x86, arm...).  *added (caller frees) names each one
 * with its reason. */
size_t scw_add_always(struct scw_profile *p, struct scw_added **added);

/* Answer ENOSYS (errnoRet 38) for the newer calls that callers retry with
 * an older one (clone3 -> clone...), where the profile has no rule.
 * *added as above. */
size_t scw_add_fallbacks(struct scw_profile *p, struct scw_added **added);

/* Allow what RUNTIME does after loading the profile: RUNTIME is a name
 * ("runc", "crun": a data file shipped with scwrap) or a path to a file of
 * that form (one name a line, '#' comments).  *label gets "runc" or the
 * path (caller frees); *added the names added (caller frees). */
int scw_add_runtime(struct scw_profile *p, const char *runtime, char **label,
		    struct scw_added **added, size_t *n_added, scw_error *err);

/* The runtimes scwrap ships lists for, NULL-terminated (static). */
const char *const *scw_runtimes(void);

/* The directory of scwrap's data files: $SCWRAP_DATADIR, the installed
 * one, or the source tree's when scwrap runs from its build tree. */
const char *scw_datadir(void);

#endif
