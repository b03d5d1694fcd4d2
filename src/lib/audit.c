/* audit.c - the audit backend: the workload runs under an SCMP_ACT_LOG
 * filter, never slowed by a tracer (it may use ptrace itself), and the
 * kernel's SECCOMP records are read back as they come.
 *
 * Process layout:
 *   scwrap ── C (session leader: own audit session, subreaper) ── W (workload)
 * C writes its loginuid, which gives it a fresh audit session id (ses=),
 * inherited by all of W's tree: records are attributed by session, exactly,
 * whatever else runs on the machine.  When C has reaped the whole tree it
 * makes one logged "marker" syscall.  The kernel queues audit records in
 * order, so once scwrap has read the marker it has every record of the run:
 * no sleep, no guess.  See doc/INTERNALS.md. */
#include <config.h>

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <libaudit.h>
#include <limits.h>
#include <linux/netlink.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "abi.h"
#include "auditlog.h"
#include "backend.h"
#include "child.h"
#include "signals.h"
#include "util.h"

#ifndef AUDIT_NLGRP_READLOG
#define AUDIT_NLGRP_READLOG 1
#endif

/* How long records may stop arriving, once the workload is done, before
 * the end marker is taken as lost. */
#define MARKER_PATIENCE_MS 30000

enum msg_kind { MSG_STARTED = 1, MSG_FAILED, MSG_DONE };

/* What C and W tell scwrap, one write each (atomic: < PIPE_BUF). */
struct msg {
	int kind;
	/* STARTED: W's pid, session known; FAILED: stage, errno (child.h);
	 * DONE: W's status */
	int a, b;
	uint32_t ses;
};

struct live {
	const struct scw_record_opts *opts;
	struct scw_run *run;
	struct scw_audit_reader *rd;
	struct scw_audit_rec rec; /* the record being decoded */
	struct scw_audit_filter filter;
	/* the source: netlink socket, or auditd's log followed with inotify */
	bool netlink;
	int fd, ino_fd;
	char *log_path;
	ino_t log_ino;
	char *buf;
	size_t have, size;
	/* the run */
	pid_t c_pid, w_pid;
	bool by_session, started, done, marker;
	struct msg failed;
	struct scw_u64map tree; /* pid -> 1 ours, 2 not: the fallback attribution */
	char self_exe[PATH_MAX];
	uint64_t nl_overruns;
};

static bool file_has_word(const char *path, const char *word)
{
	char buf[512];
	bool found = false;
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fscanf(f, "%511s", buf) == 1)
		found = strcmp(buf, word) == 0;
	fclose(f);
	return found;
}

static bool auditd_running(void)
{
	FILE *f = fopen("/run/auditd.pid", "re");
	int pid = 0;
	if (!f)
		f = fopen("/var/run/auditd.pid", "re");
	if (!f)
		return false;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/* The kernel's audit status (AUDIT_GET; needs CAP_AUDIT_CONTROL): its
 * count of lost records, and whether auditing is enabled. */
static int audit_status(uint32_t *lost, uint32_t *enabled)
{
	struct audit_reply rep;
	int fd = audit_open(), rc = -1;
	if (fd < 0)
		return -1;
	if (audit_request_status(fd) > 0) {
		for (int i = 0; i < 8; i++) {
			if (audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0) <= 0)
				break;
			if (rep.type == AUDIT_GET) {
				*lost = rep.status->lost;
				if (enabled)
					*enabled = rep.status->enabled;
				rc = 0;
				break;
			}
		}
	}
	audit_close(fd);
	return rc;
}

static int audit_lost_count(uint32_t *lost)
{
	return audit_status(lost, NULL);
}

