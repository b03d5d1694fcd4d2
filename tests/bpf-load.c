/* bpf-load.c - load a classic BPF seccomp program from a file, as a runtime
 * does, then run a command under it, or make one syscall.
 *
 *   bpf-load FILE COMMAND [ARG]...   install FILE's program, exec COMMAND
 *   bpf-load -c NAME FILE            install it, make syscall NAME (all
 *                                    arguments 0) and exit with its errno
 *                                    (0 when it succeeded)
 *
 * Exit 99 when the program cannot be read or installed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "bpf-load: %s: %s\n", what, strerror(errno));
	exit(99);
}

int main(int argc, char **argv)
{
	const char *call = NULL;
	struct sock_fprog prog;
	struct stat st;
	char *buf;
	int fd, nr = -1;
	ssize_t n;

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		call = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 || (!call && argc < 3)) {
		fprintf(stderr, "usage: bpf-load FILE COMMAND [ARG]... | bpf-load -c NAME FILE\n");
		return 99;
	}
	if (call) {
		nr = seccomp_syscall_resolve_name(call);
		if (nr < 0) {
			fprintf(stderr, "bpf-load: no syscall %s here\n", call);
			return 99;
		}
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		die(argv[1]);
	if (st.st_size == 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
	    st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		fprintf(stderr, "bpf-load: %s: %lld bytes is not a BPF program\n", argv[1],
			(long long)st.st_size);
		return 99;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf)
		die("malloc");
	n = read(fd, buf, (size_t)st.st_size);
	if (n != st.st_size)
		die(argv[1]);
	close(fd);
	prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	prog.filter = (struct sock_filter *)buf;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("PR_SET_NO_NEW_PRIVS");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		die("seccomp(SECCOMP_SET_MODE_FILTER)");
	if (call) {
		long r = syscall(nr, 0, 0, 0, 0, 0, 0);
		_exit(r < 0 ? errno : 0);
	}
	execv(argv[2], argv + 2);
	/* The filter may deny what reporting would need: the status says it. */
	_exit(errno == EPERM ? 98 : 97);
}
