/* tracees.c - the table of traced threads by tid (tracees.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "tracees.h"
#include "util.h"

void scw_tracees_init(struct scw_tracees *t, unsigned bits)
{
	t->slots = scw_xcalloc((size_t)1 << bits, sizeof(*t->slots));
	t->mask = (1u << bits) - 1;
	t->shift = 32 - bits;
	t->n = 0;
}

void scw_tracees_free(struct scw_tracees *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* The free slot for tid (which must not be present), in a table with room. */
static struct scw_tracee *free_slot(struct scw_tracees *t, pid_t tid)
{
	uint32_t i;
	for (i = scw_tracees_home(t, tid); t->slots[i].tid; i = (i + 1) & t->mask)
		;
	return &t->slots[i];
}

/* Double the slots, every entry moved to its place in the new table. */
static void grow(struct scw_tracees *t)
{
	struct scw_tracees old = *t;
	scw_tracees_init(t, 33 - old.shift);
	for (uint32_t i = 0; i <= old.mask; i++)
		if (old.slots[i].tid)
			*free_slot(t, old.slots[i].tid) = old.slots[i];
	t->n = old.n;
	free(old.slots);
}

struct scw_tracee *scw_tracees_put(struct scw_tracees *t, pid_t tid)
{
	struct scw_tracee *e;
	if ((t->n + 1) * 2 > t->mask + 1)
		grow(t);
	e = free_slot(t, tid);
	memset(e, 0, sizeof(*e));
	e->tid = tid;
	t->n++;
	return e;
}

void scw_tracees_del(struct scw_tracees *t, const struct scw_tracee *e)
{
	uint32_t i = (uint32_t)(e - t->slots), j = i;
	for (;;) {
		uint32_t k;
		j = (j + 1) & t->mask;
		if (t->slots[j].tid == 0)
			break;
		k = scw_tracees_home(t, t->slots[j].tid);
		/* Move j back to i unless its home k lies cyclically in (i, j]. */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->slots[i] = t->slots[j];
		i = j;
	}
	t->slots[i].tid = 0;
	t->n--;
}
