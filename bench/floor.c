/* floor.c - the bare cost of the two mechanisms, with nothing of scwrap's:
 * a child makes N getppid() calls under a filter that hands each to its
 * parent, which only lets it run.
 *
 *   floor ptrace N   SECCOMP_RET_TRACE: waitpid, PTRACE_GETEVENTMSG, PTRACE_CONT
 *   floor notify N   SECCOMP_RET_USER_NOTIF: RECV, SEND with CONTINUE (and
 *                    SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP where the kernel has it)
 *   floor native N   the same filter allowing every call
 *
 * Prints the wall time in seconds.  Build: cc -O2 -o floor bench/floor.c;
 * compare runs at equal placement: taskset -c 1 ./floor ptrace 200000. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void child(unsigned action, long n, int report)
{
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, action),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(f) / sizeof(f[0]), f};
	unsigned flags = action == SECCOMP_RET_USER_NOTIF ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
	/* The listener takes the lowest free descriptor: tell the parent
	 * which, before the filter makes every getppid wait for it. */
	int fd = open("/dev/null", O_RDONLY);

	close(fd);
	if (write(report, &fd, sizeof(fd)) != sizeof(fd))
		_exit(1);
	if (action == SECCOMP_RET_TRACE)
		raise(SIGSTOP); /* until the parent has seized it */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0)
		_exit(1);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	_exit(0);
}

static int serve_ptrace(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, WUNTRACED) != pid ||
	    ptrace(PTRACE_SEIZE, pid, 0L, (long)(PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)) < 0)
		return -1;
	kill(pid, SIGCONT);
	while (waitpid(pid, &st, __WALL) == pid && WIFSTOPPED(st)) {
		unsigned long msg;
		int sig = 0;
		if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8)))
			ptrace(PTRACE_GETEVENTMSG, pid, 0L, &msg);
		else if (st >> 16 == 0 && WSTOPSIG(st) != SIGSTOP && WSTOPSIG(st) != SIGCONT)
			sig = WSTOPSIG(st);
		ptrace(PTRACE_CONT, pid, 0L, (long)sig);
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int serve_notify(pid_t pid, int number, long n)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), fd = -1, st;

	for (int i = 0; pidfd >= 0 && fd < 0 && i < 100000; i++) {
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, number, 0);
		if (fd < 0)
			usleep(100);
	}
	if (fd < 0)
		return -1;
	(void)ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, 1UL); /* SYNC_WAKE_UP, 6.6+ */
	/* The child's zombie holds the filter: RECV would not see it go
	 * before it is reaped, so stop after its n calls. */
	for (long i = 0; i < n;) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
			i++;
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *mode = argc == 3 ? argv[1] : "";
	long n = argc == 3 ? atol(argv[2]) : 0;
	unsigned action = strcmp(mode, "ptrace") == 0	? SECCOMP_RET_TRACE
			  : strcmp(mode, "notify") == 0 ? SECCOMP_RET_USER_NOTIF
			  : strcmp(mode, "native") == 0 ? SECCOMP_RET_ALLOW
							: 0;
	int p[2], number = -1, rc;
	double t0;
	pid_t pid;

	if (!action || n <= 0) {
		fprintf(stderr, "usage: floor ptrace|notify|native N\n");
		return 2;
	}
	if (pipe(p) < 0)
		return 1;
	t0 = now();
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		child(action, n, p[1]);
	if (read(p[0], &number, sizeof(number)) != sizeof(number))
		return 1;
	if (action == SECCOMP_RET_TRACE)
		rc = serve_ptrace(pid);
	else if (action == SECCOMP_RET_USER_NOTIF)
		rc = serve_notify(pid, number, n);
	else
		rc = waitpid(pid, NULL, 0) == pid ? 0 : -1;
	if (rc < 0) {
		fprintf(stderr, "floor: %s could not run here\n", mode);
		return 1;
	}
	printf("%s %ld %.3f\n", mode, n, now() - t0);
	return 0;
}
