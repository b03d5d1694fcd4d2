/* diff.c - how two profiles differ, name by name (scwrap diff), as text
 * and as JSON. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "cjson-util.h"
#include "diff.h"
#include "util.h"

/* "SCMP_ACT_ERRNO(38)" or "SCMP_ACT_ALLOW". */
static void action_text(char *buf, size_t size, enum scw_action a, int e)
{
	if (a == SCW_ACT_ERRNO)
		snprintf(buf, size, "%s(%d)", scw_action_name(a), e);
	else
		snprintf(buf, size, "%s", scw_action_name(a));
}

static const char *op_text(enum scw_op op)
{
	switch (op) {
	case SCW_OP_NE:
		return "!=";
	case SCW_OP_LT:
		return "<";
	case SCW_OP_LE:
		return "<=";
	case SCW_OP_EQ:
		return "==";
	case SCW_OP_GE:
		return ">=";
	case SCW_OP_GT:
		return ">";
	case SCW_OP_MASKED_EQ:
		return "&";
	}
	return "?";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One conditional rule of a name, as diff compares it: its conditions in
 * one order (AND, and runc's OR of one argument's conditions, are both
 * indifferent to order). */
struct cond_rule {
	enum scw_action action;
	int errno_ret;	      /* when action is ERRNO, else 0 */
	bool any;	      /* one argument repeats: any condition suffices */
	struct scw_arg *args; /* sorted, owned */
	size_t n_args;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* valueTwo counts only for SCMP_CMP_MASKED_EQ: libseccomp's other
 * comparisons ignore their second datum. */
static int cmp_arg(const void *va, const void *vb)
{
	const struct scw_arg *a = va, *b = vb;
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->value != b->value)
		return cmp_u64(a->value, b->value);
	return a->op == SCW_OP_MASKED_EQ ? cmp_u64(a->value_two, b->value_two) : 0;
}

static int cmp_cond_rule(const void *va, const void *vb)
{
	const struct cond_rule *a = va, *b = vb;
	if (a->action != b->action)
		return a->action < b->action ? -1 : 1;
	if (a->errno_ret != b->errno_ret)
		return a->errno_ret < b->errno_ret ? -1 : 1;
	if (a->any != b->any)
		return a->any ? 1 : -1;
	if (a->n_args != b->n_args)
		return a->n_args < b->n_args ? -1 : 1;
	for (size_t k = 0; k < a->n_args; k++) {
		int c = cmp_arg(&a->args[k], &b->args[k]);
		if (c)
			return c;
	}
	return 0;
}

/* The conditional rules of p that name name, sorted; caller frees with
 * cond_rules_free(). */
static size_t cond_rules(const struct scw_profile *p, const char *name, struct cond_rule **out)
{
	size_t n = 0;
	*out = scw_xcalloc(p->n_rules + 1, sizeof(**out));
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		struct cond_rule *c = &(*out)[n];
		if (!r->n_args || !scw_rule_has_name(r, name))
			continue;
		c->action = r->action;
		c->errno_ret = r->action == SCW_ACT_ERRNO ? scw_rule_errno(r) : 0;
		/* Two conditions on one argument can never both hold: runc and
		 * libseccomp (scw_rule_add_to) make each condition its own rule
		 * then, so the rule allows when any of them holds. */
		c->any = scw_rule_repeats_index(r);
		c->args = scw_xcalloc(r->n_args, sizeof(*c->args));
		memcpy(c->args, r->args, r->n_args * sizeof(*c->args));
		c->n_args = r->n_args;
		qsort(c->args, c->n_args, sizeof(*c->args), cmp_arg);
		n++;
	}
	qsort(*out, n, sizeof(**out), cmp_cond_rule);
	return n;
}

static void cond_rules_free(struct cond_rule *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].args);
	free(v);
}

/* Whether a and b do the same with name: the same unconditional answer
 * (or default) and the same conditional rules, compared as structures. */
static bool same_treatment(const struct scw_profile *a, const struct scw_profile *b,
			   const char *name)
{
	struct cond_rule *ca, *cb;
	size_t na = cond_rules(a, name, &ca), nb = cond_rules(b, name, &cb);
	struct scw_verdict va, vb;
	bool same;

	scw_profile_verdict(a, name, &va);
	scw_profile_verdict(b, name, &vb);
	same = va.action == vb.action &&
	       (va.action != SCW_ACT_ERRNO || va.errno_ret == vb.errno_ret) && na == nb;
	for (size_t i = 0; same && i < na; i++)
		same = cmp_cond_rule(&ca[i], &cb[i]) == 0;
	cond_rules_free(ca, na);
	cond_rules_free(cb, nb);
	return same;
}

