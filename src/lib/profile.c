/* profile.c - the profile model: grown by layers, merged, asked how a name
 * fares.  Its JSON form is in profile-json.c. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "util.h"

static const char *const action_names[] = {
    [SCW_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
    [SCW_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
    [SCW_ACT_TRAP] = "SCMP_ACT_TRAP",
    [SCW_ACT_ERRNO] = "SCMP_ACT_ERRNO",
    [SCW_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
    [SCW_ACT_TRACE] = "SCMP_ACT_TRACE",
    [SCW_ACT_LOG] = "SCMP_ACT_LOG",
    [SCW_ACT_ALLOW] = "SCMP_ACT_ALLOW",
};

static const char *const op_names[] = {
    [SCW_OP_NE] = "SCMP_CMP_NE",
    [SCW_OP_LT] = "SCMP_CMP_LT",
    [SCW_OP_LE] = "SCMP_CMP_LE",
    [SCW_OP_EQ] = "SCMP_CMP_EQ",
    [SCW_OP_GE] = "SCMP_CMP_GE",
    [SCW_OP_GT] = "SCMP_CMP_GT",
    [SCW_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

static const char *const layer_names[] = {
    [SCW_LAYER_RECORDED] = "recorded", [SCW_LAYER_PROBED] = "probed",
    [SCW_LAYER_BASELINE] = "baseline", [SCW_LAYER_EQUIVALENT] = "equivalent",
    [SCW_LAYER_ALWAYS] = "always",     [SCW_LAYER_RUNTIME] = "runtime",
    [SCW_LAYER_FALLBACK] = "fallback",
};

const char *scw_action_name(enum scw_action a)
{
	return action_names[a];
}

const char *scw_op_name(enum scw_op op)
{
	return op_names[op];
}

const char *scw_layer_name(enum scw_layer l)
{
	return layer_names[l];
}

int scw_errno_clamp(int e)
{
	return e > SCW_ERRNO_MAX ? SCW_ERRNO_MAX : e;
}

bool scw_action_allows(enum scw_action a)
{
	return a == SCW_ACT_ALLOW || a == SCW_ACT_LOG;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort names and drop duplicates (freeing them); returns the new count. */
static size_t sort_unique(char **names, size_t n)
{
	size_t out = 0;
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && strcmp(names[out - 1], names[i]) == 0) {
			free(names[i]);
			continue;
		}
		names[out++] = names[i];
	}
	return out;
}

bool scw_rule_has_name(const struct scw_rule *r, const char *name)
{
	return r->n_names && r->names &&
	       bsearch(&name, r->names, r->n_names, sizeof(*r->names), cmp_str) != NULL;
}

static struct scw_rule *add_rule(struct scw_profile *p)
{
	struct scw_rule *r;
	p->rules = scw_xreallocarray(p->rules, p->n_rules + 1, sizeof(*p->rules));
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void rule_free(struct scw_rule *r)
{
	for (size_t j = 0; j < r->n_names; j++)
		free(r->names[j]);
	free(r->names);
	free(r->args);
	free(r->comment);
}

void scw_profile_free(struct scw_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rules; i++)
		rule_free(&p->rules[i]);
	for (size_t i = 0; i < p->n_flags; i++)
		free(p->flags[i]);
	free(p->flags);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p->rules);
	free(p->arches);
	free(p);
}

static char *dup_or_null(const char *s)
{
	return s ? scw_xstrdup(s) : NULL;
}

static void rule_copy(struct scw_rule *dst, const struct scw_rule *src)
{
	*dst = *src;
	dst->names = scw_xcalloc(src->n_names + 1, sizeof(*dst->names));
	for (size_t j = 0; j < src->n_names; j++)
		dst->names[j] = scw_xstrdup(src->names[j]);
	dst->args = NULL;
	if (src->n_args) {
		dst->args = scw_xcalloc(src->n_args, sizeof(*dst->args));
		memcpy(dst->args, src->args, src->n_args * sizeof(*dst->args));
	}
	dst->comment = dup_or_null(src->comment);
}

