/* unit-pipeline.c - the pipeline from an accumulator (or a profile) to the
 * written outputs: the profile read back, the report, the summary, a
 * previous profile merged in, and a write that fails rescued only for a
 * recording. */
#include <config.h>

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/abi.h"
#include "lib/accum.h"
#include "lib/pipeline.h"
#include "tap.h"

static char dir[] = "/tmp/unit-pipeline.XXXXXX";

static char *path_of(const char *name)
{
	static char buf[4][256];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* The names a written profile allows, sorted, space-separated. */
static const char *allowed(const char *path)
{
	static char buf[2048];
	scw_error err = {0};
	struct scw_profile *p = scw_profile_read(path, &err);
	const char **names;
	size_t n;

	buf[0] = '\0';
	if (!p) {
		snprintf(buf, sizeof(buf), "%s", err.msg);
		return buf;
	}
	n = scw_profile_allowed(p, &names);
	for (size_t i = 0; i < n; i++) {
		strncat(buf, i ? " " : "", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, names[i], sizeof(buf) - strlen(buf) - 1);
	}
	free(names);
	scw_profile_free(p);
	return buf;
}

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

/* An accumulator of one executable that made read, write and getpid. */
static void record(struct scw_acc *acc)
{
	uint32_t native = scw_abi_native();
	struct scw_exe *exe;
	int slot;

	scw_acc_init(acc);
	slot = scw_acc_slot(acc, native);
	exe = scw_acc_exe(acc, "/usr/bin/demo");
	exe->procs = 1;
	scw_acc_hit(acc, exe, (unsigned)slot, (uint32_t)seccomp_syscall_resolve_name("read"), 42);
	scw_acc_hit(acc, exe, (unsigned)slot, (uint32_t)seccomp_syscall_resolve_name("write"), 42);
	scw_acc_hit(acc, exe, (unsigned)slot, (uint32_t)seccomp_syscall_resolve_name("write"), 42);
	scw_acc_hit(acc, exe, (unsigned)slot, (uint32_t)seccomp_syscall_resolve_name("getpid"), 42);
}

int main(void)
{
	static char demo[] = "demo";
	char *const argv[] = {demo, NULL};
	struct scw_run run = {.processes = 1};
	struct scw_output out, report;
	struct scw_pipeline pl;
	struct scw_profile *prev;
	struct scw_acc acc;
	scw_error err = {0};
	char *log = NULL;
	size_t log_len = 0;
	FILE *logf;
	int rc;

	tap_plan(17);
	if (!mkdtemp(dir))
		return tap_ok(0, "a temporary directory"), tap_done();
	record(&acc);

	/* A plain recording: the recorded names, nothing added. */
	memset(&pl, 0, sizeof(pl));
	pl.acc = &acc;
	pl.run = &run;
	pl.shape.no_additions = pl.shape.no_fallbacks = true;
	pl.format = scw_format_find("oci");
	pl.out = &out;
	pl.backend = "ptrace";
	logf = open_memstream(&log, &log_len);
	pl.log = logf;
	rc = scw_output_open(&out, path_of("a.json"), &err);
	rc = rc == 0 ? scw_pipeline_run(&pl, &err) : rc;
	scw_output_discard(&out);
	fclose(logf);
	tap_is_int(rc, 0, "a recording is written (%s)", rc ? err.msg : "");
	tap_is_str(allowed(path_of("a.json")), "getpid read write",
		   "the profile read back allows what was recorded, nothing more");
	tap_ok(strstr(log, "/usr/bin/demo") != NULL, "the summary names the executable");
	tap_ok(strstr(log, "profile (oci) of 3 allowed syscalls written to ") != NULL,
	       "the summary says what was written where");
	free(log);

	/* The layers: always-needed calls and the runtime's list, and a report. */
	pl.shape.no_additions = false;
	pl.shape.container = "runc";
	pl.report = &report;
	pl.argv = argv;
	pl.log = NULL;
	rc = scw_output_open(&out, path_of("b.json"), &err);
	rc = rc == 0 ? scw_output_open(&report, path_of("b.report"), &err) : rc;
	rc = rc == 0 ? scw_pipeline_run(&pl, &err) : rc;
	scw_output_discard(&out);
	scw_output_discard(&report);
	tap_is_int(rc, 0, "a recording with additions and a report (%s)", rc ? err.msg : "");
	tap_ok(strstr(allowed(path_of("b.json")), "exit_group") != NULL,
	       "the always layer is added (exit_group)");
	tap_ok(strstr(allowed(path_of("b.json")), "fstatfs") != NULL,
	       "the runtime layer is added (runc's fstatfs)");
	tap_ok(strstr(slurp(path_of("b.report")), "\"/usr/bin/demo\"") != NULL,
	       "the report names the executable");
	tap_ok(strstr(slurp(path_of("b.report")), "\"getpid\"") != NULL,
	       "the report has every recorded call");

	/* A previous profile (a checkpoint's) is merged in. */
	prev = scw_profile_read(path_of("a.json"), &err);
	memset(&pl, 0, sizeof(pl));
	pl.acc = &acc;
	pl.run = &run;
	pl.shape.no_additions = pl.shape.no_fallbacks = true;
	pl.previous = prev;
	pl.format = scw_format_find("oci");
	pl.out = &out;
	acc.counts[0][seccomp_syscall_resolve_name("getpid")] = 0; /* not seen this time */
	for (unsigned s = 0; s < SCW_MAX_ABIS; s++)
		if (acc.exes[0]->bits[s] != scw_acc_no_bits)
			memset(acc.exes[0]->bits[s], 0, SCW_BITMAP_WORDS * sizeof(uint64_t));
	scw_acc_hit(&acc, acc.exes[0], 0, (uint32_t)seccomp_syscall_resolve_name("close"), 42);
	rc = scw_output_open(&out, path_of("c.json"), &err);
	rc = rc == 0 ? scw_pipeline_run(&pl, &err) : rc;
	scw_output_discard(&out);
	scw_profile_free(prev);
	tap_is_int(rc, 0, "merged into a previous profile (%s)", rc ? err.msg : "");
	tap_is_str(allowed(path_of("c.json")), "close getpid read write",
		   "what the previous profile allowed stays allowed");

	/* A profile as it is, in another format. */
	prev = scw_profile_read(path_of("a.json"), &err);
	memset(&pl, 0, sizeof(pl));
	pl.profile = prev;
	pl.format = scw_format_find("text");
	pl.out = &out;
	rc = scw_output_open(&out, path_of("a.txt"), &err);
	rc = rc == 0 ? scw_pipeline_run(&pl, &err) : rc;
	scw_output_discard(&out);
	tap_is_int(rc, 0, "a profile exported as text (%s)", rc ? err.msg : "");
	tap_is_str(slurp(path_of("a.txt")), "getpid\nread\nwrite\n", "the names, one a line");

	/* A write that fails: a profile as it is is not rescued... */
	setenv("TMPDIR", dir, 1);
	rc = scw_output_open(&out, "/dev/full", &err);
	rc = rc == 0 ? scw_pipeline_run(&pl, &err) : 0;
	scw_output_discard(&out);
	tap_is_int(rc, -1, "a profile written to a full device fails");
	tap_ok(strstr(err.msg, "scwrap-rescued") == NULL, "an export is not rescued: %s", err.msg);
	scw_profile_free(prev);

	/* ...a recording is. */
	memset(&err, 0, sizeof(err));
	memset(&pl, 0, sizeof(pl));
	pl.acc = &acc;
	pl.run = &run;
	pl.format = scw_format_find("oci");
	pl.out = &out;
	rc = scw_output_open(&out, "/dev/full", &err);
	rc = rc == 0 ? scw_pipeline_run(&pl, &err) : 0;
	scw_output_discard(&out);
	tap_is_int(rc, -1, "a recording written to a full device fails");
	tap_ok(strstr(err.msg, "scwrap-rescued") != NULL, "and is kept in TMPDIR: %s", err.msg);

	scw_acc_free(&acc);
	for (const char *const *f =
		 (const char *const[]){"a.json", "b.json", "b.report", "c.json", "a.txt", NULL};
	     *f; f++)
		unlink(path_of(*f));
	for (int left = 0; left < 4 && rmdir(dir) < 0; left++) {
		/* a rescued file: remove what TMPDIR holds */
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -f %s/scwrap-rescued.*", dir);
		if (system(cmd) != 0)
			break;
	}
	return tap_done();
}