/* "arg0 == 0x1 && arg1 & 0xf == 0x1": a rule's conditions, whole. */
static char *cond_text(const struct cond_rule *c)
{
	char *out = scw_xstrdup("");
	for (size_t k = 0; k < c->n_args; k++) {
		const struct scw_arg *a = &c->args[k];
		const char *sep = k == 0 ? "" : c->any ? " || " : " && ";
		char *next;
		if (a->op == SCW_OP_MASKED_EQ)
			next = scw_xasprintf("%s%sarg%u & %#llx == %#llx", out, sep, a->index,
					     (unsigned long long)a->value,
					     (unsigned long long)a->value_two);
		else
			next = scw_xasprintf("%s%sarg%u %s %#llx", out, sep, a->index,
					     op_text(a->op), (unsigned long long)a->value);
		free(out);
		out = next;
	}
	return out;
}

/* What p does with name, as one line: its rules' actions, conditions
 * first, then the unconditional one (or the default). */
static char *describe(const struct scw_profile *p, const char *name)
{
	struct cond_rule *c;
	size_t nc = cond_rules(p, name, &c), n = 0, len = 1;
	char **parts = scw_xcalloc(nc + 2, sizeof(*parts));
	struct scw_verdict v;
	char act[64], *out;

	for (size_t i = 0; i < nc; i++) {
		cleanup_free char *cond = cond_text(&c[i]);
		action_text(act, sizeof(act), c[i].action, c[i].errno_ret);
		parts[n++] = scw_xasprintf("%s if %s", act, cond);
	}
	cond_rules_free(c, nc);
	qsort(parts, n, sizeof(*parts), cmp_str);
	scw_profile_verdict(p, name, &v);
	action_text(act, sizeof(act), v.action, v.errno_ret);
	parts[n] = scw_xasprintf(n ? "else %s" : "%s", act);
	n++;
	for (size_t i = 0; i < n; i++)
		len += strlen(parts[i]) + 2;
	out = scw_xcalloc(len, 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, "; ");
		strcat(out, parts[i]);
		free(parts[i]);
	}
	free(parts);
	return out;
}

static void add_names(const struct scw_profile *p, char ***names, size_t *n, size_t *cap)
{
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 64;
				*names = scw_xreallocarray(*names, *cap, sizeof(**names));
			}
			(*names)[(*n)++] = p->rules[i].names[j];
		}
}

static bool has_abi(const uint32_t *v, size_t n, uint32_t abi)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == abi)
			return true;
	return false;
}

void scw_diff_profiles(const struct scw_profile *a, const struct scw_profile *b, struct scw_diff *d)
{
	char **names = NULL, da[64], db[64];
	size_t n = 0, cap = 0;

	memset(d, 0, sizeof(*d));
	action_text(da, sizeof(da), a->default_action, scw_profile_default_errno(a));
	action_text(db, sizeof(db), b->default_action, scw_profile_default_errno(b));
	if (strcmp(da, db) != 0) {
		d->default_a = scw_xstrdup(da);
		d->default_b = scw_xstrdup(db);
	}
	d->arches_added = scw_xcalloc(b->n_arches + 1, sizeof(uint32_t));
	d->arches_removed = scw_xcalloc(a->n_arches + 1, sizeof(uint32_t));
	for (size_t i = 0; i < b->n_arches; i++)
		if (!has_abi(a->arches, a->n_arches, b->arches[i]))
			d->arches_added[d->n_added++] = b->arches[i];
	for (size_t i = 0; i < a->n_arches; i++)
		if (!has_abi(b->arches, b->n_arches, a->arches[i]))
			d->arches_removed[d->n_removed++] = a->arches[i];
	add_names(a, &names, &n, &cap);
	add_names(b, &names, &n, &cap);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if ((i > 0 && strcmp(names[i - 1], names[i]) == 0) ||
		    same_treatment(a, b, names[i]))
			continue;
		d->lines = scw_xreallocarray(d->lines, d->n_lines + 1, sizeof(*d->lines));
		d->lines[d->n_lines++] = (struct scw_diff_line){
		    .name = scw_xstrdup(names[i]),
		    .a = describe(a, names[i]),
		    .b = describe(b, names[i]),
		    .layer_a = scw_profile_deciding_layer(a, names[i]),
		    .layer_b = scw_profile_deciding_layer(b, names[i]),
		};
	}
	free(names);
	d->same = !d->default_a && !d->n_added && !d->n_removed && !d->n_lines;
}

