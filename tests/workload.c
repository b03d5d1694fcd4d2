/* workload.c - a workload for the integration tests: each mode does one
 * thing the recorder must get right, with libc, on any architecture.
 *
 *   workload exit N              exit with status N
 *   workload raise SIG           die by signal SIG
 *   workload ready FILE          write its pid to FILE, then wait for a signal
 *   workload ignore-term FILE    ignore SIGTERM, write its pid to FILE, exit 7
 *                                on SIGHUP
 *   workload threads N           N threads, each calls getppid(), joined
 *   workload forks N [ALIVE]     N children, ALIVE of them at a time (all at
 *                                once by default), each exits 0; reaps them;
 *                                exits 1 if one did not exit 0
 *   workload daemon FILE         double fork; the grandchild writes FILE after
 *                                the first process has exited
 *   workload lingering FILE      double fork; the grandchild, once the first
 *                                process has exited, writes its pid to FILE
 *                                and waits for a signal
 *   workload kill-young N        N children, each killed (SIGKILL) by a thread
 *                                as soon as the kernel has its pid, before its
 *                                parent's fork returns; reaps them; exit 0
 *   workload gated-fork SOCK     (run by fork-gate, as root in a pid
 *                                namespace) a child P forks C with its pid
 *                                written to a userfaultfd page whose fault
 *                                fork-gate resolves; C must die by SIGKILL;
 *                                P then makes its next child D take C's pid
 *                                (ns_last_pid); exit 0, or 2-5 if the kernel
 *                                did not do as told (99: a call failed)
 *   workload fork-gate SOCK CMD...  (not traced) run CMD (scwrap running
 *                                gated-fork SOCK); when P is held inside
 *                                fork, stop scwrap (SIGSTOP), kill C, let P
 *                                reach its fork event, continue scwrap once
 *                                C is a zombie and P stopped: scwrap's
 *                                waitpid then reports C's death before P's
 *                                fork event (newest tracee first); exit
 *                                with CMD's status, or 90-94 when a step
 *                                did not happen (99: a call failed)
 *   workload exec-thread PROG    a non-leader thread execs PROG
 *   workload exec-threads N PROG N threads, released at once, all exec PROG
 *                                (one wins, the kernel kills the others)
 *   workload copy                copy stdin to stdout
 *   workload stop FILE           write its pid to FILE, stop itself (SIGSTOP),
 *                                exit 0 once continued
 *   workload own-filter          load a seccomp filter of its own that fails
 *                                getppid with EPERM, then call getppid
 *   workload i386-call           (a probe, not traced) whether this kernel
 *                                runs an i386 syscall made with int $0x80:
 *                                exit 0 if so, else 1 with why on stderr
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(99);
}

static void touch(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) < 0 || close(fd) < 0)
		die(path);
}

static void write_pid(const char *path)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	touch(path, buf);
}

static void *thread_getppid(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	return NULL;
}

static char *exec_prog;

/* Exec exec_prog; arg, when not NULL, a barrier to wait at first. */
static void *thread_exec(void *arg)
{
	if (arg)
		pthread_barrier_wait(arg);
	execl(exec_prog, exec_prog, (char *)NULL);
	die("execl");
	return NULL;
}

/* Whether this kernel runs i386 syscalls from x86_64 code: 0 if getuid32
 * made with int $0x80 returns, else 1 with the reason on stderr.  Built
 * with IA32 emulation, a kernel still refuses the gate when booted with
 * ia32_emulation=0 (Linux 6.7) and in some VMs (a paravirtualised 6.18
 * one, for instance): the caller dies by SIGSEGV, so the call is made in a
 * child, without a core dump. */
