/* additions.h - what a profile needs beyond one recording: calls every
 * program may make on another host or path, ENOSYS for newer calls with a
 * fallback, and what an OCI runtime does after it loads the profile. */
#ifndef SCW_ADDITIONS_H
#define SCW_ADDITIONS_H

#include <stddef.h>

#include "error.h"
#include "profile.h"

struct scw_notes;

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

/* Allow what the runtimes of RUNTIME do after loading the profile: RUNTIME
 * is a comma-separated list of names (a data file shipped with scwrap:
 * "runc", "crun", "runc-nnp", "crun-nnp", "tini", "catatonit") or paths
 * to files of that form (one name a line, '#' comments).  Each name's rule
 * comment names the lists that need it.  *label gets the lists' names
 * ("runc, crun"; caller frees); *added the names added (caller frees). */
int scw_add_runtime(struct scw_profile *p, const char *runtime, char **label,
		    struct scw_added **added, size_t *n_added, scw_error *err);

/* The engines and settings a profile with the lists of RUNTIME (as above)
 * starts a container in, as a phrase (caller frees); with warn, a note for
 * each common setting it will not start in (crun when the lists lack crun,
 * say). */
char *scw_runtime_cover(const char *runtime, struct scw_notes *warn);

/* The --container default: every runtime list, which together start a
 * container in docker, podman (crun or runc) and containerd, with
 * noNewPrivileges true or false. */
#define SCW_RUNTIMES_DEFAULT "runc,crun"

/* The lists scwrap ships, NULL-terminated (static). */
const char *const *scw_runtimes(void);

/* The directory of scwrap's data files: $SCWRAP_DATADIR, the installed
 * one, or the source tree's when scwrap runs from its build tree. */
const char *scw_datadir(void);

#endif
