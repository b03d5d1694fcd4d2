/* child.c - a child's report of why the workload did not start (child.h). */
#include <config.h>

#include <errno.h>
#include <unistd.h>

#include "child.h"

void scw_child_fail(int fd, int stage, int errnum)
{
	struct scw_child_error ce = {stage, errnum};
	(void)!write(fd, &ce, sizeof(ce));
	_exit(SCW_EXIT_FAILURE);
}

bool scw_child_read(int fd, struct scw_child_error *ce)
{
	return read(fd, ce, sizeof(*ce)) == (ssize_t)sizeof(*ce);
}

int scw_child_error_to_err(const struct scw_child_error *ce, const char *filter, const char *path,
			   scw_error *err)
{
	switch ((enum scw_child_stage)ce->stage) {
	case SCW_CHILD_FILTER:
		return scw_fail(err, ce->errnum, "cannot load the %s seccomp filter", filter);
	case SCW_CHILD_EXEC:
		return scw_fail_status(
		    err, ce->errnum == ENOENT ? SCW_EXIT_NOT_FOUND : SCW_EXIT_CANNOT_EXEC,
		    ce->errnum, "cannot run %s", path);
	case SCW_CHILD_SUBREAPER:
		scw_fail(err, ce->errnum,
			 "cannot make the audit helper a subreaper (prctl "
			 "PR_SET_CHILD_SUBREAPER), so the end of the workload's tree could not be "
			 "told");
		return scw_hint(err, "allow that prctl where scwrap runs, or use the ptrace "
				     "backend (-b ptrace)");
	case SCW_CHILD_SYNC:
		break;
	}
	return scw_fail(err, ce->errnum, "cannot start the workload");
}
