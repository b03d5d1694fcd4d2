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

static bool action_from_name(const char *s, enum scw_action *a)
{
	for (size_t i = 0; i < SCW_ARRAY_SIZE(action_names); i++)
		if (strcmp(s, action_names[i]) == 0) {
			*a = (enum scw_action)i;
			return true;
		}
	/* SCMP_ACT_KILL is libseccomp's old name of KILL_THREAD. */
	if (strcmp(s, "SCMP_ACT_KILL") == 0) {
		*a = SCW_ACT_KILL_THREAD;
		return true;
	}
	return false;
}

static int read_rule(struct scw_rule *r, const cJSON *js, size_t idx, const char *what,
		     scw_error *err)
{
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(js, "names");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(js, "name");
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(js, "action");
	const cJSON *errno_ret = cJSON_GetObjectItemCaseSensitive(js, "errnoRet");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(js, "args");
	const cJSON *inc = cJSON_GetObjectItemCaseSensitive(js, "includes");
	const cJSON *exc = cJSON_GetObjectItemCaseSensitive(js, "excludes");
	const cJSON *it;
	size_t n = 0;

	if (!cJSON_IsObject(js))
		return scw_fail(err, 0, "%s: syscalls[%zu] is not an object", what, idx);
	if (!cJSON_IsString(action) || !action_from_name(action->valuestring, &r->action))
		return scw_fail(err, 0, "%s: syscalls[%zu] has no action scwrap knows", what, idx);
	if ((cJSON_IsArray(args) && cJSON_GetArraySize(args) > 0) ||
	    (cJSON_IsObject(inc) && inc->child) || (cJSON_IsObject(exc) && exc->child))
		return scw_fail(err, 0,
				"%s: syscalls[%zu] has args, includes or excludes, which scwrap "
				"cannot merge yet",
				what, idx);
	if (errno_ret && !cJSON_IsNull(errno_ret)) {
		if (!cJSON_IsNumber(errno_ret) || errno_ret->valuedouble < 0 ||
		    errno_ret->valuedouble > 4095)
			return scw_fail(err, 0, "%s: syscalls[%zu].errnoRet is not an errno", what, idx);
		r->has_errno = true;
		r->errno_ret = errno_ret->valueint;
	}
	if (cJSON_IsString(name)) {
		r->names = scw_xcalloc(1, sizeof(*r->names));
		r->names[n++] = scw_xstrdup(name->valuestring);
	} else if (cJSON_IsArray(names)) {
		r->names = scw_xcalloc((size_t)cJSON_GetArraySize(names), sizeof(*r->names));
		cJSON_ArrayForEach(it, names)
		{
			if (!cJSON_IsString(it))
				return r->n_names = n,
				       scw_fail(err, 0, "%s: syscalls[%zu].names holds a non-string", what, idx);
			r->names[n++] = scw_xstrdup(it->valuestring);
			r->n_names = n;
		}
	} else {
		return scw_fail(err, 0, "%s: syscalls[%zu] has no names", what, idx);
	}
	r->n_names = sort_unique(r->names, n);
	return 0;
}

struct scw_profile *scw_profile_from_json(const char *text, const char *what, scw_error *err)
{
	cleanup_cjson cJSON *root = cJSON_Parse(text);
	struct scw_profile *p;
	const cJSON *it, *dflt, *derr, *arches, *syscalls;
	size_t i = 0;

