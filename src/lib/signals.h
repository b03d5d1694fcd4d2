/* signals.h - scwrap's signals while a workload runs: forwarded to it, so
 * scwrap outlives it and can write what it recorded. */
#ifndef SCW_SIGNALS_H
#define SCW_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* Set by SIGALRM (every 250 ms) while a live status is wanted. */
extern volatile sig_atomic_t scw_status_due;

/* Bumped by every signal forwarded: a loop that forwards to more than the
 * target compares it with the count it has seen (one read per event). */
extern volatile sig_atomic_t scw_signals_forwarded;

/* Install the handlers: SIGTERM, SIGHUP, and SIGINT/SIGQUIT sent with kill(2)
 * are forwarded to the workload once it exists; SIGINT/SIGQUIT from the
 * terminal are left to the workload, which gets them itself.  Saves the
 * dispositions and mask the workload must start with. */
int scw_signals_install(void);

/* Block the signals scwrap forwards (SIGTERM, SIGHUP, SIGINT, SIGQUIT: the
 * ones that kill a process without handlers); the mask before in *old
 * unless old is NULL. */
void scw_signals_block(sigset_t *old);

/* Before forking the workload: the forwarded signals are blocked, so that
 * one sent while the child still has scwrap's handlers (and would swallow
 * it) stays pending until the child has the workload's dispositions. */
void scw_signals_hold(void);

/* The workload's pid: forwarded signals go there from now on (one that came
 * before is sent now), and they are no longer held. */
void scw_signals_target(pid_t pid);

/* Forwarded signals go to pid from now on (0: to nobody; they are kept for
 * the next scw_signals_target), with nothing sent now and the mask left
 * alone: for a loop whose target died while the rest of its tree lives.
 * Through a pidfd where the kernel has them, so a pid reaped and reused
 * meanwhile is never signalled. */
void scw_signals_retarget(pid_t pid);

/* The pid forwarded signals go to, or 0. */
pid_t scw_signals_target_pid(void);

/* The target the last forwarded signal was sent to by the handler, or 0. */
pid_t scw_signals_last_target(void);

/* In the child before exec: the dispositions and mask scwrap started with. */
void scw_signals_restore_child(void);

/* The last signal forwarded to the workload on scwrap's behalf, or 0. */
int scw_signals_received(void);

/* Tick scw_status_due every interval_ms (0 stops it). */
void scw_signals_status_timer(unsigned interval_ms);

/* The workload died of sig before its execve (a signal sent to scwrap as it
 * started, or the terminal's): fail with the status a shell gives a command
 * killed by sig, 128 + sig.  Returns -1. */
int scw_fail_unstarted(int sig, scw_error *err);

#endif