struct scw_profile *scw_profile_dup(const struct scw_profile *p)
{
	struct scw_profile *d = scw_xcalloc(1, sizeof(*d));
	*d = *p;
	d->arches = scw_xcalloc(p->n_arches + 1, sizeof(*d->arches));
	if (p->n_arches) /* a profile may name no ABI: arches is NULL then */
		memcpy(d->arches, p->arches, p->n_arches * sizeof(*d->arches));
	d->flags = scw_xcalloc(p->n_flags + 1, sizeof(*d->flags));
	for (size_t i = 0; i < p->n_flags; i++)
		d->flags[i] = scw_xstrdup(p->flags[i]);
	d->listener_path = dup_or_null(p->listener_path);
	d->listener_metadata = dup_or_null(p->listener_metadata);
	d->rules = scw_xcalloc(p->n_rules + 1, sizeof(*d->rules));
	for (size_t i = 0; i < p->n_rules; i++)
		rule_copy(&d->rules[i], &p->rules[i]);
	return d;
}

bool scw_rule_repeats_index(const struct scw_rule *r)
{
	unsigned seen = 0;
	for (size_t i = 0; i < r->n_args; i++) {
		unsigned bit = r->args[i].index < 6 ? 1u << r->args[i].index : 0;
		if (seen & bit)
			return true;
		seen |= bit;
	}
	return false;
}

int scw_rule_errno(const struct scw_rule *r)
{
	return r->has_errno ? r->errno_ret : EPERM;
}

int scw_profile_default_errno(const struct scw_profile *p)
{
	return p->has_default_errno ? p->default_errno : EPERM;
}

void scw_profile_verdict(const struct scw_profile *p, const char *name, struct scw_verdict *v)
{
	v->action = p->default_action;
	v->errno_ret = scw_profile_default_errno(p);
	v->rule = NULL;
	v->conditional = false;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		if (!scw_rule_has_name(r, name))
			continue;
		if (r->n_args) {
			v->conditional = true;
			continue;
		}
		if (v->rule)
			continue;
		v->rule = r;
		v->action = r->action;
		v->errno_ret = scw_rule_errno(r);
	}
}

const struct scw_rule *scw_profile_conditional_allow(const struct scw_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].n_args && scw_action_allows(p->rules[i].action) &&
		    scw_rule_has_name(&p->rules[i], name))
			return &p->rules[i];
	return NULL;
}

bool scw_profile_denies_explicitly(const struct scw_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		if (!scw_action_allows(r->action) && r->layer != SCW_LAYER_FALLBACK &&
		    r->layer != SCW_LAYER_PROBED && r->n_args == 0 && scw_rule_has_name(r, name))
			return true;
	}
	return false;
}

/* The unconditional rule of (layer, action, errno), created when missing. */
static struct scw_rule *layer_rule(struct scw_profile *p, enum scw_layer layer,
				   enum scw_action action, bool has_errno, int e,
				   const char *comment)
{
	struct scw_rule *r;
	for (size_t i = 0; i < p->n_rules; i++) {
		r = &p->rules[i];
		/* Same comment too: the runtime layer has one rule for each set
		 * of lists that need its names. */
		if (r->layer == layer && r->action == action && r->n_args == 0 &&
		    r->has_errno == has_errno && (!has_errno || r->errno_ret == e) &&
		    ((!r->comment && !comment) ||
		     (r->comment && comment && strcmp(r->comment, comment) == 0)))
			return r;
	}
	r = add_rule(p);
	r->layer = layer;
	r->action = action;
	r->has_errno = has_errno;
	r->errno_ret = e;
	r->comment = dup_or_null(comment);
	return r;
}

static void rule_add_names(struct scw_rule *r, const char *const *names, size_t n)
{
	r->names = scw_xreallocarray(r->names, r->n_names + n + 1, sizeof(*r->names));
	for (size_t i = 0; i < n; i++)
		r->names[r->n_names + i] = scw_xstrdup(names[i]);
	r->n_names = sort_unique(r->names, r->n_names + n);
}