static int i386_call(void)
{
#if defined(__x86_64__)
	int st;
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		long r;
		setrlimit(RLIMIT_CORE, &no_core);
		/* i386 nr 199 (getuid32); the kernel zeroes r8-r11 for a
		 * 32-bit caller. */
		__asm__ volatile("int $0x80"
				 : "=a"(r)
				 : "a"(199L)
				 : "r8", "r9", "r10", "r11", "memory");
		_exit((int)r < 0 ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		fprintf(stderr, "int $0x80 (i386 getuid32) killed the caller by signal %d (%s)\n",
			WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		fprintf(stderr, "int $0x80 (i386 getuid32) failed\n");
	return 1;
#else
	fprintf(stderr, "no i386 syscalls on this architecture\n");
	return 1;
#endif
}

static pid_t young; /* the newest child's pid, written by the kernel */

/* kill-young's killer: SIGKILL each pid the kernel writes, at once; -1
 * ends it. */
static void *killer(void *arg)
{
	(void)arg;
	for (;;) {
		pid_t p = __atomic_exchange_n(&young, 0, __ATOMIC_SEQ_CST);
		if (p > 0)
			kill(p, SIGKILL);
		else if (p < 0)
			return NULL;
	}
}

/* gated-fork's P: see the table at the top. */
static int gated_fork(const char *sock)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct uffdio_api api = {.api = UFFD_API};
	struct uffdio_register reg = {.mode = UFFDIO_REGISTER_MODE_MISSING};
	char cbuf[CMSG_SPACE(sizeof(int))] = {0}, one = 1, buf[32];
	struct iovec iov = {&one, 1};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	long page = sysconf(_SC_PAGESIZE), c, d;
	int uffd, s, st, fd;
	pid_t *ptid;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0)
		die("userfaultfd");
	ptid = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ptid == MAP_FAILED)
		die("mmap");
	reg.range.start = (unsigned long)ptid;
	reg.range.len = (unsigned long)page;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0)
		die("UFFDIO_REGISTER");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &uffd, sizeof(int));
	if (sendmsg(s, &mh, 0) != 1)
		die("sendmsg");
	/* The kernel writes C's pid to the missing page after C exists and
	 * before P's fork event: P waits there for fork-gate. */
	c = syscall(SYS_clone, (long)(SIGCHLD | CLONE_PARENT_SETTID), 0L, ptid, 0L, 0L);
	if (c < 0)
		die("clone");
	if (c == 0)
		syscall(SYS_exit_group, 0);
	if (waitpid((pid_t)c, &st, 0) != (pid_t)c)
		die("waitpid");
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		return 2;
	/* The next pid is C's again. */
	snprintf(buf, sizeof(buf), "%ld", c - 1);
	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, strlen(buf)) < 0 || close(fd) < 0)
		return 3;
	d = fork();
	if (d < 0)
		die("fork");
	if (d == 0)
		_exit(0);
	if (waitpid((pid_t)d, &st, 0) != (pid_t)d || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 4;
	return d == c ? 0 : 5;
}

/* A process's state letter, from /proc/PID/stat; '?' if gone. */
static char proc_state(pid_t pid, pid_t *ppid)
{
	char path[64], buf[512], *rp;
	ssize_t n;
	int fd, pp = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	if (!rp || sscanf(rp + 2, "%*c %d", &pp) != 1)
		return '?';
	if (ppid)
		*ppid = pp;
	return rp[2];
}

/* Poll (1 ms) until pid's state is one of states; 0, or -1 after 30 s. */
static int await_state(pid_t pid, const char *states)
{
	struct timespec ts = {0, 1000 * 1000};
	for (int i = 0; i < 30000; i++) {
		if (strchr(states, proc_state(pid, NULL)))
			return 0;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "workload: process %d never reached state [%s]\n", (int)pid, states);
	return -1;
}

