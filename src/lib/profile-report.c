/* profile-report.c - the --report JSON, and differences between profiles
 * (scwrap diff) as text and JSON. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "cjson-util.h"
#include "args.h"
#include "report.h"
#include "util.h"

/* The layer of the rule that decides a name, or NULL (the default). */
static const char *deciding_layer(const struct scw_profile *p, const char *name)
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

/* The values of a set: [[a, b], ...] ([a] with one argument). */
static cJSON *argset_json(const struct scw_argset *s, unsigned n)
{
	cJSON *vals = chk(cJSON_CreateArray());
	for (unsigned i = 0; i < s->n; i++) {
		cJSON *t = chk(cJSON_CreateArray());
		cJSON_AddItemToArray(vals, t);
		for (unsigned k = 0; k < n; k++)
			cJSON_AddItemToArray(t, u64_number(s->v[i][k]));
	}
	return vals;
}

char *scw_report_json(const struct scw_report_in *in, scw_error *err)
{
	cleanup_cjson cJSON *root = chk(cJSON_CreateObject());
	const struct scw_acc *acc = in->acc;
	cJSON *cmd, *sys, *exes, *added, *warn;

	(void)err;
	add_str(root, "scwrap", PACKAGE_VERSION);
	add_str(root, "backend", in->backend);
	cmd = chk(cJSON_AddArrayToObject(root, "command"));
	for (char *const *a = in->argv; a && *a; a++)
		cJSON_AddItemToArray(cmd, chk(cJSON_CreateString(*a)));
	cJSON_AddItemToObject(root, "processes", u64_number(in->run ? in->run->processes : 0));
	cJSON_AddItemToObject(root, "syscalls_made", u64_number(acc->total));

	sys = chk(cJSON_AddArrayToObject(root, "syscalls"));
	for (unsigned s = 0; s < acc->n_abis; s++) {
		const char *abi = scw_abi_name(acc->abis[s]);
		for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
			const struct scw_first *f = &acc->first[s][nr];
			cleanup_free char *name = NULL;
			cJSON *o, *ex, *first;
			if (!acc->counts[s][nr])
				continue;
			name = scw_syscall_name(acc->abis[s], nr);
			o = chk(cJSON_CreateObject());
			cJSON_AddItemToArray(sys, o);
			if (name)
				add_str(o, "name", name);
			else
				cJSON_AddItemToObject(o, "name", chk(cJSON_CreateNull()));
			cJSON_AddItemToObject(o, "nr", u64_number(nr));
			add_str(o, "abi", abi);
			cJSON_AddItemToObject(o, "count", u64_number(acc->counts[s][nr]));
			add_str(o, "in_profile",
				name && in->profile ? deciding_layer(in->profile, name) : NULL);
			if (name && scw_risk(name))
				add_str(o, "risk", scw_risk(name));
			ex = chk(cJSON_AddArrayToObject(o, "executables"));
			for (uint32_t i = 0; i < acc->n_exes; i++)
				if (acc->exes[i]->bits[s][nr / 64] & (UINT64_C(1) << (nr % 64)))
					cJSON_AddItemToArray(
					    ex, chk(cJSON_CreateString(acc->exes[i]->path)));
			first = chk(cJSON_AddObjectToObject(o, "first"));
			cJSON_AddItemToObject(first, "pid", u64_number((uint64_t)f->pid));
			add_str(first, "exe",
				f->exe < acc->n_exes ? acc->exes[f->exe]->path : NULL);
			add_str(first, "argv0", f->argv0);
		}
	}
	added = chk(cJSON_AddArrayToObject(root, "added"));
	for (size_t k = 0; k < in->n_added; k++)
		for (size_t i = 0; i < in->added[k].n; i++) {
			cJSON *o = chk(cJSON_CreateObject());
			cJSON_AddItemToArray(added, o);
			add_str(o, "name", in->added[k].v[i].name);
			add_str(o, "layer", scw_layer_name(in->added[k].layer));
			if (in->added[k].label)
				add_str(o, "runtime", in->added[k].label);
			add_str(o, "reason", in->added[k].v[i].reason);
		}
	exes = chk(cJSON_AddArrayToObject(root, "executables"));
	for (uint32_t i = 0; i < acc->n_exes; i++) {
		cJSON *o = chk(cJSON_CreateObject());
		cJSON_AddItemToArray(exes, o);
		add_str(o, "path", acc->exes[i]->path);
		cJSON_AddItemToObject(o, "processes", u64_number(acc->exes[i]->procs));
		cJSON_AddItemToObject(o, "syscalls", u64_number(acc->exes[i]->calls));
		cJSON_AddItemToObject(o, "distinct", u64_number(scw_exe_distinct(acc->exes[i])));
	}
	if (acc->args) {
		cJSON *args = chk(cJSON_AddArrayToObject(root, "arguments"));
		for (unsigned s = 0; s < scw_n_argspecs; s++) {
			const struct scw_argspec *sp = &scw_argspecs[s];
			cJSON *o, *idx, *ex;
			if (!acc->args[s].n)
				continue;
			o = chk(cJSON_CreateObject());
			cJSON_AddItemToArray(args, o);
			add_str(o, "name", sp->name);
			idx = chk(cJSON_AddArrayToObject(o, "index"));
			for (unsigned k = 0; k < sp->n; k++)
				cJSON_AddItemToArray(idx, u64_number(sp->index[k]));
			add_str(o, "why", sp->why);
			cJSON_AddItemToObject(o, "values", argset_json(&acc->args[s], sp->n));
			cJSON_AddItemToObject(o, "overflow",
					      chk(cJSON_CreateBool(acc->args[s].overflow)));
			ex = chk(cJSON_AddArrayToObject(o, "executables"));
			for (uint32_t i = 0; i < acc->n_exes; i++) {
				cJSON *e;
				if (!acc->exes[i]->args || !acc->exes[i]->args[s].n)
					continue;
				e = chk(cJSON_CreateObject());
				cJSON_AddItemToArray(ex, e);
				add_str(e, "path", acc->exes[i]->path);
				cJSON_AddItemToObject(e, "values",
						      argset_json(&acc->exes[i]->args[s], sp->n));
			}
		}
	}
	warn = chk(cJSON_AddArrayToObject(root, "warnings"));
	for (size_t i = 0; in->warnings && i < in->warnings->n; i++)
		cJSON_AddItemToArray(warn, chk(cJSON_CreateString(in->warnings->v[i])));
	return scw_cjson_text(root);
}

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
		    .layer_a = deciding_layer(a, names[i]),
		    .layer_b = deciding_layer(b, names[i]),
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
