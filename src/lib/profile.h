/* profile.h - the profile model every format reads and writes.  Only
 * profile.c knows JSON. */
#ifndef SCW_PROFILE_H
#define SCW_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accum.h"
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

struct scw_rule {
	char **names; /* sorted, unique, owned */
	size_t n_names;
	enum scw_action action;
	bool has_errno;
	int errno_ret;
};

struct scw_profile {
	enum scw_action default_action;
	bool has_default_errno;
	int default_errno;
	uint32_t *arches; /* ABI tokens, native first when present */
	size_t n_arches;
	struct scw_rule *rules;
	size_t n_rules;
};

/* A syscall the accumulator saw that has no name in libseccomp. */
struct scw_unnamed {
	uint32_t abi, nr;
	uint64_t count;
};

/* The allowlist of everything acc recorded: default ERRNO(EPERM), the ABIs
 * used, one ALLOW rule of sorted names.  Numbers libseccomp cannot name are
 * returned in *unnamed (caller frees) and left out. */
struct scw_profile *scw_profile_from_acc(const struct scw_acc *acc, struct scw_unnamed **unnamed,
					 size_t *n_unnamed);
void scw_profile_free(struct scw_profile *p);

/* The OCI/Docker JSON of a profile, newline-terminated; caller frees. */
char *scw_profile_to_json(const struct scw_profile *p, scw_error *err);

const char *scw_action_name(enum scw_action a);

/* A profile from OCI/Docker JSON text (what scwrap writes: names, actions,
 * errnoRet, architectures).  Rules with args, includes/excludes or
 * unknown actions are refused with a message naming them. */
struct scw_profile *scw_profile_from_json(const char *text, const char *what, scw_error *err);

/* Read a profile file. */
struct scw_profile *scw_profile_read(const char *path, scw_error *err);

/* Add src to dst: its architectures, and its ALLOW names into dst's first
 * plain ALLOW rule.  Other rules of src are refused for now. */
int scw_profile_merge(struct scw_profile *dst, const struct scw_profile *src, scw_error *err);

/* Every name the profile allows, in one sorted array (borrowed strings). */
size_t scw_profile_allowed(const struct scw_profile *p, const char ***names);

#endif
