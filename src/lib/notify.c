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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "accum.h"
#include "args.h"
#include "backend.h"
#include "child.h"
#include "denytab.h"
#include "recfilter.h"
#include "signals.h"
#include "tracees.h"
#include "util.h"

#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif
/* Linux 6.6: wake the supervisor on the notifying task's CPU, as a hand
 * over (include/uapi/linux/seccomp.h). */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* Thread flags (struct scw_tracee.flags). */
enum {
	N_PREEXEC = 1u << 0, /* scwrap's child before its execve: not the workload */
	N_STALE = 1u << 1,   /* made an execve: read its executable again */
};

struct server {
	const struct scw_record_opts *opts;
	struct scw_acc *acc;
	struct scw_run *run;
	struct scw_tracees tab;
	struct scw_abi_calls calls[SCW_MAX_ABIS];
	unsigned n_calls;
	int8_t *spec[SCW_MAX_ABIS];	     /* [SCW_NR_MAX] per calls[] slot: --args spec or -1 */
	struct scw_deny *deny[SCW_MAX_ABIS]; /* [SCW_NR_MAX] per calls[] slot; enforce only */
	pid_t root;
	struct scw_exe *root_exe; /* the workload's executable, as /proc names it */
	char self_exe[PATH_MAX];  /* scwrap's, which its child runs until execve */
	/* Every process of the tree, as a pidfd opened while it waited in its
	 * first notified call (so it names that process, whatever reuses the
	 * pid later): tgid -> pidfd + 1, 0 once it has exited.  For the
	 * signals passed on after the first process has gone. */
	struct scw_u64map procs;
	size_t procs_open, sweep_at;
	sig_atomic_t sig_seen; /* scw_signals_forwarded, as last handled */
	int listener;
};

static const struct scw_abi_calls *calls_of(const struct server *sv, uint32_t abi)
{
	return scw_abi_calls_find(sv->calls, sv->n_calls, abi);
}

/* For --args: the curated spec of each (machine ABI, number). */
static void init_specs(struct server *sv)
{
	scw_args_init(sv->acc);
	for (unsigned i = 0; i < sv->n_calls; i++)
		sv->spec[i] = scw_argspec_table(sv->calls[i].abi);
}

/* Close the pidfds of the processes that have exited. */
static void sweep_pidfds(struct server *sv)
{
	uint64_t key, val;
	for (size_t i = 0; scw_u64map_next(&sv->procs, &i, &key, &val);) {
		struct pollfd pfd = {.fd = (int)val - 1, .events = POLLIN};
		if (val && poll(&pfd, 1, 0) == 1) {
			close(pfd.fd);
			*scw_u64map_get(&sv->procs, key) = 0;
			sv->procs_open--;
		}
	}
	sv->sweep_at = sv->procs_open * 2 > 256 ? sv->procs_open * 2 : 256;
}

/* A pidfd of process pid, which is waiting in a notified call. */
static void keep_pidfd(struct server *sv, pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	uint64_t *v;
	if (fd < 0)
		return;
	v = scw_u64map_put(&sv->procs, (uint64_t)pid, NULL);
	if (*v) {
		close((int)*v - 1);
		sv->procs_open--;
	}
	*v = (uint64_t)fd + 1;
	if (++sv->procs_open >= sv->sweep_at)
		sweep_pidfds(sv);
}

/* After the first process has gone: a signal scwrap passed on goes to
 * every process of the tree still running. */
static void forward_tree(struct server *sv)
{
	int sig = scw_signals_received();
	uint64_t key, val;
	sv->sig_seen = scw_signals_forwarded;
	for (size_t i = 0; sig && scw_u64map_next(&sv->procs, &i, &key, &val);)
		if (val)
			syscall(SYS_pidfd_send_signal, (int)val - 1, sig, NULL, 0);
}

/* The executable and argv[0] a thread runs now, and its process, from
 * /proc: once per thread and once per execve, never per syscall.  The
 * thread is blocked in its notified syscall, so it cannot exit under us. */