static int open_netlink(struct live *l, scw_error *err)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
				 .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1)};
	int size = 8 << 20;
	l->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
	if (l->fd < 0)
		return scw_fail(err, errno, "cannot open the kernel's audit socket");
	if (bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		scw_fail(err, e,
			 "auditd is not running, and scwrap cannot read the kernel's audit "
			 "records itself");
		return scw_hint(
		    err, "start auditd (as root: auditd, or systemctl start auditd), or give "
			 "scwrap CAP_AUDIT_READ");
	}
	/* A large buffer: a burst of records must not overrun it. */
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	l->netlink = true;
	return 0;
}

static int open_log(struct live *l, scw_error *err)
{
	cleanup_free char *dir = NULL;
	struct stat st;
	char *slash;

	l->log_path = scw_audit_log_file();
	l->fd = open(l->log_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (l->fd < 0) {
		scw_fail(err, errno, "cannot read auditd's log %s", l->log_path);
		return scw_hint(err, "run scwrap as root, or as a member of auditd's log_group");
	}
	if (fstat(l->fd, &st) < 0 || lseek(l->fd, 0, SEEK_END) < 0)
		return scw_fail(err, errno, "cannot read auditd's log %s", l->log_path);
	l->log_ino = st.st_ino;
	dir = scw_xstrdup(l->log_path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	l->ino_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (l->ino_fd < 0 ||
	    inotify_add_watch(l->ino_fd, slash ? dir : ".",
			      IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM) < 0)
		return scw_fail(err, errno, "cannot watch auditd's log %s", l->log_path);
	return 0;
}

/* Whether a record belongs to the run, in the fallback without a session:
 * its process descends from W (C is a subreaper, so the whole tree hangs
 * below it).  /proc is read once per new process, not per record. */
static bool in_tree(struct live *l, pid_t pid)
{
	uint64_t *known = scw_u64map_get(&l->tree, (uint64_t)pid);
	pid_t p = pid;
	bool ours = false;
	if (known)
		return *known == 1;
	for (int depth = 0; depth < 64 && p > 1; depth++) {
		int ppid = 0;
		uint64_t *k = scw_u64map_get(&l->tree, (uint64_t)p);
		if (p == l->w_pid || (k && *k == 1)) {
			ours = true;
			break;
		}
		if (p == l->c_pid)
			break;
		/* Gone, or no PPid: not ours, as a parent of 0 says. */
		if (scw_proc_status_field(p, "PPid", &ppid) < 0)
			break;
		p = ppid;
	}
	*scw_u64map_put(&l->tree, (uint64_t)pid, NULL) = ours ? 1 : 2;
	return ours;
}

static void on_record(struct live *l, struct scw_audit_rec *r)
{
	if (r->type != SCW_REC_SECCOMP)
		return;
	if (r->pid == l->c_pid) {
		/* C's only logged call: every record of the run is in. */
		if (!l->by_session || r->ses == l->filter.ses)
			l->marker = true;
		return;
	}
	if (l->by_session ? (!(r->fields & F_SES) || r->ses != l->filter.ses) : !in_tree(l, r->pid))
		return;
	if (r->pid == l->w_pid && strcmp(r->exe, l->self_exe) == 0) {
		/* W before its execve is still scwrap's image: only the execve
		 * itself is the workload's. */
		uint32_t nr = r->nr, abi = scw_abi_from_audit(r->arch, &nr);
		if (abi != scw_abi_native() || (int)nr != scw_syscall_nr(abi, "execve"))
			return;
		r->exe_len = strlen(l->opts->path);
		if (r->exe_len >= sizeof(r->exe_buf))
			return;
		memcpy(r->exe_buf, l->opts->path, r->exe_len + 1);
		r->exe = r->exe_buf;
	}
	scw_audit_reader_record(l->rd, r);
}

/* SECCOMP records read so far; or, with matched, those of the run. */
static uint64_t records_read(const struct live *l, bool matched)
{
	struct scw_audit_stats st;
	scw_audit_reader_stats(l->rd, &st);
	return matched ? st.matched : st.seccomp;
}

static void on_line(struct live *l, const char *p, size_t len)
{
	if (scw_audit_parse(p, len, &l->rec) == SCW_AUDIT_RECORD)
		on_record(l, &l->rec);
}

/* Read what auditd appended; follow a rotation to the new file. */
static int drain_log(struct live *l, scw_error *err)
{
	char ev[4096];
	struct stat st;
	while (read(l->ino_fd, ev, sizeof(ev)) > 0)
		;
	for (;;) {
		ssize_t n = read(l->fd, l->buf + l->have, l->size - l->have);
		char *p, *end, *nl;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return scw_fail(err, errno, "cannot read auditd's log %s", l->log_path);
		if (n == 0) {
			int fd;
			if (stat(l->log_path, &st) < 0 || st.st_ino == l->log_ino)
				return 0;
			/* Rotated: the old file is read to its end; go on with the
			 * new one from its start. */
			fd = open(l->log_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
			if (fd < 0)
				return 0; /* not created yet: the next event */
			close(l->fd);
			l->fd = fd;
			l->log_ino = st.st_ino;
			l->have = 0;
			continue;
		}
		p = l->buf;
		end = l->buf + l->have + n;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			on_line(l, p, (size_t)(nl - p));
			p = nl + 1;
		}
		l->have = (size_t)(end - p);
		if (l->have == l->size)
			l->have = 0; /* an over-long line: not a record */
		memmove(l->buf, p, l->have);
	}
}

static int drain_netlink(struct live *l, scw_error *err)
{
	for (;;) {
		ssize_t n = recv(l->fd, l->buf, l->size, 0);
		struct nlmsghdr *nh;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			if (errno == ENOBUFS) {
				/* The socket overran: records were dropped. */
				l->nl_overruns++;
				continue;
			}
			return scw_fail(err, errno, "cannot read the kernel's audit records");
		}
		/* One record per datagram; nlmsg_len is trusted only within n. */
		int len = (int)n;
		for (nh = (struct nlmsghdr *)l->buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			enum scw_audit_type type;
			size_t body = nh->nlmsg_len - NLMSG_HDRLEN;
			if (nh->nlmsg_type == AUDIT_SECCOMP)
				type = SCW_REC_SECCOMP;
			else if (nh->nlmsg_type == AUDIT_SYSCALL)
				type = SCW_REC_SYSCALL;
			else
				continue;
			if (scw_audit_parse_body(type, NLMSG_DATA(nh), body, &l->rec) ==
			    SCW_AUDIT_RECORD)
				on_record(l, &l->rec);
		}
	}
}

static void send_msg(int fd, int kind, int a, int b, uint32_t ses)
{
	struct msg m = {kind, a, b, ses};
	(void)!write(fd, &m, sizeof(m));
}

/* In C: whether pid descends from C (a subreaper: the whole tree hangs
 * below it), by its PPid chain. */
static bool descends_from_self(pid_t pid)
{
	pid_t self = getpid(), p = pid;
	for (int depth = 0; depth < 64 && p > 1; depth++) {
		int ppid = 0;
		if (scw_proc_status_field(p, "PPid", &ppid) < 0)
			return false;
		if (ppid == self)
			return true;
		p = ppid;
	}
	return false;
}

/* In C, once W is reaped: sig to every process left of the tree (daemons
 * W started).  Each through a pidfd opened before its ancestry is read, so
 * a process reaped meanwhile, its pid reused by a stranger, is never hit. */
static void forward_tree(int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		int pfd = -1;
		if (*end || pid <= 1 || pid == getpid())
			continue;
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
		pfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
		if (pfd < 0 && errno != ENOSYS)
			continue; /* gone */
#endif
		if (descends_from_self((pid_t)pid)) {
#if defined(SYS_pidfd_send_signal)
			if (pfd >= 0)
				syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0);
			else
#endif
				kill((pid_t)pid, sig);
		}
		if (pfd >= 0)
			close(pfd);
	}
	closedir(d);
}

