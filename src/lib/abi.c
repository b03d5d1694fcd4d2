/* abi.c - ABIs (one table of every name each has) and syscall names (resolved
 * by libseccomp). */
#include <config.h>

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "abi.h"
#include "util.h"

/* Every ABI scwrap names, one row each: libseccomp's token and name, the
 * OCI/Docker name, Go's GOARCH (what dockerd compares with the arches of a
 * rule's includes/excludes), systemd's name (systemd.exec(5),
 * SystemCallArchitectures=; seccomp_arch_to_string() in systemd 252),
 * whether the Kubernetes SeccompProfile CRD admits it
 * (security-profiles-operator, api/seccompprofile/v1beta1, type Arch), and
 * the native ABI a compat ABI runs beside.  Tokens newer than this
 * libseccomp's header are left out, as libseccomp would not know them. */
static const struct abi {
	uint32_t token;
	const char *name, *oci, *go, *systemd;
	bool k8s;
	uint32_t native_of; /* the native ABI this one runs beside, or 0 */
} abi_table[] = {
    {SCMP_ARCH_X86, "x86", "SCMP_ARCH_X86", "386", "x86", true, SCMP_ARCH_X86_64},
    {SCMP_ARCH_X86_64, "x86_64", "SCMP_ARCH_X86_64", "amd64", "x86-64", true, 0},
    {SCMP_ARCH_X32, "x32", "SCMP_ARCH_X32", NULL, "x32", true, SCMP_ARCH_X86_64},
    {SCMP_ARCH_ARM, "arm", "SCMP_ARCH_ARM", "arm", "arm", true, SCMP_ARCH_AARCH64},
    {SCMP_ARCH_AARCH64, "aarch64", "SCMP_ARCH_AARCH64", "arm64", "arm64", true, 0},
    {SCMP_ARCH_MIPS, "mips", "SCMP_ARCH_MIPS", NULL, "mips", true, SCMP_ARCH_MIPS64},
    {SCMP_ARCH_MIPS64, "mips64", "SCMP_ARCH_MIPS64", "mips64", "mips64", true, 0},
    {SCMP_ARCH_MIPS64N32, "mips64n32", "SCMP_ARCH_MIPS64N32", NULL, "mips64-n32", true,
     SCMP_ARCH_MIPS64},
    {SCMP_ARCH_MIPSEL, "mipsel", "SCMP_ARCH_MIPSEL", NULL, "mips-le", true, SCMP_ARCH_MIPSEL64},
    {SCMP_ARCH_MIPSEL64, "mipsel64", "SCMP_ARCH_MIPSEL64", "mips64le", "mips64-le", true, 0},
    {SCMP_ARCH_MIPSEL64N32, "mipsel64n32", "SCMP_ARCH_MIPSEL64N32", NULL, "mips64-le-n32", true,
     SCMP_ARCH_MIPSEL64},
    {SCMP_ARCH_PPC, "ppc", "SCMP_ARCH_PPC", NULL, "ppc", true, SCMP_ARCH_PPC64},
    {SCMP_ARCH_PPC64, "ppc64", "SCMP_ARCH_PPC64", "ppc64", "ppc64", true, 0},
    {SCMP_ARCH_PPC64LE, "ppc64le", "SCMP_ARCH_PPC64LE", "ppc64le", "ppc64-le", true, 0},
    {SCMP_ARCH_S390, "s390", "SCMP_ARCH_S390", NULL, "s390", true, SCMP_ARCH_S390X},
    {SCMP_ARCH_S390X, "s390x", "SCMP_ARCH_S390X", "s390x", "s390x", true, 0},
    {SCMP_ARCH_PARISC, "parisc", "SCMP_ARCH_PARISC", NULL, "parisc", true, SCMP_ARCH_PARISC64},
    {SCMP_ARCH_PARISC64, "parisc64", "SCMP_ARCH_PARISC64", NULL, "parisc64", true, 0},
    {SCMP_ARCH_RISCV64, "riscv64", "SCMP_ARCH_RISCV64", "riscv64", "riscv64", true, 0},
#ifdef SCMP_ARCH_LOONGARCH64
    {SCMP_ARCH_LOONGARCH64, "loongarch64", "SCMP_ARCH_LOONGARCH64", "loong64", NULL, false, 0},
#endif
#ifdef SCMP_ARCH_M68K
    {SCMP_ARCH_M68K, "m68k", "SCMP_ARCH_M68K", NULL, NULL, false, 0},
#endif
#ifdef SCMP_ARCH_SHEB
    {SCMP_ARCH_SHEB, "sheb", "SCMP_ARCH_SHEB", NULL, NULL, false, 0},
#endif
#ifdef SCMP_ARCH_SH
    {SCMP_ARCH_SH, "sh", "SCMP_ARCH_SH", NULL, NULL, false, 0},
#endif
};

