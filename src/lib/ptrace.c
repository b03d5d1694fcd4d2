/* ptrace.c - the ptrace backend: a SECCOMP_RET_TRACE filter, one stop per
 * syscall, the whole process tree followed.
 *
 * The filter returns SECCOMP_RET_TRACE with the syscall number in its data
 * for every native syscall libseccomp knows (the fast path: one
 * PTRACE_GETEVENTMSG), and SCW_SLOW for everything else (other ABIs, numbers
 * libseccomp does not know, and the calls whose arguments matter), which the
 * tracer decodes with PTRACE_GET_SYSCALL_INFO.  See doc/INTERNALS.md. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "abi.h"
#include "args.h"
#include "backend.h"
#include "child.h"
#include "denytab.h"
#include "ptrace-arch.h"
#include "recfilter.h"
#include "signals.h"
#include "tracees.h"
#include "util.h"

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

/* Filter data for "decode and count me": above every native number we put
 * in it. */
#define SCW_SLOW 0xffffu
/* "Decode me, the profile allows it": clone and friends, which the tracer
 * must see even where a profile lets them through. */
#define SCW_LOOK 0xfffeu
/* Native numbers, which have rules of their own, stay below the markers. */
_Static_assert(SCW_LOOK == SCW_RECFILTER_NR_LIMIT, "the filter's numbers are below SCW_LOOK");

/* struct scw_tracee flags. */
enum {
	T_PREEXEC = 1u << 0,	  /* scwrap's child before the workload's execve */
	T_NEW = 1u << 1,	  /* its initial PTRACE_EVENT_STOP is still to come */
	T_PARKED = 1u << 2,	  /* stopped before its parent's fork event: held */
	T_EXEC_PENDING = 1u << 3, /* the workload's own execve, counted at its exec */
	T_AWAIT_EXIT = 1u << 4,	  /* resumed with PTRACE_SYSCALL: its result is next */
	T_DEAD = 1u << 5,	  /* died parked: its parent's fork event is still to come */
};

/* What a denied call gets in scwrap check (enforce), per ABI and number. */
struct tracer {
	const struct scw_record_opts *opts;
	struct scw_acc *acc;
	struct scw_run *run;
	struct scw_tracees tab;
	struct scw_abi_calls calls[SCW_MAX_ABIS];
	unsigned n_calls;
	pid_t root;
	int errpipe; /* the child's exec error, CLOEXEC */
	uint32_t live_procs;
	uint32_t parked;
	bool root_done;
	sig_atomic_t sig_seen;	      /* scw_signals_forwarded, as last handled */
	bool nnp;		      /* the filter sets no_new_privs: set-id bits are ignored */
	struct scw_u64map setid_seen; /* executables checked for set-id bits, by idx */
	struct scw_deny *deny[SCW_MAX_ABIS]; /* [SCW_NR_MAX], per calls[] slot; enforce only */
	int8_t *spec[SCW_MAX_ABIS];	     /* [SCW_NR_MAX], per calls[] slot: --args spec or -1 */
};

static const struct scw_abi_calls *calls_of(const struct tracer *tr, uint32_t abi)
{
	return scw_abi_calls_find(tr->calls, tr->n_calls, abi);
}

static void restart(pid_t tid, int sig)
{
	/* ESRCH: killed meanwhile; its death is reported by waitpid. */
	ptrace(PTRACE_CONT, tid, 0L, (long)sig);
}

/* ptrace's TRACE action for native call nr: the number in the data. */
static uint32_t trace_nr(uint32_t nr)
{
	return SCMP_ACT_TRACE(nr);
}

/* The recording filter with ptrace's actions: TRACE(nr) for the native
 * calls of the fast path, TRACE(SCW_SLOW) for what is decoded and
 * counted, TRACE(SCW_LOOK) for what is decoded only. */