/* C: take a fresh audit session, start W, reap the whole tree, then make
 * the marker call.  Signals are taken with sigwaitinfo, with SIGCHLD: one
 * scwrap forwards goes to W while C has not reaped it (C's own child: its
 * pid cannot be reused before), then to what is left of the tree. */
static void __attribute__((noreturn))
leader_run(const struct scw_record_opts *opts, scmp_filter_ctx workload, scmp_filter_ctx marker,
	   int fd)
{
	extern char **environ;
	char buf[32];
	uint32_t ses = SCW_AUDIT_UNSET;
	int lfd, st, w_status = 0;
	pid_t w, p, scwrap = getppid();
	bool w_live = true;
	sigset_t set;

	static const int job_control[] = {SIGTSTP, SIGTTIN, SIGTTOU};
	struct sigaction saved_jc[SCW_ARRAY_SIZE(job_control)];

	/* C must outlive the workload to make the marker: the terminal's
	 * signals are the workload's (W gets their dispositions back), scwrap's
	 * own are taken below. */
	for (size_t i = 0; i < SCW_ARRAY_SIZE(job_control); i++) {
		sigaction(job_control[i], NULL, &saved_jc[i]);
		signal(job_control[i], SIG_IGN);
	}
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	snprintf(buf, sizeof(buf), "%u", (unsigned)getuid());
	lfd = open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
	if (lfd >= 0 && write(lfd, buf, strlen(buf)) == (ssize_t)strlen(buf)) {
		FILE *f = fopen("/proc/self/sessionid", "re");
		if (!f || fscanf(f, "%u", &ses) != 1)
			ses = SCW_AUDIT_UNSET;
		if (f)
			fclose(f);
	}
	if (lfd >= 0)
		close(lfd);
	/* Without it an orphan of the tree goes to init: ECHILD would no
	 * longer mean the tree is gone, and the marker could come before the
	 * records of a daemon still running. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) < 0) {
		send_msg(fd, MSG_FAILED, SCW_CHILD_SUBREAPER, errno, 0);
		_exit(SCW_EXIT_FAILURE);
	}

	w = fork();
	if (w < 0) {
		send_msg(fd, MSG_FAILED, SCW_CHILD_EXEC, errno, 0);
		_exit(SCW_EXIT_FAILURE);
	}
	if (w == 0) {
		int rc;
		scw_signals_restore_child();
		for (size_t i = 0; i < SCW_ARRAY_SIZE(job_control); i++)
			sigaction(job_control[i], &saved_jc[i], NULL);
		rc = seccomp_load(workload);
		if (rc < 0) {
			send_msg(fd, MSG_FAILED, SCW_CHILD_FILTER, -rc, 0);
			_exit(SCW_EXIT_FAILURE);
		}
		execve(opts->path, opts->argv, environ);
		send_msg(fd, MSG_FAILED, SCW_CHILD_EXEC, errno, 0);
		_exit(SCW_EXIT_FAILURE);
	}
	send_msg(fd, MSG_STARTED, (int)w, ses != SCW_AUDIT_UNSET, ses);
	/* A subreaper: every orphan of the tree comes back here, so ECHILD
	 * means the whole tree is gone. */
	for (;;) {
		siginfo_t si;
		while ((p = waitpid(-1, &st, WNOHANG)) > 0)
			if (p == w) {
				w_status = st;
				w_live = false;
			}
		if (p < 0 && errno == ECHILD)
			break;
		if (sigwaitinfo(&set, &si) < 0 || si.si_signo == SIGCHLD)
			continue;
		/* Only what scwrap passes on: the terminal's reach the tree
		 * by themselves. */
		if (si.si_code != SI_USER || si.si_pid != scwrap)
			continue;
		if (w_live)
			kill(w, si.si_signo);
		else
			forward_tree(si.si_signo);
	}
	if (seccomp_load(marker) == 0)
		syscall(SYS_getppid);
	send_msg(fd, MSG_DONE, w_status, 0, 0);
	_exit(0);
}

