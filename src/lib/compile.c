/* compile.c - a profile as the libseccomp filter runc would load, and that
 * filter as classic BPF. */
#include <config.h>

#include <errno.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "compile.h"
#include "export.h"
#include "util.h"

uint32_t scw_scmp_action(enum scw_action a, bool has_errno, int e)
{
	uint32_t ret = has_errno ? (uint32_t)e : EPERM;
	switch (a) {
	case SCW_ACT_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case SCW_ACT_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case SCW_ACT_TRAP:
		return SCMP_ACT_TRAP;
	case SCW_ACT_ERRNO:
		return SCMP_ACT_ERRNO(ret);
	case SCW_ACT_NOTIFY:
		return SCMP_ACT_NOTIFY;
	case SCW_ACT_TRACE:
		return SCMP_ACT_TRACE(ret);
	case SCW_ACT_LOG:
		return SCMP_ACT_LOG;
	case SCW_ACT_ALLOW:
		return SCMP_ACT_ALLOW;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static enum scmp_compare op_of(enum scw_op op)
{
	switch (op) {
	case SCW_OP_NE:
		return SCMP_CMP_NE;
	case SCW_OP_LT:
		return SCMP_CMP_LT;
	case SCW_OP_LE:
		return SCMP_CMP_LE;
	case SCW_OP_EQ:
		return SCMP_CMP_EQ;
	case SCW_OP_GE:
		return SCMP_CMP_GE;
	case SCW_OP_GT:
		return SCMP_CMP_GT;
	case SCW_OP_MASKED_EQ:
		return SCMP_CMP_MASKED_EQ;
	}
	return _SCMP_CMP_MIN;
}

/* The filter attribute of an OCI flag, or 0 when libseccomp has none. */
static int flag_attr(const char *flag)
{
	if (strcmp(flag, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
		return SCMP_FLTATR_CTL_TSYNC;
	if (strcmp(flag, "SECCOMP_FILTER_FLAG_LOG") == 0)
		return SCMP_FLTATR_CTL_LOG;
	if (strcmp(flag, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
		return SCMP_FLTATR_CTL_SSB;
	return 0;
}

int scw_rule_add_to(scmp_filter_ctx ctx, uint32_t action, int nr, const struct scw_rule *r)
{
	struct scmp_arg_cmp cmp[6 * 8];
	size_t n = r->n_args < SCW_ARRAY_SIZE(cmp) ? r->n_args : SCW_ARRAY_SIZE(cmp);

	/* cppcheck 2.10 takes n for 0 here; it is r->n_args, capped. */
	// cppcheck-suppress knownConditionTrueFalse
	for (size_t i = 0; i < n; i++) {
		cmp[i] = (struct scmp_arg_cmp){
		    .arg = r->args[i].index,
		    .op = op_of(r->args[i].op),
		    .datum_a = r->args[i].value,
		    .datum_b = r->args[i].value_two,
		};
	}
	if (!scw_rule_repeats_index(r))
		return seccomp_rule_add_array(ctx, action, nr, (unsigned)n, cmp);
	// cppcheck-suppress knownConditionTrueFalse
	for (size_t i = 0; i < n; i++) {
		int rc = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Add word to a space-separated list (*s owned, may be NULL), once. */
static void add_word(char **s, const char *word)
{
	size_t len = strlen(word);
	char *t;
	for (const char *at = *s; at && (at = strstr(at, word)); at += len)
		if ((at == *s || at[-1] == ' ') && (at[len] == ' ' || at[len] == '\0'))
			return;
	t = *s ? scw_xasprintf("%s %s", *s, word) : scw_xstrdup(word);
	free(*s);
	*s = t;
}

int scw_profile_compile(const struct scw_profile *p, scmp_filter_ctx *out, struct scw_notes *notes,
			scw_error *err)
{
	uint32_t def = scw_scmp_action(p->default_action, p->has_default_errno, p->default_errno);
	uint32_t native = scw_abi_native();
	cleanup_free char *unknown = NULL;
	scmp_filter_ctx ctx;
	int rc;

	*out = NULL;
	if (p->default_action == SCW_ACT_NOTIFY)
		scw_notes_add(notes, "runc refuses SCMP_ACT_NOTIFY as the default action; this "
				     "program is libseccomp's all the same");
	ctx = seccomp_init(def);
	if (!ctx)
		return scw_fail(err, 0, "libseccomp %s cannot use %s as the default action",
				scw_libseccomp_version(), scw_action_name(p->default_action));
	/* runc leaves no_new_privs to the runtime; it matters only for a load. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0) {
		scw_fail(err, -rc, "libseccomp refused to leave no_new_privs alone");
		goto fail;
	}
	for (size_t i = 0; i < p->n_arches; i++) {
		if (p->arches[i] == native)
			continue;
		rc = seccomp_arch_add(ctx, p->arches[i]);
		if (rc < 0 && rc != -EEXIST) {
			scw_fail(err, -rc, "libseccomp %s cannot add ABI %s",
				 scw_libseccomp_version(),
				 scw_abi_name(p->arches[i]) ? scw_abi_name(p->arches[i]) : "?");
			goto fail;
		}
	}
	for (size_t i = 0; i < p->n_flags; i++) {
		int attr = flag_attr(p->flags[i]);
		if (!attr || seccomp_attr_set(ctx, (enum scmp_filter_attr)attr, 1) < 0)
			scw_notes_add(notes,
				      "flag %s: not set, libseccomp %s or this kernel has no such "
				      "filter attribute",
				      p->flags[i], scw_libseccomp_version());
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scw_rule *r = &p->rules[i];
		uint32_t action = scw_scmp_action(r->action, r->has_errno, r->errno_ret);
		/* The default already answers so: libseccomp would refuse it. */
		if (action == def)
			continue;
		for (size_t j = 0; j < r->n_names; j++) {
			int nr = seccomp_syscall_resolve_name(r->names[j]);
			if (nr == __NR_SCMP_ERROR) {
				add_word(&unknown, r->names[j]);
				continue;
			}
			rc = r->n_args ? scw_rule_add_to(ctx, action, nr, r)
				       : seccomp_rule_add(ctx, action, nr, 0);
			if (rc < 0) {
				char data[16] = "";
				if (r->has_errno)
					snprintf(data, sizeof(data), "(%d)", r->errno_ret);
				scw_fail(err, -rc, "libseccomp %s refused the rule %s%s for %s%s",
					 scw_libseccomp_version(), scw_action_name(r->action), data,
					 r->names[j],
					 r->n_args ? " with its argument conditions" : "");
				goto fail;
			}
		}
	}
	if (unknown)
		scw_notes_add(notes, "skipped, as runc does, names libseccomp %s does not know: %s",
			      scw_libseccomp_version(), unknown);
	*out = ctx;
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}

char *scw_profile_to_bpf(const struct scw_profile *p, size_t *len, struct scw_notes *notes,
			 scw_error *err)
{
	scmp_filter_ctx ctx;
	cleanup_fd int fd = -1;
	char *buf = NULL;
	struct stat st;
	size_t got = 0;
	int rc;

	if (scw_profile_compile(p, &ctx, notes, err) < 0)
		return NULL;
	fd = memfd_create("scwrap-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		scw_fail(err, errno, "cannot make a memory file for the BPF program");
		goto out;
	}
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		scw_fail(err, -rc, "libseccomp %s cannot export the BPF program",
			 scw_libseccomp_version());
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		scw_fail(err, errno, "cannot read the BPF program back");
		goto out;
	}
	buf = scw_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			scw_fail(err, n < 0 ? errno : EIO, "cannot read the BPF program back");
			free(buf);
			buf = NULL;
			goto out;
		}
		got += (size_t)n;
	}
	*len = got;
	if (p->n_flags)
		scw_notes_add(notes,
			      "flags are given to seccomp(2) when the program is loaded, not "
			      "held in it: the loader must set them");
	if (p->listener_path)
		scw_notes_add(notes, "listenerPath and listenerMetadata are not in the program: a "
				     "runtime hands the notification fd to the agent");
out:
	seccomp_release(ctx);
	return buf;
}
