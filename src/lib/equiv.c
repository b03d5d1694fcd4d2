/* equiv.c - the equivalents table, and profiles widened to more ABIs. */
#include <config.h>

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "abi.h"
#include "additions.h"
#include "equiv.h"

/* Bounds on the table, which is read like any other input. */
#define MAX_ROWS  2048
#define MAX_NAMES 64
#define MAX_LINE  1024

void scw_equiv_free(struct scw_equiv *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		for (size_t k = 0; k < t->rows[i].n; k++)
			free(t->rows[i].v[k].name);
		free(t->rows[i].v);
		free(t->rows[i].source);
	}
	free(t->rows);
	free(t);
}

static void row_free(struct scw_equiv_row *r)
{
	for (size_t k = 0; k < r->n; k++)
		free(r->v[k].name);
	free(r->v);
	free(r->source);
}

/* One word of a row's name list: "name", "abi:name", "->" or "args=same";
 * fills r.  Returns 0, or -1 with err naming the word. */
static int row_word(struct scw_equiv_row *r, char *w, const char *path, unsigned line,
		    scw_error *err)
{
	char *colon = strchr(w, ':');
	uint32_t abi = 0;

	if (strcmp(w, "->") == 0) {
		if (r->n_left != (size_t)-1 || r->n == 0)
			return scw_fail(err, 0, "%s:%u: '->' must stand once, after a name", path,
					line);
		r->n_left = r->n;
		return 0;
	}
	if (strcmp(w, "args=same") == 0) {
		r->same_args = true;
		return 0;
	}
	if (colon) {
		*colon = '\0';
		abi = scw_abi_from_name(w);
		if (!abi)
			return scw_fail(err, 0, "%s:%u: '%s' is no ABI libseccomp knows", path,
					line, w);
		w = colon + 1;
	}
	for (const char *c = w; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return scw_fail(err, 0, "%s:%u: '%s' is not a syscall name", path, line, w);
	if (*w == '\0' || strlen(w) >= sizeof(((struct scw_equiv_added *)0)->name))
		return scw_fail(err, 0, "%s:%u: a name is empty or too long", path, line);
	if (abi ? scw_syscall_nr(abi, w) < 0 : !scw_syscall_known(w))
		return scw_fail(err, 0, "%s:%u: libseccomp %s knows no syscall %s%s%s", path, line,
				scw_libseccomp_version(), w, abi ? " on " : "",
				abi ? scw_abi_name(abi) : "");
	if (r->n == MAX_NAMES)
		return scw_fail(err, 0, "%s:%u: more than %d names", path, line, MAX_NAMES);
	r->v[r->n].name = scw_xstrdup(w);
	r->v[r->n++].abi = abi;
	return 0;
}

/* One line of the table into r: NAMES... | SOURCE.  Returns 1 for a row,
 * 0 for a blank or comment line, -1 with err. */
static int parse_line(char *s, struct scw_equiv_row *r, const char *path, unsigned line,
		      scw_error *err)
{
	char *bar, *src, *w, *save = NULL;
	bool arrow;

	memset(r, 0, sizeof(*r));
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '#' || *s == '\0')
		return 0;
	bar = strchr(s, '|');
	if (!bar)
		return scw_fail(err, 0, "%s:%u: no '| SOURCE': every row cites its source", path,
				line);
	*bar = '\0';
	for (src = bar + 1; *src == ' ' || *src == '\t'; src++)
		;
	if (*src == '\0')
		return scw_fail(err, 0, "%s:%u: the source is empty", path, line);
	r->n_left = (size_t)-1;
	r->line = line;
	r->v = scw_xcalloc(MAX_NAMES, sizeof(*r->v));
	for (w = strtok_r(s, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		if (row_word(r, w, path, line, err) < 0)
			return -1;
	arrow = r->n_left != (size_t)-1;
	if (!arrow)
		r->n_left = r->n;
	if (arrow ? r->n_left == r->n : r->n < 2)
		return scw_fail(err, 0, "%s:%u: a row needs two names at least, and one after '->'",
				path, line);
	r->source = scw_xstrdup(src);
	return 1;
}

struct scw_equiv *scw_equiv_load(const char *path, scw_error *err)
{
	cleanup_free char *own = NULL;
	cleanup_file FILE *f = NULL;
	struct scw_equiv *t;
	char buf[MAX_LINE + 2];
	unsigned line = 0;

	if (!path) {
		own = scw_xasprintf("%s/equivalents", scw_datadir());
		path = own;
	}
	f = fopen(path, "re");
	if (!f)
		return scw_fail(err, errno, "cannot read the table of equivalents %s", path),
		       scw_hint(err, "set SCWRAP_DATADIR to the directory that holds it"), NULL;
	t = scw_xcalloc(1, sizeof(*t));
	while (fgets(buf, sizeof(buf), f)) {
		struct scw_equiv_row r;
		size_t len = strlen(buf);
		int rc;
		line++;
		if (len && buf[len - 1] == '\n')
			buf[--len] = '\0';
		else if (!feof(f)) {
			scw_fail(err, 0, "%s:%u: a line longer than %d bytes", path, line,
				 MAX_LINE);
			goto fail;
		}
		rc = parse_line(buf, &r, path, line, err);
		if (rc < 0) {
			row_free(&r);
			goto fail;
		}
		if (rc == 0)
			continue;
		if (t->n == MAX_ROWS) {
			row_free(&r);
			scw_fail(err, 0, "%s: more than %d rows", path, MAX_ROWS);
			goto fail;
		}
		t->rows = scw_xreallocarray(t->rows, t->n + 1, sizeof(*t->rows));
		t->rows[t->n++] = r;
	}
	if (ferror(f)) {
		scw_fail(err, errno, "cannot read the table of equivalents %s", path);
		goto fail;
	}
	return t;
fail:
	scw_equiv_free(t);
	return NULL;
}

/* Go's names (GOARCH) and the usual i386 are taken beside libseccomp's and
 * OCI's. */
static uint32_t abi_of_word(const char *w)
{
	static const char *const x86[] = {"i386", "i686", "386"};
	uint32_t abi = scw_abi_from_name(w);
	uint32_t natives[] = {SCMP_ARCH_X86_64,	 SCMP_ARCH_AARCH64, SCMP_ARCH_ARM,
			      SCMP_ARCH_RISCV64, SCMP_ARCH_PPC64LE, SCMP_ARCH_PPC64,
			      SCMP_ARCH_S390X,	 SCMP_ARCH_MIPS64,  SCMP_ARCH_MIPSEL64};
	if (abi)
		return abi;
	for (size_t i = 0; i < SCW_ARRAY_SIZE(x86); i++)
		if (strcasecmp(w, x86[i]) == 0)
			return SCMP_ARCH_X86;
	for (size_t i = 0; i < SCW_ARRAY_SIZE(natives); i++) {
		const char *go = scw_abi_go_name(natives[i]);
		if (go && strcasecmp(w, go) == 0)
			return natives[i];
	}
	return 0;
}

size_t scw_equiv_parse_abis(const char *list, uint32_t *abis, size_t max, scw_error *err)
{
	cleanup_free char *copy = scw_xstrdup(list);
	char *w, *save = NULL;
	size_t n = 0;

	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		uint32_t abi = abi_of_word(w);
		bool seen = false;
		if (!abi)
			return scw_fail(err, 0,
					"'%s' is no architecture scwrap knows (x86_64, x86 or "
					"i386, x32, aarch64, arm, riscv64, ppc64le, s390x...; "
					"Go's amd64 and arm64 too)",
					w),
			       0;
		for (size_t i = 0; i < n; i++)
			seen |= abis[i] == abi;
		if (seen)
			continue;
		if (n == max)
			return scw_fail(err, 0, "more than %zu architectures", max), 0;
		abis[n++] = abi;
	}
	if (n == 0)
		scw_fail(err, 0, "no architecture in '%s'", list);
	return n;
}

static bool has_abi(const uint32_t *v, size_t n, uint32_t abi)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == abi)
			return true;
	return false;
}

