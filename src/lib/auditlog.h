/* auditlog.h - reading audit logs into the accumulator: auditd's logs (raw
 * or enriched, rotated, several files, stdin) and kernel printk lines,
 * streamed in bounded memory, with ausearch-like filters. */
#ifndef SCW_AUDITLOG_H
#define SCW_AUDITLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "accum.h"
#include "auditrec.h"
#include "backend.h"
#include "error.h"
#include "util.h"

enum scw_audit_filter_set {
	AF_SES = 1u << 0,
	AF_PID = 1u << 1,
	AF_EXE = 1u << 2,
	AF_COMM = 1u << 3,
	AF_UID = 1u << 4,
	AF_SINCE = 1u << 5,
	AF_UNTIL = 1u << 6,
	AF_AFTER = 1u << 7, /* a checkpoint: only what came after it */
};

struct scw_audit_filter {
	unsigned set; /* enum scw_audit_filter_set */
	uint32_t ses, uid;
	pid_t pid; /* and its descendants */
	const char *exe, *comm;
	uint64_t since_ms, until_ms;
	uint64_t after_ms;
	uint32_t after_serial;
	/* Take the records of syslog and journal text too, whose source no
	 * line can prove (auditrec.h): the user vouches that only root
	 * writes these files.  Not a filter: set does not say it. */
	bool trust_text;
};

/* A position in the audit stream: an event's time and serial. */
struct scw_audit_mark {
	bool valid;
	uint64_t ms;
	uint32_t serial;
};

/* What a reader has read, over every file. */
struct scw_audit_stats {
	uint64_t bytes, lines;
	uint64_t seccomp;	    /* SECCOMP records */
	uint64_t matched;	    /* of them, those the filter kept */
	uint64_t malformed;	    /* lines that are no record (too_long included) */
	uint64_t too_long;	    /* lines longer than a record can be */
	uint64_t processes;	    /* distinct processes of the matched records */
	uint64_t procs_capped;	    /* processes not counted: the table is full */
	uint64_t future;	    /* records stamped after scw_audit_horizon(): no checkpoint */
	uint64_t untrusted;	    /* records of syslog or journal text, not trust_text */
	uint64_t forged;	    /* records a user process wrote (SCW_AUDIT_FORGED) */
	struct scw_audit_mark last; /* the newest event read, for a checkpoint */
};

/* A reader of SECCOMP records into an accumulator; opaque. */
struct scw_audit_reader;

/* A reader of the records f matches, into acc (both borrowed: they must
 * outlive it).  With tally_sessions, it also counts records per audit
 * session and executable, for --list.  Never NULL. */
struct scw_audit_reader *scw_audit_reader_new(const struct scw_audit_filter *f, struct scw_acc *acc,
					      bool tally_sessions);
void scw_audit_reader_free(struct scw_audit_reader *r);

/* For tests: read in pieces of size bytes instead of the default. */
void scw_audit_reader_buffer_size(struct scw_audit_reader *r, size_t size);

/* Read one log ("-" is standard input).  Malformed lines are counted, never
 * fatal; binary or compressed data is an error. */
int scw_audit_reader_file(struct scw_audit_reader *r, const char *path, scw_error *err);

/* Feed one decoded record (used by the live backend too). */
void scw_audit_reader_record(struct scw_audit_reader *r, const struct scw_audit_rec *rec);

/* Whether the reader wants SYSCALL records decoded too (--pid's tree). */
bool scw_audit_reader_wants_syscall(const struct scw_audit_reader *r);

/* What was read so far. */
void scw_audit_reader_stats(const struct scw_audit_reader *r, struct scw_audit_stats *st);

/* What the records say of the run that made them (processes), for the
 * summary and the report of a profile made from logs. */
void scw_audit_reader_run(const struct scw_audit_reader *r, struct scw_run *run);

/* --list: one row per (audit session, executable) with records, in no
 * particular order.  *it starts at 0.  Needs tally_sessions. */
struct scw_audit_session_row {
	uint32_t ses; /* SCW_AUDIT_UNSET for none */
	const struct scw_exe *exe;
	uint64_t records;
	bool timed; /* first_ms and last_ms are the session's */
	uint64_t first_ms, last_ms;
};
bool scw_audit_reader_sessions(const struct scw_audit_reader *r, size_t *it,
			       struct scw_audit_session_row *row);

/* auditd's logs, oldest first: log_file from auditd.conf (default
 * /var/log/audit/audit.log) and its rotated copies. *paths is
 * NULL-terminated; the caller frees it and its strings. */
int scw_audit_default_logs(char ***paths, scw_error *err);

/* auditd's current log_file (caller frees). */
char *scw_audit_log_file(void);

/* Parse an ausearch-like time (now, recent, boot, today, yesterday,
 * this-week, week-ago, this-month, this-year, DATE [TIME], @EPOCH) into ms
 * since the epoch. */
int scw_audit_parse_time(const char *s, uint64_t *ms, scw_error *err);

/* How far past the clock a record's stamp may be (clocks of machines that
 * wrote a log differ); a later one is counted, and never a checkpoint. */
#define SCW_AUDIT_FUTURE_MARGIN_MS ((uint64_t)24 * 3600 * 1000)

/* Now plus SCW_AUDIT_FUTURE_MARGIN_MS, in ms since the epoch. */
uint64_t scw_audit_horizon(void);

/* Read and write a checkpoint file (one text line); one past
 * scw_audit_horizon() is refused. */
int scw_audit_checkpoint_read(const char *path, struct scw_audit_mark *m, scw_error *err);
char *scw_audit_checkpoint_format(const struct scw_audit_mark *m);

#endif
