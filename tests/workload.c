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
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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
