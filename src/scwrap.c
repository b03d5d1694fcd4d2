/* scwrap.c - the command line: parse, run a backend, write the profile. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <time.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "lib/abi.h"
#include "lib/accum.h"
#include "lib/auditlog.h"
#include "lib/backend.h"
#include "lib/error.h"
#include "lib/output.h"
#include "lib/profile.h"
#include "lib/signals.h"
#include "lib/summary.h"
#include "lib/util.h"

static const char usage_text[] =
	"Usage: scwrap [record] [OPTION]... [--] COMMAND [ARG]...\n"
	"  or:  scwrap audit [OPTION]... [FILE]...\n"
	"Run COMMAND, record every syscall of its process tree, and write a minimal\n"
	"seccomp allowlist profile (OCI/Docker JSON) for docker, podman, runc, crun\n"
	"and Kubernetes.\n"
	"\n"
	"  -o, --output=FILE   write the profile to FILE ('-' for standard output)\n"
	"  -b, --backend=NAME  how syscalls are seen: ptrace (default; rootless) or\n"
	"                      audit (SCMP_ACT_LOG and the kernel's audit records; for\n"
	"                      workloads that use ptrace themselves)\n"
	"      --accept-loss   audit: write the profile even if records were lost\n"
	"  -q, --quiet         print no live status and no summary\n"
	"  -h, --help          show this help and exit\n"
	"  -V, --version       show the version and exit\n"
	"\n"
	"Exit status: that of COMMAND (128+N when a signal N ended it, or when scwrap\n"
	"passed on signal N); 124 if audit records were lost (no profile written\n"
	"unless --accept-loss); 125 if scwrap failed, 126 if COMMAND could not be run,\n"
	"127 if it was not found.\n"
	"\n"
	"'scwrap audit --help' tells how to turn audit logs into a profile.\n"
	"\n"
	"Example: scwrap -o ls.json -- ls -l /\n";

static const char audit_usage_text[] =
	"Usage: scwrap audit [OPTION]... [FILE]...\n"
	"Turn the SECCOMP records of audit logs (auditd's, raw or enriched; dmesg or\n"
	"journal lines) into a profile.  FILE '-' is standard input; without FILE,\n"
	"auditd's log and its rotated copies, oldest first.\n"
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
	"  -q, --quiet            print no summary\n"
	"  -h, --help             show this help and exit\n"
	"\n"
	"TIME: now, recent, this-hour, boot, today, yesterday, this-week, week-ago,\n"
	"this-month, this-year, YYYY-MM-DD [HH:MM[:SS]], MM/DD/YYYY [HH:MM:SS], @EPOCH.\n"
	"\n"
	"Exit status: 0 when a profile was written (or listed), 1 when no record\n"
	"matched, 125 on error.\n";

struct cli {
	const char *output;
	const struct scw_backend *backend;
	bool quiet, accept_loss;
	char **argv; /* the workload's, untouched */
};

