/* auditlog.c - streaming audit logs into the accumulator. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "auditlog.h"

/* The buffer, and so the longest line read whole. */
#define READ_CHUNK ((size_t)4 << 20)
/* After the first, reads of this much: the lines are scanned while still
 * in the CPU's cache. */
#define READ_STEP ((size_t)256 << 10)
/* Regular files at least this big are read in two parts at once. */
#define SPLIT_MIN ((off_t)32 << 20)
/* Processes are counted per executable up to this many (memory bound). */
#define MAX_PROCS ((size_t)1 << 22)

struct scw_audit_reader {
	const struct scw_audit_filter *filter;
	struct scw_acc *acc;
	struct scw_u64map pids;		       /* --pid and its descendants */
	struct scw_u64map procs;	       /* pid -> 1: processes seen */
	struct scw_u64map proc_exe;	       /* pid << 32 | exe -> 1 */
	struct scw_u64map ses_exe;	       /* ses << 32 | exe -> records */
	struct scw_u64map ses_first, ses_last; /* ses -> ms */
	struct scw_exe *last_exe;	       /* the previous record's, a cache */
	bool tally_sessions;		       /* for --list: records per session and time */
	pid_t last_pid;			       /* the previous record's process, tallied */
	struct scw_exe *last_pid_exe;
	uint32_t fork_calls[SCW_MAX_ABIS][4], fork_abis[SCW_MAX_ABIS];
	unsigned n_fork_abis;
	struct scw_audit_rec rec;
	char *buf;
	size_t buf_size;
	/* What was read, over every file. */
	uint64_t bytes, lines, seccomp, matched, malformed, too_long;
	uint64_t procs_capped;	    /* processes not counted: the map is full */
	uint64_t future;	    /* records stamped after horizon_ms */
	uint64_t untrusted, forged; /* records refused: see scw_audit_stats */
	uint64_t horizon_ms;	    /* scw_audit_horizon(), renewed when passed */
	struct scw_audit_mark last; /* the newest event read, for a checkpoint */
};

/* Set up r (the reader's own memory, or a part's). */
static void reader_init(struct scw_audit_reader *r, const struct scw_audit_filter *f,
			struct scw_acc *acc, bool tally_sessions)
{
	static const char *const forks[] = {"clone", "clone3", "fork", "vfork"};
	uint32_t abis[SCW_MAX_ABIS];
	size_t n = scw_abi_machine(abis, SCW_MAX_ABIS);

	memset(r, 0, sizeof(*r));
	r->filter = f;
	r->acc = acc;
	r->tally_sessions = tally_sessions;
	scw_u64map_init(&r->pids);
	scw_u64map_init(&r->procs);
	scw_u64map_init(&r->proc_exe);
	scw_u64map_init(&r->ses_exe);
	scw_u64map_init(&r->ses_first);
	scw_u64map_init(&r->ses_last);
	if (f->set & AF_PID)
		*scw_u64map_put(&r->pids, (uint64_t)f->pid, NULL) = 1;
	for (size_t i = 0; i < n; i++) {
		r->fork_abis[i] = abis[i];
		for (size_t j = 0; j < 4; j++) {
			int nr = scw_syscall_nr(abis[i], forks[j]);
			uint32_t unr = nr < 0 ? UINT32_MAX : (uint32_t)nr;
			r->fork_calls[i][j] = nr < 0 ? UINT32_MAX : unr;
		}
	}
	r->n_fork_abis = (unsigned)n;
	/* SYSCALL records only serve --pid's tree. */
	r->rec.want_syscall = (f->set & AF_PID) != 0;
	r->buf_size = READ_CHUNK;
	r->buf = scw_xmalloc(r->buf_size);
	r->horizon_ms = scw_audit_horizon();
}

/* Release what reader_init() took. */
static void reader_fini(struct scw_audit_reader *r)
{
	scw_u64map_free(&r->pids);
	scw_u64map_free(&r->procs);
	scw_u64map_free(&r->proc_exe);
	scw_u64map_free(&r->ses_exe);
	scw_u64map_free(&r->ses_first);
	scw_u64map_free(&r->ses_last);
	free(r->buf);
	r->buf = NULL;
}