static int build_filter(const struct tracer *tr, scmp_filter_ctx *ctx, scw_error *err)
{
	const struct scw_recfilter_opts rf = {
	    .abi = tr->calls[0].abi,
	    .act_record = SCMP_ACT_TRACE(SCW_SLOW),
	    .act_look = SCMP_ACT_TRACE(SCW_LOOK),
	    .act_native = trace_nr,
	    .nnp = tr->nnp,
	    .profile = tr->opts->profile,
	    .args = tr->opts->args,
	    .apply_denies = tr->opts->check,
	};
	return scw_recfilter_build(&rf, ctx, err);
}

/* In the child: wait until traced, load the filter, exec.  Between the
 * filter and execve every syscall stops; the tracer ignores all but execve. */
static void __attribute__((noreturn))
child_run(const struct scw_record_opts *opts, scmp_filter_ctx ctx, int sync_fd, int err_fd)
{
	extern char **environ;
	char go;
	int rc;

	scw_signals_restore_child();
	/* EOF instead of the go byte: scwrap died before tracing us. */
	if (read(sync_fd, &go, 1) != 1)
		_exit(SCW_EXIT_FAILURE);
	close(sync_fd);
	rc = seccomp_load(ctx);
	if (rc < 0)
		scw_child_fail(err_fd, SCW_CHILD_FILTER, -rc);
	execve(opts->path, opts->argv, environ);
	scw_child_fail(err_fd, SCW_CHILD_EXEC, errno);
}

static int seize_error(int errnum, scw_error *err)
{
	int tracer = 0;
	scw_proc_status_field(0, "TracerPid", &tracer);
	scw_fail(err, errnum, "cannot trace the workload with ptrace");
	if (tracer > 0)
		return scw_hint(err,
				"scwrap is itself being traced (by pid %d); run it without a "
				"tracer, or use the audit backend (-b audit)",
				tracer);
	return scw_hint(err,
			"ptrace is forbidden here (kernel.yama.ptrace_scope=3, or a "
			"container or sandbox without ptrace); allow it, or use the audit backend "
			"(-b audit)");
}

/* The error of a child that could not start the workload, with the way
 * out when the kernel refused the recording filter. */
static int child_error_to_err(const struct scw_child_error *ce, const struct scw_record_opts *opts,
			      scw_error *err)
{
	scw_child_error_to_err(ce, "recording", opts->path, err);
	if (ce->stage != SCW_CHILD_FILTER)
		return -1;
	if (ce->errnum == EINVAL)
		return scw_hint(err, "the kernel lacks seccomp filters (CONFIG_SECCOMP_FILTER) "
				     "or SECCOMP_RET_TRACE");
	return scw_hint(err, "seccomp may be forbidden in this sandbox");
}

/* Clear CLONE_UNTRACED from a clone the tracee is making: such a child is
 * not auto-attached, yet inherits the TRACE filter, so every syscall it
 * made would fail with ENOSYS.  Returns false where this arch cannot. */
static bool clear_untraced(pid_t tid, uint32_t abi, const struct scw_abi_calls *c, uint64_t nr,
			   const uint64_t *args, uint64_t flags)
{
	if ((int)nr == c->clone3) {
		/* struct clone_args begins with the u64 flags. */
		errno = 0;
		long w = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)args[0], 0L);
		if (errno)
			return false;
		w &= ~(long)CLONE_UNTRACED;
		return ptrace(PTRACE_POKEDATA, tid, (void *)(uintptr_t)args[0], (void *)w) == 0;
	}
	return scw_ptrace_arch_set_clone_flags(tid, abi, flags & ~(uint64_t)CLONE_UNTRACED);
}

/* Whether to see the result of this occurrence: one of the first few.
 * The count was just bumped, so the first occurrence reads 1. */
static inline bool await_result(struct tracer *tr, struct scw_tracee *t, unsigned slot, uint32_t nr)
{
	if (__builtin_expect(tr->acc->counts[slot][nr] > SCW_RESULTS_FIRST, 1))
		return false;
	t->flags |= T_AWAIT_EXIT;
	t->await_slot = (uint8_t)slot;
	t->await_nr = nr;
	return true;
}

