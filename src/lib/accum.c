/* accum.c - the accumulator: syscall sets per ABI and per executable. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "accum.h"
#include "util.h"

const uint64_t scw_acc_no_bits[SCW_BITMAP_WORDS];

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
		for (unsigned s = 0; s < SCW_MAX_ABIS; s++)
			if (acc->exes[i]->bits[s] != scw_acc_no_bits)
				free(acc->exes[i]->bits[s]);
		free(acc->exes[i]->args);
		free(acc->exes[i]->path);
		free(acc->exes[i]);
	}
	free(acc->exes);
	free(acc->exe_slots);
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

/* FNV-1a of a path. */
static uint32_t path_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Where path is in the hash of exes, or the empty slot it would take. */
static uint32_t *exe_slot(const struct scw_acc *acc, const char *path)
{
	uint32_t mask = acc->n_exe_slots - 1, i = path_hash(path) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t *s = &acc->exe_slots[i];
		if (!*s || strcmp(acc->exes[*s - 1]->path, path) == 0)
			return s;
	}
}

/* A new executable, at the end of acc->exes. */
static struct scw_exe *exe_new(struct scw_acc *acc, const char *path)
{
	struct scw_exe *e;
	if (acc->n_exes == acc->cap_exes) {
		acc->cap_exes = acc->cap_exes ? acc->cap_exes * 2 : 16;
		acc->exes = scw_xreallocarray(acc->exes, acc->cap_exes, sizeof(struct scw_exe *));
	}
	e = scw_xcalloc(1, sizeof(*e));
	e->path = scw_xstrdup(path);
	e->idx = acc->n_exes;
	for (unsigned s = 0; s < SCW_MAX_ABIS; s++)
		e->bits[s] = (uint64_t *)scw_acc_no_bits;
	acc->exes[acc->n_exes++] = e;
	return e;
}

struct scw_exe *scw_acc_exe(struct scw_acc *acc, const char *path)
{
	uint32_t *slot;
	if (!acc->n_exe_slots) {
		/* Load at most one half: the table never grows. */
		acc->n_exe_slots = 2 * SCW_ACC_MAX_EXES;
		acc->exe_slots = scw_xcalloc(acc->n_exe_slots, sizeof(*acc->exe_slots));
	}
	slot = exe_slot(acc, path);
	if (*slot)
		return acc->exes[*slot - 1];
	if (acc->n_exes - (acc->other != NULL) >= SCW_ACC_MAX_EXES)
		return scw_acc_other(acc);
	*slot = acc->n_exes + 1;
	return exe_new(acc, path);
}

struct scw_exe *scw_acc_other(struct scw_acc *acc)
{
	if (!acc->other)
		acc->other = exe_new(acc, SCW_ACC_OTHER_EXES);
	return acc->other;
}

void scw_acc_exe_merge_bits(struct scw_exe *exe, unsigned slot, const uint64_t *bits)
{
	uint64_t *to =
	    exe->bits[slot] != scw_acc_no_bits ? exe->bits[slot] : scw_acc_exe_bits(exe, slot);
	for (unsigned w = 0; w < SCW_BITMAP_WORDS; w++)
		to[w] |= bits[w];
}

uint64_t *scw_acc_exe_bits(struct scw_exe *exe, unsigned slot)
{
	return exe->bits[slot] = scw_xcalloc(SCW_BITMAP_WORDS, sizeof(uint64_t));
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
		for (unsigned w = 0; exe->bits[s] != scw_acc_no_bits && w < SCW_BITMAP_WORDS; w++)
			n += (unsigned)__builtin_popcountll(exe->bits[s][w]);
	return n;
}
