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

/* An arm (AArch32) tracee's NT_PRSTATUS, as a native tracer reads it:
 * r0-r15, cpsr and orig_r0, 32 bits each (compat_elf_gregset_t). */
#define ARM_NGREG 18

/* Set register 0 (a call's first argument, then its result) of tracee tid,
 * stopped in a call of abi: r0 in the compat layout for arm, x0 for
 * aarch64; false for any other ABI.  A 64-bit x0 written over an arm
 * tracee's registers would set r1 too. */
static bool set_reg0(pid_t tid, uint32_t abi, uint64_t value)
{
	if (abi == AUDIT_ARCH_ARM) {
		uint32_t regs[ARM_NGREG];
		struct iovec iov = {regs, sizeof(regs)};
		if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0 ||
		    iov.iov_len != sizeof(regs))
			return false;
		regs[0] = (uint32_t)value;
		return ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) == 0;
	}
	if (abi == AUDIT_ARCH_AARCH64) {
		struct user_regs_struct regs;
		struct iovec iov = {&regs, sizeof(regs)};
		if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0 ||
		    iov.iov_len != sizeof(regs))
			return false;
		regs.regs[0] = value;
		return ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) == 0;
	}
	return false;
}

bool scw_ptrace_arch_set_clone_flags(pid_t tid, uint32_t abi, uint64_t flags)
{
	return set_reg0(tid, abi, flags);
}

bool scw_ptrace_arch_skip_syscall(pid_t tid, uint32_t abi, long ret)
{
	int nr = -1;
	struct iovec sc = {&nr, sizeof(nr)};
	/* The number through NT_ARM_SYSTEM_CALL, for either ABI. */
	if (abi != AUDIT_ARCH_ARM && abi != AUDIT_ARCH_AARCH64)
		return false;
	return ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &sc) == 0 &&
	       set_reg0(tid, abi, (uint64_t)ret);
}

#endif