/* scwrap check: the call the profile does not allow fails as the profile
 * says: ERRNO(e) with e; kill actions kill; the others (TRAP, TRACE and
 * NOTIFY with no tracer or listener) with ENOSYS. */
static void enforce(struct tracer *tr, struct scw_tracee *t, unsigned slot, uint32_t nr)
{
	const struct scw_deny *d = &tr->deny[slot][nr];
	switch ((enum scw_action)d->action) {
	case SCW_ACT_KILL_PROCESS:
		kill(t->tgid, SIGKILL);
		return;
	case SCW_ACT_KILL_THREAD:
		syscall(SYS_tgkill, t->tgid, t->tid, SIGKILL);
		return;
	case SCW_ACT_ERRNO:
		if (!scw_ptrace_arch_skip_syscall(t->tid, tr->calls[slot].abi, -(long)d->errnum))
			tr->run->unnamed_lost++;
		return;
	case SCW_ACT_TRAP:
	case SCW_ACT_NOTIFY:
	case SCW_ACT_TRACE:
	case SCW_ACT_LOG:
	case SCW_ACT_ALLOW:
		if (!scw_ptrace_arch_skip_syscall(t->tid, tr->calls[slot].abi, -(long)ENOSYS))
			tr->run->unnamed_lost++;
		return;
	}
}

/* The slow path: any ABI, any number, and the calls whose arguments
 * matter: clone/clone3 (thread or process, CLONE_UNTRACED), prctl and
 * seccomp (a filter of the workload's own).  SCW_LOOK calls are the
 * profile's to allow: looked into, not counted. */
static bool on_seccomp_slow(struct tracer *tr, struct scw_tracee *t, bool count)
{
	int slot;
	struct __ptrace_syscall_info info;
	const struct scw_abi_calls *c;
	uint32_t nr, abi;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) < 0 ||
	    info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		tr->run->unnamed_lost++;
		return false;
	}
	nr = (uint32_t)info.seccomp.nr;
	abi = scw_abi_from_audit(info.arch, &nr);
	c = calls_of(tr, abi);
	if (t->flags & T_PREEXEC) {
		if (count && c && abi == tr->calls[0].abi && (int)nr == c->execve)
			t->flags |= T_EXEC_PENDING;
		return false;
	}
	if (c && ((int)nr == c->clone || (int)nr == c->clone3)) {
		unsigned fa = (abi == SCMP_ARCH_S390 || abi == SCMP_ARCH_S390X) ? 1 : 0;
		uint64_t flags = info.seccomp.args[fa];
		if ((int)nr == c->clone3) {
			errno = 0;
			long w = ptrace(PTRACE_PEEKDATA, t->tid,
					(void *)(uintptr_t)info.seccomp.args[0], 0L);
			flags = errno ? 0 : (uint64_t)w;
		}
		t->clone_flags = flags;
		if ((flags & CLONE_UNTRACED) &&
		    !clear_untraced(t->tid, abi, c, nr, info.seccomp.args, flags))
			tr->run->unnamed_lost++;
	}
	if (c && ((int)nr == c->prctl || (int)nr == c->seccomp) && !tr->run->own_filter_pid) {
		uint64_t args[6];
		memcpy(args, info.seccomp.args, sizeof(args));
		if (scw_abi_calls_loads_filter(c, nr, args)) {
			tr->run->own_filter_pid = t->tgid;
			snprintf(tr->run->own_filter_exe, sizeof(tr->run->own_filter_exe), "%s",
				 t->exe->path);
		}
	}
	/* Also where a profile allows it and it is not counted: the
	 * workload's own tracing fails under this backend. */
	if (c && (int)nr == c->ptrace)
		tr->run->used_ptrace = true;
	if (!count)
		return false;
	scw_acc_hit_any_proc(tr->acc, t->exe, abi, nr, t->tgid, t->argv0);
	if (tr->opts->args && c && nr < SCW_NR_MAX && tr->spec[c - tr->calls][nr] >= 0) {
		uint64_t raw[6];
		memcpy(raw, info.seccomp.args, sizeof(raw));
		if ((int)nr == c->clone || (int)nr == c->clone3)
			raw[0] = t->clone_flags; /* s390's order, clone3's memory */
		scw_args_note(tr->acc, t->exe, (unsigned)tr->spec[c - tr->calls][nr], raw);
	}
	if (tr->opts->enforce) {
		if (c && nr < SCW_NR_MAX)
			enforce(tr, t, (unsigned)(c - tr->calls), nr);
		return false;
	}
	slot = scw_acc_slot(tr->acc, abi);
	return slot >= 0 && nr < SCW_NR_MAX && await_result(tr, t, (unsigned)slot, nr);
}