static void learn(struct server *sv, struct scw_tracee *t)
{
	char link[64], path[PATH_MAX], argv0[256];
	int tgid;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)t->tid);
	n = readlink(link, path, sizeof(path) - 1);
	path[n > 0 ? n : 0] = '\0';
	t->exe = scw_acc_exe(sv->acc, n > 0 ? path : "(unknown)");
	t->argv0 = NULL;
	if (scw_proc_argv0(t->tid, argv0, sizeof(argv0)) == 0)
		t->argv0 = scw_acc_intern(sv->acc, argv0);
	if (!t->tgid) {
		t->tgid = scw_proc_status_field(t->tid, "Tgid", &tgid) == 0 ? tgid : t->tid;
		if (t->tgid == t->tid) {
			sv->run->processes++;
			keep_pidfd(sv, t->tid);
		}
	}
}

/* After an execve from tid: its whole process is another program, and a
 * non-leader that execs takes the leader's tid. */
static void mark_stale(struct server *sv, const struct scw_tracee *t)
{
	struct scw_tracee *e;
	pid_t tgid = t->tgid;
	for (uint32_t i = 0; (e = scw_tracees_next(&sv->tab, &i));)
		if (e->tgid == tgid)
			e->flags |= N_STALE;
}

/* Whether scwrap's child has become another program (its execve was
 * not notified): /proc is read only for its calls before that. */
static bool execed(const struct server *sv, const struct scw_tracee *t)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)t->tid);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return false;
	path[n] = '\0';
	return strcmp(path, sv->self_exe) != 0;
}

/* clone3's flags, from the clone_args in the caller's memory. */
static uint64_t clone3_flags(pid_t pid, uint64_t addr)
{
	uint64_t flags = 0;
	struct iovec local = {&flags, sizeof(flags)};
	struct iovec remote = {(void *)(uintptr_t)addr, sizeof(flags)};
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(flags))
		return 0;
	return flags;
}

/* scwrap check: the answer to a call the profile does not allow, as the
 * profile says (kill, or fail with its errno; ENOSYS for what a
 * supervisor cannot do: trap, trace...). */
static void enforce(struct server *sv, const struct scw_tracee *t, unsigned slot, uint32_t nr,
		    struct seccomp_notif_resp *resp)
{
	const struct scw_deny *d = &sv->deny[slot][nr];

	resp->flags = 0;
	resp->error = -ENOSYS;
	switch ((enum scw_action)d->action) {
	case SCW_ACT_KILL_PROCESS:
		kill(t->tgid, SIGKILL);
		return;
	case SCW_ACT_KILL_THREAD:
		syscall(SYS_tgkill, t->tgid, t->tid, SIGKILL);
		return;
	case SCW_ACT_ERRNO:
		resp->error = -(int32_t)d->errnum;
		return;
	case SCW_ACT_TRAP:
	case SCW_ACT_NOTIFY:
	case SCW_ACT_TRACE:
	case SCW_ACT_LOG:
	case SCW_ACT_ALLOW:
		return;
	}
}

/* One notification: count it, note what the loop must know, and say in
 * resp how to answer it (CONTINUE, or scwrap check's denial). */
static void on_notif(struct server *sv, const struct seccomp_notif *req,
		     struct seccomp_notif_resp *resp)
{
	uint32_t nr = (uint32_t)req->data.nr;
	uint32_t abi = scw_abi_from_audit(req->data.arch, &nr);
	const struct scw_abi_calls *c = calls_of(sv, abi);
	struct scw_tracee *t = scw_tracees_find(&sv->tab, (pid_t)req->pid);
	bool exec = c && ((int)nr == c->execve || (int)nr == c->execveat);

