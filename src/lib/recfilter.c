/* recfilter.c - the recording filter (recfilter.h), built with libseccomp:
 * a rule of its own for every native call libseccomp knows (act_native),
 * act_record for all else, every other ABI included (the bad-arch action),
 * so that no ABI the kernel runs is killed instead of recorded.  With a
 * profile, what it allows runs untraced: on the native ABI in one context,
 * on the compat ABIs it lists in another (ptrace's TRACE(nr) carries native
 * numbers only), the two merged.  See doc/INTERNALS.md. */
#include <config.h>

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "accum.h"
#include "args.h"
#include "compile.h"
#include "recfilter.h"
#include "util.h"

/* The calls the backend must look into even where a profile allows them:
 * their arguments matter (clone's flags, a filter of the workload's own),
 * or the call itself does (ptrace, which fails under the ptrace backend:
 * the run must say so). */
static const char *const special_names[] = {"clone", "clone3", "prctl", "seccomp", "ptrace"};
#define N_SPECIAL SCW_ARRAY_SIZE(special_names)

/* Their native numbers, or -1 where the ABI has no such call. */
struct special {
	int nr[N_SPECIAL];
};

/* The special calls' numbers on abi. */
static void special_of(uint32_t abi, struct special *s)
{
	for (size_t k = 0; k < N_SPECIAL; k++)
		s->nr[k] = scw_syscall_nr(abi, special_names[k]);
}

/* Whether the backend must look into a native call. */
static bool is_special(const struct special *s, int nr)
{
	for (size_t k = 0; k < N_SPECIAL; k++)
		if (nr == s->nr[k])
			return true;
	return false;
}

/* Whether a name is one of the special calls. */
static bool is_special_name(const char *n)
{
	for (size_t k = 0; k < N_SPECIAL; k++)
		if (strcmp(n, special_names[k]) == 0)
			return true;
	return false;
}

/* Let through in the kernel what the profile allows (with its argument
 * conditions) on the ABIs of ctx; the special calls take act_look
 * instead.  Sets allowed[nr] (when given: ctx is native only) for numbers
 * allowed whatever their arguments. */
static int add_allow_rules(scmp_filter_ctx ctx, const struct scw_recfilter_opts *o, bool *allowed)
{
	const struct scw_profile *p = o->profile;
	int rc = 0;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		if (!scw_action_allows(r->action))
			continue;
		for (size_t j = 0; j < r->n_names; j++) {
			int nr = seccomp_syscall_resolve_name(r->names[j]);
			bool special = is_special_name(r->names[j]);
			if (nr == __NR_SCMP_ERROR)
				continue; /* unknown to libseccomp, as to runc */
			rc = scw_rule_add_to(ctx, special ? o->act_look : SCMP_ACT_ALLOW, nr, r);
			/* A name with no number on one of the ABIs is skipped
			 * there, as runtimes do. */
			if (rc == -EDOM || rc == -EINVAL || rc == -EEXIST)
				rc = 0;
			if (rc < 0)
				return rc;
			if (allowed && nr >= 0 && (uint32_t)nr < SCW_RECFILTER_NR_LIMIT &&
			    r->n_args == 0 && !special)
				allowed[nr] = true;
		}
	}
	return 0;
}

/* A denylist profile (default ALLOW or LOG): its deny rules take
 * act_record, with their argument conditions; the special calls
 * act_look. */
static int add_denylist(scmp_filter_ctx ctx, const struct scw_recfilter_opts *o,
			const struct special *native)
{
	const struct scw_profile *p = o->profile;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		if (scw_action_allows(r->action))
			continue;
		for (size_t j = 0; rc == 0 && j < r->n_names; j++) {
			int nr = seccomp_syscall_resolve_name(r->names[j]);
			if (nr == __NR_SCMP_ERROR)
				continue;
			rc = scw_rule_add_to(ctx, o->act_record, nr, r);
			if (rc == -EDOM || rc == -EINVAL || rc == -EEXIST)
				rc = 0;
		}
	}
	for (size_t k = 0; rc == 0 && k < N_SPECIAL; k++) {
		int nr = native->nr[k];
		if (nr >= 0) {
			rc = seccomp_rule_add(ctx, o->act_look, nr, 0);
			if (rc == -EEXIST)
				rc = 0;
		}
	}
	return rc;
}

/* scwrap check: the profile's deny rules by name (clone3 answered ENOSYS,
 * say) are its decisions, applied by the kernel as written; only what the
 * profile lacks (its default) reaches the backend.  Marks allowed[nr] (when
 * given) for native numbers so decided whatever their arguments. */
static int add_deny_rules(scmp_filter_ctx ctx, const struct scw_profile *p, bool *allowed)
{
	int rc = 0;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		uint32_t act;
		/* A tracer or listener the profile names is not here. */
		if (scw_action_allows(r->action) || r->action == SCW_ACT_TRACE ||
		    r->action == SCW_ACT_NOTIFY)
			continue;
		act = scw_scmp_action(r->action, r->has_errno, r->errno_ret);
		for (size_t j = 0; j < r->n_names; j++) {
			int nr = seccomp_syscall_resolve_name(r->names[j]);
			if (nr == __NR_SCMP_ERROR)
				continue;
			rc = scw_rule_add_to(ctx, act, nr, r);
			if (rc == -EDOM || rc == -EINVAL || rc == -EEXIST)
				rc = 0;
			if (rc < 0)
				return rc;
			if (allowed && nr >= 0 && (uint32_t)nr < SCW_RECFILTER_NR_LIMIT &&
			    r->n_args == 0)
				allowed[nr] = true;
		}
	}
	return 0;
}

