/* additions.c - the layers scwrap adds to what was recorded. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "abi.h"
#include "additions.h"
#include "util.h"

struct why {
	const char *name, *reason;
};

#define VDSO "vDSO calls, real syscalls on hosts whose clock the vDSO cannot read"

/* Needed but easy to miss in one recording (README.md, "always"): each
 * reason says why. */
static const struct why always[] = {
    {"rt_sigreturn", "returns from a signal handler; seen only when a handler ran"},
    /* Only the ABIs whose libseccomp table has it (x86, arm...): exists(). */
    {"sigreturn", "returns from a signal handler on 32-bit ABIs (i386's static programs use it); "
		  "seen only when a handler ran"},
    {"restart_syscall", "the kernel restarts an interrupted sleep with it after a stop"},
    {"exit", "ends a thread; a thread that cannot exit hangs"},
    {"exit_group", "ends the process; a process that cannot exit hangs"},
    {"clock_gettime", VDSO},
    {"clock_gettime64", VDSO},
    {"gettimeofday", VDSO},
    {"time", VDSO},
    {"clock_getres", VDSO},
    {"clock_getres_time64", VDSO},
    {"getcpu", VDSO},
    /* Issue 15: dash and busybox sh call it at start when PWD is unset
     * (seen here with strace), as in a container, never under a host
     * shell that exported PWD. */
    {"getcwd", "shells call it at start where PWD is unset, as in a container; a host shell "
	       "passes PWD"},
};

/* Newer calls whose callers fall back to an older one on ENOSYS, and only
 * on ENOSYS: EPERM from a profile breaks them (README.md, "fallback";
 * Docker's default profile answers clone3 with ENOSYS for that reason, see
 * tests/fixtures/profiles/moby-profiles_default.json). */
static const struct why fallbacks[] = {
    {"clone3", "glibc 2.34+ creates threads and processes with it, and uses clone on ENOSYS"},
    {"faccessat2", "glibc 2.33+ tries it first, and uses faccessat on ENOSYS"},
    {"fchmodat2", "glibc 2.39+ tries it first, and emulates it on ENOSYS"},
    {"statx", "coreutils, gnulib and glibc's 32-bit stat use fstatat on ENOSYS"},
    {"rseq", "glibc 2.35+ registers it for every thread, and carries on without it on ENOSYS"},
    {"close_range", "callers close descriptors one by one on ENOSYS"},
    {"openat2", "runc, systemd and others use openat on ENOSYS"},
    {"copy_file_range", "cp and others copy with read and write on ENOSYS"},
    {"getrandom", "OpenSSL and others read /dev/urandom on ENOSYS"},
    {"pidfd_open", "callers fall back to pid-based waiting on ENOSYS"},
    {"epoll_pwait2", "callers use epoll_pwait on ENOSYS"},
};

/* Whether a name is a syscall on one of the profile's ABIs. */
static bool exists(const struct scw_profile *p, const char *name)
{
	uint32_t native = scw_abi_native();
	if (p->n_arches == 0)
		return scw_syscall_nr(native, name) >= 0;
	for (size_t i = 0; i < p->n_arches; i++)
		if (scw_syscall_nr(p->arches[i], name) >= 0)
			return true;
	return false;
}

static size_t add_table(struct scw_profile *p, const struct why *t, size_t n, bool enosys,
			struct scw_added **added)
{
	size_t k = 0;
	*added = scw_xcalloc(n, sizeof(**added));
	for (size_t i = 0; i < n; i++) {
		const char *name = t[i].name;
		size_t got;
		if (!exists(p, name))
			continue;
		if (enosys)
			got = scw_profile_errno(p, SCW_LAYER_FALLBACK,
						"scwrap:fallback: newer calls answered ENOSYS, so "
						"that callers use their older fallback",
						ENOSYS, &name, 1);
		else
			got =
			    scw_profile_allow(p, SCW_LAYER_ALWAYS,
					      "scwrap:always: needed on other hosts or paths than "
					      "the recorded one",
					      &name, 1);
		if (!got)
			continue;
		snprintf((*added)[k].name, sizeof((*added)[k].name), "%s", name);
		(*added)[k++].reason = t[i].reason;
	}
	return k;
}

