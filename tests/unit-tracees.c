/* unit-tracees.c - the tracee table (src/lib/tracees.c): colliding tids,
 * wrap-around at the table's end, backward-shift deletion from the middle
 * of a cluster, growth, and random rounds against a plain array. */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>

#include "lib/tracees.h"
#include "tap.h"

/* The n smallest tids above after whose home slot is home, in a table of
 * 1 << bits slots. */
static void tids_with_home(unsigned bits, uint32_t home, pid_t after, pid_t *out, int n)
{
	struct scw_tracees probe = {.mask = (1u << bits) - 1, .shift = 32 - bits};
	for (pid_t tid = after + 1; n > 0; tid++)
		if (scw_tracees_home(&probe, tid) == home) {
			*out++ = tid;
			n--;
		}
}

/* The slot index of tid, or -1 when it cannot be found. */
static long slot_of(struct scw_tracees *t, pid_t tid)
{
	struct scw_tracee *e = scw_tracees_find(t, tid);
	return e ? (long)(e - t->slots) : -1;
}

/* Linear probing's invariant, which a hole left by a deletion breaks:
 * every slot from an entry's home to the entry is used, and no tid is
 * stored twice.  Counts the entries into *n. */
static bool table_sound(const struct scw_tracees *t, uint32_t *n)
{
	*n = 0;
	for (uint32_t i = 0; i <= t->mask; i++) {
		pid_t tid = t->slots[i].tid;
		if (!tid)
			continue;
		(*n)++;
		for (uint32_t j = scw_tracees_home(t, tid); j != i; j = (j + 1) & t->mask)
			if (t->slots[j].tid == 0 || t->slots[j].tid == tid)
				return false;
	}
	return true;
}

/* A tiny generator, the same sequence on every run. */
static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*s >> 33);
}

static void test_collisions_and_wrap(void)
{
	/* 16 slots: three tids whose home is the last slot (15) wrap to 0 and
	 * 1; a fourth whose home is 0 is pushed to 2. */
	struct scw_tracees t;
	pid_t last[4], first[1];
	uint32_t n;
	bool found = true;

	tids_with_home(4, 15, 1, last, 4);
	tids_with_home(4, 0, 1, first, 1);
	scw_tracees_init(&t, 4);
	for (int i = 0; i < 3; i++)
		scw_tracees_put(&t, last[i])->tgid = last[i];
	scw_tracees_put(&t, first[0])->tgid = first[0];
	tap_ok(slot_of(&t, last[0]) == 15 && slot_of(&t, last[1]) == 0 &&
		   slot_of(&t, last[2]) == 1 && slot_of(&t, first[0]) == 2,
	       "colliding tids probe past the table's end: slots 15, 0, 1, then 2");
	tap_ok(scw_tracees_find(&t, last[3]) == NULL,
	       "a tid of the same home that is not there is not found, past the end");

	/* Delete the head of the cluster, in the last slot: every later entry
	 * shifts back, across the end, to the nearest slot its home allows. */
	scw_tracees_del(&t, scw_tracees_find(&t, last[0]));
	tap_ok(scw_tracees_find(&t, last[0]) == NULL, "the deleted tid is gone");
	tap_ok(slot_of(&t, last[1]) == 15 && slot_of(&t, last[2]) == 0 &&
		   slot_of(&t, first[0]) == 1 && t.slots[2].tid == 0,
	       "the cluster shifted back across the end: slots 15, 0, 1; 2 free");
	tap_ok(table_sound(&t, &n) && n == 3 && t.n == 3, "no hole, three entries");
	for (int i = 1; i < 3; i++)
		found = found && scw_tracees_find(&t, last[i]) &&
			scw_tracees_find(&t, last[i])->tgid == last[i];
	tap_ok(found && scw_tracees_find(&t, first[0])->tgid == first[0],
	       "every other entry is found, with its data");
	scw_tracees_free(&t);
}

static void test_no_pull_across_end(void)
{
	/* 16 slots: homes 14, 15, 0 and 15 fill slots 14, 15, 0, 1.  Deleting
	 * slot 14 must leave the others where they are: each is at or after
	 * its home, counting cyclically across the end. */
	struct scw_tracees t;
	pid_t h14[1], h15[2], h0[1];
	uint32_t n;

	tids_with_home(4, 14, 1, h14, 1);
	tids_with_home(4, 15, 1, h15, 2);
	tids_with_home(4, 0, 1, h0, 1);
	scw_tracees_init(&t, 4);
	scw_tracees_put(&t, h14[0]);
	scw_tracees_put(&t, h15[0]);
	scw_tracees_put(&t, h0[0]);
	scw_tracees_put(&t, h15[1]);
	scw_tracees_del(&t, scw_tracees_find(&t, h14[0]));
	tap_ok(slot_of(&t, h15[0]) == 15 && slot_of(&t, h0[0]) == 0 && slot_of(&t, h15[1]) == 1 &&
		   t.slots[14].tid == 0,
	       "no entry is pulled back across the end past its home");
	tap_ok(table_sound(&t, &n) && n == 3, "and the table is sound");
	scw_tracees_free(&t);
}

