/* cmd-audit.c - scwrap audit: a profile from the SECCOMP records of audit
 * logs. */
#include <config.h>

#include <getopt.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "lib/accum.h"
#include "lib/auditlog.h"
#include "lib/error.h"
#include "lib/util.h"

/* Long options of this command alone (cli.h has the shared ones). */
enum { O_TRUST_TEXT = 1024 };

static const char usage_text[] =
    "Usage: scwrap audit [OPTION]... [FILE]...\n"
    "Turn the SECCOMP records of audit logs (auditd's, raw or enriched; dmesg;\n"
    "journalctl -o json) into a profile.  FILE '-' is standard input; without\n"
    "FILE, auditd's log and its rotated copies, oldest first.\n"
    "\n"
    "  -o, --output=FILE      write the profile to FILE ('-' for standard output)\n"
    "  -l, --list             list what the logs hold (sessions, executables)\n"
    "                         instead of writing a profile\n"
    "      --ses=ID           only audit session ID ('unset' for none)\n"
    "      --pid=PID          only process PID and its descendants\n"
    "      --exe=PATH         only records of executable PATH\n"
    "      --comm=NAME        only records whose comm is NAME\n"
    "      --uid=UID          only records of user UID (a number or a name)\n"
    "      --since=TIME       only records from TIME on\n"
    "      --until=TIME       only records up to TIME\n"
    "      --checkpoint=FILE  read only what is newer than FILE says, merge into\n"
    "                         the existing profile, then update FILE\n"
    "      --trust-text       also read records of syslog and journal text, which\n"
    "                         any user can forge: only for files only root writes\n" SHAPE_HELP
    "  -q, --quiet            print no summary\n"
    "  -h, --help             show this help and exit\n"
    "\n"
    "TIME: now, recent, this-hour, boot, today, yesterday, this-week, week-ago,\n"
    "this-month, this-year, YYYY-MM-DD [HH:MM[:SS]], MM/DD/YYYY [HH:MM:SS], @EPOCH.\n"
    "\n"
    "Exit status: 0 when a profile was written (or listed), 1 when no record\n"
    "matched, 125 on error.\n";

/* A profile of what the reader matched: merged into the previous one with
 * a checkpoint; written; the checkpoint updated last. */
static int audit_write(const struct scw_audit_reader *rd, struct scw_acc *acc,
		       struct scw_output *out, const char *checkpoint, struct cli_shape *shape,
		       bool quiet, scw_error *err)
{
	struct scw_run what = {0};
	struct scw_pipeline pl = {0};
	struct scw_audit_stats st;
	struct scw_profile *old = NULL;
	int rc;

	if (checkpoint && strcmp(out->path, "-") != 0 && access(out->path, F_OK) == 0) {
		old = scw_profile_read(out->path, err);
		if (!old)
			return scw_context(err, "cannot merge into the previous profile");
	}
	scw_audit_reader_run(rd, &what);
	cli_shape_pipeline(shape, &pl);
	pl.acc = acc;
	pl.run = &what;
	pl.previous = old;
	pl.out = out;
	pl.backend = "audit log";
	pl.log = quiet ? NULL : stderr;
	rc = scw_pipeline_run(&pl, err);
	scw_profile_free(old);
	if (rc < 0)
		return -1;
	scw_audit_reader_stats(rd, &st);
	if (checkpoint && st.last.valid) {
		struct scw_output cp;
		cleanup_free char *line = scw_audit_checkpoint_format(&st.last);
		if (scw_output_open(&cp, checkpoint, err) < 0 ||
		    scw_output_commit(&cp, line, strlen(line), err) < 0)
			return scw_context(err, "the profile was written, but not the checkpoint");
	}
	return 0;
}

/* --list order: by session, then executables in the order first seen. */
static int cmp_rows(const void *a, const void *b)
{
	const struct scw_audit_session_row *x = a, *y = b;
	if (x->ses != y->ses)
		return x->ses < y->ses ? -1 : 1;
	return x->exe->idx < y->exe->idx ? -1 : x->exe->idx > y->exe->idx;
}

static void print_time(uint64_t ms)
{
	char buf[32];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	printf("  %s", buf);
}

/* One session's heading, rows[0]'s: its number, records, first and last
 * time. */
static void print_session(const struct scw_audit_session_row *rows, size_t n, bool first_one)
{
	uint64_t total = 0;

	for (size_t j = 0; j < n && rows[j].ses == rows[0].ses; j++)
		total += rows[j].records;
	if (!first_one)
		printf("\n");
	if (rows[0].ses == SCW_AUDIT_UNSET)
		printf("%-10s %10llu", "unset", (unsigned long long)total);
	else
		printf("%-10u %10llu", rows[0].ses, (unsigned long long)total);
	if (rows[0].timed) {
		print_time(rows[0].first_ms);
		print_time(rows[0].last_ms);
	} else {
		printf("  %-19s  %-19s", "-", "-");
	}
	printf(" ");
}

