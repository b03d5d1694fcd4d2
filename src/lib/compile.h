/* compile.h - a profile as the libseccomp filter an OCI runtime loads. */
#ifndef SCW_COMPILE_H
#define SCW_COMPILE_H

#include <seccomp.h>
#include <stddef.h>

#include "error.h"
#include "profile.h"

struct scw_notes;

/* The filter runc builds from a profile: default action and errno, the
 * ABIs (the native one always), flags as filter attributes, every rule with
 * its conditions (several on one argument become one rule each, as runc
 * does).  Names libseccomp does not know are skipped, as runc does, and
 * said in notes (may be NULL).  The caller releases *out. */
int scw_profile_compile(const struct scw_profile *p, scmp_filter_ctx *out, struct scw_notes *notes,
			scw_error *err);

/* The libseccomp action of a profile action.  An errno left unset is EPERM,
 * for rules and the default alike, as runc's getAction() and crun do. */
uint32_t scw_scmp_action(enum scw_action a, bool has_errno, int e);

/* Add rule r's conditions for syscall nr, with action.  As runc's
 * matchCall(): when two conditions test the same argument, each becomes a
 * rule of its own (so they are ORed); otherwise one rule holds them all
 * (ANDed).  libseccomp's return value. */
int scw_rule_add_to(scmp_filter_ctx ctx, uint32_t action, int nr, const struct scw_rule *r);

/* That filter as libseccomp exports it (seccomp_export_bpf): an array of
 * struct sock_filter, *len bytes; caller frees.  What the program cannot
 * carry (load-time flags, the listener) is said in notes. */
char *scw_profile_to_bpf(const struct scw_profile *p, size_t *len, struct scw_notes *notes,
			 scw_error *err);

#endif