	if (!t) {
		t = scw_tracees_put(&sv->tab, (pid_t)req->pid);
		learn(sv, t);
		t->exe->procs += t->tgid == t->tid;
	} else if (t->flags & N_STALE) {
		/* After an execve: a process that ran another program (a
		 * failed execve leaves it running the same one). */
		struct scw_exe *before = t->exe;
		t->flags &= ~(unsigned)N_STALE;
		learn(sv, t);
		t->exe->procs += t->exe != before && t->tgid == t->tid;
	}
	if (t->flags & N_PREEXEC) {
		/* scwrap's child: only its execve is the workload's, under
		 * the workload's name (an OCI runtime makes it under the
		 * profile).  An execve a profile allows is not notified: a
		 * call from another executable says it happened. */
		if (exec) {
			t->flags &= ~(unsigned)N_PREEXEC;
			t->exe = sv->root_exe;
			t->exe->procs++;
		} else if (execed(sv, t)) {
			t->flags &= ~(unsigned)N_PREEXEC;
			learn(sv, t);
			t->exe->procs++;
		} else {
			return;
		}
	}
	scw_acc_hit_any_proc(sv->acc, t->exe, abi, nr, t->tgid, t->argv0);
	if (!c)
		return;
	if (sv->opts->enforce && nr < SCW_NR_MAX)
		enforce(sv, t, (unsigned)(c - sv->calls), nr, resp);
	if (exec)
		mark_stale(sv, t);
	if (((int)nr == c->prctl || (int)nr == c->seccomp) && !sv->run->own_filter_pid) {
		uint64_t args[6];
		memcpy(args, req->data.args, sizeof(args));
		if (scw_abi_calls_loads_filter(c, nr, args)) {
			sv->run->own_filter_pid = t->tgid;
			snprintf(sv->run->own_filter_exe, sizeof(sv->run->own_filter_exe), "%s",
				 t->exe->path);
		}
	}
	if (sv->opts->args && nr < SCW_NR_MAX && sv->spec[c - sv->calls][nr] >= 0) {
		uint64_t raw[6];
		memcpy(raw, req->data.args, sizeof(raw));
		if (abi == SCMP_ARCH_S390 || abi == SCMP_ARCH_S390X)
			raw[0] = req->data.args[1]; /* s390's clone: flags second */
		if ((int)nr == c->clone3)
			raw[0] = clone3_flags((pid_t)req->pid, req->data.args[0]);
		scw_args_note(sv->acc, t->exe, (unsigned)sv->spec[c - sv->calls][nr], raw);
	}
}

/* Serve the listener until every task that holds the filter is gone
 * (POLLHUP), reaping the first process when it exits. */
