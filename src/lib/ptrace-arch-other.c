/* ptrace-arch-other.c - machines with no register code of their own
 * (ptrace-arch.h): nothing is poked, every call answers false. */
#include <config.h>

#if !defined(__x86_64__) && !defined(__aarch64__)

#include "ptrace-arch.h"

bool scw_ptrace_arch_set_clone_flags(pid_t tid, uint32_t abi, uint64_t flags)
{
	(void)tid;
	(void)abi;
	(void)flags;
	return false;
}

bool scw_ptrace_arch_skip_syscall(pid_t tid, uint32_t abi, long ret)
{
	(void)tid;
	(void)abi;
	(void)ret;
	return false;
}

#endif
