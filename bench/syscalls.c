/* syscalls.c - N cheap syscalls (default 1,000,000): getppid through
 * syscall(2), so that no libc cache can answer instead of the kernel. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}
