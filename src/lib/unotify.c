/* unotify.c - serving a seccomp listener: the notify backend's engine and
 * scwrap agent's.  One notification: one RECV, a bit in the accumulator,
 * one SEND; /proc is read once per thread and once per execve. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <poll.h>
#include <unistd.h>

#include "abi.h"
#include "accum.h"
#include "args.h"
#include "unotify.h"

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

static const struct scw_abi_calls *calls_of(const struct scw_unotify *sv, uint32_t abi)
{
	return scw_abi_calls_find(sv->calls, sv->n_calls, abi);
}

/* For --args: the curated spec of each (machine ABI, number). */
static void init_specs(struct scw_unotify *sv)
{
	scw_args_init(sv->acc);
	for (unsigned i = 0; i < sv->n_calls; i++)
		sv->spec[i] = scw_argspec_table(sv->calls[i].abi);
}

/* Close the pidfds of the processes that have exited. */
static void sweep_pidfds(struct scw_unotify *sv)
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

/* Keep fd, a pidfd of process pid (which waits in a notified call). */
static void keep_pidfd(struct scw_unotify *sv, pid_t pid, int fd)
{
	uint64_t *v = scw_u64map_put(&sv->procs, (uint64_t)pid, NULL);
	if (*v) {
		close((int)*v - 1);
		sv->procs_open--;
	}
	*v = (uint64_t)fd + 1;
	if (++sv->procs_open >= sv->sweep_at)
		sweep_pidfds(sv);
}

void scw_unotify_signal_all(struct scw_unotify *sv, int sig)
{
	uint64_t key, val;
	for (size_t i = 0; sig && scw_u64map_next(&sv->procs, &i, &key, &val);)
		if (val)
			syscall(SYS_pidfd_send_signal, (int)val - 1, sig, NULL, 0);
}

/* The thread group of tid, from /proc/TID/status's "Tgid:" line; tid
 * itself when it cannot be read. */
static pid_t tgid_from_status(pid_t tid)
{
	char buf[512], *p; /* Tgid is on the fourth line */
	long n;

	if (scw_proc_read(tid, "status", buf, sizeof(buf)) < 0)
		return tid;
	p = strstr(buf, "\nTgid:");
	if (!p)
		return tid;
	n = strtol(p + 6, &p, 10);
	return n > 0 && n <= INT32_MAX ? (pid_t)n : tid;
}

/* The executable a thread runs now, and its process: once per thread and
 * once per execve, never per syscall.  The thread is blocked in its
 * notified syscall, so it cannot exit under us.  A pidfd of a thread opens
 * only for a thread-group leader (EINVAL otherwise, without PIDFD_THREAD):
 * that says the tgid of most new threads, the first of every process, and
 * is the pidfd kept for it.  argv[0] is read when a call is first seen
 * (note_argv0()), not here. */
static void learn(struct scw_unotify *sv, struct scw_tracee *t)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)t->tid);
	n = readlink(link, path, sizeof(path) - 1);
	path[n > 0 ? n : 0] = '\0';
	t->exe = scw_acc_exe(sv->acc, n > 0 ? path : "(unknown)");
	t->argv0 = NULL;
	t->flags |= SCW_UN_ARGV0;
	if (!t->tgid) {
		int fd = (int)syscall(SYS_pidfd_open, t->tid, 0);
		t->tgid = fd >= 0 ? t->tid : tgid_from_status(t->tid);
		if (t->tgid == t->tid)
			sv->run->processes++;
		if (fd >= 0 && sv->pidfds)
			keep_pidfd(sv, t->tid, fd);
		else if (fd >= 0)
			close(fd);
	}
}

/* A call seen for the first time: its provenance names the argv[0] of
 * the thread's process, read now from /proc (the thread waits in the
 * call) and kept until its next execve. */