size_t scw_add_always(struct scw_profile *p, struct scw_added **added)
{
	return add_table(p, always, SCW_ARRAY_SIZE(always), false, added);
}

size_t scw_add_fallbacks(struct scw_profile *p, struct scw_added **added)
{
	/* Under a default that allows, there is nothing to soften. */
	if (scw_action_allows(p->default_action)) {
		*added = NULL;
		return 0;
	}
	return add_table(p, fallbacks, SCW_ARRAY_SIZE(fallbacks), true, added);
}

/* The settings a list makes a container start in (engine x runtime x
 * noNewPrivileges, and the init programs of --init). */
enum {
	COVER_RUNC = 1 << 0,	  /* runc, noNewPrivileges false */
	COVER_RUNC_NNP = 1 << 1,  /* runc, noNewPrivileges true */
	COVER_CRUN = 1 << 2,	  /* crun, noNewPrivileges false */
	COVER_CRUN_NNP = 1 << 3,  /* crun, noNewPrivileges true */
	COVER_TINI = 1 << 4,	  /* docker run --init */
	COVER_CATATONIT = 1 << 5, /* podman run --init */
};

/* The lists scwrap ships (data/runtimes/).  runc and crun: for
 * process.noNewPrivileges false, the default of Docker, Podman and
 * Kubernetes (the runtime then loads the profile before it sets up the
 * user and capabilities), which also serves true; the -nnp lists only for
 * true (runc spec's default; Kubernetes' allowPrivilegeEscalation: false),
 * and shorter.  tini and catatonit: what the init program of docker run
 * --init and podman run --init does before it starts the workload. */
static const struct {
	const char *name;
	unsigned covers;
} shipped[] = {
    {"runc", COVER_RUNC | COVER_RUNC_NNP},
    {"crun", COVER_CRUN | COVER_CRUN_NNP},
    {"runc-nnp", COVER_RUNC_NNP},
    {"crun-nnp", COVER_CRUN_NNP},
    {"tini", COVER_TINI},
    {"catatonit", COVER_CATATONIT},
};
static const char *const runtimes[] = {"runc", "crun",	    "runc-nnp", "crun-nnp",
				       "tini", "catatonit", NULL};

const char *const *scw_runtimes(void)
{
	return runtimes;
}

const char *scw_datadir(void)
{
	const char *env = getenv("SCWRAP_DATADIR");
	struct stat st;
	if (env && *env)
		return env;
	if (stat(SCW_PKGDATADIR "/runtimes", &st) == 0)
		return SCW_PKGDATADIR;
	/* Not installed: the tree scwrap was built from. */
	return SCW_SRCDATADIR;
}

/* The shipped list called s (len bytes), or -1. */
static int shipped_index(const char *s, size_t len)
{
	for (size_t i = 0; i < SCW_ARRAY_SIZE(shipped); i++)
		if (strlen(shipped[i].name) == len && strncmp(shipped[i].name, s, len) == 0)
			return (int)i;
	return -1;
}

/* Bounds on a list file, which may be anyone's: a line, the names of one
 * list, the lists of one --container. */
#define LIST_LINE_MAX  1024
#define LIST_NAMES_MAX 1024
#define LISTS_MAX      16

/* One list, read: its label (the shipped name or the path) and names. */
struct list {
	char *label;
	char **names;
	size_t n;
};

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->label);
}