struct scw_audit_reader *scw_audit_reader_new(const struct scw_audit_filter *f, struct scw_acc *acc,
					      bool tally_sessions)
{
	struct scw_audit_reader *r = scw_xmalloc(sizeof(*r));
	reader_init(r, f, acc, tally_sessions);
	return r;
}

void scw_audit_reader_free(struct scw_audit_reader *r)
{
	if (!r)
		return;
	reader_fini(r);
	free(r);
}

void scw_audit_reader_buffer_size(struct scw_audit_reader *r, size_t size)
{
	free(r->buf);
	r->buf_size = size;
	r->buf = scw_xmalloc(size);
}

bool scw_audit_reader_wants_syscall(const struct scw_audit_reader *r)
{
	return r->rec.want_syscall;
}

void scw_audit_reader_stats(const struct scw_audit_reader *r, struct scw_audit_stats *st)
{
	*st = (struct scw_audit_stats){
	    .bytes = r->bytes,
	    .lines = r->lines,
	    .seccomp = r->seccomp,
	    .matched = r->matched,
	    .malformed = r->malformed,
	    .too_long = r->too_long,
	    .processes = r->procs.n,
	    .procs_capped = r->procs_capped,
	    .future = r->future,
	    .untrusted = r->untrusted,
	    .forged = r->forged,
	    .last = r->last,
	};
}

void scw_audit_reader_run(const struct scw_audit_reader *r, struct scw_run *run)
{
	run->processes = r->procs.n;
}

bool scw_audit_reader_sessions(const struct scw_audit_reader *r, size_t *it,
			       struct scw_audit_session_row *row)
{
	uint64_t key, records, *first, *last;

	if (!scw_u64map_next(&r->ses_exe, it, &key, &records))
		return false;
	row->ses = (uint32_t)(key >> 32);
	row->exe = r->acc->exes[(uint32_t)key];
	row->records = records;
	first = scw_u64map_get(&r->ses_first, row->ses);
	last = scw_u64map_get(&r->ses_last, row->ses);
	row->timed = first && last;
	row->first_ms = first ? *first : 0;
	row->last_ms = last ? *last : 0;
	return true;
}

uint64_t scw_audit_horizon(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000 +
	       SCW_AUDIT_FUTURE_MARGIN_MS;
}

static bool is_fork(const struct scw_audit_reader *r, uint32_t arch, uint32_t nr)
{
	for (unsigned i = 0; i < r->n_fork_abis; i++)
		if (r->fork_abis[i] == arch)
			for (unsigned j = 0; j < 4; j++)
				if (r->fork_calls[i][j] == nr)
					return true;
	return false;
}

/* --pid: SYSCALL records carry ppid, and a fork's exit is the child. */
static void follow_tree(struct scw_audit_reader *r, const struct scw_audit_rec *rec)
{
	if ((rec->fields & F_PPID) && scw_u64map_get(&r->pids, (uint64_t)rec->ppid))
		*scw_u64map_put(&r->pids, (uint64_t)rec->pid, NULL) = 1;
	if ((rec->fields & (F_EXIT | F_ARCH | F_SYSCALL)) == (F_EXIT | F_ARCH | F_SYSCALL) &&
	    rec->exit > 0 && rec->exit <= INT32_MAX &&
	    scw_u64map_get(&r->pids, (uint64_t)rec->pid) && is_fork(r, rec->arch, rec->nr))
		*scw_u64map_put(&r->pids, (uint64_t)rec->exit, NULL) = 1;
}

