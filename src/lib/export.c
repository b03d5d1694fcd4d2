/* export.c - a profile in other formats: OCI JSON, a Kubernetes
 * SeccompProfile (YAML), a systemd [Service] fragment, a list of names,
 * classic BPF.  One render function and one table row per format; what a
 * format cannot say goes into notes. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "compile.h"
#include "export.h"
#include "util.h"

/* A growing text. */
struct buf {
	char *s;
	size_t len, cap;
};

static void buf_grow(struct buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	while (b->len + more + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 4096;
	b->s = scw_xreallocarray(b->s, b->cap, 1);
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3))) buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* The text of b, *len bytes; b is emptied. */
static char *buf_steal(struct buf *b, size_t *len)
{
	char *s;
	buf_grow(b, 0);
	b->s[b->len] = '\0';
	*len = b->len;
	s = b->s;
	memset(b, 0, sizeof(*b));
	return s;
}

/* Names as one space-separated string; caller frees. */
static char *join(const char *const *names, size_t n)
{
	struct buf b = {0};
	size_t len;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, " ");
		buf_puts(&b, names[i]);
	}
	return buf_steal(&b, &len);
}

/* ---- oci ---------------------------------------------------------------- */

static char *render_oci(const struct scw_profile *p, const struct scw_export_opts *o, size_t *len,
			struct scw_notes *dropped, scw_error *err)
{
	char *json = scw_profile_to_json(p, err);
	(void)o;
	(void)dropped;
	if (json)
		*len = strlen(json);
	return json;
}

/* ---- k8s ---------------------------------------------------------------- */

/* A DNS-1123 subdomain: at most 253 characters; dot-separated labels of
 * [a-z0-9-], each beginning and ending with [a-z0-9] (apimachinery's
 * IsDNS1123Subdomain). */
bool scw_k8s_name_ok(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		bool edge = i == 0 || i == len - 1 || name[i - 1] == '.' || name[i + 1] == '.';
		if (alnum)
			continue;
		if ((c != '-' && c != '.') || edge)
			return false;
	}
	return true;
}

/* The next code point of UTF-8 text at *s, or -1 when the bytes there are
 * not UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short). */
static long utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	long cp, min;
	int more;
	if (p[0] < 0x80) {
		*s = p + 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f, more = 1, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f, more = 2, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		cp = p[0] & 0x07, more = 3, min = 0x10000;
	} else {
		return -1;
	}
	for (int i = 1; i <= more; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*s = p + more + 1;
	return cp;
}

/* s as a YAML double-quoted scalar, pure ASCII: quote and backslash
 * escaped, tab, newline and carriage return as \t \n \r, other controls
 * and DEL as \xXX, everything beyond ASCII as \uXXXX or \UXXXXXXXX (so no
 * line break of Unicode's, such as U+2028, is folded by a reader).  -1 when
 * s is not UTF-8. */
static int yaml_quoted(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	buf_puts(b, "\"");
	while (*p) {
		long cp = utf8_next(&p);
		if (cp < 0)
			return -1;
		if (cp == '"' || cp == '\\')
			buf_printf(b, "\\%c", (int)cp);
		else if (cp == '\n')
			buf_puts(b, "\\n");
		else if (cp == '\t')
			buf_puts(b, "\\t");
		else if (cp == '\r')
			buf_puts(b, "\\r");
		else if (cp < 0x20 || cp == 0x7f)
			buf_printf(b, "\\x%02lx", cp);
		else if (cp < 0x80)
			buf_printf(b, "%c", (int)cp);
		else if (cp <= 0xffff)
			buf_printf(b, "\\u%04lx", cp);
		else
			buf_printf(b, "\\U%08lx", cp);
	}
	buf_puts(b, "\"");
	return 0;
}

/* key: "value" on a line of its own at indent. */
static int yaml_field(struct buf *b, const char *indent, const char *key, const char *value,
		      const char *what, scw_error *err)
{
	buf_printf(b, "%s%s: ", indent, key);
	if (yaml_quoted(b, value) < 0)
		return scw_fail(err, 0, "%s is not UTF-8 text: YAML cannot carry it", what);
	buf_puts(b, "\n");
	return 0;
}