/* Whether allowing name adds anything: nothing allows it yet, and nothing
 * denies it by name. */
static bool allow_fits(const struct scw_profile *p, const char *name)
{
	struct scw_verdict v;
	scw_profile_verdict(p, name, &v);
	if (v.rule ? scw_action_allows(v.action) : scw_action_allows(p->default_action))
		return false;
	return !scw_profile_denies_explicitly(p, name);
}

/* Whether a rule of its own may answer name: no rule names it yet. */
static bool errno_fits(const struct scw_profile *p, const char *name)
{
	struct scw_verdict v;
	scw_profile_verdict(p, name, &v);
	return !v.rule && !v.conditional;
}

/* Put the names that fit into the unconditional rule of (layer, action,
 * errno); returns how many. */
static size_t add_where(struct scw_profile *p, enum scw_layer layer, const char *comment,
			enum scw_action action, bool has_errno, int e, const char *const *names,
			size_t n, bool (*fits)(const struct scw_profile *, const char *))
{
	const char **todo = scw_xcalloc(n + 1, sizeof(*todo));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (fits(p, names[i]))
			todo[k++] = names[i];
	if (k)
		rule_add_names(layer_rule(p, layer, action, has_errno, e, comment), todo, k);
	free(todo);
	return k;
}

size_t scw_profile_allow(struct scw_profile *p, enum scw_layer layer, const char *comment,
			 const char *const *names, size_t n)
{
	return add_where(p, layer, comment, SCW_ACT_ALLOW, false, 0, names, n, allow_fits);
}

size_t scw_profile_errno(struct scw_profile *p, enum scw_layer layer, const char *comment, int e,
			 const char *const *names, size_t n)
{
	return add_where(p, layer, comment, SCW_ACT_ERRNO, true, e, names, n, errno_fits);
}

size_t scw_profile_remove(struct scw_profile *p, const char *name)
{
	size_t gone = 0;
	for (size_t i = 0; i < p->n_rules; i++) {
		struct scw_rule *r = &p->rules[i];
		char **hit;
		if (!scw_action_allows(r->action) || r->n_args || !r->n_names)
			continue;
		hit = bsearch(&name, r->names, r->n_names, sizeof(*r->names), cmp_str);
		if (!hit)
			continue;
		free(*hit);
		memmove(hit, hit + 1, (size_t)(r->names + r->n_names - hit - 1) * sizeof(*hit));
		r->n_names--;
		gone++;
	}
	return gone;
}

void scw_profile_add_rule(struct scw_profile *p, const struct scw_rule *r)
{
	struct scw_rule *d = add_rule(p);
	rule_copy(d, r);
	d->n_names = sort_unique(d->names, d->n_names);
}

/* Drop from r the names for which keep() says no; returns how many went. */
static size_t rule_filter(struct scw_rule *r, bool (*keep)(const char *, const void *),
			  const void *ctx)
{
	size_t out = 0, gone = 0;
	for (size_t j = 0; j < r->n_names; j++) {
		if (keep(r->names[j], ctx)) {
			r->names[out++] = r->names[j];
		} else {
			free(r->names[j]);
			gone++;
		}
	}
	r->n_names = out;
	return gone;
}

static bool not_denied_by(const char *name, const void *ctx)
{
	return !scw_profile_denies_explicitly(ctx, name);
}

