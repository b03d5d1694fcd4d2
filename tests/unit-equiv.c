/* unit-equiv.c - the table of equivalents (data/equivalents) and --arch's
 * widening, on profiles read from JSON: what each direction adds, argument
 * rules moving, s390x's clone refused, lint's warning, hostile tables. */
#include <config.h>

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/abi.h"
#include "lib/equiv.h"
#include "lib/profile.h"
#include "lib/util.h"
#include "tap.h"

static struct scw_profile *from(const char *json)
{
	scw_error err = {0};
	struct scw_profile *p = scw_profile_from_json(json, "test", &err);
	if (!p) {
		fprintf(stderr, "# %s\n", err.msg);
		abort();
	}
	return p;
}

/* Whether p allows name plainly, and in which layer. */
static const char *layer_of(const struct scw_profile *p, const char *name)
{
	struct scw_verdict v;
	scw_profile_verdict(p, name, &v);
	return scw_action_allows(v.action) && v.rule ? scw_layer_name(v.rule->layer) : "-";
}

static bool added_for(const struct scw_equiv_result *r, const char *name, uint32_t abi)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].abi == abi && strcmp(r->v[i].name, name) == 0)
			return true;
	return false;
}

/* A table from text, through a temporary file; NULL with err. */
static struct scw_equiv *table(const char *text, scw_error *err)
{
	char path[] = "/tmp/scwrap-equiv-XXXXXX";
	int fd = mkstemp(path);
	struct scw_equiv *t;
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	t = scw_equiv_load(path, err);
	unlink(path);
	return t;
}

static void hostile(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"open openat\n", "every row cites its source"},
	    {"open openat |   \n", "source is empty"},
	    {"open nosuchcall | x\n", "knows no syscall nosuchcall"},
	    {"aarch64:open openat | x\n", "knows no syscall open on aarch64"},
	    {"vax:open openat | x\n", "'vax' is no ABI"},
	    {"open | x\n", "two names at least"},
	    {"open -> | x\n", "two names at least"},
	    {"-> open openat | x\n", "'->' must stand once"},
	    {"open -> openat -> stat | x\n", "'->' must stand once"},
	    {"open Open | x\n", "not a syscall name"},
	};
	char longline[1100];
	scw_error err = {0};
	struct scw_equiv *t;

	for (size_t i = 0; i < SCW_ARRAY_SIZE(bad); i++) {
		memset(&err, 0, sizeof(err));
		t = table(bad[i].text, &err);
		tap_ok(!t && strstr(err.msg, bad[i].want), "refused: %.*s (%s)",
		       (int)strcspn(bad[i].text, "\n"), bad[i].text, err.msg);
		scw_equiv_free(t);
	}
	memset(longline, 'a', sizeof(longline) - 2);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\0';
	memset(&err, 0, sizeof(err));
	t = table(longline, &err);
	tap_ok(!t && strstr(err.msg, "longer than"), "a long line is refused (%s)", err.msg);
	scw_equiv_free(t);
	memset(&err, 0, sizeof(err));
	t = table("# comment\n\n  open openat | glibc x\nexecve -> x86_64:arch_prctl | y\n", &err);
	tap_ok(t && t->n == 2 && t->rows[1].n_left == 1 && t->rows[1].v[1].abi == SCMP_ARCH_X86_64,
	       "a group and a one-way row with an ABI's name are read");
	scw_equiv_free(t);
}

static void shipped(const struct scw_equiv *t)
{
	size_t rows_with_source = 0;
	tap_ok(t->n > 50, "the shipped table has %zu rows", t->n);
	for (size_t i = 0; i < t->n; i++)
		rows_with_source += strstr(t->rows[i].source, "glibc ") ||
				    strstr(t->rows[i].source, "musl ") ||
				    strstr(t->rows[i].source, "Go ");
	tap_is_int((int)rows_with_source, (int)t->n, "every row cites a glibc, musl or Go file");
}

static void parse_abis(void)
{
	uint32_t abis[SCW_EQUIV_MAX_ABIS];
	scw_error err = {0};
	size_t n = scw_equiv_parse_abis("amd64,arm64,x86_64,i386,SCMP_ARCH_S390X,riscv64", abis,
					SCW_ARRAY_SIZE(abis), &err);
	tap_ok(n == 5 && abis[0] == SCMP_ARCH_X86_64 && abis[1] == SCMP_ARCH_AARCH64 &&
		   abis[2] == SCMP_ARCH_X86 && abis[3] == SCMP_ARCH_S390X &&
		   abis[4] == SCMP_ARCH_RISCV64,
	       "--arch takes Go's, libseccomp's and OCI's names, each ABI once");
	n = scw_equiv_parse_abis("x86_64,vax", abis, SCW_ARRAY_SIZE(abis), &err);
	tap_ok(n == 0 && strstr(err.msg, "'vax' is no architecture"), "an unknown name: %s",
	       err.msg);
}