/* A rule's comment as a YAML comment line: one line, printable ASCII. */
static void yaml_comment(struct buf *b, const char *indent, const char *text)
{
	buf_printf(b, "%s# ", indent);
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		buf_printf(b, "%c", *c >= 0x20 && *c < 0x7f ? *c : ' ');
	buf_puts(b, "\n");
}

static char *render_k8s(const struct scw_profile *p, const struct scw_export_opts *o, size_t *len,
			struct scw_notes *dropped, scw_error *err)
{
	const char *name = o && o->name ? o->name : "scwrap-profile";
	struct buf b = {0};

	if (!scw_k8s_name_ok(name))
		return scw_fail(err, 0, "'%s' cannot name a SeccompProfile", name),
		       scw_hint(err,
				"a Kubernetes name is a DNS-1123 subdomain: at most 253 "
				"lower-case letters, digits, '-' and '.', beginning and ending "
				"with a letter or digit; choose one with --name"),
		       NULL;
	buf_puts(
	    &b,
	    "# A SeccompProfile of the Security Profiles Operator, made by scwrap " PACKAGE_VERSION
	    ".\n"
	    "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
	    "kind: SeccompProfile\n"
	    "metadata:\n");
	yaml_field(&b, "  ", "name", name, "the name", err);
	buf_puts(&b, "spec:\n");
	yaml_field(&b, "  ", "defaultAction", scw_action_name(p->default_action), "", err);
	if (p->has_default_errno && p->default_errno != EPERM)
		scw_notes_add(dropped,
			      "defaultErrnoRet %d: the SeccompProfile has no such field, so the "
			      "default action answers EPERM",
			      p->default_errno);
	for (size_t i = 0, n = 0; i < p->n_arches; i++) {
		const char *oci = scw_abi_oci_name(p->arches[i]);
		if (!oci) {
			free(b.s);
			return scw_fail(err, 0, "ABI %#x has no name in libseccomp %s",
					p->arches[i], scw_libseccomp_version()),
			       NULL;
		}
		if (!scw_abi_k8s_admits(p->arches[i])) {
			scw_notes_add(dropped, "architecture %s: not one the SeccompProfile admits",
				      oci);
			continue;
		}
		if (n++ == 0)
			buf_puts(&b, "  architectures:\n");
		buf_printf(&b, "    - \"%s\"\n", oci);
	}
	if (p->n_rules)
		buf_puts(&b, "  syscalls:\n");
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		if (r->n_args > 6) {
			free(b.s);
			return scw_fail(err, 0,
					"the rule %s for %s has %zu argument conditions; a "
					"SeccompProfile "
					"takes at most 6",
					scw_action_name(r->action), r->names[0], r->n_args),
			       NULL;
		}
		if (r->comment)
			yaml_comment(&b, "    ", r->comment);
		buf_printf(&b, "    - action: \"%s\"\n", scw_action_name(r->action));
		buf_puts(&b, "      names:\n");
		for (size_t j = 0; j < r->n_names; j++) {
			buf_puts(&b, "        - ");
			if (yaml_quoted(&b, r->names[j]) < 0) {
				free(b.s);
				return scw_fail(err, 0, "a syscall name is not UTF-8 text"), NULL;
			}
			buf_puts(&b, "\n");
		}
		if (r->has_errno)
			buf_printf(&b, "      errnoRet: %d\n", r->errno_ret);
		if (r->n_args)
			buf_puts(&b, "      args:\n");
		for (size_t j = 0; j < r->n_args; j++) {
			const struct scw_arg *a = &r->args[j];
			buf_printf(&b,
				   "        - index: %u\n"
				   "          value: %llu\n"
				   "          valueTwo: %llu\n"
				   "          op: \"%s\"\n",
				   a->index, (unsigned long long)a->value,
				   (unsigned long long)a->value_two, scw_op_name(a->op));
			if (a->value > (uint64_t)INT64_MAX || a->value_two > (uint64_t)INT64_MAX)
				scw_notes_add(dropped,
					      "%s: argument %u compares with a value beyond the "
					      "CRD's int64; the API server may refuse it",
					      r->names[0], a->index);
		}
	}
	if (p->n_flags)
		buf_puts(&b, "  flags:\n");
	for (size_t i = 0; i < p->n_flags; i++) {
		buf_puts(&b, "    - ");
		if (yaml_quoted(&b, p->flags[i]) < 0) {
			free(b.s);
			return scw_fail(err, 0, "a flag is not UTF-8 text"), NULL;
		}
		buf_puts(&b, "\n");
	}
	if ((p->listener_path &&
	     yaml_field(&b, "  ", "listenerPath", p->listener_path, "listenerPath", err) < 0) ||
	    (p->listener_metadata && yaml_field(&b, "  ", "listenerMetadata", p->listener_metadata,
						"listenerMetadata", err) < 0)) {
		free(b.s);
		return NULL;
	}
	return buf_steal(&b, len);
}

