/* ptrace-arch-aarch64.c - registers of aarch64 tracees (ptrace-arch.h). */
#include <config.h>

#if defined(__aarch64__)

#include <elf.h>
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "ptrace-arch.h"

bool scw_ptrace_arch_set_clone_flags(pid_t tid, uint32_t abi, uint64_t flags)
{
	struct user_regs_struct regs;
	struct iovec iov = {&regs, sizeof(regs)};
	/* Only the native ABI: an arm (compat) tracee's registers differ. */
	if (abi != AUDIT_ARCH_AARCH64 || ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0)
		return false;
	regs.regs[0] = flags;
	return ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) == 0;
}

bool scw_ptrace_arch_skip_syscall(pid_t tid, long ret)
{
	struct user_regs_struct regs;
	struct iovec iov = {&regs, sizeof(regs)};
	int nr = -1;
	struct iovec sc = {&nr, sizeof(nr)};
	if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0)
		return false;
	regs.regs[0] = (unsigned long long)ret;
	return ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &sc) == 0 &&
	       ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) == 0;
}

#endif