/* Read the list called or found at spec (len bytes) into *l. */
static int list_read(const char *spec, size_t len, struct list *l, scw_error *err)
{
	cleanup_free char *arg = NULL, *path = NULL;
	cleanup_file FILE *f = NULL;
	char line[LIST_LINE_MAX];
	size_t cap = 0, lineno = 0;

	arg = scw_xasprintf("%.*s", (int)len, spec);
	if (strchr(arg, '/'))
		path = scw_xstrdup(arg);
	else if (shipped_index(spec, len) >= 0)
		path = scw_xasprintf("%s/runtimes/%s", scw_datadir(), arg);
	else
		return scw_fail(err, 0, "no list of what runtime '%s' needs", arg),
		       scw_hint(err, "scwrap ships runc, crun, runc-nnp, crun-nnp, tini and "
				     "catatonit; give a file of syscall names (one a line) as "
				     "--container=./FILE");
	f = fopen(path, "re");
	if (!f)
		return scw_fail(err, errno, "cannot read the runtime list %s", path),
		       scw_hint(err, "set SCWRAP_DATADIR to the directory that holds runtimes/, "
				     "or give the list's path");
	l->label = scw_xstrdup(strchr(arg, '/') ? path : arg);
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *e;
		lineno++;
		/* A longer line would come back in pieces, each parsed as a line
		 * of its own: refuse it whole. */
		if (!strchr(line, '\n') && !feof(f))
			return scw_fail(err, 0, "%s:%zu: a line longer than %d bytes", path, lineno,
					LIST_LINE_MAX - 2);
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#' || *s == '\n' || *s == '\0')
			continue;
		for (e = s; (*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '_'; e++)
			;
		if (e == s || (*e != '\n' && *e != '\0' && *e != ' ' && *e != '\t' && *e != '#') ||
		    (size_t)(e - s) >= sizeof(((struct scw_added *)0)->name))
			return scw_fail(err, 0, "%s:%zu: not a syscall name", path, lineno);
		if (l->n == LIST_NAMES_MAX)
			return scw_fail(err, 0, "%s: more than %d names", path, LIST_NAMES_MAX);
		*e = '\0';
		if (l->n == cap) {
			cap = cap ? cap * 2 : 32;
			l->names = scw_xreallocarray(l->names, cap, sizeof(*l->names));
		}
		l->names[l->n++] = scw_xstrdup(s);
	}
	if (ferror(f))
		return scw_fail(err, errno, "cannot read the runtime list %s", path);
	return 0;
}

/* The lists of a --container value: comma-separated, each read once. */
static int lists_read(const char *spec, struct list *lists, size_t *n, scw_error *err)
{
	const char *s = spec;
	*n = 0;
	for (;;) {
		size_t len = strcspn(s, ",");
		bool dup = false;
		if (len == 0)
			return scw_fail(err, 0, "an empty name in the list of runtimes '%s'", spec),
			       scw_hint(err,
					"separate names with one comma: --container=runc,crun");
		for (size_t i = 0; i < *n && !dup; i++)
			dup = lists[i].label && strlen(lists[i].label) == len &&
			      strncmp(lists[i].label, s, len) == 0;
		if (!dup) {
			if (*n == LISTS_MAX)
				return scw_fail(err, 0, "more than %d runtime lists", LISTS_MAX);
			if (list_read(s, len, &lists[*n], err) < 0) {
				list_free(&lists[*n]);
				return -1;
			}
			(*n)++;
		}
		if (s[len] == '\0')
			return 0;
		s += len + 1;
	}
}

int scw_add_runtime(struct scw_profile *p, const char *runtime, char **label,
		    struct scw_added **added, size_t *n_added, scw_error *err)
{
	struct list lists[LISTS_MAX] = {0};
	const char **names = NULL;
	unsigned *who = NULL;
	size_t n_lists = 0, n = 0, cap = 0;
	int rc = -1;

