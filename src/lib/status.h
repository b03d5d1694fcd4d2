/* status.h - the live status line: a progress sink that redraws one line
 * of a terminal while the workload runs. */
#ifndef SCW_STATUS_H
#define SCW_STATUS_H

#include <stdbool.h>

#include "backend.h"

struct scw_status {
	int fd;	    /* the terminal drawn on */
	bool shown; /* a line is on it, to be cleared */
};

/* A status line on fd, and the progress that draws it (*progress refers
 * to st, which must outlive the run). */
void scw_status_init(struct scw_status *st, int fd, struct scw_progress *progress);

#endif