static bool matches(const struct scw_audit_reader *r, const struct scw_audit_rec *rec)
{
	const struct scw_audit_filter *f = r->filter;
	uint64_t ms = rec->ms;
	if (!f->set)
		return true;
	if ((f->set & AF_SES) && (!(rec->fields & F_SES) || rec->ses != f->ses))
		return false;
	if ((f->set & AF_UID) && (!(rec->fields & F_UID) || rec->uid != f->uid))
		return false;
	if ((f->set & (AF_SINCE | AF_UNTIL | AF_AFTER)) && !(rec->fields & F_STAMP))
		return false;
	if ((f->set & AF_SINCE) && ms < f->since_ms)
		return false;
	if ((f->set & AF_UNTIL) && ms > f->until_ms)
		return false;
	if ((f->set & AF_AFTER) &&
	    (ms < f->after_ms || (ms == f->after_ms && rec->serial <= f->after_serial)))
		return false;
	if ((f->set & AF_PID) && !scw_u64map_get(&r->pids, (uint64_t)rec->pid))
		return false;
	if ((f->set & AF_EXE) && strcmp(rec->exe, f->exe) != 0)
		return false;
	if ((f->set & AF_COMM) && strcmp(rec->comm, f->comm) != 0)
		return false;
	return true;
}

/* The executable of a record, through a one-entry cache: consecutive
 * records mostly share it. */
static struct scw_exe *rec_exe(struct scw_audit_reader *r, const struct scw_audit_rec *rec)
{
	const char *path = rec->exe_len ? rec->exe : "(unknown)";
	if (r->last_exe && strcmp(r->last_exe->path, path) == 0)
		return r->last_exe;
	return r->last_exe = scw_acc_exe(r->acc, path);
}

void scw_audit_reader_record(struct scw_audit_reader *r, const struct scw_audit_rec *rec)
{
	struct scw_exe *exe;
	uint32_t nr = rec->nr, abi;
	bool added;

	if (rec->type == SCW_REC_SYSCALL) {
		if (r->filter->set & AF_PID)
			follow_tree(r, rec);
		return;
	}
	r->seccomp++;
	if (rec->fields & F_STAMP) {
		uint64_t ms = rec->ms;
		if (ms > r->horizon_ms && ms > (r->horizon_ms = scw_audit_horizon()))
			r->future++; /* never the checkpoint: it would hide what follows */
		else if (!r->last.valid || ms > r->last.ms ||
			 (ms == r->last.ms && rec->serial > r->last.serial))
			r->last = (struct scw_audit_mark){true, ms, rec->serial};
	}
	if (!matches(r, rec))
		return;
	r->matched++;
	exe = rec_exe(r, rec);
	abi = scw_abi_from_audit(rec->arch, &nr);
	scw_acc_hit_any(r->acc, exe, abi, nr, rec->pid);

	/* Consecutive records mostly come from one process: tally it once. */
	if (rec->pid != r->last_pid || exe != r->last_pid_exe) {
		r->last_pid = rec->pid;
		r->last_pid_exe = exe;
		if (r->procs.n < MAX_PROCS) {
			uint64_t key = (uint64_t)(uint32_t)rec->pid << 32 | exe->idx;
			scw_u64map_put(&r->procs, (uint64_t)rec->pid, NULL);
			scw_u64map_put(&r->proc_exe, key, &added);
			if (added)
				exe->procs++;
		} else {
			r->procs_capped++;
		}
	}
	if (r->tally_sessions && (rec->fields & F_SES)) {
		uint64_t key = (uint64_t)rec->ses << 32 | exe->idx;
		(*scw_u64map_put(&r->ses_exe, key, NULL))++;
		if (rec->fields & F_STAMP) {
			uint64_t ms = rec->ms;
			uint64_t *first = scw_u64map_put(&r->ses_first, rec->ses, &added);
			uint64_t *last;
			if (added || ms < *first)
				*first = ms;
			last = scw_u64map_put(&r->ses_last, rec->ses, NULL);
			if (ms > *last)
				*last = ms;
		}
	}
}

static void line(struct scw_audit_reader *r, const char *p, size_t len)
{
	r->lines++;
	switch (scw_audit_parse(p, len, &r->rec)) {
	case SCW_AUDIT_RECORD:
		if (r->rec.text && !r->filter->trust_text) {
			r->untrusted++;
			break;
		}
		scw_audit_reader_record(r, &r->rec);
		break;
	case SCW_AUDIT_FORGED:
		r->forged++;
		break;
	case SCW_AUDIT_MALFORMED:
		r->malformed++;
		break;
	case SCW_AUDIT_OTHER:
		break;
	}
}

