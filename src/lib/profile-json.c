/* profile-json.c - the profile model as OCI/Docker/Podman JSON (cJSON). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "abi.h"
#include "cjson-util.h"
#include "profile.h"
#include "util.h"

/* The comment of a rule scwrap made starts with "scwrap:LAYER". */
#define LAYER_TAG "scwrap:"

char *scw_profile_to_json(const struct scw_profile *p, scw_error *err)
{
	cleanup_cjson cJSON *root = chk(cJSON_CreateObject());
	cJSON *arches, *syscalls;

	add_str(root, "defaultAction", scw_action_name(p->default_action));
	if (p->has_default_errno)
		cJSON_AddItemToObject(root, "defaultErrnoRet",
				      u64_number((uint64_t)p->default_errno));
	arches = chk(cJSON_AddArrayToObject(root, "architectures"));
	for (size_t i = 0; i < p->n_arches; i++) {
		const char *name = scw_abi_oci_name(p->arches[i]);
		if (!name)
			return scw_fail(err, 0, "ABI %#x has no name in libseccomp %s",
					p->arches[i], scw_libseccomp_version()),
			       NULL;
		cJSON_AddItemToArray(arches, chk(cJSON_CreateString(name)));
	}
	if (p->n_flags) {
		cJSON *flags = chk(cJSON_AddArrayToObject(root, "flags"));
		for (size_t i = 0; i < p->n_flags; i++)
			cJSON_AddItemToArray(flags, chk(cJSON_CreateString(p->flags[i])));
	}
	if (p->listener_path)
		add_str(root, "listenerPath", p->listener_path);
	if (p->listener_metadata)
		add_str(root, "listenerMetadata", p->listener_metadata);
	syscalls = chk(cJSON_AddArrayToObject(root, "syscalls"));
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		cJSON *rule = chk(cJSON_CreateObject());
		cJSON *names;
		cJSON_AddItemToArray(syscalls, rule);
		names = chk(cJSON_AddArrayToObject(rule, "names"));
		for (size_t j = 0; j < r->n_names; j++)
			cJSON_AddItemToArray(names, chk(cJSON_CreateString(r->names[j])));
		add_str(rule, "action", scw_action_name(r->action));
		if (r->has_errno)
			cJSON_AddItemToObject(rule, "errnoRet", u64_number((uint64_t)r->errno_ret));
		if (r->n_args) {
			cJSON *args = chk(cJSON_AddArrayToObject(rule, "args"));
			for (size_t j = 0; j < r->n_args; j++) {
				cJSON *a = chk(cJSON_CreateObject());
				cJSON_AddItemToArray(args, a);
				cJSON_AddItemToObject(a, "index", u64_number(r->args[j].index));
				cJSON_AddItemToObject(a, "value", u64_number(r->args[j].value));
				cJSON_AddItemToObject(a, "valueTwo",
						      u64_number(r->args[j].value_two));
				add_str(a, "op", scw_op_name(r->args[j].op));
			}
		}
		if (r->comment)
			add_str(rule, "comment", r->comment);
	}
	return scw_cjson_text(root);
}

