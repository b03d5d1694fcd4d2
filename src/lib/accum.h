/* accum.h - the accumulator every backend feeds: which syscalls, on which
 * ABI, made by which executables.  The hot path (scw_acc_hit) allocates
 * nothing and formats nothing. */
#ifndef SCW_ACCUM_H
#define SCW_ACCUM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "abi.h"

#define SCW_MAX_ABIS 4
/* Results are looked at for the first occurrences of each syscall only. */
#define SCW_RESULTS_FIRST 3

/* What the first occurrences of a syscall returned (scw_acc.results). */
enum {
	SCW_RES_ENOSYS = 1u << 0, /* failed with ENOSYS */
	SCW_RES_OTHER = 1u << 1,  /* succeeded, or failed otherwise */
};
#define SCW_BITMAP_WORDS (SCW_NR_MAX / 64)
/* Executables tracked one by one; the records of any more are counted under
 * one more, SCW_ACC_OTHER_EXES, so memory does not grow with a log's
 * distinct exe= values (a hostile log can hold millions). */
#define SCW_ACC_MAX_EXES   4096u
#define SCW_ACC_OTHER_EXES "(other executables)"

/* The bitmap of an ABI an executable has not used: all zero, never
 * written.  Readers index exe->bits[slot] whatever the slot. */
extern const uint64_t scw_acc_no_bits[SCW_BITMAP_WORDS];

/* One executable (path) of the workload. */
struct scw_argset;

struct scw_exe {
	char *path;
	struct scw_argset *args; /* --args: per curated call, or NULL */
	uint32_t idx;		 /* in scw_acc.exes */
	uint64_t calls;		 /* syscalls made while running this executable */
	uint32_t procs;		 /* processes that ran it (exec or fork) */
	/* [SCW_BITMAP_WORDS] per slot: allocated on the first syscall of
	 * that ABI, scw_acc_no_bits until then. */
	uint64_t *bits[SCW_MAX_ABIS];
};

/* Where a syscall was first seen: provenance for the report. */
struct scw_first {
	pid_t pid;
	uint32_t exe;	   /* index into exes */
	const char *argv0; /* that process's argv[0] (interned), or NULL */
};

struct scw_acc {
	uint32_t abis[SCW_MAX_ABIS]; /* slot 0 is the native ABI */
	unsigned n_abis;
	uint64_t *counts[SCW_MAX_ABIS];	       /* [SCW_NR_MAX] per slot */
	struct scw_first *first[SCW_MAX_ABIS]; /* [SCW_NR_MAX] per slot */
	uint8_t *results[SCW_MAX_ABIS];	       /* [SCW_NR_MAX] per slot: SCW_RES_* */
	uint64_t total;
	uint64_t distinct;
	uint64_t out_of_range; /* numbers >= SCW_NR_MAX or of a fifth ABI */
	struct scw_exe **exes;
	uint32_t n_exes, cap_exes;
	uint32_t *exe_slots;   /* hash of exes by path: idx + 1, 0 for empty */
	uint32_t n_exe_slots;  /* a power of two, or 0 */
	struct scw_exe *other; /* SCW_ACC_OTHER_EXES, once the table is full */
	char **strs;	       /* interned argv[0]s */
	uint32_t n_strs, cap_strs;
	struct scw_argset *args; /* --args: per curated call (args.h), or NULL */
};

void scw_acc_init(struct scw_acc *acc);
void scw_acc_free(struct scw_acc *acc);

/* The slot of an ABI, adding it if new; -1 when every slot is taken. */
int scw_acc_slot(struct scw_acc *acc, uint32_t abi);

/* The executable of a path, added on first use; past SCW_ACC_MAX_EXES,
 * acc->other for any new path.  Never NULL. */
struct scw_exe *scw_acc_exe(struct scw_acc *acc, const char *path);

/* exe's bitmap of a slot, allocated now: the slow path of its first
 * syscall of that ABI. */
uint64_t *scw_acc_exe_bits(struct scw_exe *exe, unsigned slot);

/* The bucket of executables past SCW_ACC_MAX_EXES, made now if need be. */
struct scw_exe *scw_acc_other(struct scw_acc *acc);

/* Add the syscalls of bitmap bits (another accumulator's) to exe's slot. */
void scw_acc_exe_merge_bits(struct scw_exe *exe, unsigned slot, const uint64_t *bits);

/* A string kept as long as acc (argv[0]s): the same pointer for the same
 * text; never NULL. */
const char *scw_acc_intern(struct scw_acc *acc, const char *s);

void scw_acc_first_seen(struct scw_acc *acc, struct scw_exe *exe, unsigned slot, uint32_t nr,
			pid_t pid, const char *argv0);

/* Count one syscall of process pid, whose argv[0] is argv0 (interned, or
 * NULL): slot from scw_acc_slot, nr < SCW_NR_MAX. */
static inline void scw_acc_hit_proc(struct scw_acc *acc, struct scw_exe *exe, unsigned slot,
				    uint32_t nr, pid_t pid, const char *argv0)
{
	uint64_t *c = &acc->counts[slot][nr], *bits = exe->bits[slot];
	if (__builtin_expect(*c == 0, 0))
		scw_acc_first_seen(acc, exe, slot, nr, pid, argv0);
	if (__builtin_expect(bits == scw_acc_no_bits, 0))
		bits = scw_acc_exe_bits(exe, slot);
	(*c)++;
	acc->total++;
	exe->calls++;
	bits[nr / 64] |= UINT64_C(1) << (nr % 64);
}

static inline void scw_acc_hit(struct scw_acc *acc, struct scw_exe *exe, unsigned slot, uint32_t nr,
			       pid_t pid)
{
	scw_acc_hit_proc(acc, exe, slot, nr, pid, NULL);
}

/* Count a syscall of any ABI and number (the slow path). */
void scw_acc_hit_any_proc(struct scw_acc *acc, struct scw_exe *exe, uint32_t abi, uint32_t nr,
			  pid_t pid, const char *argv0);
void scw_acc_hit_any(struct scw_acc *acc, struct scw_exe *exe, uint32_t abi, uint32_t nr,
		     pid_t pid);

/* Note what one occurrence of (slot, nr) returned. */
static inline void scw_acc_result(struct scw_acc *acc, unsigned slot, uint32_t nr, bool enosys)
{
	acc->results[slot][nr] |= enosys ? SCW_RES_ENOSYS : SCW_RES_OTHER;
}

/* Whether every occurrence of (slot, nr) whose result was seen failed with
 * ENOSYS: a call the workload only probed. */
static inline bool scw_acc_only_enosys(const struct scw_acc *acc, unsigned slot, uint32_t nr)
{
	return acc->results[slot][nr] == SCW_RES_ENOSYS;
}

/* A syscall the accumulator counted that has no name in libseccomp. */
struct scw_unnamed {
	uint32_t abi, nr;
	uint64_t count;
};

/* Distinct syscalls an executable made, over every ABI. */
unsigned scw_exe_distinct(const struct scw_exe *exe);

#endif