/* --list: what the logs hold, for choosing filters. */
static void audit_list(const struct scw_audit_reader *rd, const struct scw_acc *acc)
{
	struct scw_audit_session_row *rows = NULL, row;
	size_t n = 0, cap = 0;

	for (size_t it = 0; scw_audit_reader_sessions(rd, &it, &row);) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			rows = scw_xreallocarray(rows, cap, sizeof(*rows));
		}
		rows[n++] = row;
	}
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_rows);
	printf("%-10s %10s  %-19s  %-19s  %s\n", "SESSION", "RECORDS", "FIRST", "LAST",
	       "EXECUTABLES (RECORDS)");
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || rows[i].ses != rows[i - 1].ses)
			print_session(rows + i, n - i, i == 0);
		printf(" %s (%llu)", rows[i].exe->path, (unsigned long long)rows[i].records);
	}
	if (n)
		printf("\n");
	printf("\n%-10s %10s %8s  %s\n", "PROCESSES", "RECORDS", "DISTINCT", "EXECUTABLE");
	for (uint32_t i = 0; i < acc->n_exes; i++)
		printf("%-10u %10llu %8u  %s\n", acc->exes[i]->procs,
		       (unsigned long long)acc->exes[i]->calls, scw_exe_distinct(acc->exes[i]),
		       acc->exes[i]->path);
	free(rows);
}

