/* ptrace-arch.h - what the ptrace backend does with a stopped tracee's
 * registers, one file per machine (ptrace-arch-<machine>.c), as strace keeps
 * its per-arch code.  On a machine with no file of its own, every call
 * answers false: the caller counts the event as one it could not handle. */
#ifndef SCW_PTRACE_ARCH_H
#define SCW_PTRACE_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Set the flags argument of the clone(2) tracee tid is stopped in (abi: the
 * ABI of that call, a libseccomp token); false where this machine cannot. */
bool scw_ptrace_arch_set_clone_flags(pid_t tid, uint32_t abi, uint64_t flags);

/* Skip the syscall tracee tid is stopped in at a seccomp stop (abi: the
 * ABI of that call, a libseccomp token): its number becomes -1, and the
 * caller sees ret in the return register of that ABI
 * (Documentation/userspace-api/seccomp_filter.rst); false where this
 * machine cannot. */
bool scw_ptrace_arch_skip_syscall(pid_t tid, uint32_t abi, long ret);

#endif
