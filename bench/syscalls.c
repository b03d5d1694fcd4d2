/* bench/syscalls.c: make N cheap syscalls (getppid; default 1000000) and exit.
 *
 * Used by bench/run.sh to measure a recorder's per-syscall cost. The call goes
 * through syscall(2) so that no libc caches or elides it: every iteration is
 * one real kernel entry, hence one seccomp stop under a tracer. Prints nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEFAULT_COUNT 1000000UL

/* Parse a strictly positive decimal count; exit 2 on anything else. */
static unsigned long parse_count(const char *s)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || n == 0) {
		fprintf(stderr, "usage: syscalls [COUNT]   (COUNT a positive integer)\n");
		exit(2);
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned long n = DEFAULT_COUNT;
	volatile long sink = 0;

	if (argc > 2) {
		fprintf(stderr, "usage: syscalls [COUNT]\n");
		return 2;
	}
	if (argc == 2)
		n = parse_count(argv[1]);

	for (unsigned long i = 0; i < n; i++)
		sink += syscall(SYS_getppid);

	(void)sink;
	return 0;
}
