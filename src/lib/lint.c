/* lint.c - dangerous syscalls, and profiles that cannot work. */
#include <config.h>

#include <string.h>

#include "abi.h"
#include "lint.h"
#include "util.h"

/* Syscalls that widen what a contained process can do to the host: the
 * ones container runtimes' default profiles deny or pin (Docker's default
 * profile allows them only with CAP_SYS_ADMIN and friends). */
static const struct {
	const char *name, *why;
} risky[] = {
    {"ptrace", "reads and writes other processes' memory and registers"},
    {"process_vm_readv", "reads other processes' memory"},
    {"process_vm_writev", "writes other processes' memory"},
    {"bpf", "loads eBPF programs into the kernel"},
    {"perf_event_open", "kernel profiling: a large kernel attack surface"},
    {"mount", "changes the mount table"},
    {"umount2", "changes the mount table"},
    {"move_mount", "changes the mount table"},
    {"fsopen", "makes mounts (new mount API)"},
    {"fsmount", "makes mounts (new mount API)"},
    {"open_tree", "clones mount trees"},
    {"pivot_root", "changes the root of the mount namespace"},
    {"setns", "enters other namespaces"},
    {"unshare", "makes new namespaces (user namespaces open kernel attack surface)"},
    {"keyctl", "the kernel keyring, which is not namespaced"},
    {"add_key", "the kernel keyring, which is not namespaced"},
    {"request_key", "the kernel keyring, which is not namespaced"},
    {"init_module", "loads kernel modules"},
    {"finit_module", "loads kernel modules"},
    {"delete_module", "unloads kernel modules"},
    {"kexec_load", "replaces the running kernel"},
    {"kexec_file_load", "replaces the running kernel"},
    {"open_by_handle_at", "opens files by handle, bypassing the mount namespace"},
    {"userfaultfd", "a common kernel exploit primitive"},
    {"io_uring_setup", "io_uring operations bypass seccomp filtering"},
    {"io_uring_enter", "io_uring operations bypass seccomp filtering"},
    {"io_uring_register", "io_uring operations bypass seccomp filtering"},
    {"reboot", "reboots the host"},
    {"swapon", "changes the host's swap"},
    {"swapoff", "changes the host's swap"},
    {"acct", "process accounting of the host"},
    {"settimeofday", "sets the host's clock (time is not namespaced)"},
    {"clock_settime", "sets the host's clock (time is not namespaced)"},
    {"clock_adjtime", "adjusts the host's clock"},
    {"adjtimex", "adjusts the host's clock"},
    {"iopl", "raw I/O port access"},
    {"ioperm", "raw I/O port access"},
    {"lookup_dcookie", "kernel profiling internals"},
    {"quotactl", "the host's disk quotas"},
    {"nfsservctl", "the kernel NFS server"},
    {"vm86", "virtual 8086 mode"},
    {"vm86old", "virtual 8086 mode"},
    {"uselib", "obsolete library loading"},
    {"personality", "can turn on READ_IMPLIES_EXEC and turn off ASLR"},
    {"syslog", "reads the kernel log"},
    {"kcmp", "compares kernel objects of other processes"},
};

const char *scw_risk(const char *name)
{
	for (size_t i = 0; i < SCW_ARRAY_SIZE(risky); i++)
		if (strcmp(risky[i].name, name) == 0)
			return risky[i].why;
	return NULL;
}

/* Whether p lets name through for some arguments at least; *conditional
 * when only for some. */
static bool allows(const struct scw_profile *p, const char *name, bool *conditional)
{
	struct scw_verdict v;
	*conditional = false;
	scw_profile_verdict(p, name, &v);
	if (scw_action_allows(v.action))
		return true;
	return *conditional = scw_profile_conditional_allow(p, name) != NULL;
}

/* The first of p's ABIs (the native one when it lists none) whose
 * libseccomp table has name, or 0. */
static uint32_t abi_with(const struct scw_profile *p, const char *name)
{
	if (p->n_arches == 0)
		return scw_syscall_nr(scw_abi_native(), name) >= 0 ? scw_abi_native() : 0;
	for (size_t i = 0; i < p->n_arches; i++)
		if (scw_syscall_nr(p->arches[i], name) >= 0)
			return p->arches[i];
	return 0;
}

size_t scw_lint(const struct scw_profile *p, struct scw_notes *out)
{
	static const char *const needed[] = {"exit", "exit_group", "rt_sigreturn"};
	size_t n0 = out->n;
	uint32_t native = scw_abi_native(), sigret = abi_with(p, "sigreturn"), machine[8];
	size_t n_machine;
	bool cond;

	if (scw_action_allows(p->default_action)) {
		scw_notes_add(out,
			      "warning: the default action %s allows every syscall no rule "
			      "names: this is a denylist, not an allowlist",
			      scw_action_name(p->default_action));
	} else {
		for (size_t i = 0; i < SCW_ARRAY_SIZE(needed); i++)
			if (!allows(p, needed[i], &cond))
				scw_notes_add(out, "error: %s is not allowed: %s", needed[i],
					      strcmp(needed[i], "rt_sigreturn") == 0
						  ? "no signal handler can return, and Go programs "
						    "(runc among them) crash on preemption signals"
						  : "the container's processes can never exit");
		/* A handler without SA_SIGINFO returns with sigreturn where the ABI
		 * has it (glibc's i386 restorer, sysdeps/unix/sysv/linux/i386/
		 * libc_sigaction.c): without it the program dies with SIGSEGV. */
		if (sigret && !allows(p, "sigreturn", &cond))
			scw_notes_add(out,
				      "error: sigreturn is not allowed, and ABI %s has it: its "
				      "programs die with SIGSEGV when a signal handler returns",
				      scw_abi_name(sigret) ? scw_abi_name(sigret) : "?");
	}
	for (size_t i = 0; i < SCW_ARRAY_SIZE(risky); i++) {
		if (!allows(p, risky[i].name, &cond))
			continue;
		scw_notes_add(out, "danger: %s is allowed%s: %s", risky[i].name,
			      cond ? " with some arguments" : "", risky[i].why);
	}
	n_machine = scw_abi_machine(machine, SCW_ARRAY_SIZE(machine));
	for (size_t i = 0; i < p->n_arches; i++) {
		const char *name = scw_abi_name(p->arches[i]);
		bool runs_here = false;
		/* Another machine's ABI (aarch64 for arm64 nodes, listed on an
		 * x86_64 host) is no way in here: this kernel cannot run it. */
		for (size_t k = 0; k < n_machine; k++)
			runs_here |= machine[k] == p->arches[i];
		if (p->arches[i] == native || !runs_here)
			continue;
		scw_notes_add(out,
			      "warning: ABI %s is open: its syscall table is a second way in "
			      "(32-bit calls are a classic filter bypass); keep it only if the "
			      "workload runs %s code",
			      name ? name : "?", name ? name : "such");
	}
	if (p->n_arches == 0 && !scw_action_allows(p->default_action))
		scw_notes_add(
		    out, "warning: no architectures listed: runtimes apply the profile to "
			 "the native ABI only, and refuse other ABIs with the bad-arch action");
	return out->n - n0;
}
