/* child.h - how a child that cannot start the workload tells scwrap why:
 * one (stage, errno) record on a pipe, read back as an scw_error with the
 * exit status the CLI uses (126, 127, 125).  Both backends use it. */
#ifndef SCW_CHILD_H
#define SCW_CHILD_H

#include <stdbool.h>

#include "error.h"

/* Where the child stopped. */
enum scw_child_stage {
	SCW_CHILD_SYNC,	     /* before its filter: waiting for scwrap */
	SCW_CHILD_FILTER,    /* loading its seccomp filter */
	SCW_CHILD_EXEC,	     /* starting the workload (fork, execve) */
	SCW_CHILD_SUBREAPER, /* audit: becoming the tree's subreaper */
};

/* The record: written in one write (atomic: < PIPE_BUF). */
struct scw_child_error {
	int stage; /* enum scw_child_stage */
	int errnum;
};

/* In the child: report (stage, errnum) on fd and _exit(SCW_EXIT_FAILURE).
 * Async-signal-safe: for use between fork and execve. */
void scw_child_fail(int fd, int stage, int errnum) __attribute__((noreturn));

/* Read the child's report from fd into *ce; false when there was none (the
 * child exec'd, or died before it wrote one). */
bool scw_child_read(int fd, struct scw_child_error *ce);

/* Fill err from a child's report: filter names the seccomp filter it loads
 * ("recording", "logging"), path the workload's executable.  -1. */
int scw_child_error_to_err(const struct scw_child_error *ce, const char *filter, const char *path,
			   scw_error *err);

#endif
