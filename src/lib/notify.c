/* notify.c - the notify backend: a SECCOMP_RET_USER_NOTIF filter on the
 * workload's tree, every notification answered CONTINUE (kernel 5.5+).
 * Half the cost of a ptrace stop, and the workload may use ptrace itself. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "child.h"
#include "recfilter.h"
#include "signals.h"
#include "unotify.h"

/* The backend's state: the engine, and the first process. */
struct server {
	const struct scw_record_opts *opts;
	struct scw_unotify un;
	pid_t root;
	sig_atomic_t sig_seen; /* scw_signals_forwarded, as last handled */
	int listener;
};

/* The first process, reaped by scwrap's SIGCHLD handler as it exits: its
 * zombie would hold the filter, so the listener would never hang up.  The
 * signal also interrupts the loop's RECV. */
static volatile sig_atomic_t root_pid; /* to reap; 0: none, or reaped */
static volatile sig_atomic_t root_reaped;
static volatile int root_status;

static void reap_root(void)
{
	pid_t pid = (pid_t)root_pid, r;
	int st = 0;

	if (pid <= 0)
		return;
	r = waitpid(pid, &st, WNOHANG);
	if (r == pid || (r < 0 && errno == ECHILD)) {
		/* ECHILD: reaped by the kernel (SIGCHLD ignored when scwrap
		 * started, and the process gone before the handler came):
		 * its status is lost. */
		root_status = st;
		root_pid = 0;
		root_reaped = 1;
	}
}

static void on_sigchld(int sig)
{
	int saved_errno = errno;
	(void)sig;
	reap_root();
	errno = saved_errno;
}

/* Whether every task that held the filter is gone. */
static bool hung_up(int listener)
{
	struct pollfd pfd = {.fd = listener, .events = POLLIN};
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR));
}

/* Serve the listener until every task that holds the filter is gone.
 * RECV blocks: two syscalls a notification, where poll first would make
 * three.  What else must wake the loop interrupts RECV with a signal
 * (handlers without SA_RESTART): a signal to pass on, the status timer,
 * the first process's exit (SIGCHLD).  The end of the tree: on Linux 6.11+
 * RECV returns ENOENT once the filter has no task left; on older kernels
 * the SIGCHLD of the first process, when it goes last, or else the timer
 * ends the wait, and poll then says the listener has hung up. */
static int serve(struct server *sv, scw_error *err)
{
	bool root_gone = false;

	for (;;) {
		int rc = scw_unotify_serve(&sv->un, sv->listener, err);

		if (__builtin_expect(rc < 0, 0))
			return -1;
		if (__builtin_expect(scw_status_due, 0)) {
			scw_status_due = 0;
			if (sv->opts->progress)
				sv->opts->progress->update(sv->opts->progress->ctx, sv->un.acc,
							   UINT32_MAX);
		}
		if (__builtin_expect(root_reaped && !root_gone, 0)) {
			root_gone = true;
			sv->un.run->wait_status = root_status;
			scw_signals_target(0); /* its pid is free for reuse */
		}
		/* A signal passed on: to the first process by the handler
		 * while it lives, then to the rest of the tree from here. */
		if (__builtin_expect(scw_signals_forwarded != sv->sig_seen, 0)) {
			sv->sig_seen = scw_signals_forwarded;
			if (root_gone)
				scw_unotify_signal_all(&sv->un, scw_signals_received());
		}
		if (rc == 0 && root_gone && hung_up(sv->listener))
			return 0; /* every task with the filter is gone */
	}
}

/* The child's helper thread: created before the filter, so not under it.
 * It waits for the main thread to store the listener's number (no
 * syscall can tell it: any would wait for scwrap, which has no listener
 * yet), sends the listener to scwrap, and ends. */
struct handover {
	atomic_int fd; /* -1: not yet; -2: the load failed */
	int sock;
};

static void *handover_run(void *arg)
{
	struct handover *h = arg;
	const struct timespec tick = {0, 20000};
	char data = 'L', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {&data, 1};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;
	int fd;

	while ((fd = atomic_load(&h->fd)) == -1)
		nanosleep(&tick, NULL);
	if (fd < 0)
		return NULL;
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm) /* cannot be: the buffer has room for one */
		return NULL;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	(void)!sendmsg(h->sock, &msg, MSG_NOSIGNAL);
	return NULL;
}