int scw_profile_merge(struct scw_profile *dst, const struct scw_profile *src, size_t *denied,
		      scw_error *err)
{
	size_t gone = 0;
	bool notify = false;

	if (src->default_action != dst->default_action)
		return scw_fail(
		    err, 0, "cannot merge profiles with different default actions (%s, %s)",
		    scw_action_name(dst->default_action), scw_action_name(src->default_action));
	for (size_t i = 0; i < src->n_rules; i++)
		notify |= src->rules[i].action == SCW_ACT_NOTIFY;
	if (notify && dst->listener_path && src->listener_path &&
	    strcmp(dst->listener_path, src->listener_path) != 0)
		return scw_fail(err, 0,
				"cannot merge profiles with different listenerPath (%s, %s)",
				dst->listener_path, src->listener_path);
	if (!dst->listener_path && src->listener_path) {
		dst->listener_path = scw_xstrdup(src->listener_path);
		dst->listener_metadata = dup_or_null(src->listener_metadata);
	}
	for (size_t i = 0; i < src->n_rules; i++)
		rule_copy(add_rule(dst), &src->rules[i]);
	/* What either side denies by name stays denied. */
	for (size_t i = 0; i < dst->n_rules; i++)
		if (scw_action_allows(dst->rules[i].action))
			gone += rule_filter(&dst->rules[i], not_denied_by, dst);
	for (size_t i = 0; i < src->n_arches; i++) {
		bool have = false;
		for (size_t j = 0; j < dst->n_arches; j++)
			have |= dst->arches[j] == src->arches[i];
		if (have)
			continue;
		dst->arches =
		    scw_xreallocarray(dst->arches, dst->n_arches + 1, sizeof(*dst->arches));
		dst->arches[dst->n_arches++] = src->arches[i];
	}
	for (size_t i = 0; i < src->n_flags; i++) {
		bool have = false;
		for (size_t j = 0; j < dst->n_flags; j++)
			have |= strcmp(dst->flags[j], src->flags[i]) == 0;
		if (have)
			continue;
		dst->flags = scw_xreallocarray(dst->flags, dst->n_flags + 1, sizeof(*dst->flags));
		dst->flags[dst->n_flags++] = scw_xstrdup(src->flags[i]);
	}
	if (denied)
		*denied = gone;
	scw_profile_normalize(dst);
	return 0;
}

static bool args_equal(const struct scw_rule *a, const struct scw_rule *b)
{
	if (a->n_args != b->n_args)
		return false;
	for (size_t i = 0; i < a->n_args; i++)
		if (a->args[i].index != b->args[i].index || a->args[i].op != b->args[i].op ||
		    a->args[i].value != b->args[i].value ||
		    a->args[i].value_two != b->args[i].value_two)
			return false;
	return true;
}

static bool same_kind(const struct scw_rule *a, const struct scw_rule *b)
{
	return a->layer == b->layer && a->action == b->action && a->has_errno == b->has_errno &&
	       (!a->has_errno || a->errno_ret == b->errno_ret) && args_equal(a, b) &&
	       ((!a->comment && !b->comment) ||
		(a->comment && b->comment && strcmp(a->comment, b->comment) == 0));
}

struct earlier {
	const struct scw_profile *p;
	size_t before; /* rules before this index */
};

/* Rules in layer order, stable: what the workload did first, the soft
 * ENOSYS answers last. */
static void sort_by_layer(struct scw_profile *p)
{
	for (size_t i = 1; i < p->n_rules; i++) {
		struct scw_rule r = p->rules[i];
		size_t j = i;
		for (; j > 0 && p->rules[j - 1].layer > r.layer; j--)
			p->rules[j] = p->rules[j - 1];
		p->rules[j] = r;
	}
}

/* Keep a name unless an earlier unconditional rule already decides it. */
static bool not_decided_earlier(const char *name, const void *ctx)
{
	const struct earlier *e = ctx;
	for (size_t i = 0; i < e->before; i++) {
		const struct scw_rule *r = &e->p->rules[i];
		if (r->n_args == 0 && scw_rule_has_name(r, name))
			return false;
	}
	return true;
}