/* A seccomp stop: count the call; true when the tracee is to resume with
 * PTRACE_SYSCALL, to see the result of one of a call's first occurrences
 * (a call that only ever fails with ENOSYS becomes an ENOSYS rule). */
static bool on_seccomp(struct tracer *tr, struct scw_tracee *t)
{
	unsigned long data;
	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &data) < 0)
		return false;
	if (__builtin_expect(data < SCW_LOOK && !(t->flags & T_PREEXEC), 1)) {
		scw_acc_hit_proc(tr->acc, t->exe, 0, (uint32_t)data, t->tgid, t->argv0);
		if (__builtin_expect(tr->opts->enforce, 0)) {
			enforce(tr, t, 0, (uint32_t)data);
			return false;
		}
		return await_result(tr, t, 0, (uint32_t)data);
	}
	if (data < SCW_LOOK) {
		if ((int)data == tr->calls[0].execve)
			t->flags |= T_EXEC_PENDING;
		return false;
	}
	return on_seccomp_slow(tr, t, data == SCW_SLOW);
}

/* A syscall-exit-stop after PTRACE_SYSCALL: note the result. */
static void on_syscall_exit(struct tracer *tr, struct scw_tracee *t)
{
	struct __ptrace_syscall_info info;
	t->flags &= ~T_AWAIT_EXIT;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) < 0 ||
	    info.op != PTRACE_SYSCALL_INFO_EXIT)
		return;
	scw_acc_result(tr->acc, t->await_slot, t->await_nr,
		       info.exit.is_error && info.exit.rval == -ENOSYS);
}

/* The executable a tracee runs now, from /proc (once per exec, not per
 * syscall). */
static struct scw_exe *exe_of(struct tracer *tr, pid_t tid)
{
	char link[64], path[PATH_MAX];
	ssize_t n;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)tid);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return scw_acc_exe(tr->acc, "(unknown)");
	path[n] = '\0';
	return scw_acc_exe(tr->acc, path);
}

/* A process's argv[0] from /proc (once per exec, not per syscall). */
static const char *argv0_of(struct tracer *tr, pid_t tid)
{
	char buf[256];
	return scw_proc_argv0(tid, buf, sizeof(buf)) == 0 ? scw_acc_intern(tr->acc, buf) : NULL;
}

static void release_parked(struct tracer *tr, struct scw_tracee *c, pid_t tgid, struct scw_exe *exe,
			   const char *argv0, bool thread)
{
	c->tgid = tgid;
	c->exe = exe;
	c->argv0 = argv0;
	if (!thread) {
		tr->live_procs++;
		tr->run->processes++;
		exe->procs++;
	}
	if (c->flags & T_PARKED) {
		c->flags &= ~T_PARKED;
		tr->parked--;
		restart(c->tid, 0);
	}
}

/* Whether tid is gone or a zombie (/proc/TID/stat's state), as a child
 * that died parked is until its parent, stopped at its fork event, reaps
 * it. */
static bool dead_or_zombie(pid_t tid)
{
	char buf[256], *rp;

	if (scw_proc_read(tid, "stat", buf, sizeof(buf)) < 0)
		return true;
	/* "pid (comm) S ...": comm may hold any byte, the state follows the
	 * last ')'. */
	rp = strrchr(buf, ')');
	return !rp || rp[1] != ' ' || rp[2] == 'Z' || rp[2] == 'X';
}

