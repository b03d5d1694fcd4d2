/* auditrec.h - one audit record line, decoded in place.
 *
 * The scanner is the hot path of `scwrap audit` (multi-GB logs): it
 * allocates nothing, formats nothing, reads only the fields scwrap uses, and
 * copies only comm and exe (into the record's own buffers). */
#ifndef SCW_AUDITREC_H
#define SCW_AUDITREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCW_AUDIT_UNSET 4294967295u /* auid/ses of no login session */

enum scw_audit_type {
	SCW_REC_SECCOMP, /* type=SECCOMP / 1326: one syscall */
	SCW_REC_SYSCALL, /* type=SYSCALL / 1300: carries ppid, exit */
};

enum scw_rec_field {
	F_STAMP = 1u << 0,
	F_SES = 1u << 1,
	F_PID = 1u << 2,
	F_PPID = 1u << 3,
	F_UID = 1u << 4,
	F_ARCH = 1u << 6,
	F_SYSCALL = 1u << 7,
	F_EXIT = 1u << 8,
	F_COMM = 1u << 10,
	F_EXE = 1u << 11,
};

/* A SECCOMP record's fields up to its syscall= are those of its process
 * (kernel/auditsc.c audit_seccomp: auid uid gid ses subj pid comm exe sig
 * arch), repeated byte for byte by that process's next record. */
#define SCW_AUDIT_PREFIX_MAX 512

struct scw_audit_prefix {
	size_t len; /* 0: none yet */
	char bytes[SCW_AUDIT_PREFIX_MAX];
	unsigned fields; /* what those bytes set, and to what */
	uint32_t ses, uid, arch;
	int32_t pid, ppid;
	int64_t exit;
	size_t comm_len, exe_len;
	char comm[64], exe[SCW_AUDIT_PREFIX_MAX];
};

/* Zeroed by the caller before the first line. */
struct scw_audit_rec {
	bool want_syscall; /* set by the caller: decode SYSCALL records too */
	enum scw_audit_type type;
	unsigned fields; /* enum scw_rec_field: which were present */
	uint64_t sec;	 /* msg=audit(SEC.MSEC:SERIAL) */
	uint32_t msec, serial;
	uint64_t ms; /* SEC * 1000 + MSEC: a stamp that overflows it is malformed */
	uint32_t ses, uid;
	int32_t pid, ppid;
	uint32_t arch, nr;
	int64_t exit;
	/* comm and exe, quotes removed and hex decoded; NUL-terminated. */
	const char *comm, *exe;
	size_t comm_len, exe_len;
	char comm_buf[64], exe_buf[4096];
	/* The line's form cannot prove who wrote it (syslog or journal text,
	 * which any user can write with logger): only taken when the user
	 * vouches for the file. */
	bool text;
	char msg_buf[16384];		/* the MESSAGE of a journal JSON entry, unescaped */
	struct scw_audit_prefix prefix; /* the scanner's: the last SECCOMP record's */
};

enum scw_audit_parse {
	SCW_AUDIT_OTHER = 0,	  /* not a record scwrap reads (other types, noise) */
	SCW_AUDIT_RECORD = 1,	  /* r is filled */
	SCW_AUDIT_MALFORMED = -1, /* looked like a SECCOMP/SYSCALL record, but is not */
	SCW_AUDIT_FORGED = 2,	  /* a record in a form only a user process writes */
};

/* Decode one line (without its newline).  line[len] need not be NUL; the
 * line is not modified.  comm/exe point into r or into line.
 *
 * Where a line comes from decides whether it is a record (README,
 * Security): auditd's log lines (type=...); the kernel's own printk forms,
 * at the start of a line as dmesg and /dev/kmsg show them ("[  12.3] audit:
 * type=1326 ...", "<5>[...]", dmesg -T); journalctl -o json entries whose
 * _TRANSPORT (set by journald, not by the sender) is kernel or audit.
 * Syslog and journal text ("HOST kernel: audit: ...", "HOST audit[PID]:
 * SECCOMP ...", a bare "audit: type=1326 ..." as dmesg -t or journalctl -o
 * cat print it) is a record with r->text set: a user can log the same line
 * with logger.  The words of a record anywhere else (a
 * syslog tag other than kernel, a journal entry of another transport) are
 * SCW_AUDIT_FORGED. */
enum scw_audit_parse scw_audit_parse(const char *line, size_t len, struct scw_audit_rec *r);

/* Decode the text of a netlink audit message of a known type: it starts at
 * "audit(SEC.MSEC:SERIAL): ". */
enum scw_audit_parse scw_audit_parse_body(enum scw_audit_type type, const char *body, size_t len,
					  struct scw_audit_rec *r);

#endif
