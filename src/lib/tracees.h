/* tracees.h - the traced threads, by tid: open addressing with linear
 * probing and backward-shift deletion (no tombstones), grown with the number
 * of live tracees, never per syscall.  The lookup is inline: it runs at
 * every seccomp stop. */
#ifndef SCW_TRACEES_H
#define SCW_TRACEES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct scw_exe;

/* One traced thread, as a backend's event loop knows it. */
struct scw_tracee {
	pid_t tid; /* 0: free slot */
	pid_t tgid;
	struct scw_exe *exe;
	const char *argv0;    /* interned in the accumulator, or NULL */
	uint32_t await_nr;    /* the call whose result comes next, if awaited */
	uint8_t await_slot;   /* its accumulator slot */
	uint64_t clone_flags; /* of the clone/clone3 this thread is making */
	unsigned flags;	      /* the backend's own */
};

/* The table: 1 << (32 - shift) slots, at most half of them used. */
struct scw_tracees {
	struct scw_tracee *slots;
	uint32_t mask, n;
	unsigned shift;
};

/* An empty table of 1 << bits slots (1 <= bits <= 31). */
void scw_tracees_init(struct scw_tracees *t, unsigned bits);

/* Free the slots; the table is empty and must be initialized again. */
void scw_tracees_free(struct scw_tracees *t);

/* The home slot of tid: Fibonacci hashing, the top bits of tid * 2^32/phi. */
static inline uint32_t scw_tracees_home(const struct scw_tracees *t, pid_t tid)
{
	return ((uint32_t)tid * 2654435769u) >> t->shift;
}

/* The entry of tid (not 0), or NULL.  The pointer is valid until the next
 * put or del. */
static inline struct scw_tracee *scw_tracees_find(struct scw_tracees *t, pid_t tid)
{
	for (uint32_t i = scw_tracees_home(t, tid);; i = (i + 1) & t->mask) {
		if (t->slots[i].tid == tid)
			return &t->slots[i];
		if (t->slots[i].tid == 0)
			return NULL;
	}
}

/* A zeroed entry for tid (not 0, and not present), growing the table when
 * it would be more than half full.  Moves entries: any pointer into the
 * table is stale afterwards. */
struct scw_tracee *scw_tracees_put(struct scw_tracees *t, pid_t tid);

/* Remove entry e, shifting the entries after it back (no tombstones).
 * Moves entries: any pointer into the table is stale afterwards. */
void scw_tracees_del(struct scw_tracees *t, const struct scw_tracee *e);

/* The next entry at slot *i or after it, or NULL; *i moves past it:
 * for (uint32_t i = 0; (e = scw_tracees_next(t, &i));) */
static inline struct scw_tracee *scw_tracees_next(struct scw_tracees *t, uint32_t *i)
{
	for (; *i <= t->mask; (*i)++)
		if (t->slots[*i].tid)
			return &t->slots[(*i)++];
	return NULL;
}

#endif
