/* profile.h - the profile model every format reads and writes.  The model
 * is in profile.c and knows no JSON; profile-json.c reads and writes it as
 * JSON (report.c and diff.c write reports and differences as JSON too).
 * The model knows nothing of the
 * accumulator: shape.c builds a profile from one.
 *
 * A profile is a default action and a list of rules, as OCI's linux.seccomp
 * says.  scwrap keeps each rule's origin (its layer: recorded, an addition,
 * a runtime's needs, a baseline) so that reports and diffs can show what the
 * workload did apart from what was added; in JSON the layer travels in the
 * rule's "comment", which docker, podman, runc and crun ignore. */
#ifndef SCW_PROFILE_H
#define SCW_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum scw_action {
	SCW_ACT_KILL_PROCESS,
	SCW_ACT_KILL_THREAD,
	SCW_ACT_TRAP,
	SCW_ACT_ERRNO,
	SCW_ACT_NOTIFY,
	SCW_ACT_TRACE,
	SCW_ACT_LOG,
	SCW_ACT_ALLOW,
};

/* The comparisons of OCI's SeccompOperators. */
enum scw_op {
	SCW_OP_NE,
	SCW_OP_LT,
	SCW_OP_LE,
	SCW_OP_EQ,
	SCW_OP_GE,
	SCW_OP_GT,
	SCW_OP_MASKED_EQ,
};

/* The most conditions a rule may have: libseccomp refuses more
 * (seccomp_rule_add_array, ARG_COUNT_MAX), crun too. */
#define SCW_ARGS_MAX 6

struct scw_arg {
	unsigned index; /* 0..5 */
	uint64_t value, value_two;
	enum scw_op op;
};

/* Where a rule comes from. */
enum scw_layer {
	SCW_LAYER_RECORDED,   /* what the workload did */
	SCW_LAYER_PROBED,     /* calls it made that only ever failed with ENOSYS */
	SCW_LAYER_BASELINE,   /* an input profile's own rule (--baseline, merge) */
	SCW_LAYER_EQUIVALENT, /* --arch: what the calls allowed are on other ABIs */
	SCW_LAYER_ALWAYS,     /* needed on other hosts or paths: rt_sigreturn, vDSO... */
	SCW_LAYER_RUNTIME,    /* what an OCI runtime does after loading the profile */
	SCW_LAYER_FALLBACK,   /* newer calls answered ENOSYS so callers fall back */
};

struct scw_rule {
	char **names; /* sorted, unique, owned */
	size_t n_names;
	enum scw_action action;
	bool has_errno;
	int errno_ret;
	struct scw_arg *args; /* all must hold (OCI: AND); at most SCW_ARGS_MAX */
	size_t n_args;
	enum scw_layer layer;
	char *comment; /* owned, or NULL: the rule's "comment" */
};

struct scw_profile {
	enum scw_action default_action;
	bool has_default_errno;
	int default_errno;
	uint32_t *arches; /* ABI tokens, native first when present */
	size_t n_arches;
	char **flags; /* "SECCOMP_FILTER_FLAG_*", owned */
	size_t n_flags;
	char *listener_path, *listener_metadata; /* owned, or NULL */
	struct scw_rule *rules;
	size_t n_rules;
};

/* Free a profile and everything it owns; NULL is fine. */
void scw_profile_free(struct scw_profile *p);

/* The OCI/Docker JSON of a profile, newline-terminated; caller frees. */
char *scw_profile_to_json(const struct scw_profile *p, scw_error *err);

/* The largest errno a seccomp filter can answer. */
#define SCW_ERRNO_MAX 4095

/* The errno the kernel answers for an ERRNO action with data e: above
 * MAX_ERRNO (4095) it answers MAX_ERRNO (kernel/seccomp.c,
 * __seccomp_filter, SECCOMP_RET_ERRNO: "capped at MAX_ERRNO"). */
int scw_errno_clamp(int e);

const char *scw_action_name(enum scw_action a);
const char *scw_op_name(enum scw_op op);
/* A short word for a layer ("recorded", "always", "runtime"...). */
const char *scw_layer_name(enum scw_layer l);
/* Whether an action lets the call run. */
bool scw_action_allows(enum scw_action a);