/* ---- systemd ------------------------------------------------------------ */

#define SD_KILL (-1)

/* How systemd will answer one name. */
struct sd_name {
	const char *name;
	bool allowed, logged;
	int deny; /* when not allowed: errno, or SD_KILL */
};

/* The errno systemd takes (0-4095 after a name, 1-4095 as
 * SystemCallErrorNumber=).  Above 4095 the kernel answers MAX_ERRNO anyway
 * (scw_errno_clamp); 0 as the default becomes EPERM, said in a note. */
static int sd_errno(int e, int min, const char *what, struct scw_notes *dropped)
{
	e = scw_errno_clamp(e);
	if (e >= min)
		return e;
	scw_notes_add(dropped,
		      "%s: errno %d cannot be SystemCallErrorNumber= (1-4095): answered EPERM",
		      what, e);
	return EPERM;
}

/* An errno or "kill" as systemd writes it: the errno's name (glibc's) when
 * it has one, else its number. */
static const char *sd_word(int deny, char *buf, size_t size)
{
	const char *name;
	if (deny == SD_KILL)
		return "kill";
	name = strerrorname_np(deny);
	if (name)
		return name;
	snprintf(buf, size, "%d", deny);
	return buf;
}

/* How systemd answers a denying action (e: the rule's errno): the same, or
 * the nearest it has (sd_instead() says which). */
static int sd_deny_of(enum scw_action a, int e)
{
	switch (a) {
	case SCW_ACT_ERRNO:
		return e;
	case SCW_ACT_KILL_PROCESS:
	case SCW_ACT_KILL_THREAD:
	case SCW_ACT_TRAP:
		return SD_KILL;
	case SCW_ACT_TRACE:
	case SCW_ACT_NOTIFY:
		/* No tracer, no listener: the kernel answers ENOSYS
		 * (kernel/seccomp.c, __seccomp_filter and
		 * seccomp_do_user_notification). */
		return ENOSYS;
	case SCW_ACT_LOG:
	case SCW_ACT_ALLOW:
		break;
	}
	return EPERM;
}

/* What systemd does instead of an action it has not, for notes. */
static const char *sd_instead(enum scw_action a)
{
	switch (a) {
	case SCW_ACT_KILL_THREAD:
		return "systemd kills the whole process, not the thread";
	case SCW_ACT_TRAP:
		return "systemd kills the process instead of sending a SIGSYS it could catch";
	case SCW_ACT_TRACE:
		return "no tracer under systemd: answered ENOSYS, as the kernel does without one";
	case SCW_ACT_NOTIFY:
		return "no seccomp agent under systemd: answered ENOSYS, as the kernel does "
		       "without one";
	case SCW_ACT_KILL_PROCESS:
	case SCW_ACT_ERRNO:
	case SCW_ACT_LOG:
	case SCW_ACT_ALLOW:
		break;
	}
	return NULL;
}