/* Text or not: a log has no NUL byte, and no gzip/xz/zstd/bzip2 magic. */
static int check_text(const char *buf, size_t n, const char *path, scw_error *err)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *tool;
	} packed[] = {
	    {"\x1f\x8b", 2, "zcat"},
	    {"\xfd"
	     "7zXZ",
	     5, "xzcat"},
	    {"\x28\xb5\x2f\xfd", 4, "zstdcat"},
	    {"BZh", 3, "bzcat"},
	};
	for (size_t i = 0; i < SCW_ARRAY_SIZE(packed); i++)
		if (n >= packed[i].len && memcmp(buf, packed[i].magic, packed[i].len) == 0)
			return scw_fail(err, 0, "%s is compressed", path),
			       scw_hint(err, "decompress it: %s %s | scwrap audit -o FILE -",
					packed[i].tool, path);
	if (memchr(buf, '\0', n))
		return scw_fail(err, 0, "%s is not an audit log: it holds binary data", path),
		       scw_hint(err, "give auditd's log, or dmesg/journal text");
	return 0;
}

/* Read fd into the reader: from off with pread, up to stop (or the end
 * when stop is 0); with read() when off is negative (a pipe).  check: test
 * the first read for binary or compressed data. */
static int read_part(struct scw_audit_reader *r, int fd, off_t off, off_t stop, bool check,
		     const char *name, scw_error *err)
{
	size_t have = 0;
	bool skipping = false;

	for (;;) {
		size_t want = r->buf_size - have;
		ssize_t n;
		char *p, *end, *nl;
		if (!check && want > READ_STEP)
			want = READ_STEP;
		if (off >= 0 && stop && (off_t)want > stop - off)
			want = (size_t)(stop - off);
		if (want == 0)
			break; /* the end of the part */
		n = off < 0 ? read(fd, r->buf + have, want) : pread(fd, r->buf + have, want, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return scw_fail(err, errno, "cannot read %s", name);
		}
		if (n == 0)
			break;
		if (check && check_text(r->buf, (size_t)n, name, err) < 0)
			return -1;
		check = false;
		if (off >= 0)
			off += n;
		r->bytes += (uint64_t)n;
		p = r->buf;
		end = r->buf + have + n;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			if (skipping)
				skipping = false; /* the tail of an over-long line */
			else
				line(r, p, (size_t)(nl - p));
			p = nl + 1;
		}
		have = (size_t)(end - p);
		if (have == r->buf_size) {
			/* A line longer than the buffer: not a record, skip it. */
			r->lines++;
			r->too_long++;
			r->malformed++;
			skipping = true;
			have = 0;
		} else {
			memmove(r->buf, p, have);
		}
	}
	if (have && !skipping)
		line(r, r->buf, have);
	return 0;
}

/* Where the line after the middle of a file of size bytes begins, or 0
 * when there is none within a buffer's length. */
static off_t middle_line(struct scw_audit_reader *r, int fd, off_t size)
{
	off_t off = size / 2;
	ssize_t n = pread(fd, r->buf, r->buf_size, off);
	const char *nl = n > 0 ? memchr(r->buf, '\n', (size_t)n) : NULL;
	return nl && off + (nl - r->buf) + 1 < size ? off + (nl - r->buf) + 1 : 0;
}

/* Fold what b read into a, as if a had read it after its own part: b's
 * executables and ABIs come after a's, a's first sightings stand.  As
 * scw_acc_hit and scw_audit_reader_record would have counted them. */
