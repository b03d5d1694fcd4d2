/* summary.c - the end-of-run summary. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"
#include "lint.h"
#include "summary.h"
#include "util.h"

static int cmp_exe(const void *a, const void *b)
{
	const struct scw_exe *x = *(struct scw_exe *const *)a, *y = *(struct scw_exe *const *)b;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->path, y->path);
}

/* The names recorded on ABI slot s, comma-separated, into f. */
static void print_abi_names(FILE *f, const struct scw_acc *acc, unsigned s)
{
	const char *sep = "";
	for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
		char *name;
		if (!acc->counts[s][nr])
			continue;
		name = scw_syscall_name(acc->abis[s], nr);
		if (name)
			fprintf(f, "%s%s", sep, name);
		else
			fprintf(f, "%s#%u", sep, nr);
		free(name);
		sep = ", ";
	}
}

void scw_summary_print(FILE *f, const struct scw_acc *acc, const struct scw_run *run,
		       const struct scw_profile *p, const struct scw_unnamed *unnamed,
		       size_t n_unnamed)
{
	struct scw_exe **sorted = scw_xcalloc(acc->n_exes, sizeof(struct scw_exe *));
	unsigned used_abis = 0;

	memcpy(sorted, acc->exes, acc->n_exes * sizeof(struct scw_exe *));
	qsort(sorted, acc->n_exes, sizeof(struct scw_exe *), cmp_exe);
	fprintf(f, "scwrap: %8s %10s %8s  %s\n", "procs", "syscalls", "distinct", "executable");
	for (uint32_t i = 0; i < acc->n_exes; i++)
		fprintf(f, "scwrap: %8u %10llu %8u  %s\n", sorted[i]->procs,
			(unsigned long long)sorted[i]->calls, scw_exe_distinct(sorted[i]),
			sorted[i]->path);
	free(sorted);
	fprintf(f, "scwrap: %8llu %10llu %8llu  total\n", (unsigned long long)run->processes,
		(unsigned long long)acc->total, (unsigned long long)acc->distinct);

	for (unsigned s = 0; s < acc->n_abis; s++) {
		for (uint32_t w = 0; w < SCW_NR_MAX; w++)
			if (acc->counts[s][w]) {
				used_abis++;
				break;
			}
	}
	/* The OCI format allows a name on every listed ABI at once: say which
	 * call came from which. */
	if (used_abis > 1) {
		for (unsigned s = 0; s < acc->n_abis; s++) {
			const char *name = scw_abi_name(acc->abis[s]);
			bool any = false;
			for (uint32_t w = 0; w < SCW_NR_MAX && !any; w++)
				any = acc->counts[s][w] != 0;
			if (!any || s == 0)
				continue;
			fprintf(f, "scwrap: ABI %s (compat): ", name ? name : "?");
			print_abi_names(f, acc, s);
			fputs("\n", f);
		}
		fputs("scwrap: note: the profile allows each name on every ABI it lists\n", f);
	}
	for (size_t i = 0; i < n_unnamed; i++) {
		const char *name = scw_abi_name(unnamed[i].abi);
		fprintf(f,
			"scwrap: warning: %s syscall %u (%llu calls) has no name in libseccomp %s: "
			"the profile cannot allow it; upgrade libseccomp\n",
			name ? name : "?", unnamed[i].nr, (unsigned long long)unnamed[i].count,
			scw_libseccomp_version());
	}
	if (acc->out_of_range || run->unnamed_lost)
		fprintf(f,
			"scwrap: warning: %llu syscalls could not be decoded; the profile may be "
			"incomplete\n",
			(unsigned long long)acc->out_of_range + run->unnamed_lost);
	if (run->used_ptrace)
		fputs("scwrap: warning: the workload called ptrace(2), which fails under a ptrace "
		      "recorder; record it with the audit backend instead (-b audit)\n",
		      f);
	if (run->n_setid)
		fprintf(f,
			"scwrap: warning: %s %s set-user-ID or set-group-ID, and ran without its "
			"privileges (no_new_privs, needed to record without root): the profile "
			"records how it behaves unprivileged; run scwrap as root (either backend, "
			"-b audit included) to record it as it really runs\n",
			run->setid_exes[0] ? run->setid_exes : "an executable",
			run->n_setid == 1 ? "is" : "are");
	if (run->method[0])
		fprintf(f, "scwrap: attributed by %s\n", run->method);
	if (run->forwarded_signal) {
		const char *sig = sigabbrev_np(run->forwarded_signal);
		fprintf(f,
			"scwrap: warning: the run was ended by SIG%s: the profile covers only what "
			"ran until then\n",
			sig ? sig : "?");
	}
	if (run->lost_records)
		fprintf(f,
			"scwrap: warning: %llu audit records were lost during the run: the profile "
			"may be incomplete\n",
			(unsigned long long)run->lost_records);
	if (run->lost_reset)
		fputs("scwrap: warning: the kernel's count of lost audit records was reset during "
		      "the run (auditctl --reset-lost), so records lost before that could not be "
		      "counted: the profile may be incomplete\n",
		      f);
	else if (run->loss_unknown)
		fputs("scwrap: warning: lost audit records could not be counted (that needs "
		      "CAP_AUDIT_CONTROL): the profile may be incomplete\n",
		      f);
	(void)p;
}

