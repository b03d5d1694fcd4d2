/* ptrace-arch-x86_64.c - registers of x86_64 tracees (ptrace-arch.h), of
 * both the x86_64 and the i386 ABI. */
#include <config.h>

#if defined(__x86_64__)

#include <linux/audit.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "ptrace-arch.h"

bool scw_ptrace_arch_set_clone_flags(pid_t tid, uint32_t abi, uint64_t flags)
{
	/* clone's first argument: ebx for i386 (whose ABI token is
	 * AUDIT_ARCH_I386, abi.h), rdi for x86_64 and x32. */
	size_t off = abi == AUDIT_ARCH_I386 ? offsetof(struct user_regs_struct, rbx)
					    : offsetof(struct user_regs_struct, rdi);
	return ptrace(PTRACE_POKEUSER, tid, (void *)off, (void *)(uintptr_t)flags) == 0;
}

bool scw_ptrace_arch_skip_syscall(pid_t tid, uint32_t abi, long ret)
{
	struct user_regs_struct regs;
	/* One register layout for every ABI: a native tracer sees an i386
	 * tracee's registers in the 64-bit struct (orig_rax, rax). */
	(void)abi;
	if (ptrace(PTRACE_GETREGS, tid, 0L, &regs) < 0)
		return false;
	regs.orig_rax = (unsigned long long)-1;
	regs.rax = (unsigned long long)ret;
	return ptrace(PTRACE_SETREGS, tid, 0L, &regs) == 0;
}

#endif