	if (!root || !cJSON_IsObject(root))
		return scw_fail(err, 0, "%s is not a JSON seccomp profile", what), NULL;
	dflt = cJSON_GetObjectItemCaseSensitive(root, "defaultAction");
	derr = cJSON_GetObjectItemCaseSensitive(root, "defaultErrnoRet");
	arches = cJSON_GetObjectItemCaseSensitive(root, "architectures");
	syscalls = cJSON_GetObjectItemCaseSensitive(root, "syscalls");
	p = scw_xcalloc(1, sizeof(*p));
	if (!cJSON_IsString(dflt) || !action_from_name(dflt->valuestring, &p->default_action)) {
		scw_fail(err, 0, "%s: defaultAction is missing or unknown", what);
		goto fail;
	}
	if (cJSON_IsNumber(derr)) {
		p->has_default_errno = true;
		p->default_errno = derr->valueint;
	}
	p->arches = scw_xcalloc((size_t)cJSON_GetArraySize(arches) + 1, sizeof(*p->arches));
	cJSON_ArrayForEach(it, arches)
	{
		uint32_t abi = cJSON_IsString(it) ? scw_abi_from_name(it->valuestring) : 0;
		if (!abi) {
			scw_fail(err, 0, "%s: architecture %s is unknown", what,
				 cJSON_IsString(it) ? it->valuestring : "(not a string)");
			goto fail;
		}
		p->arches[p->n_arches++] = abi;
	}
	p->rules = scw_xcalloc((size_t)cJSON_GetArraySize(syscalls) + 1, sizeof(*p->rules));
	cJSON_ArrayForEach(it, syscalls)
	{
		p->n_rules++;
		if (read_rule(&p->rules[i], it, i, what, err) < 0)
			goto fail;
		i++;
	}
	return p;
fail:
	scw_profile_free(p);
	return NULL;
}

struct scw_profile *scw_profile_read(const char *path, scw_error *err)
{
	cleanup_file FILE *f = fopen(path, "re");
	cleanup_free char *text = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return scw_fail(err, errno, "cannot read %s", path), NULL;
	for (;;) {
		size_t n;
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if (cap > ((size_t)64 << 20))
				return scw_fail(err, EFBIG, "cannot read %s", path), NULL;
			text = scw_xreallocarray(text, cap + 1, 1);
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		return scw_fail(err, errno, "cannot read %s", path), NULL;
	text[len] = '\0';
	return scw_profile_from_json(text, path, err);
}

int scw_profile_merge(struct scw_profile *dst, const struct scw_profile *src, scw_error *err)
{
	struct scw_rule *allow = NULL;
	size_t n;

	if (src->default_action != dst->default_action)
		return scw_fail(err, 0, "cannot merge profiles with different default actions (%s, %s)",
				scw_action_name(dst->default_action), scw_action_name(src->default_action));
	for (size_t i = 0; i < dst->n_rules && !allow; i++)
		if (dst->rules[i].action == SCW_ACT_ALLOW && !dst->rules[i].has_errno)
			allow = &dst->rules[i];
	if (!allow) {
		dst->rules = scw_xreallocarray(dst->rules, dst->n_rules + 1, sizeof(*dst->rules));
		allow = &dst->rules[dst->n_rules++];
		memset(allow, 0, sizeof(*allow));
		allow->action = SCW_ACT_ALLOW;
	}
	for (size_t i = 0; i < src->n_rules; i++) {
		const struct scw_rule *r = &src->rules[i];
		if (r->action != SCW_ACT_ALLOW)
			return scw_fail(err, 0, "cannot merge a %s rule yet", scw_action_name(r->action));
		n = allow->n_names;
		allow->names = scw_xreallocarray(allow->names, n + r->n_names, sizeof(*allow->names));
		for (size_t j = 0; j < r->n_names; j++)
			allow->names[n + j] = scw_xstrdup(r->names[j]);
		allow->n_names = sort_unique(allow->names, n + r->n_names);
	}
	for (size_t i = 0; i < src->n_arches; i++) {
		bool have = false;
		for (size_t j = 0; j < dst->n_arches; j++)
			have |= dst->arches[j] == src->arches[i];
		if (have)
			continue;
		dst->arches = scw_xreallocarray(dst->arches, dst->n_arches + 1, sizeof(*dst->arches));
		dst->arches[dst->n_arches++] = src->arches[i];
	}
	return 0;
}