/* fork-gate: see the table at the top. */
static int fork_gate(const char *sock, char **cmd)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char cbuf[CMSG_SPACE(sizeof(int))], one;
	struct iovec iov = {&one, 1};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct uffd_msg msg;
	struct uffdio_zeropage zp = {0};
	struct pollfd pfd;
	struct cmsghdr *cm;
	pid_t scw, p = 0, c = 0;
	int ls, s, uffd, st, bad = 0;
	DIR *dir;
	struct dirent *de;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 1) < 0)
		die("listen");
	scw = fork();
	if (scw < 0)
		die("fork");
	if (scw == 0) {
		execvp(cmd[0], cmd);
		die(cmd[0]);
	}
	pfd = (struct pollfd){ls, POLLIN, 0};
	if (poll(&pfd, 1, 60000) != 1) {
		fprintf(stderr, "workload: gated-fork never connected\n");
		bad = 90;
		goto out;
	}
	s = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0 || getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 ||
	    recvmsg(s, &mh, 0) != 1 || !(cm = CMSG_FIRSTHDR(&mh)) || cm->cmsg_type != SCM_RIGHTS)
		die("receiving the userfaultfd");
	memcpy(&uffd, CMSG_DATA(cm), sizeof(int));
	p = cred.pid;
	pfd = (struct pollfd){uffd, POLLIN, 0};
	if (poll(&pfd, 1, 60000) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT) {
		fprintf(stderr, "workload: P never faulted on its page inside fork\n");
		bad = 91;
		goto out;
	}
	/* P is inside fork, C exists and has not run: no event of either
	 * can reach scwrap while it is stopped. */
	kill(scw, SIGSTOP);
	if (await_state(scw, "T") < 0) {
		bad = 92;
		goto out;
	}
	dir = opendir("/proc");
	while (dir && (de = readdir(dir))) {
		pid_t pp = 0, q = (pid_t)atoi(de->d_name);
		if (q > 0 && q != p && proc_state(q, &pp) != '?' && pp == p)
			c = q;
	}
	if (dir)
		closedir(dir);
	if (c <= 0) {
		fprintf(stderr, "workload: P's new child not found\n");
		bad = 93;
		goto out;
	}
	kill(c, SIGKILL);
	zp.range.start =
	    msg.arg.pagefault.address & ~(unsigned long long)(sysconf(_SC_PAGESIZE) - 1);
	zp.range.len = (unsigned long long)sysconf(_SC_PAGESIZE);
	if (ioctl(uffd, UFFDIO_ZEROPAGE, &zp) < 0)
		die("UFFDIO_ZEROPAGE");
	/* C dies; P stops at its fork event; both wait for scwrap. */
	if (await_state(c, "Z") < 0 || await_state(p, "t") < 0)
		bad = 94;