static bool exists(uint32_t abi, const char *name)
{
	return scw_syscall_nr(abi, name) >= 0;
}

/* Whether one of v[0..n) has name. */
static bool on_any(const uint32_t *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (exists(v[i], name))
			return true;
	return false;
}

/* Whether row name e can stand on abi. */
static bool fits(const struct scw_equiv_name *e, uint32_t abi)
{
	return (!e->abi || e->abi == abi) && exists(abi, e->name);
}

/* Whether name, made on one of src[0..n), brings row r's names: it is one
 * of the names that bring the others, on an ABI it may stand on. */
static bool brings(const struct scw_equiv_row *r, const char *name, const uint32_t *src, size_t n)
{
	for (size_t k = 0; k < r->n_left; k++) {
		if (strcmp(r->v[k].name, name) != 0)
			continue;
		for (size_t i = 0; i < n; i++)
			if (fits(&r->v[k], src[i]))
				return true;
	}
	return false;
}

/* The names a row brings (for a group, all of them). */
static size_t first_brought(const struct scw_equiv_row *r)
{
	return r->n_left == r->n ? 0 : r->n_left;
}

static bool is_s390(uint32_t abi)
{
	return abi == SCMP_ARCH_S390 || abi == SCMP_ARCH_S390X;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names p allows, unconditionally or for some arguments, in rules that
 * let the call run (the soft layers and this one's own left out); sorted,
 * unique, borrowed. */
static size_t allowed_names(const struct scw_profile *p, const char ***out)
{
	size_t n = 0, k = 0;
	const char **v;
	for (size_t i = 0; i < p->n_rules; i++)
		n += p->rules[i].n_names;
	v = scw_xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		if (!scw_action_allows(r->action) || r->layer == SCW_LAYER_EQUIVALENT)
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			v[k++] = r->names[j];
	}
	if (k)
		qsort(v, k, sizeof(*v), cmp_str);
	n = 0;
	for (size_t i = 0; i < k; i++)
		if (n == 0 || strcmp(v[n - 1], v[i]) != 0)
			v[n++] = v[i];
	*out = v;
	return n;
}

static bool allowed_plainly(const struct scw_profile *p, const char *name)
{
	struct scw_verdict v;
	scw_profile_verdict(p, name, &v);
	return scw_action_allows(v.action) && v.rule;
}

static void result_add(struct scw_equiv_result *out, const char *name, const char *because,
		       uint32_t abi, const struct scw_equiv_row *row)
{
	struct scw_equiv_added *a;
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].abi == abi && strcmp(out->v[i].name, name) == 0)
			return;
	out->v = scw_xreallocarray(out->v, out->n + 1, sizeof(*out->v));
	a = &out->v[out->n++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	snprintf(a->because, sizeof(a->because), "%s", because);
	a->abi = abi;
	a->row = row;
}

