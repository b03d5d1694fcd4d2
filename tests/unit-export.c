/* unit-export.c - the export formats on profiles built in memory: YAML
 * quoting, systemd's names and lines, notes for what a format cannot say. */
#include <config.h>

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/abi.h"
#include "lib/export.h"
#include "lib/profile.h"
#include "lib/util.h"
#include "tap.h"

static struct scw_rule *rule(struct scw_profile *p, enum scw_action a, const char *names)
{
	struct scw_rule *r;
	char *copy = scw_xstrdup(names), *save = NULL;
	p->rules = scw_xreallocarray(p->rules, p->n_rules + 1, sizeof(*p->rules));
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	r->action = a;
	r->layer = SCW_LAYER_BASELINE;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		r->names = scw_xreallocarray(r->names, r->n_names + 1, sizeof(*r->names));
		r->names[r->n_names++] = scw_xstrdup(w);
	}
	free(copy);
	return r;
}

static struct scw_profile *profile(enum scw_action dflt, int e, const char *arches)
{
	struct scw_profile *p = scw_xcalloc(1, sizeof(*p));
	char *copy = scw_xstrdup(arches), *save = NULL;
	p->default_action = dflt;
	p->has_default_errno = dflt == SCW_ACT_ERRNO;
	p->default_errno = e;
	p->arches = scw_xcalloc(8, sizeof(*p->arches));
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		p->arches[p->n_arches++] = scw_abi_from_name(w);
	free(copy);
	return p;
}

/* The format's text (NUL-terminated), notes joined by newlines into *notes. */
static char *render(const char *format, const struct scw_profile *p, const char *name, char **notes,
		    scw_error *err)
{
	struct scw_export_opts o = {.name = name};
	struct scw_notes n = {0};
	size_t len = 0, total = 1;
	char *out = scw_format_find(format)->render(p, &o, &len, &n, err);
	for (size_t i = 0; i < n.n; i++)
		total += strlen(n.v[i]) + 1;
	*notes = scw_xcalloc(1, total);
	for (size_t i = 0; i < n.n; i++) {
		strcat(*notes, n.v[i]);
		strcat(*notes, "\n");
	}
	scw_notes_free(&n);
	return out;
}

static int has(const char *text, const char *part)
{
	int ok = text && strstr(text, part) != NULL;
	if (!ok)
		printf("# wanted: %s\n# in: %s\n", part, text ? text : "(null)");
	return ok;
}

/* valgrind has no seccomp(2): libseccomp, probing the kernel through it,
 * would take it for a kernel without filter flags.  check-valgrind asks for
 * the API level outside valgrind (--seccomp-api) and sets it here. */
static void seccomp_api_from_env(void)
{
	const char *level = getenv("SCWRAP_TEST_SECCOMP_API");
	if (level && *level)
		seccomp_api_set((unsigned)strtoul(level, NULL, 10));
}