static int audit_main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"list", no_argument, NULL, 'l'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"ses", required_argument, NULL, O_SES},
	    {"pid", required_argument, NULL, O_PID},
	    {"exe", required_argument, NULL, O_EXE},
	    {"comm", required_argument, NULL, O_COMM},
	    {"uid", required_argument, NULL, O_UID},
	    {"since", required_argument, NULL, O_SINCE},
	    {"until", required_argument, NULL, O_UNTIL},
	    {"checkpoint", required_argument, NULL, O_CHECKPOINT},
	    {"trust-text", no_argument, NULL, O_TRUST_TEXT},
	    SHAPE_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	struct scw_audit_filter f = {0};
	struct cli_shape shape = {0};
	struct scw_audit_reader *rd;
	struct scw_audit_stats st;
	struct scw_output out = {.fd = -1};
	struct scw_acc acc;
	scw_error err = {0};
	const char *output = NULL, *checkpoint = NULL;
	bool list = false, quiet = false;
	char **files, **defaults = NULL;
	unsigned long v;
	int c, status = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:F:lqh", longopts, NULL)) != -1) {
		if (cli_shape_option(&shape, c, optarg))
			continue;
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			cli_help(usage_text);
		case O_SES:
			if (strcmp(optarg, "unset") == 0)
				v = SCW_AUDIT_UNSET;
			else if (!cli_parse_uint(optarg, UINT32_MAX, &v))
				die_usage("--ses takes a session number or 'unset', not '%s'",
					  optarg);
			f.ses = (uint32_t)v;
			f.set |= AF_SES;
			break;
		case O_PID:
			if (!cli_parse_uint(optarg, INT32_MAX, &v) || v == 0)
				die_usage("--pid takes a process id, not '%s'", optarg);
			f.pid = (pid_t)v;
			f.set |= AF_PID;
			break;
		case O_EXE:
			f.exe = optarg;
			f.set |= AF_EXE;
			break;
		case O_COMM:
			f.comm = optarg;
			f.set |= AF_COMM;
			break;
		case O_UID:
			if (!cli_parse_uint(optarg, UINT32_MAX, &v)) {
				struct passwd *pw = getpwnam(optarg);
				if (!pw)
					die_usage("--uid takes a user id or name; '%s' is neither",
						  optarg);
				v = pw->pw_uid;
			}
			f.uid = (uint32_t)v;
			f.set |= AF_UID;
			break;
		case O_SINCE:
		case O_UNTIL:
			if (scw_audit_parse_time(optarg, c == O_SINCE ? &f.since_ms : &f.until_ms,
						 &err) < 0)
				die_usage("%s", err.msg);
			f.set |= c == O_SINCE ? AF_SINCE : AF_UNTIL;
			break;
		case O_CHECKPOINT:
			checkpoint = optarg;
			break;
		case O_TRUST_TEXT:
			f.trust_text = true;
			break;
		default:
			cli_bad_option(c, argv);
		}
	}
	if (!list && !output)
		die_usage("no output: say where the profile goes with -o FILE (or list the logs "
			  "with --list)");
	if (list && (output || checkpoint))
		die_usage("--list writes no profile: leave out -o and --checkpoint");
	if (checkpoint && output && strcmp(output, "-") == 0)
		die_usage("--checkpoint merges into the previous profile: -o must name a file");
	if ((f.set & AF_SINCE) && (f.set & AF_UNTIL) && f.since_ms > f.until_ms)
		die_usage("--since is after --until");
	if (checkpoint && shape.format_name && strcmp(shape.format_name, "oci") != 0)
		die_usage("--checkpoint merges into the previous profile, which must be -F oci");
	if (!list)
		cli_shape_check(&shape);
	if ((status = cli_shape_prepare(&shape)) != 0) {
		cli_shape_discard(&shape);
		return status;
	}

	if (checkpoint) {
		struct scw_audit_mark m;
		if (scw_audit_checkpoint_read(checkpoint, &m, &err) < 0) {
			cli_shape_discard(&shape);
			complain("%s", err.msg);
			return SCW_EXIT_FAILURE;
		}
		if (m.valid) {
			f.after_ms = m.ms;
			f.after_serial = m.serial;
			f.set |= AF_AFTER;
		}
	}
	if (output && scw_output_open(&out, output, &err) < 0) {
		cli_shape_discard(&shape);
		complain("%s", err.msg);
		return err.status;
	}
	if (output && (status = cli_shape_check_output(&shape, &out)) != 0) {
		scw_output_discard(&out);
		cli_shape_discard(&shape);
		return status;
	}
	files = argv + optind;
	if (!*files) {
		if (scw_audit_default_logs(&defaults, &err) < 0) {
			scw_output_discard(&out);
			cli_shape_discard(&shape);
			complain("%s", err.msg);
			return SCW_EXIT_FAILURE;
		}
		files = defaults;
	}

	scw_acc_init(&acc);
	rd = scw_audit_reader_new(&f, &acc, list);
	for (char **p = files; *p; p++) {
		if (scw_audit_reader_file(rd, *p, &err) < 0) {
			complain("%s", err.msg);
			status = SCW_EXIT_FAILURE;
			goto out;
		}
	}
	scw_audit_reader_stats(rd, &st);
	if (st.malformed && !quiet)
		complain("warning: %llu malformed line%s skipped (of %llu read)",
			 (unsigned long long)st.malformed, st.malformed == 1 ? "" : "s",
			 (unsigned long long)st.lines);
	/* Said even with -q when nothing else was read: they are why. */
	if (st.untrusted && (!quiet || !st.matched))
		complain("warning: %llu SECCOMP record%s of syslog or journal text skipped: "
			 "any user can write such a line (logger); read journalctl -o json, "
			 "dmesg or auditd's log instead, or pass --trust-text if only root "
			 "writes these files",
			 (unsigned long long)st.untrusted, st.untrusted == 1 ? "" : "s");
	if (st.forged && (!quiet || !st.matched))
		complain("warning: %llu forged SECCOMP record%s refused: written by a user "
			 "process (a syslog tag other than kernel, a journal entry not of the "
			 "kernel or audit transport), not by the kernel or auditd",
			 (unsigned long long)st.forged, st.forged == 1 ? "" : "s");
	if (st.future && !quiet)
		complain("warning: %llu record%s stamped more than a day in the future (a wrong "
			 "clock, or forged): read, but not used for the checkpoint",
			 (unsigned long long)st.future, st.future == 1 ? "" : "s");
	if (acc.other && !quiet)
		complain("warning: more than %u executables: the %llu records of the rest are "
			 "counted under \"%s\"; filter with --exe or --ses to see them one by one",
			 SCW_ACC_MAX_EXES, (unsigned long long)acc.other->calls, acc.other->path);
	if (st.matched == 0) {
		if (checkpoint && (f.set & AF_AFTER))
			complain(
			    "nothing new since the checkpoint: %llu SECCOMP records read, none "
			    "newer; the profile and the checkpoint are unchanged",
			    (unsigned long long)st.seccomp);
		else
			complain("no SECCOMP record %s (%llu lines, %llu SECCOMP records read); no "
				 "profile written",
				 f.set ? "matched the filters" : "in the logs",
				 (unsigned long long)st.lines, (unsigned long long)st.seccomp);
		status = 1;
		goto out;
	}
	if (list) {
		audit_list(rd, &acc);
		goto out;
	}
	if (audit_write(rd, &acc, &out, checkpoint, &shape, quiet, &err) < 0) {
		complain("%s", err.msg);
		status = SCW_EXIT_FAILURE;
	}
out:
	cli_shape_discard(&shape);
	scw_output_discard(&out);
	scw_audit_reader_free(rd);
	scw_acc_free(&acc);
	for (char **p = defaults; p && *p; p++)
		free(*p);
	free(defaults);
	return status;
}

const struct cli_command cli_cmd_audit = {
    .name = "audit",
    .synopsis = "[OPTION]... [FILE]...",
    .run = audit_main,
};
