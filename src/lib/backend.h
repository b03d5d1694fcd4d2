/* backend.h - how a workload's syscalls are seen: one ops table per backend,
 * all feeding the same accumulator. */
#ifndef SCW_BACKEND_H
#define SCW_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "accum.h"
#include "error.h"
#include "profile.h"

struct scw_record_opts {
	const char *path;  /* the executable, resolved by scw_command_find() */
	char *const *argv; /* the workload's argv, untouched */
	bool live_status;  /* refresh a one-line status on stderr */
	/* ptrace: calls this profile allows run untraced (--baseline, check);
	 * only the others reach the accumulator. */
	const struct scw_profile *profile;
	/* ptrace, scwrap check: the profile's deny rules by name are applied
	 * by the kernel, untraced; only what it lacks is traced. */
	bool check;
	/* ptrace: what the profile lacks fails as its default says. */
	bool enforce;
	/* ptrace: note the argument values of the curated calls (args.h). */
	bool args;
};

/* What happened to the workload. */
struct scw_run {
	int wait_status;       /* of the first process, as waitpid() reports it */
	int forwarded_signal;  /* a signal scwrap received and passed on, or 0 */
	uint64_t processes;    /* processes the workload made, the first included */
	uint64_t unnamed_lost; /* events the backend could not decode */
	uint64_t lost_records; /* audit records the kernel or the socket dropped */
	bool loss_unknown;     /* loss could not be measured (no CAP_AUDIT_CONTROL) */
	bool used_ptrace;      /* the workload called ptrace(2) itself */
	pid_t own_filter_pid;  /* a process that loaded a seccomp filter of its own */
	char own_filter_exe[256];
	char method[192]; /* how records were attributed, for the summary */
};

struct scw_backend {
	const char *name;
	const char *summary;
	int (*record)(const struct scw_record_opts *opts, struct scw_acc *acc, struct scw_run *run,
		      scw_error *err);
};

extern const struct scw_backend scw_backend_ptrace;
extern const struct scw_backend scw_backend_audit;

/* The backend of a name, or NULL. */
const struct scw_backend *scw_backend_find(const char *name);

/* Resolve a command as execvp(3) would, before anything starts: *path gets
 * the file to execute (caller frees).  Fails with status 127 when nothing
 * is found and 126 when what is found cannot be executed. */
int scw_command_find(const char *cmd, char **path, scw_error *err);

#endif