int main(int argc, char **argv)
{
	struct scw_profile *p, *d;
	struct scw_rule *r;
	scw_error err = {0};
	char *out, *notes;
	size_t len = 0;
	struct scw_notes n = {0};

	if (argc > 1 && strcmp(argv[1], "--seccomp-api") == 0) {
		printf("%u\n", seccomp_api_get());
		return 0;
	}
	seccomp_api_from_env();
	tap_plan(43);

	/* The table. */
	tap_ok(scw_format_find("oci") && scw_format_find("k8s") && scw_format_find("systemd") &&
		   scw_format_find("text") && scw_format_find("bpf"),
	       "every format is in the table");
	tap_ok(scw_format_find("yaml") == NULL, "an unknown format is not found");
	tap_ok(scw_format_find("bpf")->binary && !scw_format_find("k8s")->binary,
	       "bpf alone is binary");

	/* An allowlist with something of everything. */
	p = profile(SCW_ACT_ERRNO, EPERM, "x86_64 x86 x32");
	r = rule(p, SCW_ACT_ALLOW, "write read");
	r->comment = scw_xstrdup("scwrap:recorded: a \"quoted\"\nline");
	r = rule(p, SCW_ACT_ERRNO, "clone3");
	r->has_errno = true;
	r->errno_ret = ENOSYS;
	r = rule(p, SCW_ACT_ALLOW, "socket");
	r->args = scw_xcalloc(1, sizeof(*r->args));
	r->args[0] = (struct scw_arg){.index = 0, .value = 40, .op = SCW_OP_NE};
	r->n_args = 1;
	rule(p, SCW_ACT_LOG, "getpid");
	rule(p, SCW_ACT_KILL_THREAD, "ptrace");
	rule(p, SCW_ACT_TRACE, "mount");
	rule(p, SCW_ACT_ALLOW, "nosuchcall_scwrap");
	p->flags = scw_xcalloc(1, sizeof(*p->flags));
	p->flags[p->n_flags++] = scw_xstrdup("SECCOMP_FILTER_FLAG_TSYNC");
	p->listener_path = scw_xstrdup("/run/agent \"a\\b\".sock");
	/* é, an emoji, U+2028 (a line break to YAML readers), a tab, DEL. */
	p->listener_metadata = scw_xstrdup("k=v\nx\t\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\xa8\x7f");
	scw_profile_normalize(p);

	out = render("k8s", p, NULL, &notes, &err);
	tap_ok(out != NULL, "k8s renders");
	tap_ok(has(out, "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
			"kind: SeccompProfile\nmetadata:\n  name: \"scwrap-profile\"\n"),
	       "k8s: resource header, default name");
	tap_ok(has(out, "  listenerPath: \"/run/agent \\\"a\\\\b\\\".sock\"\n"),
	       "k8s: quotes and backslashes escaped");
	tap_ok(has(out, "  listenerMetadata: \"k=v\\nx\\t\\u00e9 \\U0001f600 \\u2028\\x7f\"\n"),
	       "k8s: newline, tab, non-ASCII and DEL escaped");
	tap_ok(has(out,
		   "    # scwrap:recorded: a \"quoted\" line\n    - action: \"SCMP_ACT_ALLOW\"\n"
		   "      names:\n        - \"read\"\n        - \"write\"\n"),
	       "k8s: a rule's comment as one YAML comment line, names quoted");
	tap_ok(has(out, "        - \"clone3\"\n      errnoRet: 38\n"), "k8s: errnoRet a number");
	tap_ok(has(out, "        - index: 0\n          value: 40\n          valueTwo: 0\n"
			"          op: \"SCMP_CMP_NE\"\n"),
	       "k8s: argument conditions");
	tap_ok(has(out, "  architectures:\n    - \"SCMP_ARCH_X86_64\"\n    - \"SCMP_ARCH_X86\"\n"
			"    - \"SCMP_ARCH_X32\"\n"),
	       "k8s: architectures");
	tap_ok(has(out, "  flags:\n    - \"SECCOMP_FILTER_FLAG_TSYNC\"\n"), "k8s: flags");
	tap_ok(strchr(out, '\t') == NULL &&
		   strspn(out, "\n !\"#$%&'()*+,-./0123456789:;<=>?@"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
			       "abcdefghijklmnopqrstuvwxyz{|}~") == strlen(out),
	       "k8s: the YAML is printable ASCII");
	free(out);
	free(notes);
	out = render("k8s", p, "my-app.v1", &notes, &err);
	tap_ok(has(out, "  name: \"my-app.v1\"\n"), "k8s: --name");
	free(out);
	free(notes);
	out = render("k8s", p, "My_App", &notes, &err);
	tap_ok(out == NULL && has(err.msg, "DNS-1123"), "k8s: a bad name is refused, saying why");
	free(notes);

	out = render("systemd", p, NULL, &notes, &err);
	tap_ok(out != NULL, "systemd renders");
	tap_ok(has(out, "[Service]\nSystemCallFilter=getpid read socket write\n"),
	       "systemd: the allow list first, conditional and logged names in it");
	tap_ok(has(out, "SystemCallFilter=~clone3:ENOSYS mount:ENOSYS ptrace:kill\n"),
	       "systemd: names answered otherwise than the default, after the allow list");
	tap_ok(has(out, "SystemCallErrorNumber=EPERM\n"), "systemd: the default's errno by name");
	tap_ok(has(out, "SystemCallArchitectures=x86-64 x86 x32\n"), "systemd: its names of ABIs");
	tap_ok(has(out, "SystemCallLog=getpid\n"), "systemd: SCMP_ACT_LOG names are logged");
	tap_ok(strstr(out, "nosuchcall") == NULL,
	       "systemd: a name libseccomp does not know is left out");
	tap_ok(has(notes, "broadened") && has(notes, ": socket\n"),
	       "systemd note: conditions dropped, broadened, naming the call");
	tap_ok(has(notes, "SCMP_ACT_KILL_THREAD: systemd kills the whole process") &&
		   has(notes, "ptrace\n"),
	       "systemd note: KILL_THREAD");
	tap_ok(has(notes, "SCMP_ACT_TRACE: no tracer under systemd: answered ENOSYS") &&
		   has(notes, "mount\n"),
	       "systemd note: TRACE");
	tap_ok(has(notes, "left out") && has(notes, "nosuchcall_scwrap"),
	       "systemd note: unknown names");
	tap_ok(has(notes, "flags dropped") && has(notes, "listenerPath"),
	       "systemd note: flags and listener");
	free(out);
	free(notes);

	out = render("text", p, NULL, &notes, &err);
	tap_is_str(out, "getpid\nnosuchcall_scwrap\nread\nsocket\nwrite\n",
		   "text: allowed names, sorted, conditional ones included");
	tap_ok(has(notes, "conditional") && has(notes, "socket"), "text note: conditional names");
	free(out);
	free(notes);

	{
		struct scw_export_opts o = {0};
		out = scw_format_find("bpf")->render(p, &o, &len, &n, &err);
	}
	tap_ok(out && len > 0 && len % 8 == 0, "bpf: whole instructions (%zu bytes)", len);
	tap_ok(n.n > 0 && has(n.v[0], "nosuchcall_scwrap"), "bpf note: unknown names skipped");
	scw_notes_free(&n);
	free(out);

	/* Other ABIs; a default errno the CRD cannot carry. */
	d = profile(SCW_ACT_ERRNO, ENOSYS, "aarch64 arm");
	rule(d, SCW_ACT_ALLOW, "read");
	scw_profile_normalize(d);
	out = render("k8s", d, NULL, &notes, &err);
	tap_ok(has(notes, "defaultErrnoRet 38: the SeccompProfile has no such field"),
	       "k8s note: a defaultErrnoRet the CRD cannot carry");
	free(out);
	free(notes);
	/* AUDIT_ARCH_LOONGARCH64: systemd 252 has no name for it (libseccomp
	 * 2.5.4 none either). */
	d->arches[d->n_arches++] = 0xc0000102u;
	out = render("systemd", d, NULL, &notes, &err);
	tap_ok(has(out, "SystemCallArchitectures=arm64 arm\n") &&
		   has(notes, "systemd has no name for it"),
	       "systemd: arm64 and arm; an ABI systemd cannot name is noted");
	tap_ok(has(out, "SystemCallErrorNumber=ENOSYS\n"), "systemd: ENOSYS default");
	free(out);
	free(notes);
	scw_profile_free(d);

	/* A denylist: ~names, the commonest errno as SystemCallErrorNumber=. */
	d = profile(SCW_ACT_ALLOW, 0, "");
	rule(d, SCW_ACT_ERRNO, "umount2 mount");
	r = rule(d, SCW_ACT_ERRNO, "reboot");
	r->has_errno = true;
	r->errno_ret = EACCES;
	rule(d, SCW_ACT_KILL_PROCESS, "kexec_load");
	scw_profile_normalize(d);
	out = render("systemd", d, NULL, &notes, &err);
	tap_ok(has(out, "[Service]\nSystemCallFilter=~kexec_load:kill mount reboot:EACCES umount2\n"
			"SystemCallErrorNumber=EPERM\nSystemCallArchitectures=native\n"),
	       "systemd: a denylist with per-name answers; no ABIs is native");
	tap_ok(strstr(notes, "@default") == NULL, "systemd: no allow list, no note on @default");
	free(out);
	free(notes);
	out = render("text", d, NULL, &notes, &err);
	tap_ok(out && *out == '\0' && has(notes, "allows every call not listed"),
	       "text: a denylist lists nothing, and says so");
	free(out);
	free(notes);
	scw_profile_free(d);

	/* A long allowlist wraps. */
	d = profile(SCW_ACT_ERRNO, EPERM, "x86_64");
	rule(d, SCW_ACT_ALLOW,
	     "read write openat close fstat newfstatat mmap mprotect munmap brk rt_sigaction "
	     "rt_sigprocmask ioctl pread64 pwrite64 readv writev access pipe select");
	scw_profile_normalize(d);
	out = render("systemd", d, NULL, &notes, &err);
	{
		int lines = 0, longest = 0;
		for (char *l = out; l && *l;) {
			char *e = strchr(l, '\n');
			int w = (int)(e ? e - l : (long)strlen(l));
			if (strncmp(l, "SystemCallFilter=", 17) == 0)
				lines++;
			if (w > longest && *l != '#')
				longest = w;
			l = e ? e + 1 : l + w;
		}
		tap_ok(lines > 1 && longest <= 80,
		       "systemd: long lists wrap (%d lines, %d columns)", lines, longest);
	}
	free(out);
	free(notes);
	scw_profile_free(d);
	scw_profile_free(p);

	/* Kubernetes names. */
	tap_ok(scw_k8s_name_ok("a") && scw_k8s_name_ok("my-app.v1") && scw_k8s_name_ok("0x"),
	       "DNS-1123 subdomains pass");
	tap_ok(!scw_k8s_name_ok("") && !scw_k8s_name_ok("-a") && !scw_k8s_name_ok("a-") &&
		   !scw_k8s_name_ok("a..b") && !scw_k8s_name_ok("a.-b") && !scw_k8s_name_ok("A") &&
		   !scw_k8s_name_ok("a_b"),
	       "others fail");
	{
		char longname[256];
		memset(longname, 'a', 254);
		longname[254] = '\0';
		tap_ok(!scw_k8s_name_ok(longname), "254 characters fail");
		longname[253] = '\0';
		tap_ok(scw_k8s_name_ok(longname), "253 pass");
	}

	/* A rule read from JSON keeps the file's order of names; lookups
	 * must still find them (the model sorts in normalize). */
	p = scw_profile_from_json("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
				  "{\"names\":[\"write\",\"getrlimit\",\"_llseek\"],"
				  "\"action\":\"SCMP_ACT_ALLOW\"},"
				  "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_LOG\"}]}",
				  "test", &err);
	{
		struct scw_verdict v;
		scw_profile_verdict(p, "getrlimit", &v);
		tap_ok(v.rule && v.action == SCW_ACT_ALLOW, "names of an unsorted rule are found");
	}
	scw_profile_free(p);
	return tap_done();
}