static void fold(struct scw_audit_reader *a, const struct scw_audit_reader *b)
{
	struct scw_acc *x = a->acc;
	const struct scw_acc *y = b->acc;
	cleanup_free struct scw_exe **exe = scw_xcalloc(y->n_exes + 1, sizeof(struct scw_exe *));
	int slot[SCW_MAX_ABIS] = {-1, -1, -1, -1};
	uint64_t k, v, *first, *last;
	bool added;

	for (uint32_t i = 0; i < y->n_exes; i++)
		exe[i] =
		    y->exes[i] == y->other ? scw_acc_other(x) : scw_acc_exe(x, y->exes[i]->path);
	for (unsigned s = 0; s < y->n_abis; s++)
		slot[s] = scw_acc_slot(x, y->abis[s]);
	for (unsigned s = 0; s < y->n_abis; s++) {
		for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
			uint64_t c = y->counts[s][nr];
			if (!c)
				continue;
			if (slot[s] < 0) {
				x->out_of_range += c; /* a fifth ABI, once a's are added */
				continue;
			}
			if (!x->counts[slot[s]][nr])
				scw_acc_first_seen(x, exe[y->first[s][nr].exe], (unsigned)slot[s],
						   nr, y->first[s][nr].pid,
						   y->first[s][nr].argv0
						       ? scw_acc_intern(x, y->first[s][nr].argv0)
						       : NULL);
			x->counts[slot[s]][nr] += c;
		}
	}
	x->total += y->total;
	x->out_of_range += y->out_of_range;
	for (uint32_t i = 0; i < y->n_exes; i++) {
		exe[i]->calls += y->exes[i]->calls;
		for (unsigned s = 0; s < y->n_abis; s++)
			if (slot[s] >= 0 && y->exes[i]->bits[s] != scw_acc_no_bits)
				scw_acc_exe_merge_bits(exe[i], (unsigned)slot[s],
						       y->exes[i]->bits[s]);
	}

	for (size_t i = 0; scw_u64map_next(&b->procs, &i, &k, &v);)
		scw_u64map_put(&a->procs, k, NULL);
	for (size_t i = 0; scw_u64map_next(&b->proc_exe, &i, &k, &v);) {
		struct scw_exe *e = exe[(uint32_t)k];
		scw_u64map_put(&a->proc_exe, (k >> 32) << 32 | e->idx, &added);
		if (added)
			e->procs++;
	}
	for (size_t i = 0; scw_u64map_next(&b->ses_exe, &i, &k, &v);)
		*scw_u64map_put(&a->ses_exe, (k >> 32) << 32 | exe[(uint32_t)k]->idx, NULL) += v;
	for (size_t i = 0; scw_u64map_next(&b->ses_first, &i, &k, &v);) {
		first = scw_u64map_put(&a->ses_first, k, &added);
		if (added || v < *first)
			*first = v;
	}
	for (size_t i = 0; scw_u64map_next(&b->ses_last, &i, &k, &v);) {
		last = scw_u64map_put(&a->ses_last, k, NULL);
		if (v > *last)
			*last = v;
	}

	a->bytes += b->bytes;
	a->lines += b->lines;
	a->seccomp += b->seccomp;
	a->matched += b->matched;
	a->malformed += b->malformed;
	a->too_long += b->too_long;
	a->procs_capped += b->procs_capped;
	a->future += b->future;
	a->untrusted += b->untrusted;
	a->forged += b->forged;
	if (b->last.valid && (!a->last.valid || b->last.ms > a->last.ms ||
			      (b->last.ms == a->last.ms && b->last.serial > a->last.serial)))
		a->last = b->last;
}

/* The second part of a split file, read by a thread into its own reader. */
struct part {
	struct scw_audit_reader r;
	struct scw_acc acc;
	int fd;
	off_t from;
	const char *name;
	int rc;
	scw_error err;
};

static void *part_run(void *arg)
{
	struct part *p = arg;
	p->rc = read_part(&p->r, p->fd, p->from, 0, false, p->name, &p->err);
	return NULL;
}

/* Whether a second thread can run beside this one. */
static bool two_cpus(void)
{
	cpu_set_t set;
	return sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) >= 2;
}

/* A big file in two parts at once: the reader reads up to the line after
 * the middle, a thread the rest into its own reader, folded in after.
 * The --pid tree grows in the order of the log: not split. */
