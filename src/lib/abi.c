/* abi.c - ABIs and syscall names, all resolved by libseccomp. */
#include <config.h>

#include <ctype.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "abi.h"
#include "util.h"

/* libseccomp's ABI names.  The tokens come from seccomp_arch_resolve_name()
 * at run time; the OCI spelling is "SCMP_ARCH_" and the name in upper case. */
static const char *const abi_names[] = {
    "x86",    "x86_64",	  "x32",	 "arm",		"aarch64", "mips",    "mips64", "mips64n32",
    "mipsel", "mipsel64", "mipsel64n32", "ppc",		"ppc64",   "ppc64le", "s390",	"s390x",
    "parisc", "parisc64", "riscv64",	 "loongarch64", "m68k",	   "sheb",    "sh",
};

/* Compat ABIs the kernel runs beside a native one. */
static const struct {
	const char *native, *compat[3];
} machine_abis[] = {
    {"x86_64", {"x86", "x32", NULL}},	     {"aarch64", {"arm", NULL, NULL}},
    {"ppc64", {"ppc", NULL, NULL}},	     {"s390x", {"s390", NULL, NULL}},
    {"mips64", {"mips", "mips64n32", NULL}}, {"mipsel64", {"mipsel", "mipsel64n32", NULL}},
    {"parisc64", {"parisc", NULL, NULL}},
};

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
	for (size_t i = 0; i < SCW_ARRAY_SIZE(abi_names); i++) {
		uint32_t tok = seccomp_arch_resolve_name(abi_names[i]);
		if (tok != 0 && tok == abi)
			return abi_names[i];
	}
	return NULL;
}

bool scw_abi_oci_name(uint32_t abi, char *buf, size_t size)
{
	const char *name = scw_abi_name(abi);
	size_t i, len;
	if (!name)
		return false;
	len = strlen(name);
	if (size < len + sizeof("SCMP_ARCH_"))
		return false;
	memcpy(buf, "SCMP_ARCH_", 10);
	for (i = 0; i < len; i++)
		buf[10 + i] = (char)toupper((unsigned char)name[i]);
	buf[10 + len] = '\0';
	return true;
}

uint32_t scw_abi_from_name(const char *name)
{
	if (strncasecmp(name, "SCMP_ARCH_", 10) == 0)
		name += 10;
	for (size_t i = 0; i < SCW_ARRAY_SIZE(abi_names); i++)
		if (strcasecmp(name, abi_names[i]) == 0)
			return seccomp_arch_resolve_name(abi_names[i]);
	return 0;
}

size_t scw_abi_machine(uint32_t *abis, size_t max)
{
	uint32_t native = scw_abi_native();
	const char *name = scw_abi_name(native);
	size_t n = 0;
	if (max == 0)
		return 0;
	abis[n++] = native;
	for (size_t i = 0; name && i < SCW_ARRAY_SIZE(machine_abis); i++) {
		if (strcmp(machine_abis[i].native, name) != 0)
			continue;
		for (size_t j = 0; j < 3 && machine_abis[i].compat[j] && n < max; j++) {
			uint32_t tok = seccomp_arch_resolve_name(machine_abis[i].compat[j]);
			if (tok)
				abis[n++] = tok;
		}
	}
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