static void on_new_child(struct tracer *tr, struct scw_tracee *t, int event)
{
	unsigned long msg;
	pid_t child, tgid = t->tgid;
	struct scw_exe *exe = t->exe;
	const char *argv0 = t->argv0;
	bool thread = event == PTRACE_EVENT_CLONE && (t->clone_flags & CLONE_THREAD);
	struct scw_tracee *c;

	t->clone_flags = 0;
	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) < 0)
		return;
	child = (pid_t)msg;
	c = scw_tracees_find(&tr->tab, child);
	if (c && (c->flags & T_DEAD)) {
		/* The child died parked: this is its event, unless its parent
		 * was killed inside fork and the tid is a new child's now. */
		if (dead_or_zombie(child)) {
			if (!thread) {
				tr->run->processes++;
				exe->procs++;
			}
			scw_tracees_del(&tr->tab, c);
			return;
		}
		c->flags = T_NEW;
	} else if (!c) {
		c = scw_tracees_put(&tr->tab, child);
		c->flags = T_NEW;
	} else if (!(c->flags & T_PARKED)) {
		return; /* already learnt from /proc by release_orphans() */
	}
	release_parked(tr, c, thread ? tgid : child, exe, argv0, thread);
}

/* Whether a process or thread group is one the tracer follows, alive. */
static bool live_group(struct tracer *tr, pid_t tgid)
{
	const struct scw_tracee *g = scw_tracees_find(&tr->tab, tgid);
	return g && !(g->flags & (T_PARKED | T_DEAD));
}

/* A tracee stopped before we knew its parent, whose fork event will never
 * come (its parent was killed inside fork): learn it from /proc.  Called
 * on a death while some tracee is parked; one whose parent process (or,
 * for a thread, its own process) is still followed waits for the event.
 * dead_tgid: the thread group of the tracee that died. */
static void release_orphans(struct tracer *tr, pid_t dead_tgid)
{
	struct scw_tracee *c;
	for (uint32_t i = 0; tr->parked && (c = scw_tracees_next(&tr->tab, &i));) {
		int tgid = c->tid, ppid = 0;
		if (!(c->flags & T_PARKED))
			continue;
		if (scw_proc_status_field(c->tid, "Tgid", &tgid) == 0 &&
		    scw_proc_status_field(c->tid, "PPid", &ppid) == 0) {
			pid_t creator = tgid != c->tid ? tgid : ppid;
			if (creator != dead_tgid && live_group(tr, creator))
				continue;
		}
		c->flags &= ~T_NEW;
		release_parked(tr, c, tgid, exe_of(tr, c->tid), argv0_of(tr, c->tid),
			       tgid != c->tid);
		/* The table did not move: release_parked() puts nothing. */
	}
}

/* Under no_new_privs the kernel ignores set-user-ID and set-group-ID bits
 * (prctl(2)): the program runs unprivileged and may behave otherwise.
 * Noted once per executable, at its exec. */
static void note_setid(struct tracer *tr, const struct scw_exe *exe)
{
	struct scw_run *run = tr->run;
	struct stat st;
	bool added;
	size_t len;
	scw_u64map_put(&tr->setid_seen, exe->idx, &added);
	if (!added || stat(exe->path, &st) < 0 || !(st.st_mode & (S_ISUID | S_ISGID)))
		return;
	run->n_setid++;
	len = strlen(run->setid_exes);
	if (len + strlen(exe->path) + 3 < sizeof(run->setid_exes))
		snprintf(run->setid_exes + len, sizeof(run->setid_exes) - len, "%s%s",
			 len ? ", " : "", exe->path);
}