/* Lines "KEY=[~]word word..." of at most about 80 columns. */
static void sd_lines(struct buf *b, const char *key, const char *prefix, char **words, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(words[i]);
		if (col && col + 1 + w > 80) {
			buf_puts(b, "\n");
			col = 0;
		}
		if (col == 0) {
			buf_printf(b, "%s=%s%s", key, prefix, words[i]);
			col = strlen(key) + 1 + strlen(prefix) + w;
		} else {
			buf_printf(b, " %s", words[i]);
			col += 1 + w;
		}
	}
	if (col)
		buf_puts(b, "\n");
}

/* Names (and "name:ERRNO" words) collected for one kind of line. */
struct words {
	char **v;
	size_t n;
};

static void words_add(struct words *w, const char *name, int deny, bool suffix)
{
	char num[16];
	w->v = scw_xreallocarray(w->v, w->n + 1, sizeof(*w->v));
	w->v[w->n++] = suffix ? scw_xasprintf("%s:%s", name, sd_word(deny, num, sizeof(num)))
			      : scw_xstrdup(name);
}

static void words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

/* A note naming the names of words, when there are some. */
static void note_words(struct scw_notes *dropped, const struct words *w, const char *what)
{
	char *s;
	if (!w->n)
		return;
	s = join((const char *const *)w->v, w->n);
	scw_notes_add(dropped, "%s: %s", what, s);
	free(s);
}