static void note_argv0(struct scw_unotify *sv, struct scw_tracee *t, uint32_t abi, uint32_t nr)
{
	int slot = scw_acc_slot(sv->acc, abi);

	if (t->flags & SCW_UN_ARGV0) {
		char argv0[256];
		t->flags &= ~(unsigned)SCW_UN_ARGV0;
		if (scw_proc_argv0(t->tid, argv0, sizeof(argv0)) == 0)
			t->argv0 = scw_acc_intern(sv->acc, argv0);
	}
	if (slot >= 0 && nr < SCW_NR_MAX)
		sv->acc->first[slot][nr].argv0 = t->argv0;
}

/* After an execve from t: its process runs another program, or, if the
 * call fails, the same one.  Its thread and the leader's are read again
 * (a non-leader that execs takes the leader's tid); the other threads
 * either end with the execve or keep running what they ran. */
static void mark_stale(struct scw_unotify *sv, struct scw_tracee *t)
{
	struct scw_tracee *leader;

	t->flags |= SCW_UN_STALE;
	if (t->tid != t->tgid && (leader = scw_tracees_find(&sv->tab, t->tgid)))
		leader->flags |= SCW_UN_STALE;
}

/* Whether scwrap's child has become another program (its execve was
 * not notified): /proc is read only for its calls before that. */