/* The row of an ABI token, or NULL. */
static const struct abi *abi_row(uint32_t abi)
{
	for (size_t i = 0; i < SCW_ARRAY_SIZE(abi_table); i++)
		if (abi_table[i].token == abi)
			return &abi_table[i];
	return NULL;
}

uint32_t scw_abi_native(void)
{
	return seccomp_arch_native();
}

uint32_t scw_abi_from_audit(uint32_t audit_arch, uint32_t *nr)
{
	if (audit_arch == SCMP_ARCH_X86_64 && (*nr & SCW_X32_SYSCALL_BIT)) {
		*nr &= ~SCW_X32_SYSCALL_BIT;
		return SCMP_ARCH_X32;
	}
	return audit_arch;
}

uint32_t scw_abi_to_audit(uint32_t abi, uint32_t *nr)
{
	if (abi == SCMP_ARCH_X32) {
		*nr |= SCW_X32_SYSCALL_BIT;
		return SCMP_ARCH_X86_64;
	}
	return abi;
}

const char *scw_abi_name(uint32_t abi)
{
	const struct abi *r = abi_row(abi);
	return r ? r->name : NULL;
}

const char *scw_abi_oci_name(uint32_t abi)
{
	const struct abi *r = abi_row(abi);
	return r ? r->oci : NULL;
}

const char *scw_abi_go_name(uint32_t abi)
{
	const struct abi *r = abi_row(abi);
	return r ? r->go : NULL;
}

const char *scw_abi_systemd_name(uint32_t abi)
{
	const struct abi *r = abi_row(abi);
	return r ? r->systemd : NULL;
}

bool scw_abi_k8s_admits(uint32_t abi)
{
	const struct abi *r = abi_row(abi);
	return r && r->k8s;
}

uint32_t scw_abi_from_name(const char *name)
{
	if (strncasecmp(name, "SCMP_ARCH_", 10) == 0)
		name += 10;
	for (size_t i = 0; i < SCW_ARRAY_SIZE(abi_table); i++)
		if (strcasecmp(name, abi_table[i].name) == 0)
			return abi_table[i].token;
	return 0;
}

size_t scw_abi_machine(uint32_t *abis, size_t max)
{
	uint32_t native = scw_abi_native();
	size_t n = 0;
	if (max == 0)
		return 0;
	abis[n++] = native;
	for (size_t i = 0; i < SCW_ARRAY_SIZE(abi_table) && n < max; i++)
		if (abi_table[i].native_of == native)
			abis[n++] = abi_table[i].token;
	return n;
}

char *scw_syscall_name(uint32_t abi, uint32_t nr)
{
	if (abi == SCMP_ARCH_X32)
		nr |= SCW_X32_SYSCALL_BIT;
	return seccomp_syscall_resolve_num_arch(abi, (int)nr);
}

int scw_syscall_nr(uint32_t abi, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(abi, name);
	if (nr == __NR_SCMP_ERROR || nr < 0)
		return -1;
	if (abi == SCMP_ARCH_X32)
		nr &= ~(int)SCW_X32_SYSCALL_BIT;
	return nr;
}

bool scw_syscall_known(const char *name)
{
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

const char *scw_libseccomp_version(void)
{
	static char buf[32];
	const struct scmp_version *v = seccomp_version();
	snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}

size_t scw_abi_calls_machine(struct scw_abi_calls *out, size_t max)
{
	uint32_t abis[8];
	size_t n = scw_abi_machine(abis, max < 8 ? max : 8);
	for (size_t i = 0; i < n; i++) {
		struct scw_abi_calls *c = &out[i];
		c->abi = abis[i];
		c->clone = scw_syscall_nr(abis[i], "clone");
		c->clone3 = scw_syscall_nr(abis[i], "clone3");
		c->execve = scw_syscall_nr(abis[i], "execve");
		c->execveat = scw_syscall_nr(abis[i], "execveat");
		c->ptrace = scw_syscall_nr(abis[i], "ptrace");
		c->prctl = scw_syscall_nr(abis[i], "prctl");
		c->seccomp = scw_syscall_nr(abis[i], "seccomp");
	}
	return n;
}

const struct scw_abi_calls *scw_abi_calls_find(const struct scw_abi_calls *calls, size_t n,
					       uint32_t abi)
{
	for (size_t i = 0; i < n; i++)
		if (calls[i].abi == abi)
			return &calls[i];
	return NULL;
}

bool scw_abi_calls_loads_filter(const struct scw_abi_calls *c, uint32_t nr, const uint64_t *args)
{
	return ((int)nr == c->prctl && args[0] == PR_SET_SECCOMP &&
		args[1] == SECCOMP_MODE_FILTER) ||
	       ((int)nr == c->seccomp && args[0] == SECCOMP_SET_MODE_FILTER);
}
