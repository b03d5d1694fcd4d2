/* args.h - --args: the argument values of a curated set of syscalls, seen
 * by the ptrace backend, turned into rules that allow exactly those. */
#ifndef SCW_ARGS_H
#define SCW_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "accum.h"
#include "profile.h"
#include "util.h"

/* More distinct values than this and a call keeps a plain rule. */
#define SCW_ARGS_BOUND 16

/* One curated syscall: which arguments, compared how, and why. */
struct scw_argspec {
	const char *name;
	unsigned n;	   /* arguments compared: 1 or 2 */
	unsigned index[2]; /* which ones */
	uint64_t mask[2];  /* MASKED_EQ with this mask; 0: EQ on the whole value */
	bool exec_bit;	   /* mmap/mprotect: only whether PROT_EXEC was asked */
	const char *why;   /* for the man page and the report */
};

/* The values seen of one curated call (a set, bounded). */
struct scw_argset {
	uint64_t v[SCW_ARGS_BOUND][2];
	uint8_t n;
	bool overflow;
};

extern const struct scw_argspec scw_argspecs[];
extern const unsigned scw_n_argspecs;

/* The index of a curated call, or -1. */
int scw_argspec_find(const char *name);

/* The curated spec of each number of abi below SCW_NR_MAX, or -1: the
 * table a backend consults per call (caller frees). */
int8_t *scw_argspec_table(uint32_t abi);

/* Ready acc for argument values (once, before recording). */
void scw_args_init(struct scw_acc *acc);

/* Note one call of spec made by exe: raw are its six arguments; for
 * clone3, raw[0] is the flags read from its struct clone_args.  Allocates
 * only the first time exe makes a curated call. */
void scw_args_note(struct scw_acc *acc, struct scw_exe *exe, unsigned spec, const uint64_t *raw);

/* Replace p's plain allows of the curated calls acc saw by rules that
 * allow exactly the values seen; say in notes what stayed plain and why. */
void scw_args_pin(struct scw_profile *p, const struct scw_acc *acc, struct scw_notes *notes);

#endif
