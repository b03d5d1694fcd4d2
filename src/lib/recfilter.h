/* recfilter.h - the recording filter: a libseccomp filter that hands every
 * call to be recorded to scwrap, with the action a backend asks for (ptrace:
 * SCMP_ACT_TRACE with the number as data; user notification: NOTIFY), and,
 * with a profile, lets what it allows run untraced. */
#ifndef SCW_RECFILTER_H
#define SCW_RECFILTER_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "profile.h"

/* Native numbers that get a rule of their own (act_native) are below this:
 * ptrace's TRACE data at and above it are markers, not numbers. */
#define SCW_RECFILTER_NR_LIMIT 0xfffeu

/* What to build. */
struct scw_recfilter_opts {
	uint32_t abi; /* the native ABI (libseccomp token) */
	/* Record: decode and count.  The default action, the bad-arch action
	 * (every ABI but those the filter lists), a denylist's deny rules. */
	uint32_t act_record;
	/* Look: clone, clone3, prctl, seccomp and ptrace where a profile
	 * allows them, which the backend must still see (clone's flags, a
	 * filter of the workload's own, a tracer under the tracer): decoded,
	 * not counted. */
	uint32_t act_look;
	/* The action of native call nr, given a rule of its own (ptrace's fast
	 * path, SCMP_ACT_TRACE(nr)); NULL: such calls take act_record.  Never
	 * asked for clone, clone3, prctl, seccomp, ptrace, nor for the calls a profile
	 * or --args decides. */
	uint32_t (*act_native)(uint32_t nr);
	bool nnp; /* set NO_NEW_PRIVS when loading */
	/* With a profile (--baseline, scwrap check), what it allows runs
	 * untraced; NULL: everything is recorded. */
	const struct scw_profile *profile;
	bool args;	   /* --args: the curated calls (args.h) take act_record */
	bool apply_denies; /* scwrap check: the profile's deny rules as written */
};

/* Build the recording filter into *out (the caller releases it with
 * seccomp_release); -1 with err filled. */
int scw_recfilter_build(const struct scw_recfilter_opts *o, scmp_filter_ctx *out, scw_error *err);

#endif
