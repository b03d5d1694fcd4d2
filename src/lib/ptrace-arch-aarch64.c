/* ptrace-arch-aarch64.c - registers of aarch64 tracees (ptrace-arch.h). */
#include <config.h>

#if defined(__aarch64__)

#include <elf.h>
#include <linux/audit.h>
#include <stdint.h>
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

/* An arm (AArch32) tracee's NT_PRSTATUS, as a native tracer reads it:
 * r0-r15, cpsr and orig_r0, 32 bits each (compat_elf_gregset_t). */
#define ARM_NGREG 18

bool scw_ptrace_arch_skip_syscall(pid_t tid, uint32_t abi, long ret)
{
	int nr = -1;
	struct iovec sc = {&nr, sizeof(nr)};
	/* The number through NT_ARM_SYSTEM_CALL (either ABI), the result in
	 * r0 for arm, x0 for aarch64: a 64-bit x0 written over an arm
	 * tracee's registers would set r1 too. */
	if (abi == AUDIT_ARCH_ARM) {
		uint32_t regs[ARM_NGREG];
		struct iovec iov = {regs, sizeof(regs)};
		if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0 ||
		    iov.iov_len != sizeof(regs))
			return false;
		regs[0] = (uint32_t)ret;
		return ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &sc) == 0 &&
		       ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) == 0;
	}
	if (abi != AUDIT_ARCH_AARCH64)
		return false;
	{
		struct user_regs_struct regs;
		struct iovec iov = {&regs, sizeof(regs)};
		if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0 ||
		    iov.iov_len != sizeof(regs))
			return false;
		regs.regs[0] = (unsigned long long)ret;
		return ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &sc) == 0 &&
		       ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) == 0;
	}
}

#endif
