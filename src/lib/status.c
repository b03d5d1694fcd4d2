/* status.c - the live status line on a terminal. */
#include <config.h>

#include <stdio.h>
#include <unistd.h>

#include "status.h"

/* Redraw the line: processes alive, syscalls, distinct calls. */
static void status_update(void *ctx, const struct scw_acc *acc, uint32_t live_procs)
{
	struct scw_status *st = ctx;
	char line[160];
	int n;

	if (live_procs == UINT32_MAX) /* the backend cannot count them */
		n = snprintf(line, sizeof(line), "\r\033[Kscwrap: %llu syscalls, %llu distinct",
			     (unsigned long long)acc->total, (unsigned long long)acc->distinct);
	else
		n = snprintf(line, sizeof(line),
			     "\r\033[Kscwrap: %u process%s alive, %llu syscalls, %llu distinct",
			     live_procs, live_procs == 1 ? "" : "es",
			     (unsigned long long)acc->total, (unsigned long long)acc->distinct);
	if (n > 0)
		(void)!write(st->fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	st->shown = true;
}

/* Clear the line, if one was drawn. */
static void status_done(void *ctx)
{
	struct scw_status *st = ctx;
	if (st->shown)
		(void)!write(st->fd, "\r\033[K", 4);
	st->shown = false;
}

void scw_status_init(struct scw_status *st, int fd, struct scw_progress *progress)
{
	st->fd = fd;
	st->shown = false;
	progress->update = status_update;
	progress->done = status_done;
	progress->ctx = st;
}