static int build_filters(scmp_filter_ctx *workload, scmp_filter_ctx *marker, scw_error *err)
{
	bool nnp = !scw_has_cap(CAP_SYS_ADMIN);
	int rc;
	*workload = seccomp_init(SCMP_ACT_LOG);
	*marker = seccomp_init(SCMP_ACT_ALLOW);
	if (!*workload || !*marker)
		return scw_fail(err, ENOMEM, "cannot build the logging filter");
	/* Every ABI the kernel runs is logged: the bad-arch action too. */
	rc = seccomp_attr_set(*workload, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_LOG);
	if (rc == 0)
		rc = seccomp_attr_set(*workload, SCMP_FLTATR_CTL_NNP, nnp);
	if (rc == 0)
		rc = seccomp_attr_set(*marker, SCMP_FLTATR_CTL_NNP, nnp);
	if (rc == 0)
		rc = seccomp_rule_add(*marker, SCMP_ACT_LOG, SCMP_SYS(getppid), 0);
	if (rc < 0)
		return scw_fail(err, -rc, "cannot build the logging filter");
	return 0;
}

static int read_msgs(struct live *l, int fd)
{
	struct msg m;
	ssize_t n;
	while ((n = read(fd, &m, sizeof(m))) == (ssize_t)sizeof(m)) {
		switch (m.kind) {
		case MSG_FAILED:
			l->failed = m;
			break;
		case MSG_DONE:
			l->run->wait_status = m.a;
			l->done = true;
			break;
		default:
			break;
		}
	}
	if (n == 0 && !l->done) {
		/* C died without a word (killed): its marker will not come. */
		l->done = true;
		l->marker = true;
		l->run->wait_status = W_EXITCODE(SCW_EXIT_FAILURE, 0);
	}
	return 0;
}