void scw_diff_free(struct scw_diff *d)
{
	for (size_t i = 0; i < d->n_lines; i++) {
		free(d->lines[i].name);
		free(d->lines[i].a);
		free(d->lines[i].b);
	}
	free(d->lines);
	free(d->default_a);
	free(d->default_b);
	free(d->arches_added);
	free(d->arches_removed);
	memset(d, 0, sizeof(*d));
}

static bool allows_text(const char *s)
{
	return strncmp(s, "SCMP_ACT_ALLOW", 14) == 0 || strncmp(s, "SCMP_ACT_LOG", 12) == 0;
}

static bool is_equivalent(const struct scw_diff_line *l)
{
	const char *e = scw_layer_name(SCW_LAYER_EQUIVALENT);
	return (l->layer_a && strcmp(l->layer_a, e) == 0) ||
	       (l->layer_b && strcmp(l->layer_b, e) == 0);
}

void scw_diff_print(FILE *f, const struct scw_diff *d, const char *name_a, const char *name_b)
{
	fprintf(f, "--- %s\n+++ %s\n", name_a, name_b);
	if (d->default_a)
		fprintf(f, "! defaultAction: %s -> %s\n", d->default_a, d->default_b);
	for (size_t i = 0; i < d->n_removed; i++) {
		const char *n = scw_abi_name(d->arches_removed[i]);
		fprintf(f, "- architecture %s\n", n ? n : "?");
	}
	for (size_t i = 0; i < d->n_added; i++) {
		const char *n = scw_abi_name(d->arches_added[i]);
		fprintf(f, "+ architecture %s\n", n ? n : "?");
	}
	/* The equivalents --arch added come last, under a heading: they are
	 * what the other architectures need, not what the workload did. */
	for (int pass = 0; pass < 2; pass++) {
		bool heading = false;
		for (size_t i = 0; i < d->n_lines; i++) {
			const struct scw_diff_line *l = &d->lines[i];
			bool aa = allows_text(l->a), ba = allows_text(l->b);
			int mark = aa == ba ? '!' : ba ? '+' : '-';
			if (is_equivalent(l) != (pass == 1))
				continue;
			if (pass == 1 && !heading) {
				fputs(
				    "@@ equivalent: the calls allowed, as other architectures make "
				    "them (--arch) @@\n",
				    f);
				heading = true;
			}
			fprintf(f, "%c %-24s %s [%s] -> %s [%s]\n", mark, l->name, l->a,
				l->layer_a ? l->layer_a : "default", l->b,
				l->layer_b ? l->layer_b : "default");
		}
	}
}

char *scw_diff_json(const struct scw_diff *d, const char *name_a, const char *name_b,
		    scw_error *err)
{
	cleanup_cjson cJSON *root = chk(cJSON_CreateObject());
	cJSON *add, *rem, *lines;
	(void)err;
	add_str(root, "a", name_a);
	add_str(root, "b", name_b);
	cJSON_AddItemToObject(root, "same", chk(cJSON_CreateBool(d->same)));
	if (d->default_a) {
		cJSON *o = chk(cJSON_AddObjectToObject(root, "defaultAction"));
		add_str(o, "a", d->default_a);
		add_str(o, "b", d->default_b);
	}
	add = chk(cJSON_AddArrayToObject(root, "architectures_added"));
	for (size_t i = 0; i < d->n_added; i++)
		cJSON_AddItemToArray(add,
				     chk(cJSON_CreateString(scw_abi_name(d->arches_added[i])
								? scw_abi_name(d->arches_added[i])
								: "?")));
	rem = chk(cJSON_AddArrayToObject(root, "architectures_removed"));
	for (size_t i = 0; i < d->n_removed; i++)
		cJSON_AddItemToArray(rem,
				     chk(cJSON_CreateString(scw_abi_name(d->arches_removed[i])
								? scw_abi_name(d->arches_removed[i])
								: "?")));
	lines = chk(cJSON_AddArrayToObject(root, "syscalls"));
	for (size_t i = 0; i < d->n_lines; i++) {
		const struct scw_diff_line *l = &d->lines[i];
		cJSON *o = chk(cJSON_CreateObject());
		cJSON_AddItemToArray(lines, o);
		add_str(o, "name", l->name);
		add_str(o, "a", l->a);
		add_str(o, "b", l->b);
		add_str(o, "layer_a", l->layer_a);
		add_str(o, "layer_b", l->layer_b);
	}
	return scw_cjson_text(root);
}