static void on_exec(struct tracer *tr, pid_t tid)
{
	unsigned long former = (unsigned long)tid;
	struct scw_tracee *t;
	struct scw_exe *exe;
	bool was_preexec;

	ptrace(PTRACE_GETEVENTMSG, tid, 0L, &former);
	if ((pid_t)former != tid) {
		/* A non-leader thread exec'd: it now has the leader's tid, and
		 * its old tid never reports an exit. */
		struct scw_tracee *old = scw_tracees_find(&tr->tab, (pid_t)former);
		if (old)
			scw_tracees_del(&tr->tab, old);
	}
	t = scw_tracees_find(&tr->tab, tid);
	if (!t) {
		t = scw_tracees_put(&tr->tab, tid);
		tr->live_procs++;
	}
	t->tgid = tid;
	t->clone_flags = 0;
	exe = exe_of(tr, tid);
	t->argv0 = argv0_of(tr, tid);
	/* procs counts processes that ran an executable: a process that
	 * execs the program it already runs is not a new one. */
	if (exe != t->exe)
		exe->procs++;
	t->exe = exe;
	if (tr->nnp)
		note_setid(tr, exe);
	was_preexec = t->flags & T_PREEXEC;
	if (t->flags & T_EXEC_PENDING) {
		/* The workload's first execve, made by scwrap's child. */
		const struct scw_abi_calls *c = &tr->calls[0];
		scw_acc_hit_proc(tr->acc, t->exe, 0, (uint32_t)c->execve, tid, t->argv0);
	}
	t->flags &= ~(T_PREEXEC | T_EXEC_PENDING);
	if (was_preexec) {
		close(tr->errpipe);
		tr->errpipe = -1;
	}
}

/* Whether signals may be forwarded to t: a process the workload runs, not
 * scwrap's child before its exec nor one still parked. */
static bool signallable(const struct scw_tracee *t)
{
	return t->tid == t->tgid && !(t->flags & (T_PARKED | T_PREEXEC));
}

/* The signal target died (the first process, then each successor): later
 * signals go to a live process of the tree, whose signal-delivery stop
 * wakes the loop to pass them to the others (forward_tree).  Never to a
 * reaped pid: the target is a tracee not yet reported dead, through a
 * pidfd where the kernel has them. */
static void retarget(struct tracer *tr)
{
	struct scw_tracee *c;
	pid_t next = 0;
	for (uint32_t i = 0; !next && (c = scw_tracees_next(&tr->tab, &i));)
		if (signallable(c))
			next = c->tgid;
	scw_signals_retarget(next);
}

/* A signal scwrap forwarded after the first process died: the target got
 * it from the handler (unless it was dying); every other live process of the tree gets it now,
 * as it would have from a shell's kill of the job. */
static void forward_tree(struct tracer *tr)
{
	struct scw_tracee *c;
	pid_t target = scw_signals_last_target();
	int sig = scw_signals_received();
	tr->sig_seen = scw_signals_forwarded;
	if (!tr->root_done || !sig)
		return;
	for (uint32_t i = 0; (c = scw_tracees_next(&tr->tab, &i));)
		if (signallable(c) && c->tgid != target)
			kill(c->tgid, sig);
}

