/* argprog.c - a static program for --args: each mode makes one call whose
 * arguments a pinned profile allows or refuses, and says how it went.
 *
 *   argprog unix            socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC)
 *   argprog inet            socket(AF_INET, SOCK_STREAM)
 *   argprog unshare-uts     unshare(CLONE_NEWUTS)
 *   argprog unshare-ipc     unshare(CLONE_NEWIPC)
 *   argprog ioctls N        N ioctls on stdin, each with its own request
 *   argprog probe           getpmsg(2), a call x86_64 kernels never
 *                           implement: ENOSYS takes the fallback
 *
 * Exit 0 when the call succeeded (probe: when it failed with ENOSYS), 1
 * otherwise, with strerror on stderr. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int report(const char *what, long rc)
{
	if (rc < 0) {
		fprintf(stderr, "argprog: %s: %s\n", what, strerror(errno));
		return 1;
	}
	printf("argprog: %s: ok\n", what);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "unix") == 0)
		return report("socket AF_UNIX", socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	if (strcmp(mode, "inet") == 0)
		return report("socket AF_INET", socket(AF_INET, SOCK_STREAM, 0));
	if (strcmp(mode, "unshare-uts") == 0)
		return report("unshare CLONE_NEWUTS", unshare(CLONE_NEWUTS));
	if (strcmp(mode, "unshare-ipc") == 0)
		return report("unshare CLONE_NEWIPC", unshare(CLONE_NEWIPC));
	if (strcmp(mode, "ioctls") == 0 && argc > 2) {
		int n = atoi(argv[2]);
		/* Requests no driver has: each fails (ENOTTY), each is seen. */
		for (int i = 0; i < n; i++)
			(void)ioctl(0, 0x5a00 + i, 0);
		printf("argprog: %d ioctls\n", n);
		return 0;
	}
#ifdef SYS_getpmsg
	if (strcmp(mode, "probe") == 0) {
		long rc = syscall(SYS_getpmsg, 0, 0, 0, 0, 0);
		if (rc < 0 && errno == ENOSYS) {
			printf("argprog: getpmsg: ENOSYS, fallback taken\n");
			return 0;
		}
		fprintf(stderr, "argprog: getpmsg: %s\n", rc < 0 ? strerror(errno) : "succeeded");
		return 1;
	}
#endif
	fprintf(stderr, "usage: argprog unix|inet|unshare-uts|unshare-ipc|ioctls N|probe\n");
	return 2;
}
