/* profile.c - the profile model and its OCI/Docker JSON form (cJSON). */
#include <config.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
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

const char *scw_action_name(enum scw_action a)
{
	return action_names[a];
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

struct scw_profile *scw_profile_from_acc(const struct scw_acc *acc, struct scw_unnamed **unnamed,
					 size_t *n_unnamed)
{
	struct scw_profile *p = scw_xcalloc(1, sizeof(*p));
	struct scw_rule *r;
	size_t cap = 64, n = 0, cap_un = 0;

	*unnamed = NULL;
	*n_unnamed = 0;
	p->default_action = SCW_ACT_ERRNO;
	p->has_default_errno = true;
	p->default_errno = EPERM;
	p->arches = scw_xcalloc(acc->n_abis, sizeof(*p->arches));
	p->rules = scw_xcalloc(1, sizeof(*p->rules));
	r = &p->rules[0];
	r->action = SCW_ACT_ALLOW;
	r->names = scw_xcalloc(cap, sizeof(*r->names));

	for (unsigned s = 0; s < acc->n_abis; s++) {
		bool used = false;
		for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
			char *name;
			if (acc->counts[s][nr] == 0)
				continue;
			used = true;
			name = scw_syscall_name(acc->abis[s], nr);
			if (!name) {
				if (*n_unnamed == cap_un) {
					cap_un = cap_un ? cap_un * 2 : 8;
					*unnamed = scw_xreallocarray(*unnamed, cap_un, sizeof(**unnamed));
				}
				(*unnamed)[(*n_unnamed)++] = (struct scw_unnamed){
					.abi = acc->abis[s], .nr = nr, .count = acc->counts[s][nr]
				};
				continue;
			}
			if (n == cap) {
				cap *= 2;
				r->names = scw_xreallocarray(r->names, cap, sizeof(*r->names));
			}
			r->names[n++] = name;
		}
		if (used)
			p->arches[p->n_arches++] = acc->abis[s];
	}
	r->n_names = sort_unique(r->names, n);
	p->n_rules = r->n_names > 0 ? 1 : 0;
	return p;
}

void scw_profile_free(struct scw_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rules; i++) {
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			free(p->rules[i].names[j]);
		free(p->rules[i].names);
	}
	free(p->rules);
	free(p->arches);
	free(p);
}

size_t scw_profile_allowed(const struct scw_profile *p, const char ***names)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].action == SCW_ACT_ALLOW)
			n += p->rules[i].n_names;
	*names = scw_xcalloc(n, sizeof(**names));
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].action == SCW_ACT_ALLOW)
			for (size_t j = 0; j < p->rules[i].n_names; j++)
				(*names)[k++] = p->rules[i].names[j];
	qsort(*names, n, sizeof(**names), cmp_str);
	return n;
}

static void cjson_deletep(cJSON **j)
{
	cJSON_Delete(*j);
}
#define cleanup_cjson __attribute__((cleanup(cjson_deletep)))

/* cJSON reports allocation failure as NULL; scwrap treats it as fatal OOM. */
static void *chk_ptr(void *j)
{
	if (!j) {
		static const char msg[] = "scwrap: out of memory\n";
		(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
		abort();
	}
	return j;
}
#define chk(j) ((__typeof__(j))chk_ptr(j))

char *scw_profile_to_json(const struct scw_profile *p, scw_error *err)
{
	cleanup_cjson cJSON *root = chk(cJSON_CreateObject());
	cJSON *arches, *syscalls;
	char *text, *out;
	size_t len;

	cJSON_AddItemToObject(root, "defaultAction",
			      chk(cJSON_CreateString(scw_action_name(p->default_action))));
	if (p->has_default_errno)
		cJSON_AddItemToObject(root, "defaultErrnoRet",
				      chk(cJSON_CreateNumber(p->default_errno)));
	arches = chk(cJSON_AddArrayToObject(root, "architectures"));
	for (size_t i = 0; i < p->n_arches; i++) {
		char name[64];
		if (!scw_abi_oci_name(p->arches[i], name, sizeof(name)))
			return scw_fail(err, 0, "ABI %#x has no name in libseccomp %s",
					p->arches[i], scw_libseccomp_version()),
			       NULL;
		cJSON_AddItemToArray(arches, chk(cJSON_CreateString(name)));
	}
	syscalls = chk(cJSON_AddArrayToObject(root, "syscalls"));
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		cJSON *rule = chk(cJSON_CreateObject());
		cJSON *names;
		cJSON_AddItemToArray(syscalls, rule);
		names = chk(cJSON_AddArrayToObject(rule, "names"));
		for (size_t j = 0; j < r->n_names; j++)
			cJSON_AddItemToArray(names, chk(cJSON_CreateString(r->names[j])));
		cJSON_AddItemToObject(rule, "action", chk(cJSON_CreateString(scw_action_name(r->action))));
		if (r->has_errno)
			cJSON_AddItemToObject(rule, "errnoRet", chk(cJSON_CreateNumber(r->errno_ret)));
	}
	text = chk(cJSON_Print(root));
	len = strlen(text);
	out = scw_xmalloc(len + 2);
	memcpy(out, text, len);
	out[len] = '\n';
	out[len + 1] = '\0';
	cJSON_free(text);
	return out;
}