static int read_split(struct scw_audit_reader *r, int fd, off_t size, const char *name,
		      scw_error *err)
{
	struct part *p;
	pthread_t thread;
	bool again;
	ssize_t n;
	off_t mid;
	int rc = 0;

	/* The first read of the file, tested as when it is read whole. */
	n = pread(fd, r->buf, r->buf_size, 0);
	if (n > 0 && check_text(r->buf, (size_t)n, name, err) < 0)
		return -1;
	mid = n > 0 ? middle_line(r, fd, size) : 0;
	if (!mid)
		return read_part(r, fd, 0, 0, false, name, err);

	p = scw_xcalloc(1, sizeof(*p));
	scw_acc_init(&p->acc);
	reader_init(&p->r, r->filter, &p->acc, r->tally_sessions);
	p->fd = fd;
	p->from = mid;
	p->name = name;
	if (pthread_create(&thread, NULL, part_run, p) != 0) {
		again = true; /* no thread: read it all here */
		mid = 0;
	} else {
		rc = read_part(r, fd, 0, mid, false, name, err);
		pthread_join(thread, NULL);
		if (rc == 0 && p->rc < 0) {
			*err = p->err;
			rc = -1;
		}
		/* Which processes and ABIs found room depends on the order
		 * once a table is full: then read the part again here. */
		again = r->procs.n + p->r.procs.n >= MAX_PROCS || p->acc.n_abis == SCW_MAX_ABIS ||
			r->acc->n_exes + p->acc.n_exes > SCW_ACC_MAX_EXES;
		if (rc == 0 && !again)
			fold(r, &p->r);
	}
	reader_fini(&p->r);
	scw_acc_free(&p->acc);
	free(p);
	if (rc == 0 && again)
		rc = read_part(r, fd, mid, 0, false, name, err);
	return rc;
}

int scw_audit_reader_file(struct scw_audit_reader *r, const char *path, scw_error *err)
{
	cleanup_fd int fd = -1;
	struct stat st;

	if (strcmp(path, "-") == 0)
		return read_part(r, STDIN_FILENO, -1, 0, true, "standard input", err);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return scw_fail(err, errno, "cannot read %s", path);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= SPLIT_MIN &&
	    !(r->filter->set & AF_PID) && two_cpus())
		return read_split(r, fd, st.st_size, path, err);
	return read_part(r, fd, -1, 0, true, path, err);
}

char *scw_audit_log_file(void)
{
	char buf[4096];
	char *path = NULL;
	FILE *f = fopen("/etc/audit/auditd.conf", "re");
	while (f && fgets(buf, sizeof(buf), f)) {
		char *p = buf, *v;
		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "log_file", 8) != 0)
			continue;
		p += 8;
		while (isspace((unsigned char)*p))
			p++;
		if (*p++ != '=')
			continue;
		while (isspace((unsigned char)*p))
			p++;
		v = p;
		p += strcspn(p, " \t\r\n#");
		*p = '\0';
		if (*v) {
			free(path);
			path = scw_xstrdup(v);
		}
	}
	if (f)
		fclose(f);
	return path ? path : scw_xstrdup("/var/log/audit/audit.log");
}

int scw_audit_default_logs(char ***paths, scw_error *err)
{
	cleanup_free char *base = scw_audit_log_file();
	size_t n = 0, rotated = 0;
	char **v;

	/* auditd rotates to log_file.1 (newest) .. log_file.N (oldest). */
	for (;;) {
		cleanup_free char *p = scw_xasprintf("%s.%zu", base, rotated + 1);
		if (access(p, F_OK) < 0)
			break;
		rotated++;
	}
	if (access(base, R_OK) < 0 && rotated == 0)
		return scw_fail(err, errno, "cannot read auditd's log %s", base),
		       scw_hint(err, "name the log files to read, or - for standard input");
	v = scw_xcalloc(rotated + 2, sizeof(*v));
	for (size_t i = rotated; i > 0; i--)
		v[n++] = scw_xasprintf("%s.%zu", base, i);
	if (access(base, F_OK) == 0)
		v[n++] = scw_xstrdup(base);
	v[n] = NULL;
	*paths = v;
	return 0;
}

