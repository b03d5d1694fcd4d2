/* report.c - the --report JSON: provenance of every syscall recorded, and
 * why each addition is there. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "cjson-util.h"
#include "args.h"
#include "report.h"
#include "util.h"

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
	/* A run scwrap passed a signal on to covers only what ran until then. */
	cJSON_AddItemToObject(root, "partial",
			      chk(cJSON_CreateBool(in->run && in->run->forwarded_signal)));
	if (in->run && in->run->forwarded_signal) {
		const char *sig = sigabbrev_np(in->run->forwarded_signal);
		char name[32];
		snprintf(name, sizeof(name), "SIG%s", sig ? sig : "?");
		add_str(root, "signal", name);
	}

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
				name && in->profile ? scw_profile_deciding_layer(in->profile, name)
						    : NULL);
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
	for (size_t i = 0; in->equiv && i < in->equiv->n; i++) {
		const struct scw_equiv_added *e = &in->equiv->v[i];
		cJSON *o = chk(cJSON_CreateObject());
		cJSON_AddItemToArray(added, o);
		add_str(o, "name", e->name);
		add_str(o, "layer", scw_layer_name(SCW_LAYER_EQUIVALENT));
		add_str(o, "abi", scw_abi_name(e->abi));
		add_str(o, "for", e->because);
		add_str(o, "reason", e->row->source);
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