/* A profile from OCI/Docker/Podman JSON text: names or name, actions,
 * errnoRet (and Podman's errno), args, comments, flags, listener fields,
 * architectures or Docker's archMap.  Docker's includes/excludes are
 * resolved for this machine (its ABI and kernel) and Docker's default
 * capability set, as dockerd would; what is not for us is dropped.
 * Anything else it cannot honour (a rule of more than SCW_ARGS_MAX
 * conditions, a number that is no exact unsigned 64-bit integer) is
 * refused with a message naming it. */
struct scw_profile *scw_profile_from_json(const char *text, const char *what, scw_error *err);

/* Read a profile file ("-" is standard input). */
struct scw_profile *scw_profile_read(const char *path, scw_error *err);

/* How a name fares under a profile, on the profile's ABIs. */
struct scw_verdict {
	enum scw_action action;	     /* of the unconditional rule, or the default */
	int errno_ret;		     /* when action is ERRNO */
	const struct scw_rule *rule; /* that rule, or NULL for the default */
	bool conditional;	     /* some rule decides by arguments first */
};
void scw_profile_verdict(const struct scw_profile *p, const char *name, struct scw_verdict *v);

/* The errno rule r answers with an ERRNO action: its errnoRet, else EPERM
 * (OCI: not the profile's defaultErrnoRet; runc and crun agree). */
int scw_rule_errno(const struct scw_rule *r);

/* The errno p's default answers with an ERRNO action: defaultErrnoRet,
 * else EPERM. */
int scw_profile_default_errno(const struct scw_profile *p);

/* Whether rule r names a syscall: a binary search of its names, which
 * scw_profile_normalize() leaves sorted. */
bool scw_rule_has_name(const struct scw_rule *r, const char *name);

/* The first rule of p that allows name for some arguments only (it has
 * argument conditions), or NULL. */
const struct scw_rule *scw_profile_conditional_allow(const struct scw_profile *p, const char *name);

/* The layer ("recorded", "runtime"...) of the rule that decides name in p,
 * or NULL when the default does (static). */
const char *scw_profile_deciding_layer(const struct scw_profile *p, const char *name);

/* Whether two of r's conditions name the same argument: runc then adds
 * each condition as a rule of its own, so that any one of them suffices. */
bool scw_rule_repeats_index(const struct scw_rule *r);

/* Names that a deny rule of a profile names explicitly: for "what the
 * baseline denies stays denied". */
bool scw_profile_denies_explicitly(const struct scw_profile *p, const char *name);

/* Allow names (unconditionally) in a rule of the given layer and comment, unless the
 * profile already allows them unconditionally or denies them explicitly.
 * Returns how many were added; the rule is created when needed. */
size_t scw_profile_allow(struct scw_profile *p, enum scw_layer layer, const char *comment,
			 const char *const *names, size_t n);

/* Answer names with errno e (a rule of the given layer), unless the profile
 * already has a rule for them.  Returns how many were added. */
size_t scw_profile_errno(struct scw_profile *p, enum scw_layer layer, const char *comment, int e,
			 const char *const *names, size_t n);

/* Remove name from every unconditional allow rule; returns how many. */
size_t scw_profile_remove(struct scw_profile *p, const char *name);

/* Add a copy of r (names, args, comment are copied). */
void scw_profile_add_rule(struct scw_profile *p, const struct scw_rule *r);

/* Add src to dst: ABIs, flags, and every rule, with "what a profile denies
 * explicitly stays denied": a name one input denies by name is removed from
 * the other's unconditional allows.  Default actions must agree (dst's
 * errno wins).  src's rules keep their layers; *denied (may be NULL) gets
 * how many allowed names gave way to an explicit deny. */
int scw_profile_merge(struct scw_profile *dst, const struct scw_profile *src, size_t *denied,
		      scw_error *err);

/* Sort and tidy: one unconditional rule per (layer, action, errno), names
 * unique across unconditional rules (the first layer keeps them), empty
 * rules dropped.  Every writer calls it. */
void scw_profile_normalize(struct scw_profile *p);

/* Every name the profile allows unconditionally, in one sorted array
 * (borrowed strings; caller frees the array). */
size_t scw_profile_allowed(const struct scw_profile *p, const char ***names);

/* Every name any rule of p names, in one sorted array (borrowed strings;
 * caller frees the array). */
size_t scw_profile_names(const struct scw_profile *p, const char ***names);

/* A deep copy. */
struct scw_profile *scw_profile_dup(const struct scw_profile *p);

#endif