void scw_profile_normalize(struct scw_profile *p)
{
	size_t out = 0;

	/* Rules read from JSON keep the file's order of names; lookups
	 * (scw_rule_has_name) need them sorted. */
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].names)
			p->rules[i].n_names = sort_unique(p->rules[i].names, p->rules[i].n_names);
	sort_by_layer(p);
	/* Fold rules of the same kind into the first of them. */
	for (size_t i = 0; i < p->n_rules; i++) {
		struct scw_rule *r = &p->rules[i];
		if (!r->names)
			continue;
		for (size_t j = i + 1; j < p->n_rules; j++) {
			struct scw_rule *s = &p->rules[j];
			if (!s->names || !same_kind(r, s))
				continue;
			rule_add_names(r, (const char *const *)s->names, s->n_names);
			rule_free(s);
			memset(s, 0, sizeof(*s));
		}
	}
	/* Unconditional rules: a name is decided once, by the first. */
	for (size_t i = 0; i < p->n_rules; i++) {
		struct scw_rule *r = &p->rules[i];
		struct earlier e = {.p = p, .before = i};
		if (r->names)
			rule_filter(r, not_decided_earlier, &e);
	}
	/* A conditional rule whose names are all decided unconditionally
	 * later in the list is dead too: the unconditional rule's action
	 * applies whatever the arguments only when it allows, so keep
	 * conditional allows before a deny, drop them before an allow. */
	for (size_t i = 0; i < p->n_rules; i++) {
		struct scw_rule *r = &p->rules[i];
		if (!r->names || !r->n_args)
			continue;
		for (size_t j = 0; j < r->n_names;) {
			struct scw_verdict v;
			scw_profile_verdict(p, r->names[j], &v);
			if (v.rule && v.action == r->action &&
			    (!v.rule->has_errno || v.errno_ret == r->errno_ret)) {
				free(r->names[j]);
				memmove(&r->names[j], &r->names[j + 1],
					(r->n_names - j - 1) * sizeof(*r->names));
				r->n_names--;
			} else {
				j++;
			}
		}
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		struct scw_rule *r = &p->rules[i];
		if (!r->names)
			continue;
		if (r->n_names == 0) {
			rule_free(r);
			continue;
		}
		if (out != i)
			p->rules[out] = *r;
		out++;
	}
	p->n_rules = out;
}

/* Takes every rule (names_of). */
static bool any_rule(const struct scw_rule *r)
{
	(void)r;
	return true;
}

/* Takes the rules that allow whatever the arguments (names_of). */
static bool unconditional_allow(const struct scw_rule *r)
{
	return scw_action_allows(r->action) && !r->n_args;
}

/* Every name of the rules keep() takes, sorted and unique (borrowed
 * strings; caller frees the array). */
static size_t names_of(const struct scw_profile *p, bool (*keep)(const struct scw_rule *),
		       const char ***names)
{
	size_t n = 0, k = 0, out = 0;
	for (size_t i = 0; i < p->n_rules; i++)
		if (keep(&p->rules[i]))
			n += p->rules[i].n_names;
	*names = scw_xcalloc(n + 1, sizeof(**names));
	for (size_t i = 0; i < p->n_rules; i++)
		if (keep(&p->rules[i]))
			for (size_t j = 0; j < p->rules[i].n_names; j++)
				(*names)[k++] = p->rules[i].names[j];
	qsort(*names, n, sizeof(**names), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (out == 0 || strcmp((*names)[out - 1], (*names)[i]) != 0)
			(*names)[out++] = (*names)[i];
	return out;
}

size_t scw_profile_allowed(const struct scw_profile *p, const char ***names)
{
	return names_of(p, unconditional_allow, names);
}

size_t scw_profile_names(const struct scw_profile *p, const char ***names)
{
	return names_of(p, any_rule, names);
}

const char *scw_profile_deciding_layer(const struct scw_profile *p, const char *name)
{
	struct scw_verdict v;
	scw_profile_verdict(p, name, &v);
	if (v.rule)
		return scw_layer_name(v.rule->layer);
	for (size_t i = 0; i < p->n_rules; i++)
		if (scw_rule_has_name(&p->rules[i], name))
			return scw_layer_name(p->rules[i].layer);
	return NULL;
}