static void widen_both_ways(const struct scw_equiv *t)
{
	static const uint32_t both[] = {SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64};
	struct scw_equiv_result r;
	scw_error err = {0};
	struct scw_profile *p =
	    from("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		 "\"syscalls\":[{\"names\":[\"open\",\"stat\",\"execve\",\"newfstatat\","
		 "\"read\",\"dup2\",\"access\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");

	tap_ok(scw_equiv_widen(p, both, 2, t, &r, &err) == 0, "x86_64 to x86_64,aarch64");
	tap_ok(p->n_arches == 2 && p->arches[1] == SCMP_ARCH_AARCH64, "both ABIs listed");
	tap_is_str(layer_of(p, "openat"), "equivalent", "open on x86_64: openat");
	tap_ok(added_for(&r, "openat", SCMP_ARCH_AARCH64), "openat said to be for aarch64");
	tap_is_str(layer_of(p, "dup3"), "equivalent", "dup2: dup3");
	tap_is_str(layer_of(p, "faccessat"), "equivalent", "access: faccessat");
	tap_is_str(layer_of(p, "statx"), "equivalent", "stat: statx");
	tap_is_str(layer_of(p, "arch_prctl"), "-", "x86_64's start is recorded, not added");
	tap_is_str(layer_of(p, "fstat"), "-",
		   "newfstatat exists on aarch64: nothing its ABI has too is added");
	tap_is_str(layer_of(p, "open"), "baseline", "the recorded calls stay");
	scw_equiv_result_free(&r);
	scw_profile_free(p);

	p = from("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_AARCH64\"],"
		 "\"syscalls\":[{\"names\":[\"openat\",\"execve\",\"faccessat\",\"clone\","
		 "\"newfstatat\",\"ppoll\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
	tap_ok(scw_equiv_widen(p, both, 2, t, &r, &err) == 0, "aarch64 to x86_64,aarch64");
	tap_is_str(layer_of(p, "open"), "equivalent", "openat on aarch64: open on x86_64");
	tap_is_str(layer_of(p, "access"), "equivalent", "faccessat: access (glibc's ld.so)");
	tap_is_str(layer_of(p, "arch_prctl"), "equivalent", "execve: x86_64's TLS at start");
	tap_is_str(layer_of(p, "pread64"), "equivalent", "execve: x86_64's ld.so pread64");
	tap_is_str(layer_of(p, "vfork"), "equivalent", "clone: vfork");
	tap_is_str(layer_of(p, "poll"), "equivalent", "ppoll: poll");
	tap_is_str(layer_of(p, "stat"), "equivalent", "newfstatat: stat");
	tap_is_str(layer_of(p, "set_tls"), "-", "arm's TLS call not added: arm is not listed");
	scw_equiv_result_free(&r);
	scw_profile_free(p);
}

static void arguments(const struct scw_equiv *t)
{
	static const uint32_t arm[] = {SCMP_ARCH_X86_64, SCMP_ARCH_ARM};
	static const uint32_t s390x[] = {SCMP_ARCH_X86_64, SCMP_ARCH_S390X};
	static const uint32_t arm64[] = {SCMP_ARCH_AARCH64};
	struct scw_equiv_result r;
	scw_error err = {0};
	const struct scw_rule *c;
	const char *json =
	    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
	    "\"syscalls\":[{\"names\":[\"read\",\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	    "{\"names\":[\"mmap\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":2,"
	    "\"value\":4,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
	    "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	    "\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
	    "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	    "\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	struct scw_profile *p = from(json);

	tap_ok(scw_equiv_widen(p, arm, 2, t, &r, &err) == 0, "x86_64 to x86_64,arm");
	c = scw_profile_conditional_allow(p, "mmap2");
	tap_ok(c && c->n_args == 1 && c->args[0].index == 2 && c->args[0].value == 4 &&
		   c->layer == SCW_LAYER_EQUIVALENT,
	       "mmap's argument rule moves to mmap2");
	tap_is_str(layer_of(p, "mmap2"), "-", "mmap2 is not allowed plainly");
	tap_is_str(layer_of(p, "set_tls"), "-", "arm's TLS call: no execve recorded, none added");
	scw_equiv_result_free(&r);
	scw_profile_free(p);

	p = from(json);
	tap_ok(scw_equiv_widen(p, s390x, 2, t, &r, &err) == -1 &&
		   strstr(err.msg, "clone's flags are its second argument on s390"),
	       "clone pinned, and s390x with x86_64: refused (%s)", err.msg);
	scw_equiv_result_free(&r);
	scw_profile_free(p);

	p = from(json);
	tap_ok(scw_equiv_widen(p, arm64, 1, t, &r, &err) == 0, "x86_64 to aarch64 alone");
	tap_is_str(layer_of(p, "arch_prctl"), "-", "arch_prctl, which aarch64 lacks, left out");
	tap_ok(r.notes.n && strstr(r.notes.v[0], "arch_prctl left out"), "and said: %s",
	       r.notes.n ? r.notes.v[0] : "nothing");
	tap_ok(p->n_arches == 1 && p->arches[0] == SCMP_ARCH_AARCH64, "aarch64 alone listed");
	scw_equiv_result_free(&r);
	scw_profile_free(p);
}

static void lint(const struct scw_equiv *t)
{
	struct scw_notes n = {0};
	struct scw_profile *p =
	    from("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
		 "\"SCMP_ARCH_AARCH64\"],\"syscalls\":[{\"names\":[\"open\",\"read\",\"poll\","
		 "\"ppoll\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
	tap_is_int((int)scw_equiv_lint(p, t, &n), 1, "lint: one finding");
	tap_ok(n.n && strstr(n.v[0], "open is allowed for x86_64, but none of its equivalents on "
				     "aarch64"),
	       "open without openat: %s", n.n ? n.v[0] : "nothing");
	scw_notes_free(&n);
	scw_profile_free(p);
}

int main(void)
{
	scw_error err = {0};
	struct scw_equiv *t = scw_equiv_load(NULL, &err);

	tap_plan(47);
	tap_ok(t != NULL, "the shipped table loads (%s)", t ? "ok" : err.msg);
	if (!t)
		return tap_done();
	shipped(t);
	hostile();
	parse_abis();
	widen_both_ways(t);
	arguments(t);
	lint(t);
	scw_equiv_free(t);
	return tap_done();
}
