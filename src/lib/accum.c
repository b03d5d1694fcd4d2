/* accum.c - the accumulator: syscall sets per ABI and per executable. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "accum.h"
#include "util.h"

void scw_acc_init(struct scw_acc *acc)
{
	memset(acc, 0, sizeof(*acc));
	scw_acc_slot(acc, scw_abi_native());
}

void scw_acc_free(struct scw_acc *acc)
{
	for (unsigned i = 0; i < acc->n_abis; i++) {
		free(acc->counts[i]);
		free(acc->first[i]);
		free(acc->results[i]);
	}
	free(acc->args);
	for (uint32_t i = 0; i < acc->n_exes; i++) {
		free(acc->exes[i]->args);
		free(acc->exes[i]->path);
		free(acc->exes[i]);
	}
	free(acc->exes);
	for (uint32_t i = 0; i < acc->n_strs; i++)
		free(acc->strs[i]);
	free(acc->strs);
	memset(acc, 0, sizeof(*acc));
}

int scw_acc_slot(struct scw_acc *acc, uint32_t abi)
{
	unsigned i;
	for (i = 0; i < acc->n_abis; i++)
		if (acc->abis[i] == abi)
			return (int)i;
	if (acc->n_abis == SCW_MAX_ABIS)
		return -1;
	acc->abis[i] = abi;
	acc->counts[i] = scw_xcalloc(SCW_NR_MAX, sizeof(*acc->counts[i]));
	acc->first[i] = scw_xcalloc(SCW_NR_MAX, sizeof(*acc->first[i]));
	acc->results[i] = scw_xcalloc(SCW_NR_MAX, sizeof(*acc->results[i]));
	acc->n_abis++;
	return (int)i;
}

struct scw_exe *scw_acc_exe(struct scw_acc *acc, const char *path)
{
	struct scw_exe *e;
	for (uint32_t i = 0; i < acc->n_exes; i++)
		if (strcmp(acc->exes[i]->path, path) == 0)
			return acc->exes[i];
	if (acc->n_exes == acc->cap_exes) {
		acc->cap_exes = acc->cap_exes ? acc->cap_exes * 2 : 16;
		acc->exes = scw_xreallocarray(acc->exes, acc->cap_exes, sizeof(struct scw_exe *));
	}
	e = scw_xcalloc(1, sizeof(*e));
	e->path = scw_xstrdup(path);
	e->idx = acc->n_exes;
	acc->exes[acc->n_exes++] = e;
	return e;
}

const char *scw_acc_intern(struct scw_acc *acc, const char *s)
{
	for (uint32_t i = acc->n_strs; i-- > 0;)
		if (strcmp(acc->strs[i], s) == 0)
			return acc->strs[i];
	if (acc->n_strs == acc->cap_strs) {
		acc->cap_strs = acc->cap_strs ? acc->cap_strs * 2 : 16;
		acc->strs = scw_xreallocarray(acc->strs, acc->cap_strs, sizeof(*acc->strs));
	}
	return acc->strs[acc->n_strs++] = scw_xstrdup(s);
}

void scw_acc_first_seen(struct scw_acc *acc, struct scw_exe *exe, unsigned slot, uint32_t nr,
			pid_t pid, const char *argv0)
{
	acc->first[slot][nr].pid = pid;
	acc->first[slot][nr].exe = exe->idx;
	acc->first[slot][nr].argv0 = argv0;
	acc->distinct++;
}

void scw_acc_hit_any(struct scw_acc *acc, struct scw_exe *exe, uint32_t abi, uint32_t nr, pid_t pid)
{
	scw_acc_hit_any_proc(acc, exe, abi, nr, pid, NULL);
}

void scw_acc_hit_any_proc(struct scw_acc *acc, struct scw_exe *exe, uint32_t abi, uint32_t nr,
			  pid_t pid, const char *argv0)
{
	int slot = scw_acc_slot(acc, abi);
	if (slot < 0 || nr >= SCW_NR_MAX) {
		acc->out_of_range++;
		acc->total++;
		exe->calls++;
		return;
	}
	scw_acc_hit_proc(acc, exe, (unsigned)slot, nr, pid, argv0);
}

unsigned scw_exe_distinct(const struct scw_exe *exe)
{
	unsigned n = 0;
	for (unsigned s = 0; s < SCW_MAX_ABIS; s++)
		for (unsigned w = 0; w < SCW_BITMAP_WORDS; w++)
			n += (unsigned)__builtin_popcountll(exe->bits[s][w]);
	return n;
}