static int on_death(struct tracer *tr, pid_t tid, int status, scw_error *err)
{
	struct scw_tracee *t = scw_tracees_find(&tr->tab, tid);
	pid_t dead_tgid = 0;
	if (tid == tr->root) {
		tr->run->wait_status = status;
		tr->root_done = true;
	}
	if (!t) {
		/* A child killed before its first stop and its parent's fork
		 * event: that event must not bring it back either. */
		if (tid != tr->root)
			scw_tracees_put(&tr->tab, tid)->flags = T_DEAD;
		return 0;
	}
	if (t->flags & T_PREEXEC) {
		struct scw_child_error ce = {SCW_CHILD_SYNC, 0};
		bool got = scw_child_read(tr->errpipe, &ce);
		scw_tracees_del(&tr->tab, t);
		if (got)
			return child_error_to_err(&ce, tr->opts, err);
		if (WIFSIGNALED(status))
			return scw_fail_unstarted(WTERMSIG(status), err);
		return scw_fail(err, 0, "the workload died before it started");
	}
	if (t->flags & T_DEAD)
		return 0;
	if (t->flags & T_PARKED) {
		/* Its parent's fork event is still to come: keep the entry,
		 * marked dead, for that event to find, or it would bring the
		 * child back as a live process that never exits. */
		tr->parked--;
		t->flags = T_DEAD;
		goto orphans;
	}
	dead_tgid = t->tgid;
	if (t->tid == t->tgid && tr->live_procs > 0)
		tr->live_procs--;
	scw_tracees_del(&tr->tab, t);
	if (tid == scw_signals_target_pid())
		retarget(tr);
orphans:
	if (__builtin_expect(tr->parked != 0, 0))
		release_orphans(tr, dead_tgid);
	return 0;
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static int trace_loop(struct tracer *tr, scw_error *err)
{
	int status;
	for (;;) {
		pid_t tid;
		struct scw_tracee *t;
		int sig, event;

		if (__builtin_expect(scw_status_due, 0)) {
			scw_status_due = 0;
			tr->opts->progress->update(tr->opts->progress->ctx, tr->acc,
						   tr->live_procs);
		}
		if (__builtin_expect(scw_signals_forwarded != tr->sig_seen, 0))
			forward_tree(tr);
		tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return 0;
			return scw_fail(err, errno, "waitpid");
		}
		if (__builtin_expect(!WIFSTOPPED(status), 0)) {
			if (on_death(tr, tid, status, err) < 0)
				return -1;
			continue;
		}
		t = scw_tracees_find(&tr->tab, tid);
		if (__builtin_expect(!t || (t->flags & T_DEAD), 0)) {
			/* A new child whose parent's fork event is still to
			 * come: hold it until we know whose it is.  (A dead
			 * entry of its tid was a child whose parent died inside
			 * fork: no event will claim it.) */
			if (!t)
				t = scw_tracees_put(&tr->tab, tid);
			t->flags = T_PARKED;
			tr->parked++;
			continue;
		}
		sig = WSTOPSIG(status);
		event = (int)((unsigned)status >> 16);
		switch (event) {
		case PTRACE_EVENT_SECCOMP:
			if (on_seccomp(tr, t))
				ptrace(PTRACE_SYSCALL, tid, 0L, 0L);
			else
				restart(tid, 0);
			break;
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			on_new_child(tr, t, event);
			restart(tid, 0);
			break;
		case PTRACE_EVENT_EXEC:
			on_exec(tr, tid);
			restart(tid, 0);
			break;
		case PTRACE_EVENT_STOP:
			if (t->flags & T_NEW) {
				t->flags &= ~T_NEW;
				restart(tid, 0);
			} else if (is_stop_signal(sig)) {
				/* A group-stop: stay stopped until SIGCONT, as
				 * job control expects. */
				if (ptrace(PTRACE_LISTEN, tid, 0L, 0L) < 0 && errno != ESRCH)
					/* Never left in a ptrace stop for good: run
					 * on, job control lost rather than a hang. */
					restart(tid, 0);
			} else {
				restart(tid, 0);
			}
			break;
		case 0:
			if (sig == (SIGTRAP | 0x80)) {
				/* A syscall-exit-stop (PTRACE_O_TRACESYSGOOD);
				 * after an exec from a thread, it may reach the
				 * leader's entry, which awaited nothing. */
				if (t->flags & T_AWAIT_EXIT)
					on_syscall_exit(tr, t);
				restart(tid, 0);
				break;
			}
			/* Signal-delivery stop: deliver it. */
			restart(tid, sig);
			break;
		default:
			restart(tid, 0);
			break;
		}
	}
}

/* For --args: the curated spec of each (machine ABI, number). */
static void init_specs(struct tracer *tr)
{
	scw_args_init(tr->acc);
	for (unsigned i = 0; i < tr->n_calls; i++)
		tr->spec[i] = scw_argspec_table(tr->calls[i].abi);
}

/* For scwrap check: what each call the profile does not allow gets, per
 * machine ABI and number. */
static void init_deny(struct tracer *tr, const struct scw_profile *p)
{
	for (unsigned i = 0; i < tr->n_calls; i++)
		tr->deny[i] = scw_denytab_build(p, tr->calls[i].abi);
}