#define EQUIV_COMMENT                                                                              \
	"scwrap:equivalent: the calls allowed, as other listed architectures make them "           \
	"(scwrap's data/equivalents)"

/* Allow name as an equivalent of because: plainly when because is allowed
 * plainly, else with because's argument rules when the row says the
 * arguments match, else plainly with a note. */
static void allow_equivalent(struct scw_profile *p, const char *name, const char *because,
			     const struct scw_equiv_row *row, struct scw_notes *notes)
{
	size_t n_rules = p->n_rules;
	if (allowed_plainly(p, name) || scw_profile_denies_explicitly(p, name))
		return;
	if (allowed_plainly(p, because) || !scw_profile_conditional_allow(p, because)) {
		scw_profile_allow(p, SCW_LAYER_EQUIVALENT, EQUIV_COMMENT, &name, 1);
		return;
	}
	if (!row->same_args) {
		scw_profile_allow(p, SCW_LAYER_EQUIVALENT, EQUIV_COMMENT, &name, 1);
		scw_notes_add(notes,
			      "%s is allowed whatever its arguments: the argument rules of %s "
			      "cannot move to it (its arguments differ)",
			      name, because);
		return;
	}
	for (size_t i = 0; i < n_rules; i++) {
		struct scw_rule r = p->rules[i];
		char *one[] = {(char *)name};
		if (!r.n_args || !scw_action_allows(r.action) || !scw_rule_has_name(&r, because))
			continue;
		r.names = one;
		r.n_names = 1;
		r.layer = SCW_LAYER_EQUIVALENT;
		r.comment = (char *)EQUIV_COMMENT;
		scw_profile_add_rule(p, &r);
	}
}