static char *render_systemd(const struct scw_profile *p, const struct scw_export_opts *o,
			    size_t *len, struct scw_notes *dropped, scw_error *err)
{
	const char **names;
	size_t n = scw_profile_names(p, &names), n_sd = 0;
	struct sd_name *sd = scw_xcalloc(n + 1, sizeof(*sd));
	struct words allow = {0}, deny = {0}, logw = {0}, unknown = {0}, broad = {0}, kept = {0},
		     instead[SCW_ACT_ALLOW + 1] = {{0}};
	bool allowlist = !scw_action_allows(p->default_action);
	int base;
	struct buf b = {0};
	(void)o;
	(void)err;

	/* Each name's answer: conditions dropped, toward allowing. */
	for (size_t i = 0; i < n; i++) {
		struct scw_verdict v;
		const struct scw_rule *cond;
		struct sd_name *s = &sd[n_sd];
		if (!scw_syscall_known(names[i])) {
			words_add(&unknown, names[i], 0, false);
			continue;
		}
		scw_profile_verdict(p, names[i], &v);
		cond = v.conditional ? scw_profile_conditional_allow(p, names[i]) : NULL;
		s->name = names[i];
		s->allowed = scw_action_allows(v.action) || cond;
		if (s->allowed) {
			s->logged = scw_action_allows(v.action)
					? v.action == SCW_ACT_LOG
					: (cond && cond->action == SCW_ACT_LOG);
			if (v.conditional)
				words_add(&broad, names[i], 0, false);
		} else {
			s->deny = sd_deny_of(v.action, v.errno_ret);
			if (s->deny >= 0)
				s->deny = sd_errno(s->deny, 0, names[i], dropped);
			if (v.rule && sd_instead(v.action))
				words_add(&instead[v.action], names[i], 0, false);
			if (v.conditional)
				words_add(&kept, names[i], 0, false);
		}
		n_sd++;
	}

	buf_puts(&b, "# systemd settings made by scwrap " PACKAGE_VERSION
		     " from a seccomp profile: put them in the\n"
		     "# unit's [Service] section, or in a drop-in as they are.\n"
		     "[Service]\n");
	if (allowlist) {
		/* The default answers every name the profile does not list. */
		int e = scw_profile_default_errno(p);
		base = sd_deny_of(p->default_action, e);
		if (base >= 0)
			base = sd_errno(base, 1, "the default action", dropped);
		for (size_t i = 0; i < n_sd; i++) {
			if (sd[i].allowed)
				words_add(&allow, sd[i].name, 0, false);
			else if (sd[i].deny != base)
				words_add(&deny, sd[i].name, sd[i].deny, true);
		}
		if (allow.n) {
			sd_lines(&b, "SystemCallFilter", "", allow.v, allow.n);
		} else {
			/* An allowlist of nothing: systemd's own minimum. */
			buf_puts(&b, "SystemCallFilter=@default\n");
		}
		if (deny.n) {
			buf_puts(&b, "# Answered otherwise than the default (after an allow list, "
				     "systemd 248 or later).\n");
			sd_lines(&b, "SystemCallFilter", "~", deny.v, deny.n);
		}
		scw_notes_add(dropped,
			      "systemd always allows its @default set (execve, exit_group, "
			      "rt_sigreturn, getrlimit, clock and sleep calls), whatever the "
			      "profile says");
	} else {
		/* A denylist: the most common answer is SystemCallErrorNumber=. */
		int best = 0, counts_kill = 0, counts[SCW_ERRNO_MAX + 1] = {0};
		base = EPERM;
		for (size_t i = 0; i < n_sd; i++) {
			if (sd[i].allowed)
				continue;
			if (sd[i].deny == SD_KILL)
				counts_kill++;
			else
				counts[sd[i].deny]++;
		}
		for (int e = 0; e <= SCW_ERRNO_MAX; e++)
			if (counts[e] > best)
				best = counts[e], base = e;
		if (best && counts[EPERM] == best)
			base = EPERM;
		if (counts_kill > best)
			base = SD_KILL;
		if (base == 0)
			base =
			    counts_kill ? SD_KILL : EPERM; /* SystemCallErrorNumber= takes 1-4095 */
		for (size_t i = 0; i < n_sd; i++)
			if (!sd[i].allowed)
				words_add(&deny, sd[i].name, sd[i].deny, sd[i].deny != base);
		sd_lines(&b, "SystemCallFilter", "~", deny.v, deny.n);
	}
	if (base != SD_KILL && (allowlist || deny.n)) {
		char num[16];
		buf_printf(&b, "SystemCallErrorNumber=%s\n", sd_word(base, num, sizeof(num)));
	}

	if (p->n_arches == 0) {
		/* OCI: no architectures means the native one only. */
		buf_puts(&b, "SystemCallArchitectures=native\n");
	} else {
		struct words arch = {0};
		for (size_t i = 0; i < p->n_arches; i++) {
			const char *a = scw_abi_name(p->arches[i]);
			const char *s = scw_abi_systemd_name(p->arches[i]);
			if (s)
				words_add(&arch, s, 0, false);
			else if (a)
				scw_notes_add(dropped,
					      "architecture %s: systemd has no name for it", a);
			else
				scw_notes_add(dropped,
					      "architecture %#x: systemd has no name for it",
					      p->arches[i]);
		}
		sd_lines(&b, "SystemCallArchitectures", "", arch.v, arch.n);
		words_free(&arch);
	}

	if (p->default_action == SCW_ACT_LOG) {
		/* Everything is logged but what an ALLOW rule names. */
		for (size_t i = 0; i < n_sd; i++)
			if (sd[i].allowed && !sd[i].logged)
				words_add(&logw, sd[i].name, 0, false);
		if (logw.n)
			sd_lines(&b, "SystemCallLog", "~", logw.v, logw.n);
		else
			buf_puts(&b, "SystemCallLog=@known\n");
	} else {
		for (size_t i = 0; i < n_sd; i++)
			if (sd[i].logged)
				words_add(&logw, sd[i].name, 0, false);
		sd_lines(&b, "SystemCallLog", "", logw.v, logw.n);
	}

	/* What could not be said, one line each. */
	note_words(dropped, &broad,
		   "argument conditions dropped: allowed whatever the arguments (broadened; "
		   "denying them outright would break programs that need them)");
	note_words(dropped, &kept,
		   "argument conditions dropped: answered as when no condition holds");
	for (int a = SCW_ACT_KILL_PROCESS; a <= SCW_ACT_ALLOW; a++)
		if (instead[a].n) {
			char *what = scw_xasprintf("%s: %s", scw_action_name((enum scw_action)a),
						   sd_instead((enum scw_action)a));
			note_words(dropped, &instead[a], what);
			free(what);
		}
	if (sd_instead(p->default_action))
		scw_notes_add(dropped, "default action %s: %s", scw_action_name(p->default_action),
			      sd_instead(p->default_action));
	note_words(dropped, &unknown,
		   "names libseccomp does not know, left out (systemd would ignore them)");
	if (p->n_flags) {
		char *s = join((const char *const *)p->flags, p->n_flags);
		scw_notes_add(dropped, "flags dropped, systemd sets none of its own: %s", s);
		free(s);
	}
	if (p->listener_path || p->listener_metadata)
		scw_notes_add(dropped, "listenerPath and listenerMetadata dropped: systemd hands "
				       "no notifications to a seccomp agent");

	words_free(&allow);
	words_free(&deny);
	words_free(&logw);
	words_free(&unknown);
	words_free(&broad);
	words_free(&kept);
	for (size_t a = 0; a < SCW_ARRAY_SIZE(instead); a++)
		words_free(&instead[a]);
	free(sd);
	free(names);
	return buf_steal(&b, len);
}