out:
	kill(scw, SIGCONT);
	if (waitpid(scw, &st, 0) != scw)
		die("waitpid");
	if (bad)
		return bad;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void on_hup(int sig)
{
	(void)sig;
	_exit(7);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "";

	if (strcmp(mode, "exit") == 0)
		return atoi(arg);
	if (strcmp(mode, "raise") == 0) {
		signal(atoi(arg), SIG_DFL);
		raise(atoi(arg));
		return 98;
	}
	if (strcmp(mode, "ready") == 0) {
		write_pid(arg);
		for (;;)
			pause();
	}
	if (strcmp(mode, "ignore-term") == 0) {
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, on_hup);
		write_pid(arg);
		for (;;)
			pause();
	}
	if (strcmp(mode, "threads") == 0) {
		int n = atoi(arg);
		pthread_t *t = calloc((size_t)n, sizeof(*t));
		for (int i = 0; i < n; i++)
			if ((errno = pthread_create(&t[i], NULL, thread_getppid, NULL)))
				die("pthread_create");
		for (int i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		return 0;
	}
	if (strcmp(mode, "forks") == 0) {
		int n = atoi(arg), alive = argc > 3 ? atoi(argv[3]) : n, live = 0, bad = 0;
		for (int started = 0; started < n || live > 0;) {
			int st;
			if (started < n && live < alive) {
				pid_t p = fork();
				if (p < 0)
					die("fork");
				if (p == 0)
					_exit(0);
				started++, live++;
				continue;
			}
			if (wait(&st) < 0)
				die("wait");
			live--;
			bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
		return bad ? 1 : 0;
	}
	if (strcmp(mode, "daemon") == 0) {
		pid_t root = getpid(), p = fork();
		if (p < 0)
			die("fork");
		if (p == 0) {
			if (fork() == 0) {
				/* Outlive the first process: act once it is gone. */
				struct timespec ts = {0, 10 * 1000 * 1000};
				for (int i = 0; i < 1000 && kill(root, 0) == 0; i++)
					nanosleep(&ts, NULL);
				syscall(SYS_getpgid, 0);
				touch(arg, "daemon\n");
				_exit(0);
			}
			_exit(0);
		}
		waitpid(p, NULL, 0);
		return 0;
	}
	if (strcmp(mode, "lingering") == 0) {
		pid_t root = getpid(), p = fork();
		if (p < 0)
			die("fork");
		if (p == 0) {
			if (fork() == 0) {
				struct timespec ts = {0, 10 * 1000 * 1000};
				while (kill(root, 0) == 0)
					nanosleep(&ts, NULL);
				write_pid(arg);
				for (;;)
					pause();
			}
			_exit(0);
		}
		waitpid(p, NULL, 0);
		return 0;
	}
	if (strcmp(mode, "kill-young") == 0) {
		int n = atoi(arg), st;
		pthread_t t;
		/* Not the first process, which a tracer's waitpid finds first
		 * (its own child): the forker's fork event and its child's
		 * death then race in the tracer's list, newest first. */
		pid_t helper = fork();
		if (helper < 0)
			die("fork");
		if (helper > 0) {
			if (waitpid(helper, &st, 0) < 0)
				die("waitpid");
			return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
		}
		if ((errno = pthread_create(&t, NULL, killer, NULL)))
			die("pthread_create");
		for (int i = 0; i < n; i++) {
			/* CLONE_PARENT_SETTID: the pid is in young before the
			 * child runs and before the fork event is reported. */
			long c = syscall(SYS_clone, (long)(SIGCHLD | CLONE_PARENT_SETTID), 0L,
					 &young, 0L, 0L);
			if (c < 0)
				die("clone");
			if (c == 0)
				syscall(SYS_exit_group, 0);
			while (waitpid((pid_t)c, NULL, 0) < 0 && errno == EINTR)
				;
		}
		__atomic_store_n(&young, -1, __ATOMIC_SEQ_CST);
		pthread_join(t, NULL);
		_exit(0);
	}
	if (strcmp(mode, "gated-fork") == 0) {
		/* Not the first process: a tracer's waitpid looks at its own
		 * children before the others. */
		pid_t p = fork();
		int st;
		if (p < 0)
			die("fork");
		if (p == 0)
			_exit(gated_fork(arg));
		if (waitpid(p, &st, 0) < 0)
			die("waitpid");
		return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
	}
	if (strcmp(mode, "fork-gate") == 0 && argc > 3)
		return fork_gate(arg, argv + 3);
	if (strcmp(mode, "exec-thread") == 0) {
		pthread_t t;
		exec_prog = argv[2];
		if ((errno = pthread_create(&t, NULL, thread_exec, NULL)))
			die("pthread_create");
		for (;;)
			pause();
	}
	if (strcmp(mode, "exec-threads") == 0) {
		unsigned n = (unsigned)atoi(arg);
		pthread_barrier_t start;
		pthread_t t;
		exec_prog = argv[3];
		if (n == 0 || argc < 4)
			return 99;
		/* The main thread is one of the n + 1 released together. */
		if ((errno = pthread_barrier_init(&start, NULL, n + 1)))
			die("pthread_barrier_init");
		for (unsigned i = 0; i < n; i++)
			if ((errno = pthread_create(&t, NULL, thread_exec, &start)))
				die("pthread_create");
		thread_exec(&start);
	}
	if (strcmp(mode, "copy") == 0) {
		char buf[4096];
		ssize_t n;
		while ((n = read(0, buf, sizeof(buf))) > 0)
			if (write(1, buf, (size_t)n) != n)
				die("write");
		return n < 0 ? 1 : 0;
	}
	if (strcmp(mode, "own-filter") == 0) {
		/* Every syscall allowed but getppid (EPERM), any ABI alike. */
		struct sock_filter prog[] = {
		    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog fp = {sizeof(prog) / sizeof(prog[0]), prog};
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp) < 0)
			die("seccomp");
		return syscall(SYS_getppid) < 0 && errno == EPERM ? 0 : 1;
	}
	if (strcmp(mode, "stop") == 0) {
		write_pid(arg);
		raise(SIGSTOP);
		return 0;
	}
	if (strcmp(mode, "i386-call") == 0)
		return i386_call();
	fprintf(stderr, "workload: unknown mode '%s'\n", mode);
	return 99;
}
