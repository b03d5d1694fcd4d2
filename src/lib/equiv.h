/* equiv.h - --arch: the calls that stand for one another on different
 * architectures (data/equivalents), and a profile widened with them. */
#ifndef SCW_EQUIV_H
#define SCW_EQUIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "profile.h"
#include "util.h"

/* The most ABIs --arch takes. */
#define SCW_EQUIV_MAX_ABIS 16

/* One name of a row: a syscall, on every ABI or on one (abi != 0). */
struct scw_equiv_name {
	char *name;
	uint32_t abi;
};

/* One row of the table: a group (every name brings the others), or, with
 * "->", the names before it bring those after it and not back. */
struct scw_equiv_row {
	struct scw_equiv_name *v;
	size_t n, n_left; /* v[0..n_left) bring v[n_left..n); a group: n_left == n */
	bool same_args;	  /* arguments in the same places: argument rules move */
	char *source;	  /* the C library's or Go's file that says so */
	unsigned line;
};

struct scw_equiv {
	struct scw_equiv_row *rows;
	size_t n;
};

/* Read the table at path (NULL: data/equivalents in scw_datadir()).  Every
 * name must be libseccomp's (on its ABI, when it has one) and every row
 * must cite its source; else an error names the line.  Caller frees with
 * scw_equiv_free(). */
struct scw_equiv *scw_equiv_load(const char *path, scw_error *err);
void scw_equiv_free(struct scw_equiv *t);

/* The ABIs of a --arch list ("x86_64,aarch64", Go's names too), each once,
 * in order; 0 and a message in err when a name is no ABI. */
size_t scw_equiv_parse_abis(const char *list, uint32_t *abis, size_t max, scw_error *err);

/* One name added for one ABI, because of a call the profile allows. */
struct scw_equiv_added {
	char name[64], because[64];
	uint32_t abi;
	const struct scw_equiv_row *row; /* borrowed from the table */
};

struct scw_equiv_result {
	struct scw_equiv_added *v; /* owned */
	size_t n;
	struct scw_notes notes; /* what could not move as it was, what was dropped */
};

/* Make p's architectures abis[0..n), and allow, for each ABI, the
 * equivalents there of every call p allows on its own architectures (the
 * native one when it lists none), in the EQUIVALENT layer (where the
 * call exists on an ABI too, only the row's names its own ABIs lack: glibc
 * prefers the old calls where they exist); a call's
 * argument rules move with it where the row says the arguments match.
 * Names no listed ABI has are taken out of p's unconditional allows.
 * Refuses (-1, err) what one profile cannot say: clone's flags pinned for
 * s390x (its second argument there) and another ABI at once. */
int scw_equiv_widen(struct scw_profile *p, const uint32_t *abis, size_t n,
		    const struct scw_equiv *t, struct scw_equiv_result *out, scw_error *err);
void scw_equiv_result_free(struct scw_equiv_result *r);

/* scwrap lint: for each pair of p's ABIs, the calls p allows that exist on
 * the first but not the second, and none of whose equivalents on the second
 * p allows; one warning per (ABI, call) into out.  Returns how many. */
size_t scw_equiv_lint(const struct scw_profile *p, const struct scw_equiv *t,
		      struct scw_notes *out);

#endif