static int ptrace_record(const struct scw_record_opts *opts, struct scw_acc *acc,
			 struct scw_run *run, scw_error *err)
{
	struct tracer tr = {.opts = opts, .acc = acc, .run = run, .errpipe = -1};
	scmp_filter_ctx ctx = NULL;
	int sync[2] = {-1, -1}, errp[2] = {-1, -1};
	const long opts_mask = PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD |
			       PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			       PTRACE_O_TRACEEXEC;
	pid_t pid;
	int rc = -1;

	tr.n_calls = (unsigned)scw_abi_calls_machine(tr.calls, SCW_MAX_ABIS);
	scw_tracees_init(&tr.tab, 6);
	scw_u64map_init(&tr.setid_seen);
	/* NO_NEW_PRIVS lets an unprivileged user load the filter; with
	 * CAP_SYS_ADMIN it is skipped so setuid programs behave as usual. */
	tr.nnp = !scw_has_cap(CAP_SYS_ADMIN);
	if (build_filter(&tr, &ctx, err) < 0)
		goto out;
	if (opts->args)
		init_specs(&tr);
	if (opts->enforce)
		init_deny(&tr, opts->profile);
	if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		scw_fail(err, errno, "pipe");
		goto out;
	}
	scw_signals_hold();
	pid = fork();
	if (pid < 0) {
		scw_fail(err, errno, "cannot fork");
		goto out;
	}
	if (pid == 0) {
		close(sync[1]);
		close(errp[0]);
		child_run(opts, ctx, sync[0], errp[1]);
	}
	close(sync[0]);
	close(errp[1]);
	sync[0] = errp[1] = -1;
	tr.errpipe = errp[0];
	errp[0] = -1;
	tr.root = pid;

	if (ptrace(PTRACE_SEIZE, pid, 0L, opts_mask) < 0) {
		int errnum = errno, st = 0;
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		/* The terminal's signal reached the child before the seize. */
		if (errnum == ESRCH && WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL)
			scw_fail_unstarted(WTERMSIG(st), err);
		else
			seize_error(errnum, err);
		goto out;
	}
	{
		struct scw_tracee *t = scw_tracees_put(&tr.tab, pid);
		t->tgid = pid;
		t->flags = T_PREEXEC;
	}
	tr.live_procs = 1;
	run->processes = 1;
	scw_signals_target(pid);
	if (opts->progress)
		scw_signals_status_timer(250);
	if (write(sync[1], "g", 1) != 1) {
		scw_fail(err, errno, "cannot start the workload");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	close(sync[1]);
	sync[1] = -1;

	rc = trace_loop(&tr, err);
	for (unsigned i = 0; i < acc->n_abis; i++) {
		const struct scw_abi_calls *c = calls_of(&tr, acc->abis[i]);
		if (c && c->ptrace >= 0 && acc->counts[i][c->ptrace])
			run->used_ptrace = true;
	}
	if (opts->progress) {
		scw_signals_status_timer(0);
		opts->progress->done(opts->progress->ctx);
	}
	/* The tree is reaped and its pids free for reuse: forward no more. */
	scw_signals_target(0);
	run->forwarded_signal = scw_signals_received();
out:
	/* Also on the way out of a failed start: no longer held. */
	scw_signals_target(0);
	for (int i = 0; i < 2; i++) {
		if (sync[i] >= 0)
			close(sync[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (tr.errpipe >= 0)
		close(tr.errpipe);
	scw_tracees_free(&tr.tab);
	scw_u64map_free(&tr.setid_seen);
	for (unsigned i = 0; i < SCW_MAX_ABIS; i++) {
		free(tr.deny[i]);
		free(tr.spec[i]);
	}
	if (ctx)
		seccomp_release(ctx);
	return rc;
}

const struct scw_backend scw_backend_ptrace = {
    .name = "ptrace",
    .summary = "seccomp SECCOMP_RET_TRACE + ptrace; rootless",
    .caps =
	SCW_CAP_ROOTLESS | SCW_CAP_ARGS | SCW_CAP_CHECK | SCW_CAP_RESULTS | SCW_CAP_BASELINE_UNSEEN,
    .run = ptrace_record,
};