static time_t start_of_day(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

int scw_audit_parse_time(const char *s, uint64_t *ms, scw_error *err)
{
	time_t now = time(NULL), t;
	struct tm tm;
	char *end;

	if (strcmp(s, "now") == 0)
		t = now;
	else if (strcmp(s, "recent") == 0)
		t = now - (time_t)10 * 60;
	else if (strcmp(s, "this-hour") == 0)
		t = now - now % 3600;
	else if (strcmp(s, "today") == 0)
		t = start_of_day(now);
	else if (strcmp(s, "yesterday") == 0)
		t = start_of_day(start_of_day(now) - 1);
	else if (strcmp(s, "week-ago") == 0)
		t = start_of_day(now - (time_t)7 * 86400);
	else if (strcmp(s, "this-week") == 0) {
		localtime_r(&now, &tm);
		t = start_of_day(now - (time_t)tm.tm_wday * 86400);
	} else if (strcmp(s, "this-month") == 0 || strcmp(s, "this-year") == 0) {
		localtime_r(&now, &tm);
		tm.tm_mday = 1;
		if (s[5] == 'y')
			tm.tm_mon = 0;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_isdst = -1;
		t = mktime(&tm);
	} else if (strcmp(s, "boot") == 0) {
		double up = 0;
		FILE *f = fopen("/proc/uptime", "re");
		if (!f || fscanf(f, "%lf", &up) != 1) {
			if (f)
				fclose(f);
			return scw_fail(err, errno, "cannot read /proc/uptime for 'boot'");
		}
		fclose(f);
		t = now - (time_t)up;
	} else if (s[0] == '@') {
		errno = 0;
		long long v = strtoll(s + 1, &end, 10);
		if (errno || end == s + 1 || *end || v < 0)
			goto bad;
		t = (time_t)v;
	} else {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d", &tm);
		if (!end)
			end = strptime(s, "%m/%d/%Y", &tm);
		if (!end)
			goto bad;
		while (*end == ' ' || *end == 'T')
			end++;
		if (*end) {
			char *e2 = strptime(end, "%H:%M:%S", &tm);
			if (!e2)
				e2 = strptime(end, "%H:%M", &tm);
			if (!e2 || *e2)
				goto bad;
		}
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	*ms = (uint64_t)t * 1000;
	return 0;
bad:
	scw_fail(err, 0, "cannot read the time '%s'", s);
	return scw_hint(err, "use now, recent, this-hour, boot, today, yesterday, this-week, "
			     "week-ago, this-month, this-year, YYYY-MM-DD [HH:MM[:SS]], "
			     "MM/DD/YYYY [HH:MM:SS] or @EPOCH");
}

int scw_audit_checkpoint_read(const char *path, struct scw_audit_mark *m, scw_error *err)
{
	unsigned long long ms;
	unsigned serial;
	char word[32];
	FILE *f = fopen(path, "re");
	memset(m, 0, sizeof(*m));
	if (!f) {
		if (errno == ENOENT)
			return 0; /* the first run */
		return scw_fail(err, errno, "cannot read the checkpoint %s", path);
	}
	if (fscanf(f, "%31s %llu %u", word, &ms, &serial) != 3 ||
	    strcmp(word, "scwrap-checkpoint-v1") != 0) {
		fclose(f);
		return scw_fail(err, 0, "%s is not a scwrap checkpoint", path),
		       scw_hint(err, "remove it to start over, or name another file");
	}
	fclose(f);
	if (ms > scw_audit_horizon())
		return scw_fail(err, 0,
				"the checkpoint %s is in the future (%llu ms): a forged record "
				"moved it past every record to come",
				path, ms),
		       scw_hint(err, "remove it to start over");
	*m = (struct scw_audit_mark){true, ms, serial};
	return 0;
}

char *scw_audit_checkpoint_format(const struct scw_audit_mark *m)
{
	return scw_xasprintf("scwrap-checkpoint-v1 %llu %u\n", (unsigned long long)m->ms,
			     m->serial);
}