static void test_middle_of_cluster(void)
{
	/* 32 slots: five tids at home 7 (slots 7..11), one at home 9 (12), one
	 * at home 12 (13).  Deleting the one in slot 8 must move 9..11 back,
	 * keep the home-9 entry at or after 9, and the home-12 entry at 12. */
	struct scw_tracees t;
	pid_t a[5], b[1], c[1];
	uint32_t n;
	bool found = true;

	tids_with_home(5, 7, 1, a, 5);
	tids_with_home(5, 9, 1, b, 1);
	tids_with_home(5, 12, 1, c, 1);
	scw_tracees_init(&t, 5);
	for (int i = 0; i < 5; i++)
		scw_tracees_put(&t, a[i])->tgid = a[i];
	scw_tracees_put(&t, b[0])->tgid = b[0];
	scw_tracees_put(&t, c[0])->tgid = c[0];
	tap_ok(slot_of(&t, a[1]) == 8 && slot_of(&t, b[0]) == 12 && slot_of(&t, c[0]) == 13,
	       "a cluster of seven entries from slot 7 to 13");
	scw_tracees_del(&t, scw_tracees_find(&t, a[1]));
	tap_ok(table_sound(&t, &n) && n == 6 && t.n == 6,
	       "deleting from the middle of a cluster leaves no hole");
	tap_ok(slot_of(&t, a[2]) == 8 && slot_of(&t, a[4]) == 10 && slot_of(&t, b[0]) == 11 &&
		   slot_of(&t, c[0]) == 12 && t.slots[13].tid == 0,
	       "the entries after it moved back by one, each no further than its home");
	for (int i = 0; i < 5; i++)
		found =
		    found && (i == 1 ? scw_tracees_find(&t, a[i]) == NULL : slot_of(&t, a[i]) >= 0);
	tap_ok(found && slot_of(&t, b[0]) >= 0 && slot_of(&t, c[0]) >= 0,
	       "every other entry is still found");

	/* The entry after it sits at its home: deleting its predecessor
	 * must not move it back. */
	scw_tracees_del(&t, scw_tracees_find(&t, b[0]));
	tap_ok(slot_of(&t, c[0]) == 12 && t.slots[11].tid == 0,
	       "an entry at its home slot stays there");
	tap_ok(table_sound(&t, &n) && n == 5, "and the table is sound");
	scw_tracees_free(&t);
}

static void test_growth(void)
{
	struct scw_tracees t;
	uint32_t n;
	bool found = true;
	pid_t tid;

	scw_tracees_init(&t, 1);
	for (tid = 1; tid <= 5000; tid++) {
		struct scw_tracee *e = scw_tracees_put(&t, tid * 4099);
		e->tgid = tid;
		e->flags = (unsigned)tid * 3;
	}
	tap_ok(t.mask + 1 >= 2 * 5000, "a table of two slots grew to %u slots for 5000 entries",
	       t.mask + 1);
	for (tid = 1; tid <= 5000; tid++) {
		const struct scw_tracee *e = scw_tracees_find(&t, tid * 4099);
		found = found && e && e->tgid == tid && e->flags == (unsigned)tid * 3;
	}
	tap_ok(found, "growth keeps every entry, with its data");
	tap_ok(table_sound(&t, &n) && n == 5000 && t.n == 5000, "5000 entries, no hole");
	{
		struct scw_tracee *e;
		uint32_t seen = 0;
		for (uint32_t i = 0; (e = scw_tracees_next(&t, &i));)
			seen++;
		tap_is_int(seen, 5000, "scw_tracees_next visits every entry once");
	}
	scw_tracees_free(&t);
}

/* Random puts and deletes over a small range of tids (many collisions),
 * from a tiny table, checked after each step against an array. */
static void test_random(void)
{
	enum { RANGE = 300, ROUNDS = 20000 };
	static bool present[RANGE + 1];
	struct scw_tracees t;
	uint64_t seed = 42;
	uint32_t live = 0, n;
	bool ok = true, sound = true;
	int round;

	scw_tracees_init(&t, 2);
	for (round = 0; round < ROUNDS && ok && sound; round++) {
		/* Tids that are multiples of 16 collide more in small tables. */
		pid_t key = (pid_t)(rnd(&seed) % RANGE) + 1, tid = key * 16;
		struct scw_tracee *e = scw_tracees_find(&t, tid);
		if ((e != NULL) != present[key]) {
			ok = false;
			break;
		}
		if (e) {
			scw_tracees_del(&t, e);
			present[key] = false;
			live--;
		} else {
			e = scw_tracees_put(&t, tid);
			e->tgid = key;
			present[key] = true;
			live++;
		}
		sound = table_sound(&t, &n) && n == live && t.n == live;
		for (pid_t k = 1; ok && k <= RANGE; k++) {
			e = scw_tracees_find(&t, k * 16);
			ok = present[k] ? e && e->tid == k * 16 && e->tgid == k : e == NULL;
		}
	}
	tap_ok(ok, "%d random rounds: every tid found exactly when the array has it", round);
	tap_ok(sound, "and the table was sound after every round (%u live)", live);
	while (live > 0 && ok) {
		struct scw_tracee *e;
		uint32_t i = 0;
		e = scw_tracees_next(&t, &i);
		ok = e != NULL;
		if (ok) {
			scw_tracees_del(&t, e);
			live--;
		}
	}
	tap_ok(ok && t.n == 0 && table_sound(&t, &n) && n == 0, "emptied one by one");
	scw_tracees_free(&t);
}

int main(void)
{
	tap_plan(21);
	test_collisions_and_wrap();
	test_no_pull_across_end();
	test_middle_of_cluster();
	test_growth();
	test_random();
	return tap_done();
}