/* In the child: load the filter, hand the listener over, exec. */
static void __attribute__((noreturn))
child_run(const struct scw_record_opts *opts, scmp_filter_ctx ctx, int sock, int err_fd)
{
	extern char **environ;
	static struct handover h;
	pthread_t thread;
	int rc;

	scw_signals_restore_child();
	/* Should scwrap die, the workload goes too: its syscalls would fail
	 * with ENOSYS, unanswered. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(SCW_EXIT_FAILURE);
	atomic_init(&h.fd, -1);
	h.sock = sock;
	errno = pthread_create(&thread, NULL, handover_run, &h);
	if (errno)
		scw_child_fail(err_fd, SCW_CHILD_SYNC, errno);
	/* No TSYNC: the filter is this thread's, the helper stays free. */
	rc = seccomp_load(ctx);
	if (rc < 0) {
		atomic_store(&h.fd, -2);
		scw_child_fail(err_fd, SCW_CHILD_FILTER, -rc);
	}
	atomic_store(&h.fd, seccomp_notify_fd(ctx));
	/* Until the listener is scwrap's: an execve that a baseline lets
	 * through untold would end the helper before it sent it.  The join's
	 * calls wait for scwrap, which the helper, unfiltered, reaches. */
	pthread_join(thread, NULL);
	execve(opts->path, opts->argv, environ);
	scw_child_fail(err_fd, SCW_CHILD_EXEC, errno);
}

/* scwrap's end of the handover: the listener, checked to be one; -1 when
 * the child died first (err then unset: the caller reaps and says why). */
