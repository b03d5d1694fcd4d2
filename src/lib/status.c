/* status.c - the live status, in the terminal's title. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "status.h"

/* The title is set with OSC 2 and restored with xterm's title stack
 * (XTWINOPS 22 and 23, which tmux, VTE, kitty and foot keep too).  A
 * terminal ignores an OSC string it does not know: nothing reaches the
 * screen, which belongs to the workload. */
#define TITLE_PUSH "\033[22;2t"
#define TITLE_POP  "\033[23;2t"

/* Show the counts in the title, if they changed since the last time. */
static void status_update(void *ctx, const struct scw_acc *acc, uint32_t live_procs)
{
	struct scw_status *st = ctx;
	char line[sizeof(st->last) + 16];
	int n;

	if (live_procs == UINT32_MAX) /* the backend cannot count them */
		n = snprintf(line, sizeof(line), "\033]2;scwrap: %llu syscalls, %llu distinct\a",
			     (unsigned long long)acc->total, (unsigned long long)acc->distinct);
	else
		n = snprintf(line, sizeof(line),
			     "\033]2;scwrap: %u process%s alive, %llu syscalls, %llu distinct\a",
			     live_procs, live_procs == 1 ? "" : "es",
			     (unsigned long long)acc->total, (unsigned long long)acc->distinct);
	if (n <= 0 || (size_t)n >= sizeof(st->last) || strcmp(line, st->last) == 0)
		return;
	if (!st->shown)
		(void)!write(st->fd, TITLE_PUSH, strlen(TITLE_PUSH));
	(void)!write(st->fd, line, (size_t)n);
	memcpy(st->last, line, (size_t)n + 1);
	st->shown = true;
}

/* Give the terminal its title back, if it was changed. */
static void status_done(void *ctx)
{
	struct scw_status *st = ctx;
	if (st->shown)
		(void)!write(st->fd, TITLE_POP, strlen(TITLE_POP));
	st->shown = false;
	st->last[0] = '\0';
}

void scw_status_init(struct scw_status *st, int fd, struct scw_progress *progress)
{
	st->fd = fd;
	st->shown = false;
	st->last[0] = '\0';
	progress->update = status_update;
	progress->done = status_done;
	progress->ctx = st;
}
