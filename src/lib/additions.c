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

/* runc and crun: for process.noNewPrivileges false, the default of Docker,
 * Podman and Kubernetes (the runtime then loads the profile before it sets
 * up the user and capabilities), which also serves true; the -nnp lists
 * only for true (runc spec's default; Kubernetes' allowPrivilegeEscalation:
 * false), and shorter. */
static const char *const runtimes[] = {"runc", "crun", "runc-nnp", "crun-nnp", NULL};

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

static bool valid_runtime_name(const char *s)
{
	for (const char *const *r = runtimes; *r; r++)
		if (strcmp(*r, s) == 0)
			return true;
	return false;
}

int scw_add_runtime(struct scw_profile *p, const char *runtime, char **label,
		    struct scw_added **added, size_t *n_added, scw_error *err)
{
	cleanup_free char *path = NULL;
	cleanup_file FILE *f = NULL;
	char line[256];
	const char **names = NULL;
	size_t n = 0, cap = 0, lineno = 0;
	int rc = -1;

	*added = NULL;
	*n_added = 0;
	*label = NULL;
	if (strchr(runtime, '/')) {
		path = scw_xstrdup(runtime);
	} else if (valid_runtime_name(runtime)) {
		path = scw_xasprintf("%s/runtimes/%s", scw_datadir(), runtime);
	} else {
		return scw_fail(err, 0, "no list of what runtime '%s' needs", runtime),
		       scw_hint(err,
				"scwrap ships runc, crun, runc-nnp and crun-nnp; give a file of "
				"syscall names (one a line) as --container=./FILE");
	}
	f = fopen(path, "re");
	if (!f)
		return scw_fail(err, errno, "cannot read the runtime list %s", path),
		       scw_hint(err, "set SCWRAP_DATADIR to the directory that holds runtimes/, "
				     "or give the list's path");
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *e;
		lineno++;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#' || *s == '\n' || *s == '\0')
			continue;
		for (e = s; (*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '_'; e++)
			;
		if (e == s || (*e != '\n' && *e != '\0' && *e != ' ' && *e != '\t' && *e != '#')) {
			scw_fail(err, 0, "%s:%zu: not a syscall name", path, lineno);
			goto out;
		}
		*e = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = scw_xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = scw_xstrdup(s);
	}
	if (ferror(f)) {
		scw_fail(err, errno, "cannot read the runtime list %s", path);
		goto out;
	}
	*label = scw_xstrdup(strchr(runtime, '/') ? path : runtime);
	*added = scw_xcalloc(n + 1, sizeof(**added));
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *comment = scw_xasprintf("scwrap:runtime: %s, after it loads the "
							   "profile",
							   *label);
		if (!exists(p, names[i]))
			continue;
		if (scw_profile_allow(p, SCW_LAYER_RUNTIME, comment, &names[i], 1) == 0)
			continue;
		snprintf((*added)[*n_added].name, sizeof((*added)[0].name), "%s", names[i]);
		(*added)[(*n_added)++].reason = "what the runtime does after loading the profile";
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free((void *)names[i]);
	free(names);
	return rc;
}
