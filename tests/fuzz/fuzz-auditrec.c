/* fuzz-auditrec.c - the audit record decoder (auditrec.h) on every line of
 * an input, and the log reader (auditlog.h) on the input as a file, with
 * and without filters; the profile of what was read must be JSON that
 * scwrap reads back.  libFuzzer target; tests/unit-regress.c replays it. */
#include <config.h>

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/accum.h"
#include "lib/auditlog.h"
#include "lib/auditrec.h"
#include "lib/profile.h"
#include "lib/shape.h"
#include "lib/util.h"
#include "fuzz.h"

/* What the first record of the input said: the second reading filters on it,
 * so that the filters match something. */
struct first_rec {
	bool set;
	struct scw_audit_rec rec;
	char exe[4096], comm[64];
};

/* The contract of a decoded record (auditrec.h). */
static void check_rec(const struct scw_audit_rec *r)
{
	FUZZ_CHECK(r->comm != NULL && r->exe != NULL);
	FUZZ_CHECK(r->comm[r->comm_len] == '\0');
	FUZZ_CHECK(r->exe[r->exe_len] == '\0');
	if (r->type == SCW_REC_SECCOMP)
		FUZZ_CHECK((r->fields & (F_ARCH | F_SYSCALL | F_PID)) ==
			   (F_ARCH | F_SYSCALL | F_PID));
	if (r->fields & F_PID)
		FUZZ_CHECK(r->pid >= 0);
	/* A stamp's milliseconds never wrap (a wrapped one poisoned
	 * checkpoints). */
	if (r->fields & F_STAMP)
		FUZZ_CHECK(r->msec < 1000 && r->ms / 1000 == r->sec && r->ms % 1000 == r->msec);
}

/* One line, in a buffer of exactly its size so that ASan sees any read
 * past it: every decoder entry point. */
static void one_line(const char *p, size_t len, struct first_rec *first)
{
	cleanup_free char *line = scw_xmalloc(len ? len : 1);
	struct scw_audit_rec *r = scw_xcalloc(1, sizeof(*r));

	memcpy(line, p, len);
	for (int want = 0; want < 2; want++) {
		r->want_syscall = want;
		if (scw_audit_parse(line, len, r) == SCW_AUDIT_RECORD) {
			check_rec(r);
			if (!first->set && r->type == SCW_REC_SECCOMP) {
				first->set = true;
				first->rec = *r;
				memcpy(first->exe, r->exe, r->exe_len + 1);
				memcpy(first->comm, r->comm, r->comm_len + 1);
			}
		}
	}
	if (scw_audit_parse_body(SCW_REC_SECCOMP, line, len, r) == SCW_AUDIT_RECORD)
		check_rec(r);
	if (scw_audit_parse_body(SCW_REC_SYSCALL, line, len, r) == SCW_AUDIT_RECORD)
		check_rec(r);
	free(r);
}

/* What was read becomes a profile that serialises and parses again. */
static void check_profile(const struct scw_acc *acc)
{
	struct scw_unnamed *unnamed;
	size_t n_unnamed;
	scw_error err = {0};
	struct scw_profile *p = scw_shape_recorded(acc, &unnamed, &n_unnamed);
	cleanup_free char *json = scw_profile_to_json(p, &err);
	struct scw_profile *q;

	if (!json)
		fprintf(stderr, "scw_profile_to_json: %s\n", err.msg);
	FUZZ_CHECK(json != NULL);
	q = scw_profile_from_json(json, "fuzz", &err);
	if (!q)
		fprintf(stderr, "scw_profile_from_json: %s\n", err.msg);
	FUZZ_CHECK(q != NULL);
	scw_profile_free(q);
	scw_profile_free(p);
	free(unnamed);
}

/* The reader on the input as a file; buf_size, when not 0, replaces its
 * read buffer by a small one so that lines cross reads and overflow it. */
static void read_log(int fd, const struct scw_audit_filter *f, bool list, size_t buf_size)
{
	struct scw_audit_reader *rd;
	struct scw_audit_stats st;
	struct scw_acc acc;
	scw_error err = {0};
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	scw_acc_init(&acc);
	rd = scw_audit_reader_new(f, &acc, list);
	if (buf_size)
		scw_audit_reader_buffer_size(rd, buf_size);
	if (scw_audit_reader_file(rd, path, &err) == 0) {
		scw_audit_reader_stats(rd, &st);
		FUZZ_CHECK(st.matched <= st.seccomp);
		FUZZ_CHECK(st.malformed <= st.lines);
		if (st.matched)
			check_profile(&acc);
	} else {
		FUZZ_CHECK(err.msg[0] != '\0');
	}
	scw_audit_reader_free(rd);
	scw_acc_free(&acc);
}

void scw_fuzz_auditrec(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct first_rec *first = scw_xcalloc(1, sizeof(*first));
	struct scw_audit_filter none = {0}, text = {.trust_text = true}, f = {.trust_text = true};
	cleanup_fd int fd = -1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		one_line(p, (size_t)(e - p), first);
		p = nl ? nl + 1 : end;
	}

	fd = memfd_create("fuzz-auditrec", MFD_CLOEXEC);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(scw_write_all(fd, data, size) == 0);
	read_log(fd, &none, true, 0);
	read_log(fd, &text, false, 1 + size % 97);
	if (first->set) {
		const struct scw_audit_rec *r = &first->rec;
		uint64_t ms = r->ms;
		f.set = AF_PID | AF_EXE | AF_COMM;
		f.pid = r->pid;
		f.exe = first->exe;
		f.comm = first->comm;
		if (r->fields & F_SES)
			f.set |= AF_SES, f.ses = r->ses;
		if (r->fields & F_UID)
			f.set |= AF_UID, f.uid = r->uid;
		if (r->fields & F_STAMP) {
			f.set |= AF_SINCE | AF_UNTIL | AF_AFTER;
			f.since_ms = ms > 0 ? ms - 1 : 0;
			f.until_ms = ms + 1000;
			f.after_ms = ms;
			f.after_serial = r->serial ? r->serial - 1 : 0;
		}
		read_log(fd, &f, true, 0);
	}
	free(first);
}

#ifndef SCW_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	scw_fuzz_auditrec(data, size);
	return 0;
}
#endif
