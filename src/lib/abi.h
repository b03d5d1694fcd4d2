/* abi.h - syscall ABIs (libseccomp arch tokens) and syscall names.
 *
 * Inside scwrap a syscall is (ABI token, number).  The token is libseccomp's
 * SCMP_ARCH_* value, which equals the kernel's AUDIT_ARCH_* value for every
 * ABI but x32 (which shares AUDIT_ARCH_X86_64 and sets bit 30 in the number).
 * Names appear only at the edges, resolved by libseccomp. */
#ifndef SCW_ABI_H
#define SCW_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* x32 syscall numbers carry this bit under AUDIT_ARCH_X86_64. */
#define SCW_X32_SYSCALL_BIT 0x40000000u

/* Bitmaps and counters index syscall numbers below this (MIPS n32 is ~6400). */
#define SCW_NR_MAX 8192u

uint32_t scw_abi_native(void);

/* The ABI and number of a syscall the kernel reported as (audit arch, nr):
 * moves x32 calls to the x32 ABI with the bit cleared. */
uint32_t scw_abi_from_audit(uint32_t audit_arch, uint32_t *nr);

/* The reverse: the (audit arch, nr) the kernel reports for a syscall. */
uint32_t scw_abi_to_audit(uint32_t abi, uint32_t *nr);

/* One table in abi.c holds every name an ABI has; these look in it. */

/* libseccomp's name of an ABI ("x86_64"), or NULL for one it does not know
 * (static). */
const char *scw_abi_name(uint32_t abi);

/* The OCI/Docker name of an ABI ("SCMP_ARCH_X86_64"), or NULL (static). */
const char *scw_abi_oci_name(uint32_t abi);

/* Go's GOARCH of an ABI ("amd64"), as dockerd compares a rule's arches, or
 * NULL when scwrap knows none (static). */
const char *scw_abi_go_name(uint32_t abi);

/* systemd's name of an ABI ("x86-64"), as SystemCallArchitectures= takes
 * it, or NULL when systemd has none (static). */
const char *scw_abi_systemd_name(uint32_t abi);

/* Whether the Kubernetes SeccompProfile CRD admits an ABI. */
bool scw_abi_k8s_admits(uint32_t abi);

/* The ABI of an OCI name ("SCMP_ARCH_X86") or libseccomp name ("x86"), in
 * any case; 0 if none. */
uint32_t scw_abi_from_name(const char *name);

/* Every ABI the kernel runs for this machine's native ABI (x86_64: x86_64,
 * x86, x32), native first; returns how many were stored. */
size_t scw_abi_machine(uint32_t *abis, size_t max);

/* The name of syscall nr on abi, or NULL when libseccomp does not know it.
 * The caller frees the result. */
char *scw_syscall_name(uint32_t abi, uint32_t nr);

/* The number of a syscall name on abi, or -1 when the ABI has no such call. */
int scw_syscall_nr(uint32_t abi, const char *name);

/* Whether libseccomp knows a syscall name on some ABI (runc and systemd skip
 * the names it does not). */
bool scw_syscall_known(const char *name);

/* libseccomp's version as "2.5.4" (static storage). */
const char *scw_libseccomp_version(void);

/* The numbers of the calls a backend looks into, on one ABI (-1 where the
 * ABI has no such call). */
struct scw_abi_calls {
	uint32_t abi;
	int clone, clone3, execve, execveat, ptrace, prctl, seccomp;
};

/* One row per ABI the machine runs, the native one first (at most max);
 * returns how many. */
size_t scw_abi_calls_machine(struct scw_abi_calls *out, size_t max);

/* The row of abi among calls[0..n), or NULL. */
const struct scw_abi_calls *scw_abi_calls_find(const struct scw_abi_calls *calls, size_t n,
					       uint32_t abi);

/* Whether call nr of c's ABI with these arguments loads a seccomp filter
 * (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER) or seccomp(SET_MODE_FILTER)):
 * the workload's own, which the summary warns of. */
bool scw_abi_calls_loads_filter(const struct scw_abi_calls *c, uint32_t nr, const uint64_t *args);

#endif