/* The executables of acc that made the syscall name (any ABI), into f. */
static bool print_makers(FILE *f, const struct scw_acc *acc, const char *name)
{
	const char *sep = "";
	bool any = false;
	for (uint32_t i = 0; i < acc->n_exes; i++) {
		bool made = false;
		for (unsigned s = 0; s < acc->n_abis && !made; s++) {
			int nr = scw_syscall_nr(acc->abis[s], name);
			made = nr >= 0 && (uint32_t)nr < SCW_NR_MAX &&
			       (acc->exes[i]->bits[s][nr / 64] & (UINT64_C(1) << (nr % 64)));
		}
		if (!made)
			continue;
		fprintf(f, "%s%s", sep, acc->exes[i]->path);
		sep = ", ";
		any = true;
	}
	return any;
}

void scw_summary_shape(FILE *f, const struct scw_acc *acc, const struct scw_profile *p,
		       const struct scw_additions *add, size_t n_add, const struct scw_notes *notes,
		       const struct scw_notes *warnings)
{
	const char **names;
	size_t n;

	for (size_t k = 0; k < n_add; k++) {
		const struct scw_additions *a = &add[k];
		if (!a->n)
			continue;
		if (a->layer == SCW_LAYER_RUNTIME) {
			fprintf(f, "scwrap: added for %s (what it does after loading the profile):",
				a->label ? a->label : "the runtime");
			for (size_t i = 0; i < a->n; i++)
				fprintf(f, " %s", a->v[i].name);
			fputs("\n", f);
			continue;
		}
		/* One line per reason: the vDSO calls share one. */
		for (size_t i = 0; i < a->n; i++) {
			bool done = false;
			for (size_t j = 0; j < i && !done; j++)
				done = strcmp(a->v[j].reason, a->v[i].reason) == 0;
			if (done)
				continue;
			fprintf(f, "scwrap: %s %s",
				a->layer == SCW_LAYER_FALLBACK ? "ENOSYS for" : "added",
				a->v[i].name);
			for (size_t j = i + 1; j < a->n; j++)
				if (strcmp(a->v[j].reason, a->v[i].reason) == 0)
					fprintf(f, ", %s", a->v[j].name);
			fprintf(f, ": %s\n", a->v[i].reason);
		}
	}
	n = scw_profile_allowed(p, &names);
	for (size_t i = 0; i < n; i++) {
		const char *why = scw_risk(names[i]);
		if (!why)
			continue;
		fprintf(f, "scwrap: danger: %s is allowed (%s); needed by ", names[i], why);
		if (!print_makers(f, acc, names[i]))
			fputs("nothing recorded (it comes from the baseline or an addition)", f);
		fputs("\n", f);
	}
	free(names);
	for (size_t i = 0; notes && i < notes->n; i++)
		fprintf(f, "scwrap: args: %s\n", notes->v[i]);
	for (size_t i = 0; warnings && i < warnings->n; i++)
		fprintf(f, "scwrap: warning: %s\n", warnings->v[i]);
}

void scw_summary_equiv(FILE *f, const struct scw_equiv_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const char *abi = scw_abi_name(r->v[i].abi);
		bool done = false;
		for (size_t j = 0; j < i && !done; j++)
			done = r->v[j].abi == r->v[i].abi;
		if (done)
			continue;
		fprintf(f, "scwrap: added for %s (the equivalents there of calls allowed):",
			abi ? abi : "?");
		for (size_t j = i; j < r->n; j++)
			if (r->v[j].abi == r->v[i].abi)
				fprintf(f, " %s (%s)", r->v[j].name, r->v[j].because);
		fputs("\n", f);
	}
	for (size_t i = 0; i < r->notes.n; i++)
		fprintf(f, "scwrap: arch: %s\n", r->notes.v[i]);
}

size_t scw_summary_violations(FILE *f, const struct scw_acc *acc, bool enforced)
{
	size_t n = 0;
	for (unsigned s = 0; s < acc->n_abis; s++) {
		const char *abi = scw_abi_name(acc->abis[s]);
		for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
			const struct scw_first *first = &acc->first[s][nr];
			char *name;
			if (!acc->counts[s][nr])
				continue;
			n++;
			name = scw_syscall_name(acc->abis[s], nr);
			if (name)
				fprintf(f, "scwrap: %s: %s", enforced ? "denied" : "not allowed",
					name);
			else
				fprintf(f, "scwrap: %s: syscall %u",
					enforced ? "denied" : "not allowed", nr);
			fprintf(f, " (%s), %llu call%s, first by pid %d (%s%s%s); made by ",
				abi ? abi : "?", (unsigned long long)acc->counts[s][nr],
				acc->counts[s][nr] == 1 ? "" : "s", (int)first->pid,
				first->exe < acc->n_exes ? acc->exes[first->exe]->path : "?",
				first->argv0 ? ", argv[0] " : "", first->argv0 ? first->argv0 : "");
			for (uint32_t i = 0, k = 0; i < acc->n_exes; i++)
				if (acc->exes[i]->bits[s][nr / 64] & (UINT64_C(1) << (nr % 64)))
					fprintf(f, "%s%s", k++ ? ", " : "", acc->exes[i]->path);
			fputs("\n", f);
			free(name);
		}
	}
	return n;
}
