/* unotify.h - serving a seccomp listener: each notification counted in an
 * accumulator and answered (CONTINUE, or scwrap check's denial).  The
 * engine of the notify backend and of scwrap agent; whoever holds the
 * listeners runs the loop (poll, epoll) and calls scw_unotify_serve()
 * when one is readable. */
#ifndef SCW_UNOTIFY_H
#define SCW_UNOTIFY_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "accum.h"
#include "backend.h"
#include "denytab.h"
#include "error.h"
#include "tracees.h"
#include "util.h"

/* Thread flags (struct scw_tracee.flags). */
enum {
	SCW_UN_PREEXEC = 1u << 0, /* scwrap's child before its execve: not the workload */
	SCW_UN_STALE = 1u << 1,	  /* made an execve: read its executable again */
	SCW_UN_ARGV0 = 1u << 2,	  /* argv0 not read yet (read when first needed) */
};

/* Threads known before the table is swept of those that have exited: the
 * table's memory is bounded whatever a workload does with its pids. */
#define SCW_UNOTIFY_SWEEP (1u << 16)

struct scw_unotify {
	struct scw_acc *acc;
	struct scw_run *run;
	bool args;			     /* note the curated calls' arguments */
	bool pidfds;			     /* keep a pidfd per process (procs) */
	struct scw_deny *deny[SCW_MAX_ABIS]; /* scwrap check: [SCW_NR_MAX] per calls[] slot */
	struct scw_tracees tab;
	struct scw_abi_calls calls[SCW_MAX_ABIS];
	unsigned n_calls;
	int8_t *spec[SCW_MAX_ABIS]; /* [SCW_NR_MAX] per calls[] slot: --args spec or -1 */
	/* The notify backend's: its child runs scwrap (self_exe) until its
	 * execve, which makes it root_exe. */
	struct scw_exe *root_exe;
	char self_exe[PATH_MAX];
	/* With pidfds: every process of the tree, as a pidfd opened while it
	 * waited in its first notified call (so it names that process,
	 * whatever reuses the pid later): tgid -> pidfd + 1, 0 once it has
	 * exited.  For the signals passed on after the first process. */
	struct scw_u64map procs;
	size_t procs_open, sweep_at;
	uint32_t tab_sweep_at;
};

/* Ready to serve listeners whose calls go into acc, what happened into
 * run (processes, a filter of the workload's own).  args: note the
 * curated calls' arguments; enforce: answer what profile does not allow
 * as it says (scwrap check), else NULL. */
void scw_unotify_init(struct scw_unotify *sv, struct scw_acc *acc, struct scw_run *run, bool args,
		      const struct scw_profile *enforce);
void scw_unotify_free(struct scw_unotify *sv);

/* Take one notification from listener, count it and answer it.  Returns
 * 1 when one was served, 0 when there was none to take (the task was
 * killed or its call interrupted first), -1 with err set when the
 * listener failed. */
int scw_unotify_serve(struct scw_unotify *sv, int listener, scw_error *err);

/* Send sig to every process of the tree still running (pidfds). */
void scw_unotify_signal_all(struct scw_unotify *sv, int sig);

/* Whether this kernel can notify and let a notified call continue. */
int scw_unotify_supported(scw_error *err);

/* Whether fd is a seccomp listener (anon_inode:seccomp notify). */
bool scw_unotify_is_listener(int fd);

/* Ask the kernel to wake the server on the notifying task's CPU (Linux
 * 6.6); older kernels keep the usual wake-up. */
void scw_unotify_sync_wakeup(int listener);

#endif
