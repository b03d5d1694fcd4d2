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
};

/* A position in the audit stream: an event's time and serial. */
struct scw_audit_mark {
	bool valid;
	uint64_t ms;
	uint32_t serial;
};

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
	struct scw_audit_mark last; /* the newest event read, for a checkpoint */
};

void scw_audit_reader_init(struct scw_audit_reader *r, const struct scw_audit_filter *f,
			   struct scw_acc *acc);
void scw_audit_reader_free(struct scw_audit_reader *r);

/* Read one log ("-" is standard input).  Malformed lines are counted, never
 * fatal; binary or compressed data is an error. */
int scw_audit_reader_file(struct scw_audit_reader *r, const char *path, scw_error *err);

/* Feed one decoded record (used by the live backend too). */
void scw_audit_reader_record(struct scw_audit_reader *r, const struct scw_audit_rec *rec);

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

/* Read and write a checkpoint file (one text line). */
int scw_audit_checkpoint_read(const char *path, struct scw_audit_mark *m, scw_error *err);
char *scw_audit_checkpoint_format(const struct scw_audit_mark *m);

#endif
