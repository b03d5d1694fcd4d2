/* signals.c - forwarding signals to the workload. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "error.h"
#include "signals.h"
#include "util.h"

volatile sig_atomic_t scw_status_due;
volatile sig_atomic_t scw_signals_forwarded;
static volatile sig_atomic_t target_pid;
/* A pidfd of target_pid where the kernel has them (5.3): a signal through
 * it never reaches another process that took the pid after the target was
 * reaped. */
static volatile sig_atomic_t target_fd = -1;
static volatile sig_atomic_t received;
static volatile sig_atomic_t last_target; /* whom the handler sent it to */
static volatile sig_atomic_t pending;

static const int forwarded[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT};
static struct sigaction saved[SCW_ARRAY_SIZE(forwarded)];
static struct sigaction saved_alrm, saved_pipe;
static sigset_t saved_mask;

static void send_pidfd(int fd, int sig)
{
#ifdef SYS_pidfd_send_signal
	syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
#else
	(void)fd, (void)sig;
#endif
}

/* A pidfd of pid (close-on-exec), or -1 (a kernel before 5.3: the pid is
 * used). */
static int open_pidfd(pid_t pid)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

static void on_signal(int sig, siginfo_t *si, void *uctx)
{
	int saved_errno = errno;
	(void)uctx;
	/* The terminal sends SIGINT/SIGQUIT to the whole foreground process
	 * group, the workload included (si_code SI_KERNEL): leave them to it. */
	if ((sig == SIGINT || sig == SIGQUIT) && si->si_code > 0)
		goto out;
	received = sig;
	scw_signals_forwarded++;
	last_target = target_pid;
	if (target_fd >= 0)
		send_pidfd(target_fd, sig);
	else if (target_pid > 0)
		kill((pid_t)target_pid, sig);
	else
		pending = sig;
out:
	errno = saved_errno;
}

static void on_alarm(int sig)
{
	(void)sig;
	scw_status_due = 1;
}

int scw_signals_install(void)
{
	struct sigaction sa;

	sigprocmask(SIG_SETMASK, NULL, &saved_mask);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < SCW_ARRAY_SIZE(forwarded); i++)
		sigaddset(&sa.sa_mask, forwarded[i]);
	/* No SA_RESTART: waitpid() returns EINTR so the loop sees the signal. */
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = on_signal;
	for (size_t i = 0; i < SCW_ARRAY_SIZE(forwarded); i++) {
		sigaction(forwarded[i], NULL, &saved[i]);
		/* A signal ignored when scwrap started (nohup, "cmd &" in a
		 * script) stays ignored, for scwrap and for the workload. */
		if (saved[i].sa_handler == SIG_IGN)
			continue;
		if (sigaction(forwarded[i], &sa, NULL) < 0)
			return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &saved_alrm) < 0)
		return -1;
	sigaction(SIGPIPE, NULL, &saved_pipe);
	return 0;
}

void scw_signals_block(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < SCW_ARRAY_SIZE(forwarded); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

void scw_signals_hold(void)
{
	scw_signals_block(NULL);
}

void scw_signals_retarget(pid_t pid)
{
	int old = target_fd, fd = pid > 0 ? open_pidfd(pid) : -1;
	/* The handler sees the old target or the new one, never a closed fd. */
	target_fd = -1;
	target_pid = pid;
	target_fd = fd;
	if (old >= 0)
		close(old);
}

pid_t scw_signals_target_pid(void)
{
	return (pid_t)target_pid;
}

pid_t scw_signals_last_target(void)
{
	return (pid_t)last_target;
}

void scw_signals_target(pid_t pid)
{
	scw_signals_retarget(pid);
	if (pending && pid > 0) {
		kill(pid, pending);
		pending = 0;
	}
	/* What came while held is handled now, and goes to pid. */
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

void scw_signals_restore_child(void)
{
	for (size_t i = 0; i < SCW_ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &saved[i], NULL);
	sigaction(SIGALRM, &saved_alrm, NULL);
	sigaction(SIGPIPE, &saved_pipe, NULL);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

int scw_signals_received(void)
{
	return received;
}

void scw_signals_status_timer(unsigned interval_ms)
{
	struct itimerval it;
	memset(&it, 0, sizeof(it));
	it.it_interval.tv_sec = interval_ms / 1000;
	it.it_interval.tv_usec = (suseconds_t)(interval_ms % 1000) * 1000;
	it.it_value = it.it_interval;
	setitimer(ITIMER_REAL, &it, NULL);
}

int scw_fail_unstarted(int sig, scw_error *err)
{
	const char *name = sigabbrev_np(sig);
	return scw_fail_status(err, 128 + sig, 0,
			       "the workload was killed by SIG%s before it started: nothing was "
			       "recorded and no profile was written",
			       name ? name : "?");
}