static int receive_listener(int sock)
{
	char data, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {&data, 1};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;
	ssize_t n;
	int fd = -1;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	cm = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (!scw_unotify_is_listener(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether the first process never made its execve: nothing of the
 * workload ran. */
static bool root_unstarted(struct server *sv)
{
	const struct scw_tracee *t = scw_tracees_find(&sv->un.tab, sv->root);
	return t && (t->flags & SCW_UN_PREEXEC);
}

/* The child's report, once it has exited: why it did not start. */
static int start_error(struct server *sv, int errpipe, scw_error *err)
{
	struct scw_child_error ce;
	int st = 0;

	if (waitpid(sv->root, &st, 0) < 0)
		st = 0;
	if (scw_child_read(errpipe, &ce))
		return scw_child_error_to_err(&ce, "notifying", sv->opts->path, err);
	if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL)
		return scw_fail_unstarted(WTERMSIG(st), err);
	return scw_fail(err, 0, "the workload died before its listener was handed over");
}

static int notify_record(const struct scw_record_opts *opts, struct scw_acc *acc,
			 struct scw_run *run, scw_error *err)
{
	struct server sv = {.opts = opts, .listener = -1};
	scmp_filter_ctx ctx = NULL;
	int sock[2] = {-1, -1}, errp[2] = {-1, -1}, rc = -1;
	pid_t pid;

	if (scw_unotify_supported(err) < 0)
		return -1;
	scw_unotify_init(&sv.un, acc, run, opts->args, opts->enforce ? opts->profile : NULL);
	sv.un.pidfds = true;
	{
		const struct scw_recfilter_opts rf = {
		    .abi = sv.un.calls[0].abi,
		    .act_record = SCMP_ACT_NOTIFY,
		    /* What a profile allows runs: a filter's inheritance needs
		     * no clone flags, unlike ptrace's auto-attach. */
		    .act_look = SCMP_ACT_ALLOW,
		    /* NO_NEW_PRIVS lets an unprivileged user load the
		     * filter; with CAP_SYS_ADMIN setuid programs keep
		     * working. */
		    .nnp = !scw_has_cap(CAP_SYS_ADMIN),
		    .profile = opts->profile,
		    .args = opts->args,
		    .apply_denies = opts->check,
		};
		if (scw_recfilter_build(&rf, &ctx, err) < 0)
			goto out;
	}
	{
		ssize_t n = readlink("/proc/self/exe", sv.un.self_exe, sizeof(sv.un.self_exe) - 1);
		sv.un.self_exe[n > 0 ? n : 0] = '\0';
	}
	{
		char real[PATH_MAX];
		sv.un.root_exe = scw_acc_exe(acc, realpath(opts->path, real) ? real : opts->path);
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) < 0 ||
	    pipe2(errp, O_CLOEXEC) < 0) {
		scw_fail(err, errno, "cannot make the listener's way to scwrap");
		goto out;
	}
	scw_signals_hold();
	pid = fork();
	if (pid < 0) {
		scw_fail(err, errno, "cannot fork");
		goto out;
	}
	if (pid == 0) {
		close(sock[0]);
		close(errp[0]);
		child_run(opts, ctx, sock[1], errp[1]);
	}
	sv.root = pid;
	close(sock[1]);
	close(errp[1]);
	sock[1] = errp[1] = -1;
	scw_signals_target(pid);
	sv.listener = receive_listener(sock[0]);
	if (sv.listener < 0) {
		kill(pid, SIGKILL);
		start_error(&sv, errp[0], err);
		goto out;
	}
	scw_unotify_sync_wakeup(sv.listener);
	{
		struct scw_tracee *t = scw_tracees_put(&sv.un.tab, pid);
		t->tgid = pid;
		t->flags = SCW_UN_PREEXEC;
	}
	run->processes = 1;
	/* The timer also bounds the wait for the end of the tree where RECV
	 * does not see it (before Linux 6.11). */
	scw_signals_status_timer(250);
	snprintf(run->method, sizeof(run->method),
		 "seccomp user notification (every process and thread of the tree)");
	{
		struct sigaction sa, saved_chld;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigchld;
		sa.sa_flags = SA_NOCLDSTOP; /* no SA_RESTART: RECV returns EINTR */
		sigemptyset(&sa.sa_mask);
		root_reaped = 0;
		root_pid = pid;
		sigaction(SIGCHLD, &sa, &saved_chld);
		reap_root(); /* it may have exited before the handler came */
		rc = serve(&sv, err);
		root_pid = 0;
		sigaction(SIGCHLD, &saved_chld, NULL);
	}
	scw_signals_status_timer(0);
	if (opts->progress)
		opts->progress->done(opts->progress->ctx);
	if (rc < 0) {
		if (!root_reaped) {
			kill(pid, SIGKILL);
			waitpid(pid, &run->wait_status, 0);
		} else {
			run->wait_status = root_status;
		}
	}
	if (rc == 0 && WIFSIGNALED(run->wait_status) && root_unstarted(&sv))
		/* A signal passed on before the workload's execve. */
		rc = scw_fail_unstarted(WTERMSIG(run->wait_status), err);
	else if (rc == 0 && WIFEXITED(run->wait_status) &&
		 WEXITSTATUS(run->wait_status) == SCW_EXIT_FAILURE) {
		/* Maybe the workload's status; maybe its execve failed. */
		struct scw_child_error ce;
		if (scw_child_read(errp[0], &ce))
			rc = scw_child_error_to_err(&ce, "notifying", opts->path, err);
	}
	scw_signals_target(0);
	run->forwarded_signal = scw_signals_received();
out:
	scw_signals_target(0);
	for (int i = 0; i < 2; i++) {
		if (sock[i] >= 0)
			close(sock[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (sv.listener >= 0)
		close(sv.listener);
	scw_unotify_free(&sv.un);
	if (ctx)
		seccomp_release(ctx);
	return rc;
}

const struct scw_backend scw_backend_notify = {
    .name = "notify",
    .summary = "seccomp user notification, each call answered CONTINUE; rootless",
    .caps = SCW_CAP_ROOTLESS | SCW_CAP_ARGS | SCW_CAP_CHECK | SCW_CAP_BASELINE_UNSEEN |
	    SCW_CAP_WORKLOAD_PTRACE,
    .prepare = scw_unotify_supported,
    .run = notify_record,
};