static void parse_record(struct cli *cli, int argc, char **argv)
{
	enum { O_ACCEPT_LOSS = 256 };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "backend", required_argument, NULL, 'b' },
		{ "accept-loss", no_argument, NULL, O_ACCEPT_LOSS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	cli->backend = scw_backend_find("ptrace");
	opterr = 0;
	/* '+': stop at the first non-option, the workload's name. */
	while ((c = getopt_long(argc, argv, "+:o:b:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			cli->output = optarg;
			break;
		case 'b':
			cli->backend = scw_backend_find(optarg);
			if (!cli->backend)
				die_usage("unknown backend '%s' (ptrace or audit)", optarg);
			break;
		case O_ACCEPT_LOSS:
			cli->accept_loss = true;
			break;
		case 'q':
			cli->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(fflush(stdout) == 0 ? 0 : SCW_EXIT_FAILURE);
		case 'V':
			printf("scwrap %s (libseccomp %s)\n", PACKAGE_VERSION, scw_libseccomp_version());
			exit(fflush(stdout) == 0 ? 0 : SCW_EXIT_FAILURE);
		case ':':
			die_usage("option '%s' needs an argument", argv[optind - 1]);
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		die_usage("no command to run");
	if (!cli->output)
		die_usage("no output: say where the profile goes with -o FILE (or -o - for "
			  "standard output)");
	if (cli->accept_loss && strcmp(cli->backend->name, "audit") != 0)
		die_usage("--accept-loss goes with -b audit: the %s backend loses nothing",
			  cli->backend->name);
	cli->argv = argv + optind;
}

/* The status scwrap exits with: the workload's, as a shell reports it. */
static int workload_status(const struct scw_run *run)
{
	if (run->forwarded_signal)
		return 128 + run->forwarded_signal;
	if (WIFEXITED(run->wait_status))
		return WEXITSTATUS(run->wait_status);
	if (WIFSIGNALED(run->wait_status))
		return 128 + WTERMSIG(run->wait_status);
	return SCW_EXIT_FAILURE;
}

static int cmd_record(struct cli *cli)
{
	const struct scw_backend *backend = cli->backend;
	struct scw_record_opts opts = { 0 };
	struct scw_output out;
	struct scw_acc acc;
	struct scw_run run = { 0 };
	struct scw_profile *profile;
	struct scw_unnamed *unnamed;
	size_t n_unnamed;
	cleanup_free char *path = NULL;
	cleanup_free char *json = NULL;
	scw_error err = { 0 };
	int status;

	/* Everything that can fail before the workload starts, fails now. */
	if (scw_output_open(&out, cli->output, &err) < 0) {
		complain("%s", err.msg);
		return err.status;
	}
	if (scw_command_find(cli->argv[0], &path, &err) < 0) {
		scw_output_discard(&out);
		complain("%s", err.msg);
		return err.status;
	}
	if (scw_signals_install() < 0) {
		scw_output_discard(&out);
		complain("cannot install signal handlers: %s", strerror(errno));
		return SCW_EXIT_FAILURE;
	}
	opts.path = path;
	opts.argv = cli->argv;
	opts.live_status = !cli->quiet && isatty(STDERR_FILENO);

	scw_acc_init(&acc);
	if (backend->record(&opts, &acc, &run, &err) < 0) {
		scw_output_discard(&out);
		scw_acc_free(&acc);
		complain("%s", err.msg);
		return err.status;
	}
	status = workload_status(&run);
	if (run.lost_records && !cli->accept_loss) {
		scw_output_discard(&out);
		scw_acc_free(&acc);
		complain("%llu audit records were lost during the run, so the profile would be "
			 "incomplete: none was written (the workload's status was %d); raise the "
			 "kernel's backlog (auditctl -b 8192) and lift its rate limit (auditctl -r 0), "
			 "or keep what arrived with --accept-loss",
			 (unsigned long long)run.lost_records, status);
		return SCW_EXIT_INCOMPLETE;
	}

	profile = scw_profile_from_acc(&acc, &unnamed, &n_unnamed);
	json = scw_profile_to_json(profile, &err);
	if (!json || scw_output_commit(&out, json, strlen(json), &err) < 0) {
		complain("%s; the workload's own exit status was %d", err.msg, status);
		status = SCW_EXIT_FAILURE;
	} else if (!cli->quiet) {
		scw_summary_print(stderr, &acc, &run, profile, unnamed, n_unnamed);
		fprintf(stderr, "scwrap: profile of %zu syscalls written to %s\n",
			profile->n_rules ? profile->rules[0].n_names : (size_t)0,
			scw_output_name(&out));
		if (strcmp(cli->output, "-") != 0)
			fprintf(stderr,
				"scwrap: use it with docker/podman run --security-opt seccomp=%s, "
				"as linux.seccomp in a runc/crun config.json, or as a Kubernetes "
				"Localhost seccompProfile\n",
				cli->output);
	}
	free(unnamed);
	scw_profile_free(profile);
	scw_acc_free(&acc);
	return status;
}

/* A number in [0, max], all of s: no sign, no junk, no overflow. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* A profile of what the reader matched: merged into the previous one with
 * a checkpoint; written; the checkpoint updated last. */
static int audit_write(struct scw_audit_reader *rd, struct scw_output *out, const char *checkpoint,
		       bool quiet, scw_error *err)
{
	struct scw_run run = { .processes = rd->procs.n };
	struct scw_unnamed *unnamed;
	size_t n_unnamed;
	struct scw_profile *p = scw_profile_from_acc(rd->acc, &unnamed, &n_unnamed);
	cleanup_free char *json = NULL;
	int rc = -1;

	if (checkpoint && strcmp(out->path, "-") != 0 && access(out->path, F_OK) == 0) {
		struct scw_profile *old = scw_profile_read(out->path, err);
		if (!old || scw_profile_merge(p, old, NULL, err) < 0) {
			scw_profile_free(old);
			scw_context(err, "cannot merge into the previous profile");
			goto out;
		}
		scw_profile_free(old);
	}
	json = scw_profile_to_json(p, err);
	if (!json || scw_output_commit(out, json, strlen(json), err) < 0)
		goto out;
	if (checkpoint && rd->last.valid) {
		struct scw_output cp;
		cleanup_free char *line = scw_audit_checkpoint_format(&rd->last);
		if (scw_output_open(&cp, checkpoint, err) < 0 ||
		    scw_output_commit(&cp, line, strlen(line), err) < 0) {
			scw_context(err, "the profile was written, but not the checkpoint");
			goto out;
		}
	}
	if (!quiet) {
		scw_summary_print(stderr, rd->acc, &run, p, unnamed, n_unnamed);
		fprintf(stderr, "scwrap: profile of %zu syscalls written to %s\n",
			p->n_rules ? p->rules[0].n_names : (size_t)0, scw_output_name(out));
	}
	rc = 0;
out:
	free(unnamed);
	scw_profile_free(p);
	return rc;
}

static int cmp_u64pair(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0;
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

/* --list: what the logs hold, for choosing filters. */
static void audit_list(const struct scw_audit_reader *rd)
{
	const struct scw_acc *acc = rd->acc;
	uint64_t (*rows)[2] = scw_xcalloc(rd->ses_exe.n + 1, sizeof(*rows));
	uint64_t k, v, cur = UINT64_MAX;
	size_t n = 0;

	for (size_t i = 0; scw_u64map_next(&rd->ses_exe, &i, &k, &v);) {
		rows[n][0] = k;
		rows[n++][1] = v;
	}
	qsort(rows, n, sizeof(*rows), cmp_u64pair);
	printf("%-10s %10s  %-19s  %-19s  %s\n", "SESSION", "RECORDS", "FIRST", "LAST",
	       "EXECUTABLES (RECORDS)");
	for (size_t i = 0; i < n; i++) {
		uint32_t ses = (uint32_t)(rows[i][0] >> 32), exe = (uint32_t)rows[i][0];
		if (ses != cur) {
			uint64_t total = 0, *first = scw_u64map_get(&rd->ses_first, ses),
				 *last = scw_u64map_get(&rd->ses_last, ses);
			for (size_t j = i; j < n && (uint32_t)(rows[j][0] >> 32) == ses; j++)
				total += rows[j][1];
			if (cur != UINT64_MAX)
				printf("\n");
			if (ses == SCW_AUDIT_UNSET)
				printf("%-10s %10llu", "unset", (unsigned long long)total);
			else
				printf("%-10u %10llu", ses, (unsigned long long)total);
			if (first && last) {
				print_time(*first);
				print_time(*last);
			} else {
				printf("  %-19s  %-19s", "-", "-");
			}
			printf(" ");
			cur = ses;
		}
		printf(" %s (%llu)", acc->exes[exe]->path, (unsigned long long)rows[i][1]);
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

static int cmd_audit(int argc, char **argv)
{
	enum { O_SES = 256, O_PID, O_EXE, O_COMM, O_UID, O_SINCE, O_UNTIL, O_CHECKPOINT };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "ses", required_argument, NULL, O_SES },
		{ "pid", required_argument, NULL, O_PID },
		{ "exe", required_argument, NULL, O_EXE },
		{ "comm", required_argument, NULL, O_COMM },
		{ "uid", required_argument, NULL, O_UID },
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "checkpoint", required_argument, NULL, O_CHECKPOINT },
		{ NULL, 0, NULL, 0 },
	};
	struct scw_audit_filter f = { 0 };
	struct scw_audit_reader rd;
	struct scw_output out = { .fd = -1 };
	struct scw_acc acc;
	scw_error err = { 0 };
	const char *output = NULL, *checkpoint = NULL;
	bool list = false, quiet = false;
	char **files, **defaults = NULL;
	unsigned long v;
	int c, status = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:lqh", longopts, NULL)) != -1) {
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
			fputs(audit_usage_text, stdout);
			exit(fflush(stdout) == 0 ? 0 : SCW_EXIT_FAILURE);
		case O_SES:
			if (strcmp(optarg, "unset") == 0)
				v = SCW_AUDIT_UNSET;
			else if (!parse_uint(optarg, UINT32_MAX, &v))
				die_usage("--ses takes a session number or 'unset', not '%s'", optarg);
			f.ses = (uint32_t)v;
			f.set |= AF_SES;
			break;
		case O_PID:
			if (!parse_uint(optarg, INT32_MAX, &v) || v == 0)
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
			if (!parse_uint(optarg, UINT32_MAX, &v)) {
				struct passwd *pw = getpwnam(optarg);
				if (!pw)
					die_usage("--uid takes a user id or name; '%s' is neither", optarg);
				v = pw->pw_uid;
			}
			f.uid = (uint32_t)v;
			f.set |= AF_UID;
			break;
		case O_SINCE:
		case O_UNTIL:
			if (scw_audit_parse_time(optarg, c == O_SINCE ? &f.since_ms : &f.until_ms, &err) < 0)
				die_usage("%s", err.msg);
			f.set |= c == O_SINCE ? AF_SINCE : AF_UNTIL;
			break;
		case O_CHECKPOINT:
			checkpoint = optarg;
			break;
		case ':':
			die_usage("option '%s' needs an argument", argv[optind - 1]);
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
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

	if (checkpoint) {
		struct scw_audit_mark m;
		if (scw_audit_checkpoint_read(checkpoint, &m, &err) < 0) {
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
		complain("%s", err.msg);
		return err.status;
	}
	files = argv + optind;
	if (!*files) {
		if (scw_audit_default_logs(&defaults, &err) < 0) {
			scw_output_discard(&out);
			complain("%s", err.msg);
			return SCW_EXIT_FAILURE;
		}
		files = defaults;
	}

	scw_acc_init(&acc);
	scw_audit_reader_init(&rd, &f, &acc);
	rd.tally_sessions = list;
	for (char **p = files; *p; p++) {
		if (scw_audit_reader_file(&rd, *p, &err) < 0) {
			complain("%s", err.msg);
			status = SCW_EXIT_FAILURE;
			goto out;
		}
	}
	if (rd.malformed && !quiet)
		complain("warning: %llu malformed line%s skipped (of %llu read)",
			 (unsigned long long)rd.malformed, rd.malformed == 1 ? "" : "s",
			 (unsigned long long)rd.lines);
	if (rd.matched == 0) {
		if (checkpoint && (f.set & AF_AFTER))
			complain("nothing new since the checkpoint: %llu SECCOMP records read, none "
				 "newer; the profile and the checkpoint are unchanged",
				 (unsigned long long)rd.seccomp);
		else
			complain("no SECCOMP record %s (%llu lines, %llu SECCOMP records read); no "
				 "profile written",
				 f.set ? "matched the filters" : "in the logs",
				 (unsigned long long)rd.lines, (unsigned long long)rd.seccomp);
		status = 1;
		goto out;
	}
	if (list) {
		audit_list(&rd);
		goto out;
	}
	if (audit_write(&rd, &out, checkpoint, quiet, &err) < 0) {
		complain("%s", err.msg);
		status = SCW_EXIT_FAILURE;
	}
out:
	scw_output_discard(&out);
	scw_audit_reader_free(&rd);
	scw_acc_free(&acc);
	for (char **p = defaults; p && *p; p++)
		free(*p);
	free(defaults);
	return status;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	if (argc > 1 && strcmp(argv[1], "audit") == 0)
		return cmd_audit(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "export") == 0)
		return cmd_export(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "record") == 0) {
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	parse_record(&cli, argc, argv);
	return cmd_record(&cli);
}