/* C's first word: W started, or C could not start it.  W's own failure
 * (its filter, its execve) goes to the same pipe and may come before C's
 * MSG_STARTED, which C writes after fork returns: it is kept, and C's word
 * is still awaited (C writes it at once, or exits: end of file). */
static int read_first_msg(struct live *l, int fd, scw_error *err)
{
	struct msg m;
	ssize_t n;
	for (;;) {
		do
			n = read(fd, &m, sizeof(m));
		while (n < 0 && errno == EINTR);
		if (n == 0 && l->failed.kind == MSG_FAILED)
			return 0; /* C's own failure: it exited */
		if (n != (ssize_t)sizeof(m))
			return scw_fail(err, n < 0 ? errno : 0,
					"the audit session helper died before the "
					"workload started");
		if (m.kind == MSG_STARTED)
			break;
		if (m.kind == MSG_FAILED)
			l->failed = m;
	}
	l->w_pid = m.a;
	l->by_session = m.b != 0;
	l->filter.ses = m.ses;
	l->started = true;
	/* To C, which passes them on to W, or once W is gone to what is left
	 * of its tree: C is scwrap's child, reaped last, so its pid is never
	 * another process's. */
	scw_signals_target(l->c_pid);
	return 0;
}

/* Whether this kernel logs SCMP_ACT_LOG actions, before anything runs. */
static int audit_prepare(scw_error *err)
{
	if (!file_has_word("/proc/sys/kernel/seccomp/actions_avail", "log"))
		return scw_fail(err, 0,
				"this kernel cannot log syscalls (no \"log\" in "
				"/proc/sys/kernel/seccomp/actions_avail)"),
		       scw_hint(err, "use the ptrace backend (-b ptrace)");
	if (!file_has_word("/proc/sys/kernel/seccomp/actions_logged", "log"))
		return scw_fail(err, 0, "the kernel does not log SCMP_ACT_LOG actions"),
		       scw_hint(err,
				"enable them: echo log >> /proc/sys/kernel/seccomp/actions_logged "
				"(as root)");
	return 0;
}