static bool execed(const struct scw_unotify *sv, const struct scw_tracee *t)
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
static void enforce(struct scw_unotify *sv, const struct scw_tracee *t, unsigned slot, uint32_t nr,
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
static void on_notif(struct scw_unotify *sv, const struct seccomp_notif *req,
		     struct seccomp_notif_resp *resp)
{
	uint32_t nr = (uint32_t)req->data.nr;
	uint32_t abi = scw_abi_from_audit(req->data.arch, &nr);
	const struct scw_abi_calls *c = calls_of(sv, abi);
	struct scw_tracee *t = scw_tracees_find(&sv->tab, (pid_t)req->pid);
	bool exec = c && ((int)nr == c->execve || (int)nr == c->execveat);
	uint64_t distinct;

	if (!t) {
		t = scw_tracees_put(&sv->tab, (pid_t)req->pid);
		learn(sv, t);
		t->exe->procs += t->tgid == t->tid;
	} else if (t->flags & SCW_UN_STALE) {
		/* After an execve: a process that ran another program (a
		 * failed execve leaves it running the same one). */
		struct scw_exe *before = t->exe;
		t->flags &= ~(unsigned)SCW_UN_STALE;
		learn(sv, t);
		t->exe->procs += t->exe != before && t->tgid == t->tid;
	}
	if (t->flags & SCW_UN_PREEXEC) {
		/* scwrap's child: only its execve is the workload's, under
		 * the workload's name (an OCI runtime makes it under the
		 * profile).  An execve a profile allows is not notified: a
		 * call from another executable says it happened. */
		if (exec) {
			t->flags &= ~(unsigned)SCW_UN_PREEXEC;
			t->exe = sv->root_exe;
			t->exe->procs++;
		} else if (execed(sv, t)) {
			t->flags &= ~(unsigned)SCW_UN_PREEXEC;
			learn(sv, t);
			t->exe->procs++;
		} else {
			return;
		}
	}
	distinct = sv->acc->distinct;
	scw_acc_hit_any_proc(sv->acc, t->exe, abi, nr, t->tgid, t->argv0);
	if (__builtin_expect(sv->acc->distinct != distinct, 0))
		note_argv0(sv, t, abi, nr);
	if (!c)
		return;
	if (sv->deny[0] && nr < SCW_NR_MAX)
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
	if (sv->args && nr < SCW_NR_MAX && sv->spec[c - sv->calls][nr] >= 0) {
		uint64_t raw[6];
		memcpy(raw, req->data.args, sizeof(raw));
		if (abi == SCMP_ARCH_S390 || abi == SCMP_ARCH_S390X)
			raw[0] = req->data.args[1]; /* s390's clone: flags second */
		if ((int)nr == c->clone3)
			raw[0] = clone3_flags((pid_t)req->pid, req->data.args[0]);
		scw_args_note(sv->acc, t->exe, (unsigned)sv->spec[c - sv->calls][nr], raw);
	}
}

/* Forget the threads that have exited (a signal 0 says ESRCH): the
 * table grows with the threads alive, not with every tid ever seen.  A
 * thread whose tid is reused after this is learnt anew. */
static void sweep_threads(struct scw_unotify *sv)
{
	struct scw_tracee *t;
	uint32_t i = 0;

	while ((t = scw_tracees_next(&sv->tab, &i)))
		if (!(t->flags & SCW_UN_PREEXEC) && syscall(SYS_tgkill, t->tgid, t->tid, 0) < 0 &&
		    errno == ESRCH) {
			scw_tracees_del(&sv->tab, t);
			i--; /* the entry after it may have moved into its slot */
		}
	sv->tab_sweep_at = sv->tab.n * 2 > SCW_UNOTIFY_SWEEP ? sv->tab.n * 2 : SCW_UNOTIFY_SWEEP;
}

int scw_unotify_serve(struct scw_unotify *sv, int listener, scw_error *err)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
		/* ENOENT: the task was killed or its call interrupted before
		 * we took it. */
		if (errno == ENOENT || errno == EINTR)
			return 0;
		return scw_fail(err, errno, "cannot receive a notification");
	}
	if (__builtin_expect(sv->tab.n >= sv->tab_sweep_at, 0))
		sweep_threads(sv);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	on_notif(sv, &req, &resp);
	/* ENOENT: interrupted by a signal (SA_RESTART brings a new
	 * notification) or killed. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0 || errno == ENOENT)
		return 1;
	if (errno == EINVAL && resp.flags)
		return scw_fail(err, 0,
				"this kernel cannot let a notified call continue "
				"(SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5+)"),
		       scw_hint(err, "use the ptrace backend (-b ptrace)");
	return scw_fail(err, errno, "cannot answer a notification");
}

void scw_unotify_init(struct scw_unotify *sv, struct scw_acc *acc, struct scw_run *run, bool args,
		      const struct scw_profile *enforce)
{
	memset(sv, 0, sizeof(*sv));
	sv->acc = acc;
	sv->run = run;
	sv->args = args;
	sv->n_calls = (unsigned)scw_abi_calls_machine(sv->calls, SCW_MAX_ABIS);
	scw_tracees_init(&sv->tab, 6);
	sv->tab_sweep_at = SCW_UNOTIFY_SWEEP;
	scw_u64map_init(&sv->procs);
	sv->sweep_at = 256;
	if (args)
		init_specs(sv);
	for (unsigned i = 0; enforce && i < sv->n_calls; i++)
		sv->deny[i] = scw_denytab_build(enforce, sv->calls[i].abi);
}

void scw_unotify_free(struct scw_unotify *sv)
{
	uint64_t key, val;

	scw_tracees_free(&sv->tab);
	for (size_t i = 0; scw_u64map_next(&sv->procs, &i, &key, &val);)
		if (val)
			close((int)val - 1);
	scw_u64map_free(&sv->procs);
	for (unsigned i = 0; i < SCW_MAX_ABIS; i++) {
		free(sv->spec[i]);
		free(sv->deny[i]);
		sv->spec[i] = NULL;
		sv->deny[i] = NULL;
	}
}

int scw_unotify_supported(scw_error *err)
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

bool scw_unotify_is_listener(int fd)
{
	char link[64], what[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, what, sizeof(what) - 1);
	what[n > 0 ? n : 0] = '\0';
	return strcmp(what, "anon_inode:seccomp notify") == 0;
}

void scw_unotify_sync_wakeup(int listener)
{
	/* Older kernels say EINVAL: the wake-up is then the usual one. */
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
}
