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

/* Serve the listener until every task that holds the filter is gone
 * (POLLHUP), reaping the first process when it exits. */
static int serve(struct server *sv, int pidfd, scw_error *err)
{
	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = sv->listener, .events = POLLIN},
		    {.fd = pidfd, .events = POLLIN},
		};
		int n = poll(pfd, pidfd >= 0 ? 2 : 1, -1), poll_errno = errno;

		if (__builtin_expect(scw_status_due, 0) && sv->opts->progress) {
			scw_status_due = 0;
			sv->opts->progress->update(sv->opts->progress->ctx, sv->un.acc, UINT32_MAX);
		}
		/* A signal passed on: to the first process by the handler
		 * while it lives, then to the rest of the tree from here. */
		if (__builtin_expect(scw_signals_forwarded != sv->sig_seen, 0)) {
			sv->sig_seen = scw_signals_forwarded;
			if (pidfd < 0)
				scw_unotify_signal_all(&sv->un, scw_signals_received());
		}
		if (n < 0) {
			if (poll_errno == EINTR)
				continue;
			return scw_fail(err, poll_errno, "poll");
		}
		if (pidfd >= 0 && pfd[1].revents) {
			/* The first process: its status is the run's, and
			 * its zombie would hold the filter. */
			if (waitpid(sv->root, &sv->un.run->wait_status, 0) == sv->root) {
				scw_signals_target(0); /* its pid is free for reuse */
				close(pidfd);
				pidfd = -1;
			}
		}
		if (pfd[0].revents & POLLIN) {
			if (scw_unotify_serve(&sv->un, sv->listener, err) < 0)
				return -1;
			continue;
		}
		if ((pfd[0].revents & (POLLHUP | POLLERR)) && pidfd < 0)
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
	int sock[2] = {-1, -1}, errp[2] = {-1, -1}, pidfd = -1, rc = -1;
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
	/* The first process is reaped as soon as it exits: its zombie
	 * would hold the filter, and the listener would never hang up. */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		scw_fail(err, errno, "cannot watch the workload (pidfd_open)");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	{
		struct scw_tracee *t = scw_tracees_put(&sv.un.tab, pid);
		t->tgid = pid;
		t->flags = SCW_UN_PREEXEC;
	}
	run->processes = 1;
	if (opts->progress)
		scw_signals_status_timer(250);
	snprintf(run->method, sizeof(run->method),
		 "seccomp user notification (every process and thread of the tree)");
	rc = serve(&sv, pidfd, err);
	if (opts->progress) {
		scw_signals_status_timer(0);
		opts->progress->done(opts->progress->ctx);
	}
	if (rc < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &run->wait_status, 0);
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