	*added = NULL;
	*n_added = 0;
	*label = NULL;
	if (lists_read(runtime, lists, &n_lists, err) < 0)
		goto out;
	/* The union, in the order first seen; who[i]: which lists need it. */
	for (size_t k = 0; k < n_lists; k++)
		for (size_t j = 0; j < lists[k].n; j++) {
			size_t i;
			for (i = 0; i < n && strcmp(names[i], lists[k].names[j]) != 0; i++)
				;
			if (i == n) {
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					names = scw_xreallocarray(names, cap, sizeof(*names));
					who = scw_xreallocarray(who, cap, sizeof(*who));
				}
				names[n] = lists[k].names[j];
				who[n++] = 0;
			}
			who[i] |= 1u << k;
		}
	*label = scw_xstrdup(lists[0].label);
	for (size_t k = 1; k < n_lists; k++) {
		char *l = scw_xasprintf("%s, %s", *label, lists[k].label);
		free(*label);
		*label = l;
	}
	*added = scw_xcalloc(n + 1, sizeof(**added));
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *by = NULL, *comment = NULL;
		for (size_t k = 0; k < n_lists; k++) {
			char *b;
			if (!(who[i] & (1u << k)))
				continue;
			b = by ? scw_xasprintf("%s, %s", by, lists[k].label)
			       : scw_xstrdup(lists[k].label);
			free(by);
			by = b;
		}
		comment = scw_xasprintf("scwrap:runtime: what %s need%s after loading the profile",
					by, strchr(by, ',') ? "" : "s");
		if (!exists(p, names[i]))
			continue;
		if (scw_profile_allow(p, SCW_LAYER_RUNTIME, comment, &names[i], 1) == 0)
			continue;
		snprintf((*added)[*n_added].name, sizeof((*added)[0].name), "%s", names[i]);
		(*added)[(*n_added)++].reason = "what the runtime does after loading the profile";
	}
	rc = 0;
out:
	free(names);
	free(who);
	for (size_t k = 0; k < n_lists; k++)
		list_free(&lists[k]);
	return rc;
}

/* The settings the lists of spec cover (shipped lists only). */
static unsigned covers(const char *spec, bool *other)
{
	unsigned c = 0;
	*other = false;
	for (const char *s = spec;;) {
		size_t len = strcspn(s, ",");
		int i = shipped_index(s, len);
		if (i >= 0)
			c |= shipped[i].covers;
		else
			*other = true;
		if (s[len] == '\0')
			return c;
		s += len + 1;
	}
}

/* s + ", " + t (or t alone): frees s. */
static char *join(char *s, const char *t)
{
	char *r = s ? scw_xasprintf("%s, %s", s, t) : scw_xstrdup(t);
	free(s);
	return r;
}

char *scw_runtime_cover(const char *spec, struct scw_notes *warn)
{
	bool other;
	unsigned c = covers(spec, &other);
	char *s = NULL;

	if ((c & COVER_RUNC) || (c & COVER_RUNC_NNP))
		s = join(s, c & COVER_RUNC ? "docker, podman --runtime runc, ctr and runc (either "
					     "noNewPrivileges)"
					   : "docker, podman --runtime runc, ctr and runc with "
					     "noNewPrivileges true only");
	if ((c & COVER_CRUN) || (c & COVER_CRUN_NNP))
		s = join(s, c & COVER_CRUN ? "podman and crun (either noNewPrivileges)"
					   : "podman and crun with noNewPrivileges true only");
	if (c & COVER_TINI)
		s = join(s, "docker run --init (tini)");
	if (c & COVER_CATATONIT)
		s = join(s, "podman run --init (catatonit)");
	if (other)
		s = join(s, "what the lists given as files cover");
	if (!warn)
		return s;
	if (!other && !(c & (COVER_RUNC | COVER_RUNC_NNP)))
		scw_notes_add(warn,
			      "--container=%s: the container will not start under runc "
			      "(docker's and containerd's runtime): add runc to the list, or "
			      "use --container alone for every runtime",
			      spec);
	else if (!other && !(c & COVER_RUNC))
		scw_notes_add(warn,
			      "--container=%s: under runc the container starts only with "
			      "no-new-privileges (docker run --security-opt no-new-privileges; "
			      "ctr's default), not in docker's default: use runc for both",
			      spec);
	if (!other && !(c & (COVER_CRUN | COVER_CRUN_NNP)))
		scw_notes_add(warn,
			      "--container=%s: the container will not start under crun "
			      "(podman's default runtime): add crun to the list, or use "
			      "--container alone for every runtime",
			      spec);
	else if (!other && !(c & COVER_CRUN))
		scw_notes_add(warn,
			      "--container=%s: under crun the container starts only with "
			      "no-new-privileges (podman run --security-opt no-new-privileges), "
			      "not in podman's default: use crun for both",
			      spec);
	return s;
}