int scw_equiv_widen(struct scw_profile *p, const uint32_t *abis, size_t n,
		    const struct scw_equiv *t, struct scw_equiv_result *out, scw_error *err)
{
	uint32_t src[SCW_EQUIV_MAX_ABIS + 8];
	size_t n_src = 0, n_names;
	const char **names;
	bool s390 = false, other = false;

	memset(out, 0, sizeof(*out));
	if (p->n_arches == 0)
		src[n_src++] = scw_abi_native();
	for (size_t i = 0; i < p->n_arches && n_src < SCW_ARRAY_SIZE(src); i++)
		src[n_src++] = p->arches[i];
	/* clone(2) on s390 takes the stack first and the flags second
	 * (kernel/fork.c, CONFIG_CLONE_BACKWARDS2): a rule on its flags holds
	 * for one order only, and OCI has no rule per architecture. */
	for (size_t i = 0; i < n + n_src; i++) {
		bool z = is_s390(i < n ? abis[i] : src[i - n]);
		s390 |= z;
		other |= !z;
	}
	if (s390 && other && scw_profile_conditional_allow(p, "clone"))
		return scw_fail(err, 0,
				"clone's flags are its second argument on s390 and s390x and its "
				"first elsewhere: one profile cannot pin them for both"),
		       scw_hint(err, "leave s390x out of --arch, or record without --args");

	n_names = allowed_names(p, &names);
	for (size_t i = 0; i < n_names; i++) {
		uint32_t from[SCW_ARRAY_SIZE(src)];
		size_t n_from = 0;
		for (size_t s = 0; s < n_src; s++)
			if (exists(src[s], names[i]))
				from[n_from++] = src[s];
		for (size_t b = 0; b < n; b++) {
			if (has_abi(from, n_from, abis[b]))
				continue;
			for (size_t r = 0; r < t->n; r++) {
				const struct scw_equiv_row *row = &t->rows[r];
				if (!brings(row, names[i], from, n_from))
					continue;
				for (size_t k = first_brought(row); k < row->n; k++) {
					const char *m = row->v[k].name;
					if (strcmp(m, names[i]) == 0 || !fits(&row->v[k], abis[b]))
						continue;
					/* Where the call itself exists, only what its
					 * ABIs lack: the old calls a C library prefers
					 * where they exist (access, not faccessat).  A
					 * name of one ABI is for that ABI alone. */
					if (!row->v[k].abi && exists(abis[b], names[i]) &&
					    on_any(from, n_from, m))
						continue;
					if (!allowed_plainly(p, m) &&
					    !scw_profile_denies_explicitly(p, m))
						result_add(out, m, names[i], abis[b], row);
				}
			}
		}
	}
	free(names);
	for (size_t i = 0; i < out->n; i++)
		allow_equivalent(p, out->v[i].name, out->v[i].because, out->v[i].row, &out->notes);

	free(p->arches);
	p->arches = scw_xcalloc(n + 1, sizeof(*p->arches));
	memcpy(p->arches, abis, n * sizeof(*abis));
	p->n_arches = n;

	/* What no listed ABI has cannot be allowed: runc would skip it. */
	n_names = allowed_names(p, &names);
	for (size_t i = 0; i < n_names; i++) {
		bool any = false;
		for (size_t b = 0; b < n && !any; b++)
			any = exists(abis[b], names[i]);
		if (!any && allowed_plainly(p, names[i])) {
			scw_notes_add(&out->notes, "%s left out: no architecture of --arch has it",
				      names[i]);
			scw_profile_remove(p, names[i]);
		}
	}
	free(names);
	scw_profile_normalize(p);
	return 0;
}

void scw_equiv_result_free(struct scw_equiv_result *r)
{
	free(r->v);
	scw_notes_free(&r->notes);
	memset(r, 0, sizeof(*r));
}

size_t scw_equiv_lint(const struct scw_profile *p, const struct scw_equiv *t, struct scw_notes *out)
{
	size_t n0 = out->n, n_names;
	const char **names;

	if (p->n_arches < 2 || scw_action_allows(p->default_action))
		return 0;
	n_names = allowed_names(p, &names);
	for (size_t b = 0; b < p->n_arches; b++) {
		const char *bname = scw_abi_name(p->arches[b]);
		for (size_t i = 0; i < n_names; i++) {
			uint32_t from = 0;
			bool known = false, covered = false;
			if (exists(p->arches[b], names[i]))
				continue;
			for (size_t a = 0; a < p->n_arches && !from; a++)
				if (exists(p->arches[a], names[i]))
					from = p->arches[a];
			if (!from)
				continue;
			for (size_t r = 0; r < t->n && !covered; r++) {
				const struct scw_equiv_row *row = &t->rows[r];
				if (!brings(row, names[i], &from, 1))
					continue;
				for (size_t k = first_brought(row); k < row->n && !covered; k++) {
					if (!fits(&row->v[k], p->arches[b]))
						continue;
					known = true;
					covered = allowed_plainly(p, row->v[k].name) ||
						  scw_profile_conditional_allow(p, row->v[k].name);
				}
			}
			if (known && !covered)
				scw_notes_add(out,
					      "warning: %s is allowed for %s, but none of its "
					      "equivalents on %s: export the profile again with "
					      "--arch to add them",
					      names[i],
					      scw_abi_name(from) ? scw_abi_name(from) : "?",
					      bname ? bname : "?");
		}
	}
	free(names);
	return out->n - n0;
}