/* A filter context with scwrap's attributes; NULL on failure. */
static scmp_filter_ctx new_ctx(uint32_t def, const struct scw_recfilter_opts *o)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return NULL;
	/* A binary tree of ~400 rules: a dozen comparisons per syscall. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, o->act_record) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, o->nnp) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* The profile's ABIs that this machine runs, other than the native one;
 * *native_listed whether it lists the native one (or none at all, which
 * runtimes load for the native ABI). */
static size_t compat_abis(const struct scw_profile *p, uint32_t native, uint32_t *out,
			  bool *native_listed)
{
	uint32_t machine[SCW_MAX_ABIS];
	size_t n_machine = scw_abi_machine(machine, SCW_MAX_ABIS), n = 0;
	*native_listed = p->n_arches == 0;
	for (size_t i = 0; i < p->n_arches; i++) {
		if (p->arches[i] == native) {
			*native_listed = true;
			continue;
		}
		for (size_t j = 0; j < n_machine; j++)
			if (machine[j] == p->arches[i] && n < SCW_MAX_ABIS)
				out[n++] = p->arches[i];
	}
	return n;
}

/* The native ABI's rules of the filter without a profile, or of an
 * allowlist profile: act_native for every call libseccomp knows that
 * nothing else decides. */
static int add_native_rules(scmp_filter_ctx ctx, const struct scw_recfilter_opts *o,
			    const struct special *native, const bool *allowed)
{
	int rc = 0;
	for (uint32_t nr = 0; rc == 0 && nr < SCW_RECFILTER_NR_LIMIT; nr++) {
		char *name = scw_syscall_name(o->abi, nr);
		bool conditional = false;
		if (!name) {
			if (nr >= 1024)
				break;
			continue;
		}
		if (o->profile && !allowed[nr]) {
			struct scw_verdict v;
			scw_profile_verdict(o->profile, name, &v);
			conditional = v.conditional;
		}
		/* --args: the curated calls are decoded for their arguments. */
		if (o->args && scw_argspec_find(name) >= 0)
			conditional = true;
		free(name);
		/* Conditional allows, the curated calls, and the special
		 * calls take the default: act_record. */
		if (allowed[nr] || conditional || is_special(native, (int)nr))
			continue;
		rc = seccomp_rule_add_exact(ctx, o->act_native(nr), (int)nr, 0);
	}
	return rc;
}

int scw_recfilter_build(const struct scw_recfilter_opts *o, scmp_filter_ctx *out, scw_error *err)
{
	const struct scw_profile *profile = o->profile;
	const char *what = profile ? "filter for the profile" : "recording filter";
	bool denylist = profile && scw_action_allows(profile->default_action);
	cleanup_free bool *allowed = scw_xcalloc(SCW_RECFILTER_NR_LIMIT, sizeof(*allowed));
	uint32_t compat[SCW_MAX_ABIS];
	size_t n_compat = 0;
	bool native_listed = true;
	scmp_filter_ctx ctx = NULL, cctx = NULL;
	struct special native;
	int rc = 0;

	special_of(o->abi, &native);
	if (profile)
		n_compat = compat_abis(profile, o->abi, compat, &native_listed);
	if (!native_listed && n_compat == 0)
		return scw_fail(err, 0, "the profile lists no ABI this machine runs");
	ctx = new_ctx(denylist ? SCMP_ACT_ALLOW : o->act_record, o);
	if (!ctx)
		return scw_fail(err, ENOMEM, "cannot build the %s", what);
	if (denylist) {
		for (size_t i = 0; rc == 0 && i < n_compat; i++)
			rc = seccomp_arch_add(ctx, compat[i]);
		if (rc == 0 && !native_listed)
			rc = seccomp_arch_remove(ctx, o->abi);
		if (rc == 0)
			rc = add_denylist(ctx, o, &native);
		goto done;
	}
	if (profile && native_listed)
		rc = add_allow_rules(ctx, o, allowed);
	if (rc == 0 && profile && native_listed && o->apply_denies)
		rc = add_deny_rules(ctx, profile, allowed);
	if (rc == 0 && native_listed && o->act_native)
		rc = add_native_rules(ctx, o, &native, allowed);
	if (rc == 0 && n_compat) {
		cctx = new_ctx(o->act_record, o);
		if (!cctx)
			rc = -ENOMEM;
		for (size_t i = 0; rc == 0 && i < n_compat; i++)
			rc = seccomp_arch_add(cctx, compat[i]);
		if (rc == 0)
			rc = seccomp_arch_remove(cctx, o->abi);
		if (rc == 0)
			rc = add_allow_rules(cctx, o, NULL);
		if (rc == 0 && o->apply_denies)
			rc = add_deny_rules(cctx, profile, NULL);
		if (rc == 0 && native_listed) {
			rc = seccomp_merge(ctx, cctx);
			if (rc == 0)
				cctx = NULL;
		} else if (rc == 0) {
			seccomp_release(ctx);
			ctx = steal_pointer(&cctx);
		}
	}
done:
	if (cctx)
		seccomp_release(cctx);
	if (rc < 0) {
		seccomp_release(ctx);
		return scw_fail(err, -rc, "cannot build the %s", what);
	}
	*out = ctx;
	return 0;
}