static int audit_record(const struct scw_record_opts *opts, struct scw_acc *acc,
			struct scw_run *run, scw_error *err)
{
	struct live l = {.opts = opts, .run = run, .fd = -1, .ino_fd = -1};
	scmp_filter_ctx workload = NULL, marker = NULL;
	uint32_t lost_before = 0, lost_after = 0;
	bool lost_known;
	int pipefd[2] = {-1, -1}, rc = -1;
	uint64_t idle_since = 0;
	const char *source;
	bool use_log;
	ssize_t n;

	if (audit_prepare(err) < 0) /* for a caller that did not */
		return -1;

	n = readlink("/proc/self/exe", l.self_exe, sizeof(l.self_exe) - 1);
	l.self_exe[n > 0 ? n : 0] = '\0';

	/* The source is open before anything runs: no record can be missed.
	 * auditd's log when auditd runs, else the kernel's multicast group;
	 * SCWRAP_AUDIT_SOURCE=log|netlink chooses. */
	source = getenv("SCWRAP_AUDIT_SOURCE");
	if (source && strcmp(source, "log") != 0 && strcmp(source, "netlink") != 0) {
		scw_fail(err, 0, "SCWRAP_AUDIT_SOURCE is '%s'", source);
		scw_hint(err, "set it to log or netlink, or unset it");
		goto out;
	}
	use_log = source ? strcmp(source, "log") == 0 : auditd_running();
	if ((use_log ? open_log(&l, err) : open_netlink(&l, err)) < 0)
		goto out;
	l.size = (size_t)1 << 20;
	l.buf = scw_xmalloc(l.size);
	scw_u64map_init(&l.tree);
	l.rd = scw_audit_reader_new(&l.filter, acc, false);
	l.rec.want_syscall = scw_audit_reader_wants_syscall(l.rd);
	{
		uint32_t enabled = 1;
		lost_known = audit_status(&lost_before, &enabled) == 0;
		if (lost_known && enabled == 0) {
			/* With auditing off the kernel logs no SECCOMP record. */
			scw_fail(err, 0, "kernel auditing is disabled: no syscall would be logged");
			scw_hint(err, "enable it with auditctl -e 1 (as root)");
			goto out;
		}
	}
	if (build_filters(&workload, &marker, err) < 0)
		goto out;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		scw_fail(err, errno, "pipe");
		goto out;
	}
	scw_signals_hold();
	l.c_pid = fork();
	if (l.c_pid < 0) {
		scw_fail(err, errno, "cannot fork");
		goto out;
	}
	if (l.c_pid == 0) {
		close(pipefd[0]);
		leader_run(opts, workload, marker, pipefd[1]);
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	/* No record is read before C has said which session is the run's:
	 * judged without it, the first records would be dropped. */
	if (read_first_msg(&l, pipefd[0], err) < 0)
		goto out;
	/* Blocking, read_msgs would wait for C's last word with records
	 * unread. */
	if (fcntl(pipefd[0], F_SETFL, O_NONBLOCK) < 0) {
		scw_fail(err, errno, "cannot read the audit session helper's pipe");
		kill(l.c_pid, SIGKILL);
		waitpid(l.c_pid, NULL, 0);
		goto out;
	}
	if (opts->progress)
		scw_signals_status_timer(250);

	while (!(l.done && l.marker)) {
		struct pollfd pfd[2] = {
		    {.fd = l.netlink ? l.fd : l.ino_fd, .events = POLLIN},
		    {.fd = l.done ? -1 : pipefd[0], .events = POLLIN},
		};
		uint64_t before = records_read(&l, false);
		int pr = poll(pfd, 2, l.done ? 200 : 1000);
		if (pr < 0 && errno != EINTR) {
			scw_fail(err, errno, "poll");
			goto out;
		}
		if (scw_status_due && opts->progress) {
			scw_status_due = 0;
			opts->progress->update(opts->progress->ctx, acc, UINT32_MAX);
		}
		if (pfd[1].revents)
			read_msgs(&l, pipefd[0]);
		/* Read even without a wake-up: a log append can race the watch. */
		if ((l.netlink ? drain_netlink(&l, err) : drain_log(&l, err)) < 0)
			goto out;
		if (!l.done || l.marker)
			continue;
		if (records_read(&l, false) != before || !idle_since) {
			idle_since = scw_now_ns();
		} else {
			/* The marker is late.  Once the kernel says it lost
			 * records, it may have been one of them: wait less. */
			uint64_t patience = MARKER_PATIENCE_MS;
			uint32_t lost_now;
			if (lost_known && audit_lost_count(&lost_now) == 0 &&
			    lost_now != lost_before)
				patience = 2000;
			if (scw_now_ns() - idle_since > patience * 1000000) {
				run->lost_records++; /* the marker itself, at least */
				break;
			}
		}
	}
	if (opts->progress) {
		scw_signals_status_timer(0);
		opts->progress->done(opts->progress->ctx);
	}
	/* C is reaped next: forward no more. */
	scw_signals_target(0);
	waitpid(l.c_pid, NULL, 0);
	run->forwarded_signal = scw_signals_received();
	/* Killed before its execve (a signal that came as it started): the
	 * execve is W's first logged call, so nothing of the workload's ran. */
	if (l.failed.kind != MSG_FAILED && records_read(&l, true) == 0 &&
	    WIFSIGNALED(run->wait_status)) {
		scw_fail_unstarted(WTERMSIG(run->wait_status), err);
		goto out;
	}
	if (l.failed.kind == MSG_FAILED) {
		const struct scw_child_error ce = {l.failed.a, l.failed.b};
		scw_child_error_to_err(&ce, "logging", opts->path, err);
		goto out;
	}
	if (lost_known && audit_lost_count(&lost_after) == 0) {
		if (lost_after >= lost_before) {
			run->lost_records += lost_after - lost_before;
		} else {
			/* The counter went back: reset during the run (auditctl
			 * --reset-lost).  What it says now was lost at least; what
			 * was lost before the reset is unknown. */
			run->lost_records += lost_after;
			run->loss_unknown = true;
			run->lost_reset = true;
		}
	} else {
		run->loss_unknown = true;
	}
	run->lost_records += l.nl_overruns;
	scw_audit_reader_run(l.rd, run);
	if (l.by_session)
		snprintf(run->method, sizeof(run->method), "audit session %u, records from %s",
			 l.filter.ses, l.netlink ? "the kernel's audit socket" : l.log_path);
	else
		snprintf(run->method, sizeof(run->method),
			 "process tree (no audit session could be made; short-lived processes may "
			 "be missed), records from %s",
			 l.netlink ? "the kernel's audit socket" : l.log_path);
	rc = 0;
out:
	/* Also on the way out of a failed start: no longer held. */
	scw_signals_target(0);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (l.fd >= 0)
		close(l.fd);
	if (l.ino_fd >= 0)
		close(l.ino_fd);
	if (l.buf) {
		scw_audit_reader_free(l.rd);
		scw_u64map_free(&l.tree);
	}
	free(l.buf);
	free(l.log_path);
	if (workload)
		seccomp_release(workload);
	if (marker)
		seccomp_release(marker);
	return rc;
}

const struct scw_backend scw_backend_audit = {
    .name = "audit",
    .summary = "SCMP_ACT_LOG filter + the kernel's audit records; the workload may use ptrace",
    .caps = SCW_CAP_WORKLOAD_PTRACE | SCW_CAP_MAY_LOSE,
    .prepare = audit_prepare,
    .run = audit_record,
};
