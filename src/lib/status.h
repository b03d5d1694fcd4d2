/* status.h - the live status: a progress sink that shows the counts in the
 * title of the terminal while the workload runs, never on its screen,
 * which the workload shares. */
#ifndef SCW_STATUS_H
#define SCW_STATUS_H

#include <stdbool.h>

#include "backend.h"

struct scw_status {
	int fd;		/* the terminal */
	bool shown;	/* its title was pushed and set */
	char last[128]; /* the title last set, to set it only on change */
};

/* A status on fd's title, and the progress that sets it (*progress refers
 * to st, which must outlive the run). */
void scw_status_init(struct scw_status *st, int fd, struct scw_progress *progress);

#endif