/* ---- text --------------------------------------------------------------- */

static char *render_text(const struct scw_profile *p, const struct scw_export_opts *o, size_t *len,
			 struct scw_notes *dropped, scw_error *err)
{
	const char **names;
	size_t n = scw_profile_names(p, &names);
	struct buf b = {0};
	struct words cond = {0};
	(void)o;
	(void)err;

	for (size_t i = 0; i < n; i++) {
		struct scw_verdict v;
		scw_profile_verdict(p, names[i], &v);
		/* Allowed by a rule (not by the default), with or without
		 * conditions. */
		if (!(v.rule && scw_action_allows(v.action)) &&
		    !scw_profile_conditional_allow(p, names[i]))
			continue;
		buf_printf(&b, "%s\n", names[i]);
		if (v.conditional)
			words_add(&cond, names[i], 0, false);
	}
	note_words(dropped, &cond, "conditional: allowed or denied by their arguments");
	if (scw_action_allows(p->default_action))
		scw_notes_add(dropped,
			      "the default action %s allows every call not listed; the "
			      "list holds only those a rule allows",
			      scw_action_name(p->default_action));
	words_free(&cond);
	free(names);
	return buf_steal(&b, len);
}

/* ---- bpf ---------------------------------------------------------------- */

static char *render_bpf(const struct scw_profile *p, const struct scw_export_opts *o, size_t *len,
			struct scw_notes *dropped, scw_error *err)
{
	(void)o;
	return scw_profile_to_bpf(p, len, dropped, err);
}

/* ---- the table ---------------------------------------------------------- */

static const struct scw_format format_oci = {
    .name = "oci",
    .summary = "OCI/Docker JSON, as scwrap records (the default)",
    .render = render_oci,
};
static const struct scw_format format_k8s = {
    .name = "k8s",
    .summary = "a Kubernetes SeccompProfile of the Security Profiles Operator (YAML)",
    .render = render_k8s,
};
static const struct scw_format format_systemd = {
    .name = "systemd",
    .summary = "SystemCallFilter= and friends for a systemd unit's [Service] section",
    .render = render_systemd,
};
static const struct scw_format format_text = {
    .name = "text",
    .summary = "the allowed syscall names, one a line, sorted",
    .render = render_text,
};
static const struct scw_format format_bpf = {
    .name = "bpf",
    .summary = "the classic BPF program libseccomp compiles, as runc would load it (binary)",
    .binary = true,
    .render = render_bpf,
};

const struct scw_format *const scw_formats[] = {
    &format_oci, &format_k8s, &format_systemd, &format_text, &format_bpf, NULL,
};

const struct scw_format *scw_format_find(const char *name)
{
	for (size_t i = 0; scw_formats[i]; i++)
		if (strcmp(scw_formats[i]->name, name) == 0)
			return scw_formats[i];
	return NULL;
}
