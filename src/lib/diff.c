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

/* What p does with name, as one line: its rules' actions, conditions
 * first, then the unconditional one (or the default). */
static char *describe(const struct scw_profile *p, const char *name)
{
	char **parts = scw_xcalloc(p->n_rules + 2, sizeof(*parts));
	size_t n = 0, len = 1;
	struct scw_verdict v;
	char act[64], *out;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		char cond[512] = "";
		const char *sep;
		size_t cl = 0;
		if (!r->n_args || !scw_rule_has_name(r, name))
			continue;
		/* Two conditions on one argument can never both hold: runc and
		 * libseccomp (scw_rule_add_to) make each condition its own rule
		 * then, so the rule allows when any of them holds. */
		sep = scw_rule_repeats_index(r) ? " || " : " && ";
		for (size_t k = 0; k < r->n_args && cl < sizeof(cond); k++) {
			const struct scw_arg *a = &r->args[k];
			if (a->op == SCW_OP_MASKED_EQ)
				cl += (size_t)snprintf(cond + cl, sizeof(cond) - cl,
						       "%sarg%u & %#llx == %#llx", k ? sep : "",
						       a->index, (unsigned long long)a->value,
						       (unsigned long long)a->value_two);
			else
				cl += (size_t)snprintf(
				    cond + cl, sizeof(cond) - cl, "%sarg%u %s %#llx", k ? sep : "",
				    a->index, op_text(a->op), (unsigned long long)a->value);
		}
		action_text(act, sizeof(act), r->action, scw_rule_errno(r));
		parts[n++] = scw_xasprintf("%s if %s", act, cond);
	}
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
		char *x, *y;
		if (i > 0 && strcmp(names[i - 1], names[i]) == 0)
			continue;
		x = describe(a, names[i]);
		y = describe(b, names[i]);
		if (strcmp(x, y) == 0) {
			free(x);
			free(y);
			continue;
		}
		d->lines = scw_xreallocarray(d->lines, d->n_lines + 1, sizeof(*d->lines));
		d->lines[d->n_lines++] = (struct scw_diff_line){
		    .name = scw_xstrdup(names[i]),
		    .a = x,
		    .b = y,
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
	for (size_t i = 0; i < d->n_lines; i++) {
		const struct scw_diff_line *l = &d->lines[i];
		bool aa = allows_text(l->a), ba = allows_text(l->b);
		int mark = aa == ba ? '!' : ba ? '+' : '-';
		fprintf(f, "%c %-24s %s [%s] -> %s [%s]\n", mark, l->name, l->a,
			l->layer_a ? l->layer_a : "default", l->b,
			l->layer_b ? l->layer_b : "default");
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