static bool action_from_name(const char *s, enum scw_action *a)
{
	for (int i = SCW_ACT_KILL_PROCESS; i <= SCW_ACT_ALLOW; i++)
		if (strcmp(s, scw_action_name((enum scw_action)i)) == 0) {
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

static bool op_from_name(const char *s, enum scw_op *op)
{
	for (int i = SCW_OP_NE; i <= SCW_OP_MASKED_EQ; i++)
		if (strcmp(s, scw_op_name((enum scw_op)i)) == 0) {
			*op = (enum scw_op)i;
			return true;
		}
	return false;
}

/* Podman's errno names (defaultErrno, errno): the ones its profiles use. */
static int errno_from_name(const char *s)
{
	static const struct {
		const char *name;
		int e;
	} t[] = {
	    {"EPERM", EPERM},	{"ENOENT", ENOENT}, {"EACCES", EACCES},		{"EINVAL", EINVAL},
	    {"ENOSYS", ENOSYS}, {"ENXIO", ENXIO},   {"EOPNOTSUPP", EOPNOTSUPP},
	};
	for (size_t i = 0; i < SCW_ARRAY_SIZE(t); i++)
		if (strcmp(s, t[i].name) == 0)
			return t[i].e;
	return -1;
}

/* Whether c continues a number: the characters cJSON's parse_number takes. */
static bool number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

/* The next number token of JSON text from *pos to end, or NULL: outside a
 * string, a number starts with '-' or a digit (cJSON's parse_value) and
 * runs through number_char().  In text cJSON parsed, the run is the whole
 * token: anything strtod left of it would have failed the parse. */
static const char *next_number(const char **pos, const char *end, size_t *len)
{
	bool in_string = false;
	for (const char *s = *pos; s < end; s++) {
		if (in_string) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				in_string = false;
		} else if (*s == '"') {
			in_string = true;
		} else if (*s == '-' || (*s >= '0' && *s <= '9')) {
			const char *e = s;
			while (e < end && number_char(*e))
				e++;
			*len = (size_t)(e - s);
			*pos = e;
			return s;
		}
	}
	*pos = end;
	return NULL;
}

/* Give each number of a parsed tree its text from the source, in
 * valuestring (cJSON_Delete frees it): cJSON keeps a number only as a
 * double, exact to 2^53.  Its tree holds values in document order, which
 * a walk in pre-order visits in turn. */
static bool keep_number_text(cJSON *root, const char **pos, const char *end)
{
	cJSON *resume[CJSON_NESTING_LIMIT + 1]; /* where to go on after each child list */
	size_t depth = 0;

	for (cJSON *j = root; j;) {
		if (cJSON_IsNumber(j)) {
			size_t len;
			const char *s = next_number(pos, end, &len);
			if (!s || j->valuestring)
				return false;
			j->valuestring = chk((char *)cJSON_malloc(len + 1));
			memcpy(j->valuestring, s, len);
			j->valuestring[len] = '\0';
		}
		if (j->child) {
			if (depth == SCW_ARRAY_SIZE(resume))
				return false;
			resume[depth++] = j->next;
			j = j->child;
			continue;
		}
		j = j->next;
		while (!j && depth)
			j = resume[--depth];
	}
	return true;
}

/* The value of a JSON number's text if it is an unsigned integer no larger
 * than max, whatever its form ("1e3", "1000.0", "-0"), computed exactly
 * from its digits, never through a double. */
static bool exact_uint(const char *s, uint64_t max, uint64_t *out)
{
	const char *first = NULL, *last = NULL; /* significant digits, '.' skipped */
	long long exp = 0;
	bool neg = *s == '-', point = false;
	uint64_t v = 0;
	size_t ndigits = 0;

	s += neg;
	for (; (*s >= '0' && *s <= '9') || (*s == '.' && !point); s++) {
		if (*s == '.') {
			point = true;
			continue;
		}
		ndigits++;
		if (point)
			exp--;
		if (*s != '0') {
			if (!first)
				first = s;
			last = s;
		}
	}
	if (ndigits == 0)
		return false;
	if (*s == 'e' || *s == 'E') {
		long long e = 0;
		bool eneg = *++s == '-', edigits = false;
		if (*s == '-' || *s == '+')
			s++;
		for (; *s >= '0' && *s <= '9'; s++, edigits = true)
			if (e < 100000)
				e = e * 10 + (*s - '0');
		if (!edigits)
			return false;
		exp += eneg ? -e : e;
	}
	if (*s)
		return false;
	if (!first) { /* zero, in any form */
		*out = 0;
		return true;
	}
	if (neg)
		return false;
	/* Digits after the last significant one scale by ten each. */
	for (const char *d = last + 1; *d && *d != 'e' && *d != 'E'; d++)
		exp += *d != '.';
	for (const char *d = first; d <= last; d++) {
		if (*d == '.')
			continue;
		if (v > (UINT64_MAX - (uint64_t)(*d - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*d - '0');
	}
	for (; exp > 0; exp--) {
		if (v > UINT64_MAX / 10)
			return false;
		v *= 10;
	}
	if (exp < 0 || v > max)
		return false;
	*out = v;
	return true;
}

/* A JSON number that is an exact unsigned integer no larger than max,
 * read from its text (keep_number_text()). */
static bool get_uint(const cJSON *j, uint64_t max, uint64_t *out)
{
	return cJSON_IsNumber(j) && j->valuestring && exact_uint(j->valuestring, max, out);
}

/* Docker's capability set of a default container (moby's
 * oci/caps/defaults.go), against which includes/excludes are resolved. */
static const char *const docker_caps[] = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",	       "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",	       "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",	   "CAP_AUDIT_WRITE",
};

static bool has_cap(const char *c)
{
	for (size_t i = 0; i < SCW_ARRAY_SIZE(docker_caps); i++)
		if (strcmp(c, docker_caps[i]) == 0)
			return true;
	return false;
}

/* Whether an arch word of includes/excludes (Go's GOARCH, as dockerd
 * compares, or libseccomp's name) is this machine's. */
static bool is_our_arch(const char *a)
{
	uint32_t native = scw_abi_native();
	const char *name = scw_abi_name(native), *go = scw_abi_go_name(native);
	if (!name)
		return false;
	return strcmp(a, name) == 0 || (go && strcmp(a, go) == 0);
}

/* "X.Y" at the start of s ("4.8", or a release such as "6.1.0-18-amd64"),
 * both numbers below 2^16: sscanf's %u would take any digits, overflow
 * included. */
static bool parse_release(const char *s, unsigned *a, unsigned *b)
{
	unsigned *v[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		const char *start = s;
		unsigned n = 0;
		for (; *s >= '0' && *s <= '9'; s++)
			if ((n = n * 10 + (unsigned)(*s - '0')) > 65535)
				return false;
		if (s == start || (i == 0 && *s++ != '.'))
			return false;
		*v[i] = n;
	}
	return true;
}

/* Whether the running kernel is at least minKernel "X.Y": 1 or 0, -1 when
 * v is no version. */
static int kernel_at_least(const char *v)
{
	struct utsname u;
	unsigned want_a, want_b, a, b;
	if (!parse_release(v, &want_a, &want_b))
		return -1;
	if (uname(&u) < 0 || !parse_release(u.release, &a, &b))
		return 0;
	return a > want_a || (a == want_a && b >= want_b);
}

/* Resolve Docker's includes (all must hold) or excludes (any excludes):
 * 1 applies, 0 does not, -1 malformed. */
static int conditions(const cJSON *c, bool include)
{
	const cJSON *caps, *arches, *mink, *it;
	bool any = false;
	if (!c || cJSON_IsNull(c))
		return 1;
	if (!cJSON_IsObject(c))
		return -1;
	caps = cJSON_GetObjectItemCaseSensitive(c, "caps");
	arches = cJSON_GetObjectItemCaseSensitive(c, "arches");
	mink = cJSON_GetObjectItemCaseSensitive(c, "minKernel");
	if (cJSON_IsArray(caps) && cJSON_GetArraySize(caps) > 0) {
		bool all = true;
		cJSON_ArrayForEach(it, caps)
		{
			if (!cJSON_IsString(it))
				return -1;
			any |= has_cap(it->valuestring);
			all &= has_cap(it->valuestring);
		}
		if (include && !all)
			return 0;
	}
	if (cJSON_IsArray(arches) && cJSON_GetArraySize(arches) > 0) {
		bool ours = false;
		cJSON_ArrayForEach(it, arches)
		{
			if (!cJSON_IsString(it))
				return -1;
			ours |= is_our_arch(it->valuestring);
		}
		if (include && !ours)
			return 0;
		any |= ours;
	}
	if (mink && !cJSON_IsNull(mink)) {
		int at_least;
		if (!cJSON_IsString(mink))
			return -1;
		at_least = kernel_at_least(mink->valuestring);
		if (at_least < 0)
			return -1;
		if (include && !at_least)
			return 0;
		any |= at_least;
	}
	return include ? 1 : !any;
}

static int read_args(struct scw_rule *r, const cJSON *args, const char *what, size_t idx,
		     scw_error *err)
{
	const cJSON *it;
	size_t n = 0;
	if (!args || cJSON_IsNull(args))
		return 0;
	if (!cJSON_IsArray(args))
		return scw_fail(err, 0, "%s: syscalls[%zu].args is not an array", what, idx);
	r->args = scw_xcalloc((size_t)cJSON_GetArraySize(args) + 1, sizeof(*r->args));
	cJSON_ArrayForEach(it, args)
	{
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(it, "op");
		const cJSON *two = cJSON_GetObjectItemCaseSensitive(it, "valueTwo");
		struct scw_arg *a = &r->args[n];
		uint64_t index;
		if (!cJSON_IsObject(it) ||
		    !get_uint(cJSON_GetObjectItemCaseSensitive(it, "index"), 5, &index) ||
		    !get_uint(cJSON_GetObjectItemCaseSensitive(it, "value"), UINT64_MAX,
			      &a->value) ||
		    (two && !cJSON_IsNull(two) && !get_uint(two, UINT64_MAX, &a->value_two)) ||
		    !cJSON_IsString(op) || !op_from_name(op->valuestring, &a->op))
			return scw_fail(
			    err, 0,
			    "%s: syscalls[%zu].args[%zu] is not an argument scwrap "
			    "understands (index 0-5, value and valueTwo unsigned 64-bit "
			    "integers, op SCMP_CMP_*)",
			    what, idx, n);
		a->index = (unsigned)index;
		r->n_args = ++n;
	}
	return 0;
}

static bool valid_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* One rule; *skip when Docker's conditions leave it out here. */
static int read_rule(struct scw_rule *r, const cJSON *js, size_t idx, const char *what, bool *skip,
		     scw_error *err)
{
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(js, "names");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(js, "name");
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(js, "action");
	const cJSON *errno_ret = cJSON_GetObjectItemCaseSensitive(js, "errnoRet");
	const cJSON *errno_name = cJSON_GetObjectItemCaseSensitive(js, "errno");
	const cJSON *comment = cJSON_GetObjectItemCaseSensitive(js, "comment");
	const cJSON *it;
	int inc, exc;
	size_t n = 0;
	uint64_t e;

	*skip = false;
	r->layer = SCW_LAYER_BASELINE;
	if (!cJSON_IsObject(js))
		return scw_fail(err, 0, "%s: syscalls[%zu] is not an object", what, idx);
	if (cJSON_IsNumber(action))
		return scw_fail(err, 0,
				"%s: syscalls[%zu] has a numeric action: the 2016 Docker format, "
				"which no runtime reads; write actions as SCMP_ACT_* names",
				what, idx);
	if (!cJSON_IsString(action) || !action_from_name(action->valuestring, &r->action))
		return scw_fail(err, 0, "%s: syscalls[%zu] has no action scwrap knows (%s)", what,
				idx, cJSON_IsString(action) ? action->valuestring : "none");
	inc = conditions(cJSON_GetObjectItemCaseSensitive(js, "includes"), true);
	exc = conditions(cJSON_GetObjectItemCaseSensitive(js, "excludes"), false);
	if (inc < 0 || exc < 0)
		return scw_fail(err, 0, "%s: syscalls[%zu] has malformed includes or excludes",
				what, idx);
	if (errno_ret && !cJSON_IsNull(errno_ret)) {
		if (!get_uint(errno_ret, 65535, &e))
			return scw_fail(err, 0, "%s: syscalls[%zu].errnoRet is not an errno", what,
					idx);
		r->has_errno = true;
		r->errno_ret = (int)e;
	} else if (cJSON_IsString(errno_name)) {
		int en = errno_from_name(errno_name->valuestring);
		if (en < 0)
			return scw_fail(err, 0,
					"%s: syscalls[%zu].errno %s is not one scwrap knows", what,
					idx, errno_name->valuestring);
		r->has_errno = true;
		r->errno_ret = en;
	}
	if (comment && cJSON_IsString(comment) && *comment->valuestring) {
		r->comment = scw_xstrdup(comment->valuestring);
		if (strncmp(r->comment, LAYER_TAG, strlen(LAYER_TAG)) == 0) {
			const char *w = r->comment + strlen(LAYER_TAG);
			for (int l = SCW_LAYER_RECORDED; l <= SCW_LAYER_FALLBACK; l++) {
				size_t len = strlen(scw_layer_name((enum scw_layer)l));
				if (strncmp(w, scw_layer_name((enum scw_layer)l), len) == 0 &&
				    (w[len] == '\0' || w[len] == ':' || w[len] == ' '))
					r->layer = (enum scw_layer)l;
			}
		}
	}
	if (read_args(r, cJSON_GetObjectItemCaseSensitive(js, "args"), what, idx, err) < 0)
		return -1;
	if (cJSON_IsString(name)) {
		r->names = scw_xcalloc(2, sizeof(*r->names));
		r->names[n++] = scw_xstrdup(name->valuestring);
		r->n_names = n;
	} else if (cJSON_IsArray(names) && cJSON_GetArraySize(names) > 0) {
		r->names = scw_xcalloc((size_t)cJSON_GetArraySize(names) + 1, sizeof(*r->names));
		cJSON_ArrayForEach(it, names)
		{
			if (!cJSON_IsString(it))
				return scw_fail(err, 0,
						"%s: syscalls[%zu].names holds a non-string", what,
						idx);
			r->names[n++] = scw_xstrdup(it->valuestring);
			r->n_names = n;
		}
	} else {
		return scw_fail(err, 0, "%s: syscalls[%zu] has no names", what, idx);
	}
	for (size_t j = 0; j < n; j++)
		if (!valid_name(r->names[j]))
			return scw_fail(err, 0,
					"%s: syscalls[%zu] names \"%.64s\", which is not a "
					"syscall name",
					what, idx, r->names[j]);
	if (r->n_args > SCW_ARGS_MAX)
		return scw_fail(
		    err, 0,
		    "%s: syscalls[%zu] (%s%s) has %zu argument conditions, more than "
		    "the %d libseccomp and runtimes take; split it into rules of at most "
		    "%d",
		    what, idx, r->names[0], n > 1 ? " and others" : "", r->n_args, SCW_ARGS_MAX,
		    SCW_ARGS_MAX);
	*skip = inc == 0 || exc == 0;
	return 0;
}

static const char *const known_flags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

/* Docker's archMap: the entry of this machine's ABI and its subarches. */
static int read_arch_map(struct scw_profile *p, const cJSON *map, const char *what, scw_error *err)
{
	const cJSON *it, *sub;
	uint32_t native = scw_abi_native();
	if (!cJSON_IsArray(map))
		return scw_fail(err, 0, "%s: archMap is not an array", what);
	cJSON_ArrayForEach(it, map)
	{
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "architecture");
		if (!cJSON_IsString(a))
			return scw_fail(err, 0, "%s: archMap entry without an architecture", what);
		if (scw_abi_from_name(a->valuestring) != native)
			continue;
		p->arches = scw_xreallocarray(p->arches, p->n_arches + 1, sizeof(*p->arches));
		p->arches[p->n_arches++] = native;
		sub = cJSON_GetObjectItemCaseSensitive(it, "subArchitectures");
		cJSON_ArrayForEach(a, sub)
		{
			uint32_t abi = cJSON_IsString(a) ? scw_abi_from_name(a->valuestring) : 0;
			if (!abi)
				continue; /* not one this libseccomp, hence runc, knows */
			p->arches =
			    scw_xreallocarray(p->arches, p->n_arches + 1, sizeof(*p->arches));
			p->arches[p->n_arches++] = abi;
		}
	}
	return 0;
}

struct scw_profile *scw_profile_from_json(const char *text, const char *what, scw_error *err)
{
	const char *end = NULL, *pos = text;
	cleanup_cjson cJSON *root = cJSON_ParseWithOpts(text, &end, false);
	struct scw_profile *p;
	const cJSON *it, *dflt, *derr, *arches, *syscalls, *flags, *lp, *lm;
	size_t i = 0, len;
	uint64_t e;

	if (!root || !cJSON_IsObject(root))
		return scw_fail(err, 0, "%s is not a JSON seccomp profile", what),
		       scw_hint(err, "give an OCI/Docker profile such as scwrap writes"), NULL;
	if (!keep_number_text(root, &pos, end) || next_number(&pos, end, &len))
		return scw_fail(err, 0, "%s: its numbers cannot be read exactly", what),
		       scw_hint(err, "write it as plain JSON, as scwrap does"), NULL;
	if (cJSON_GetObjectItemCaseSensitive(root, "default_action"))
		return scw_fail(
			   err, 0,
			   "%s is in the 2016 Docker format (default_action, numeric actions), "
			   "which no runtime reads; use the current format (defaultAction)",
			   what),
		       NULL;
	dflt = cJSON_GetObjectItemCaseSensitive(root, "defaultAction");
	derr = cJSON_GetObjectItemCaseSensitive(root, "defaultErrnoRet");
	arches = cJSON_GetObjectItemCaseSensitive(root, "architectures");
	syscalls = cJSON_GetObjectItemCaseSensitive(root, "syscalls");
	flags = cJSON_GetObjectItemCaseSensitive(root, "flags");
	lp = cJSON_GetObjectItemCaseSensitive(root, "listenerPath");
	lm = cJSON_GetObjectItemCaseSensitive(root, "listenerMetadata");
	p = scw_xcalloc(1, sizeof(*p));
	if (!cJSON_IsString(dflt) || !action_from_name(dflt->valuestring, &p->default_action)) {
		scw_fail(err, 0, "%s: defaultAction is missing or unknown", what);
		goto fail;
	}
	if (derr && !cJSON_IsNull(derr)) {
		if (!get_uint(derr, 65535, &e)) {
			scw_fail(err, 0, "%s: defaultErrnoRet is not an errno", what);
			goto fail;
		}
		p->has_default_errno = true;
		p->default_errno = (int)e;
	} else if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "defaultErrno"))) {
		int en = errno_from_name(
		    cJSON_GetObjectItemCaseSensitive(root, "defaultErrno")->valuestring);
		if (en < 0) {
			scw_fail(err, 0, "%s: defaultErrno is not an errno name scwrap knows",
				 what);
			goto fail;
		}
		p->has_default_errno = true;
		p->default_errno = en;
	}
	if (arches && !cJSON_IsNull(arches) && !cJSON_IsArray(arches)) {
		scw_fail(err, 0, "%s: architectures is not an array", what);
		goto fail;
	}
	p->arches = scw_xcalloc((size_t)cJSON_GetArraySize(arches) + 1, sizeof(*p->arches));
	cJSON_ArrayForEach(it, arches)
	{
		uint32_t abi = cJSON_IsString(it) ? scw_abi_from_name(it->valuestring) : 0;
		if (!abi) {
			scw_fail(err, 0, "%s: architecture %s is unknown to libseccomp %s", what,
				 cJSON_IsString(it) ? it->valuestring : "(not a string)",
				 scw_libseccomp_version());
			goto fail;
		}
		p->arches[p->n_arches++] = abi;
	}
	if (p->n_arches == 0 && cJSON_GetObjectItemCaseSensitive(root, "archMap") &&
	    read_arch_map(p, cJSON_GetObjectItemCaseSensitive(root, "archMap"), what, err) < 0)
		goto fail;
	if (flags && !cJSON_IsNull(flags)) {
		if (!cJSON_IsArray(flags)) {
			scw_fail(err, 0, "%s: flags is not an array", what);
			goto fail;
		}
		p->flags = scw_xcalloc((size_t)cJSON_GetArraySize(flags) + 1, sizeof(*p->flags));
		cJSON_ArrayForEach(it, flags)
		{
			bool known = false;
			for (size_t k = 0; cJSON_IsString(it) && k < SCW_ARRAY_SIZE(known_flags);
			     k++)
				known |= strcmp(it->valuestring, known_flags[k]) == 0;
			if (!known) {
				scw_fail(err, 0,
					 "%s: flag %s is not a SECCOMP_FILTER_FLAG_* runtimes know",
					 what,
					 cJSON_IsString(it) ? it->valuestring : "(not a string)");
				goto fail;
			}
			p->flags[p->n_flags++] = scw_xstrdup(it->valuestring);
		}
	}
	if (cJSON_IsString(lp))
		p->listener_path = scw_xstrdup(lp->valuestring);
	if (cJSON_IsString(lm))
		p->listener_metadata = scw_xstrdup(lm->valuestring);
	if (syscalls && !cJSON_IsNull(syscalls) && !cJSON_IsArray(syscalls)) {
		scw_fail(err, 0, "%s: syscalls is not an array", what);
		goto fail;
	}
	p->rules = scw_xcalloc((size_t)cJSON_GetArraySize(syscalls) + 1, sizeof(*p->rules));
	cJSON_ArrayForEach(it, syscalls)
	{
		bool skip;
		struct scw_rule *r = &p->rules[p->n_rules++];
		if (read_rule(r, it, i++, what, &skip, err) < 0)
			goto fail;
		if (skip) {
			/* Not for this machine or a default container: as dockerd. */
			for (size_t j = 0; j < r->n_names; j++)
				free(r->names[j]);
			free(r->names);
			free(r->args);
			free(r->comment);
			memset(r, 0, sizeof(*r));
			p->n_rules--;
		}
	}
	scw_profile_normalize(p);
	return p;
fail:
	scw_profile_free(p);
	return NULL;
}

struct scw_profile *scw_profile_read(const char *path, scw_error *err)
{
	cleanup_file FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "re");
	FILE *in = strcmp(path, "-") == 0 ? stdin : f;
	cleanup_free char *text = NULL;
	size_t len = 0, cap = 0;

	if (!in)
		return scw_fail(err, errno, "cannot read %s", path), NULL;
	for (;;) {
		size_t n;
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if (cap > ((size_t)64 << 20))
				return scw_fail(err, EFBIG, "cannot read %s", path), NULL;
			text = scw_xreallocarray(text, cap + 1, 1);
		}
		n = fread(text + len, 1, cap - len, in);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(in))
		return scw_fail(err, errno, "cannot read %s", path), NULL;
	if (memchr(text, '\0', len))
		return scw_fail(err, 0, "%s is not a JSON seccomp profile (it holds NUL bytes)",
				strcmp(path, "-") == 0 ? "standard input" : path),
		       NULL;
	text[len] = '\0';
	return scw_profile_from_json(text, strcmp(path, "-") == 0 ? "standard input" : path, err);
}
