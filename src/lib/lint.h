/* lint.h - what is risky or broken in a profile. */
#ifndef SCW_LINT_H
#define SCW_LINT_H

#include <stdbool.h>

#include "export.h"
#include "profile.h"

/* Why a syscall is dangerous to allow, or NULL when it is not one of
 * those scwrap flags (static). */
const char *scw_risk(const char *name);

/* Every finding about p, one line each, "danger: ...", "warning: ..." or
 * "error: ..." first; returns how many. */
size_t scw_lint(const struct scw_profile *p, struct scw_notes *out);

#endif