static int serve(struct server *sv, int pidfd, scw_error *err)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = sv->listener, .events = POLLIN},
		    {.fd = pidfd, .events = POLLIN},
		};
		int n = poll(pfd, pidfd >= 0 ? 2 : 1, -1), poll_errno = errno;

		if (__builtin_expect(scw_status_due, 0) && sv->opts->progress) {
			scw_status_due = 0;
			sv->opts->progress->update(sv->opts->progress->ctx, sv->acc, UINT32_MAX);
		}
		/* A signal passed on: to the first process by the handler
		 * while it lives, then to the rest of the tree from here. */
		if (__builtin_expect(scw_signals_forwarded != sv->sig_seen, 0)) {
			if (pidfd < 0)
				forward_tree(sv);
			else
				sv->sig_seen = scw_signals_forwarded;
		}
		if (n < 0) {
			if (poll_errno == EINTR)
				continue;
			return scw_fail(err, poll_errno, "poll");
		}
		if (pidfd >= 0 && pfd[1].revents) {
			/* The first process: its status is the run's, and
			 * its zombie would hold the filter. */
			if (waitpid(sv->root, &sv->run->wait_status, 0) == sv->root) {
				scw_signals_target(0); /* its pid is free for reuse */
				close(pidfd);
				pidfd = -1;
			}
		}
		if (pfd[0].revents & POLLIN) {
			memset(&req, 0, sizeof(req));
			if (ioctl(sv->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
				/* ENOENT: the task was killed or its call
				 * interrupted before we took it. */
				if (errno == ENOENT || errno == EINTR)
					continue;
				return scw_fail(err, errno, "cannot receive a notification");
			}
			memset(&resp, 0, sizeof(resp));
			resp.id = req.id;
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			on_notif(sv, &req, &resp);
			/* ENOENT: interrupted by a signal (SA_RESTART brings
			 * a new notification) or killed. */
			if (ioctl(sv->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0 ||
			    errno == ENOENT)
				continue;
			if (errno == EINVAL && resp.flags)
				return scw_fail(err, 0,
						"this kernel cannot let a notified call continue "
						"(SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5+)"),
				       scw_hint(err, "use the ptrace backend (-b ptrace)");
			return scw_fail(err, errno, "cannot answer a notification");
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
	char data, cbuf[CMSG_SPACE(sizeof(int))], link[64], what[64];
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
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, what, sizeof(what) - 1);
	what[n > 0 ? n : 0] = '\0';
	if (strcmp(what, "anon_inode:seccomp notify") != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether this kernel can notify and let a notified call continue. */
static int notify_prepare(scw_error *err)
{
	struct seccomp_notif_sizes sizes;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return scw_fail(err, errno,
				"this kernel has no seccomp user notification (Linux 5.0+)"),
		       scw_hint(err, "use the ptrace backend (-b ptrace)");
	if (sizes.seccomp_notif > sizeof(struct seccomp_notif) ||
	    sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp)) {
		/* The kernel's structures are larger than scwrap was built
		 * for: RECV's ioctl number would not match them. */
		return scw_fail(err, 0,
				"this kernel's seccomp notifications are newer than scwrap"),
		       scw_hint(err, "use the ptrace backend (-b ptrace)");
	}
	if (seccomp_api_get() < 5)
		return scw_fail(err, 0, "libseccomp %s cannot build notifying filters here",
				scw_libseccomp_version()),
		       scw_hint(err, "use the ptrace backend (-b ptrace)");
	return 0;
}

/* Whether the first process never made its execve: nothing of the
 * workload ran. */
static bool root_unstarted(struct server *sv)
{
	const struct scw_tracee *t = scw_tracees_find(&sv->tab, sv->root);
	return t && (t->flags & N_PREEXEC);
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
	struct server sv = {.opts = opts, .acc = acc, .run = run, .listener = -1};
	scmp_filter_ctx ctx = NULL;
	int sock[2] = {-1, -1}, errp[2] = {-1, -1}, pidfd = -1, rc = -1;
	pid_t pid;

	if (notify_prepare(err) < 0)
		return -1;
	sv.n_calls = (unsigned)scw_abi_calls_machine(sv.calls, SCW_MAX_ABIS);
	scw_tracees_init(&sv.tab, 6);
	scw_u64map_init(&sv.procs);
	sv.sweep_at = 256;
	{
		const struct scw_recfilter_opts rf = {
		    .abi = sv.calls[0].abi,
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
	if (opts->args)
		init_specs(&sv);
	for (unsigned i = 0; opts->enforce && i < sv.n_calls; i++)
		sv.deny[i] = scw_denytab_build(opts->profile, sv.calls[i].abi);
	{
		ssize_t n = readlink("/proc/self/exe", sv.self_exe, sizeof(sv.self_exe) - 1);
		sv.self_exe[n > 0 ? n : 0] = '\0';
	}
	{
		char real[PATH_MAX];
		sv.root_exe = scw_acc_exe(acc, realpath(opts->path, real) ? real : opts->path);
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
	/* Older kernels say EINVAL: the wake-up is then the usual one. */
	(void)ioctl(sv.listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
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
		struct scw_tracee *t = scw_tracees_put(&sv.tab, pid);
		t->tgid = pid;
		t->flags = N_PREEXEC;
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
	scw_tracees_free(&sv.tab);
	{
		uint64_t key, val;
		for (size_t i = 0; scw_u64map_next(&sv.procs, &i, &key, &val);)
			if (val)
				close((int)val - 1);
		scw_u64map_free(&sv.procs);
	}
	for (unsigned i = 0; i < SCW_MAX_ABIS; i++) {
		free(sv.spec[i]);
		free(sv.deny[i]);
	}
	if (ctx)
		seccomp_release(ctx);
	return rc;
}

const struct scw_backend scw_backend_notify = {
    .name = "notify",
    .summary = "seccomp user notification, each call answered CONTINUE; rootless",
    .caps = SCW_CAP_ROOTLESS | SCW_CAP_ARGS | SCW_CAP_CHECK | SCW_CAP_BASELINE_UNSEEN |
	    SCW_CAP_WORKLOAD_PTRACE,
    .prepare = notify_prepare,
    .run = notify_record,
};
