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

/* Where a backend reports progress while the workload runs: called a few
 * times a second from its loop (a timer's flag, scw_status_due), never per
 * syscall.  live_procs is UINT32_MAX where the backend cannot count the
 * processes alive.  done is called once, after the loop. */
struct scw_progress {
	void (*update)(void *ctx, const struct scw_acc *acc, uint32_t live_procs);
	void (*done)(void *ctx);
	void *ctx;
};

struct scw_record_opts {
	const char *path;		     /* the executable, resolved by scw_command_find() */
	char *const *argv;		     /* the workload's argv, untouched */
	const struct scw_progress *progress; /* or NULL */
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
	bool lost_reset;       /* the kernel's lost counter was reset during the run */
	bool used_ptrace;      /* the workload called ptrace(2) itself */
	pid_t own_filter_pid;  /* a process that loaded a seccomp filter of its own */
	char own_filter_exe[256];
	char method[192]; /* how records were attributed, for the summary */
	/* Set-id executables that ran without their privileges (the filter's
	 * no_new_privs), ", "-separated as many as fit; n_setid counts all. */
	char setid_exes[512];
	unsigned n_setid;
};

/* What a backend can do, for the checks of the options and the docs. */
enum scw_backend_cap {
	SCW_CAP_ROOTLESS = 1u << 0,	   /* runs without privileges */
	SCW_CAP_ARGS = 1u << 1,		   /* sees argument values (--args) */
	SCW_CAP_CHECK = 1u << 2,	   /* enforces a profile (scwrap check) */
	SCW_CAP_RESULTS = 1u << 3,	   /* sees results (ENOSYS probes) */
	SCW_CAP_BASELINE_UNSEEN = 1u << 4, /* --baseline's allowed calls cost nothing */
	SCW_CAP_WORKLOAD_PTRACE = 1u << 5, /* the workload may use ptrace itself */
	SCW_CAP_MAY_LOSE = 1u << 6,	   /* events may be lost (--accept-loss) */
};

/* One way of seeing syscalls.  The CLI calls prepare (if any) before any
 * output is opened or the workload started, then run once. */
struct scw_backend {
	const char *name;
	const char *summary;
	unsigned caps; /* enum scw_backend_cap */
	/* Whether this kernel and these privileges let the backend run;
	 * NULL: nothing to check before the run. */
	int (*prepare)(scw_error *err);
	/* Run the workload, every syscall of its tree into acc, what
	 * happened to it into run. */
	int (*run)(const struct scw_record_opts *opts, struct scw_acc *acc, struct scw_run *run,
		   scw_error *err);
};

extern const struct scw_backend scw_backend_ptrace;
extern const struct scw_backend scw_backend_audit;
extern const struct scw_backend scw_backend_notify;

/* Every backend, NULL-terminated. */
extern const struct scw_backend *const scw_backends[];

/* The backend of a name, or NULL. */
const struct scw_backend *scw_backend_find(const char *name);

#endif
