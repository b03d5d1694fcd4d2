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
#include "lib/export.h"
#include "lib/lint.h"
#include "lib/output.h"
#include "lib/profile.h"
#include "lib/report.h"
#include "lib/shape.h"
#include "lib/signals.h"
#include "lib/summary.h"
#include "lib/util.h"

#define SHAPE_HELP                                                                                 \
	"      --baseline=FILE  start from the profile FILE (OCI/Docker JSON) and add what\n"      \
	"                       is recorded; what it denies stays denied; with ptrace,\n"          \
	"                       what it allows is not even traced\n"                               \
	"      --container[=RUNTIME]  add what RUNTIME (runc, the default, or crun;\n"             \
	"                       runc-nnp or crun-nnp for noNewPrivileges true only; or a\n"        \
	"                       file of names) does after it loads the profile\n"                  \
	"      --no-additions   leave out rt_sigreturn, restart_syscall, exit, exit_group\n"       \
	"                       and the vDSO calls, added by default\n"                            \
	"      --no-fallbacks   do not answer clone3 and other newer calls with ENOSYS\n"          \
	"  -F, --format=FORMAT  oci (default), k8s, systemd, text or bpf\n"                        \
	"      --name=NAME      the k8s resource's name\n"                                         \
	"      --report=FILE    write provenance as JSON: for every syscall, how often,\n"         \
	"                       which executables, the first process\n"

static const char usage_text[] =
    "Usage: scwrap [record] [OPTION]... [--] COMMAND [ARG]...\n"
    "  or:  scwrap check [OPTION]... PROFILE [--] COMMAND [ARG]...\n"
    "  or:  scwrap audit [OPTION]... [FILE]...\n"
    "  or:  scwrap merge -o FILE PROFILE PROFILE...\n"
    "  or:  scwrap diff [--json] PROFILE PROFILE\n"
    "  or:  scwrap export [-F FORMAT] [-o FILE] PROFILE\n"
    "  or:  scwrap lint PROFILE...\n"
    "Run COMMAND, record every syscall of its process tree, and write a minimal\n"
    "seccomp allowlist profile (OCI/Docker JSON) for docker, podman, runc, crun\n"
    "and Kubernetes.\n"
    "\n"
    "  -o, --output=FILE   write the profile to FILE ('-' for standard output)\n"
    "  -b, --backend=NAME  how syscalls are seen: ptrace (default; rootless) or\n"
    "                      audit (SCMP_ACT_LOG and the kernel's audit records; for\n"
    "                      workloads that use ptrace themselves)\n"
    "      --accept-loss   audit: write the profile even if records were lost\n"
    "      --args          ptrace: allow the risky calls (socket, clone, unshare,\n"
    "                      ioctl, prctl, mmap...) only with the argument values seen\n" SHAPE_HELP
    "  -q, --quiet         print no live status and no summary\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Exit status: that of COMMAND (128+N when a signal N ended it, or when scwrap\n"
    "passed on signal N); 124 if audit records were lost (no profile written\n"
    "unless --accept-loss); 125 if scwrap failed, 126 if COMMAND could not be run,\n"
    "127 if it was not found.\n"
    "\n"
    "'scwrap COMMAND --help' tells more of check, audit, merge, diff, export, lint.\n"
    "\n"
    "Example: scwrap -o ls.json -- ls -l /\n";

static const char check_usage_text[] =
    "Usage: scwrap check [OPTION]... PROFILE [--] COMMAND [ARG]...\n"
    "Run COMMAND under PROFILE and report every syscall it made that PROFILE does\n"
    "not allow: name, ABI, count, first process, executables.  By default such\n"
    "calls fail as the profile says (its errno); --complain lets them through.\n"
    "\n"
    "      --complain      let the calls the profile does not allow run\n"
    "      --report=FILE   write the calls not allowed as JSON (as --report of a\n"
    "                      recording)\n"
    "  -q, --quiet         print only the calls not allowed\n"
    "  -h, --help          show this help and exit\n"
    "\n"
    "Exit status: 1 if COMMAND made a call the profile does not allow; else that\n"
    "of COMMAND; 125 if scwrap failed, 126/127 if COMMAND could not be run or found.\n";

static const char merge_usage_text[] =
    "Usage: scwrap merge -o FILE [OPTION]... PROFILE PROFILE...\n"
    "Write the union of the profiles: every call any of them allows, on every\n"
    "ABI any of them lists; a call one of them denies by name stays denied.\n"
    "The default actions must agree; the first profile's errno wins.\n"
    "\n"
    "  -o, --output=FILE     the merged profile ('-' for standard output)\n"
    "  -F, --format=FORMAT   oci (default), k8s, systemd, text or bpf\n"
    "      --name=NAME       the k8s resource's name\n"
    "  -h, --help            show this help and exit\n";

static const char diff_usage_text[] =
    "Usage: scwrap diff [OPTION]... PROFILE PROFILE\n"
    "Say how two profiles differ: default action, ABIs, and every syscall that\n"
    "one of them treats differently, with the layer that decides it (recorded,\n"
    "always, runtime, fallback, baseline).\n"
    "\n"
    "      --json      the differences as JSON\n"
    "  -q, --quiet     print nothing; the exit status tells\n"
    "  -h, --help      show this help and exit\n"
    "\n"
    "Exit status: 0 if the profiles are the same, 1 if they differ, 125 on error.\n";

static const char lint_usage_text[] =
    "Usage: scwrap lint PROFILE...\n"
    "Flag what is risky or broken in a profile: dangerous syscalls it allows\n"
    "(ptrace, bpf, mount, setns, unshare, keyctl, ...), exit, exit_group or\n"
    "rt_sigreturn missing, ABIs beyond the native one, a default that allows.\n"
    "\n"
    "  -h, --help      show this help and exit\n"
    "\n"
    "Exit status: 0 if nothing dangerous or broken was found (warnings may have\n"
    "been printed), 1 if something was, 125 on error.\n";

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
    "                         the existing profile, then update FILE\n" SHAPE_HELP
    "  -q, --quiet            print no summary\n"
    "  -h, --help             show this help and exit\n"
    "\n"
    "TIME: now, recent, this-hour, boot, today, yesterday, this-week, week-ago,\n"
    "this-month, this-year, YYYY-MM-DD [HH:MM[:SS]], MM/DD/YYYY [HH:MM:SS], @EPOCH.\n"
    "\n"
    "Exit status: 0 when a profile was written (or listed), 1 when no record\n"
    "matched, 125 on error.\n";

/* The options that shape a profile, shared by record and audit. */
struct shape_cli {
	const char *baseline_path, *container, *format_name, *report, *name;
	bool no_additions, no_fallbacks;
	/* Resolved before the workload starts: */
	struct scw_profile *baseline;
	const struct scw_format *format;
	struct scw_output report_out;
};

enum {
	O_ACCEPT_LOSS = 256,
	O_ARGS,
	O_BASELINE,
	O_CONTAINER,
	O_NO_ADDITIONS,
	O_NO_FALLBACKS,
	O_NAME,
	O_REPORT,
	O_COMPLAIN,
	O_JSON,
	O_SES,
	O_PID,
	O_EXE,
	O_COMM,
	O_UID,
	O_SINCE,
	O_UNTIL,
	O_CHECKPOINT,
};

#define SHAPE_LONGOPTS                                                                             \
	{"baseline", required_argument, NULL, O_BASELINE},                                         \
	    {"container", optional_argument, NULL, O_CONTAINER},                                   \
	    {"no-additions", no_argument, NULL, O_NO_ADDITIONS},                                   \
	    {"no-fallbacks", no_argument, NULL, O_NO_FALLBACKS},                                   \
	    {"format", required_argument, NULL, 'F'}, {"name", required_argument, NULL, O_NAME},   \
	{                                                                                          \
		"report", required_argument, NULL, O_REPORT                                        \
	}

/* One shaping option; false if c is not one. */
static bool shape_option(struct shape_cli *s, int c, const char *arg)
{
	switch (c) {
	case O_BASELINE:
		s->baseline_path = arg;
		return true;
	case O_CONTAINER:
		s->container = arg ? arg : "runc";
		return true;
	case O_NO_ADDITIONS:
		s->no_additions = true;
		return true;
	case O_NO_FALLBACKS:
		s->no_fallbacks = true;
		return true;
	case 'F':
		s->format_name = arg;
		return true;
	case O_NAME:
		s->name = arg;
		return true;
	case O_REPORT:
		s->report = arg;
		return true;
	default:
		return false;
	}
}

/* Resolve -F, and refuse combinations that cannot work, before anything
 * runs: a binary format to a terminal, --name without k8s. */
static void check_format(struct shape_cli *s, const char *output)
{
	s->format = scw_format_find(s->format_name ? s->format_name : "oci");
	if (!s->format) {
		char list[256] = "";
		for (size_t i = 0; scw_formats[i]; i++) {
			strcat(list, i ? ", " : "");
			strncat(list, scw_formats[i]->name, sizeof(list) - strlen(list) - 3);
		}
		die_usage("unknown format '%s' (%s)", s->format_name, list);
	}
	if (s->format->binary && output && strcmp(output, "-") == 0 && isatty(STDOUT_FILENO))
		die_usage("format %s is binary: write it to a file with -o FILE", s->format->name);
	if (s->name && strcmp(s->format->name, "k8s") != 0)
		die_usage("--name names the k8s resource: it goes with -F k8s");
	if (s->name && !scw_k8s_name_ok(s->name))
		die_usage(
		    "--name '%s' cannot name a SeccompProfile: a Kubernetes name is a "
		    "DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' and '.', "
		    "beginning and ending with a letter or digit)",
		    s->name);
}

/* Everything of the shaping options that can fail, before anything runs:
 * the baseline is read, the runtime list found, the report path checked.
 * On failure a message is printed and the exit status returned. */
static int shape_prepare(struct shape_cli *s)
{
	scw_error err = {0};
	s->report_out.fd = -1;
	if (s->baseline_path) {
		s->baseline = scw_profile_read(s->baseline_path, &err);
		if (!s->baseline) {
			complain("cannot use the baseline: %s", err.msg);
			return SCW_EXIT_FAILURE;
		}
	}
	if (s->container) {
		struct scw_profile *scratch = scw_xcalloc(1, sizeof(*scratch));
		struct scw_added *added = NULL;
		char *label = NULL;
		size_t n;
		int rc = scw_add_runtime(scratch, s->container, &label, &added, &n, &err);
		free(added);
		free(label);
		scw_profile_free(scratch);
		if (rc < 0) {
			complain("%s", err.msg);
			return SCW_EXIT_FAILURE;
		}
	}
	if (s->report && scw_output_open(&s->report_out, s->report, &err) < 0) {
		complain("--report: %s", err.msg);
		return err.status;
	}
	return 0;
}

static void shape_discard(struct shape_cli *s)
{
	if (s->report)
		scw_output_discard(&s->report_out);
	scw_profile_free(s->baseline);
	s->baseline = NULL;
}

/* The profile in the chosen format, into out; the notes of what the
 * format could not say on stderr. */
static int write_profile(const struct scw_profile *p, const struct shape_cli *s,
			 struct scw_output *out, bool quiet, scw_error *err)
{
	struct scw_export_opts eo = {.name = s->name};
	struct scw_notes dropped = {0};
	size_t len = 0;
	cleanup_free char *text = s->format->render(p, &eo, &len, &dropped, err);
	int rc = -1;
	if (text && scw_output_commit(out, text, len, err) == 0)
		rc = 0;
	else if (text)
		scw_output_rescue(text, len, err);
	for (size_t i = 0; !quiet && i < dropped.n; i++)
		complain("note: %s: %s", s->format->name, dropped.v[i]);
	scw_notes_free(&dropped);
	return rc;
}

/* Shape acc into a profile, write it and the report, print the summary.
 * Returns 0, or -1 with err set. */
static int emit(const struct scw_acc *acc, const struct scw_run *run, struct shape_cli *s,
		struct scw_output *out, const char *backend, char *const *argv,
		const struct scw_profile *previous, bool quiet, scw_error *err)
{
	struct scw_shape_opts so = {
	    .baseline = s->baseline,
	    .container = s->container,
	    .no_additions = s->no_additions,
	    .no_fallbacks = s->no_fallbacks,
	};
	struct scw_shaped sh;
	int rc = -1;

	if (scw_shape(acc, run, &so, &sh, err) < 0)
		return -1;
	if (previous && scw_profile_merge(sh.profile, previous, NULL, err) < 0) {
		scw_context(err, "cannot merge into the previous profile");
		goto out;
	}
	if (write_profile(sh.profile, s, out, quiet, err) < 0)
		goto out;
	if (s->report) {
		struct scw_report_in in = {
		    .acc = acc,
		    .run = run,
		    .profile = sh.profile,
		    .backend = backend,
		    .argv = argv,
		    .added = sh.add,
		    .n_added = 3,
		    .warnings = &sh.warnings,
		};
		cleanup_free char *json = scw_report_json(&in, err);
		if (!json || scw_output_commit(&s->report_out, json, strlen(json), err) < 0) {
			scw_context(err, "the profile was written to %s, but not the report",
				    scw_output_name(out));
			goto out;
		}
	}
	if (!quiet) {
		const char **names;
		size_t n = scw_profile_allowed(sh.profile, &names);
		free(names);
		scw_summary_print(stderr, acc, run, sh.profile, sh.unnamed, sh.n_unnamed);
		scw_summary_shape(stderr, acc, sh.profile, sh.add, 3, &sh.notes, &sh.warnings);
		if (s->baseline)
			fprintf(stderr, "scwrap: baseline %s: %zu syscalls recorded beyond it\n",
				s->baseline_path, sh.recorded);
		fprintf(stderr, "scwrap: profile (%s) of %zu allowed syscalls written to %s\n",
			s->format->name, n, scw_output_name(out));
		if (s->report)
			fprintf(stderr, "scwrap: report written to %s\n",
				scw_output_name(&s->report_out));
	}
	rc = 0;
out:
	scw_shaped_free(&sh);
	return rc;
}

struct cli {
	const char *output;
	const struct scw_backend *backend;
	bool quiet, accept_loss, args;
	struct shape_cli shape;
	char **argv; /* the workload's, untouched */
};

static void parse_record(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"backend", required_argument, NULL, 'b'},
	    {"accept-loss", no_argument, NULL, O_ACCEPT_LOSS},
	    {"args", no_argument, NULL, O_ARGS},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    SHAPE_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	int c;

	cli->backend = scw_backend_find("ptrace");
	opterr = 0;
	/* '+': stop at the first non-option, the workload's name. */
	while ((c = getopt_long(argc, argv, "+:o:b:F:qhV", longopts, NULL)) != -1) {
		if (shape_option(&cli->shape, c, optarg))
			continue;
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
		case O_ARGS:
			cli->args = true;
			break;
		case 'q':
			cli->quiet = true;
			break;
		case 'h':
			cli_help(usage_text);
		case 'V':
			printf("scwrap %s (libseccomp %s)\n", PACKAGE_VERSION,
			       scw_libseccomp_version());
			exit(fflush(stdout) == 0 ? 0 : SCW_EXIT_FAILURE);
		default:
			cli_bad_option(c, argv);
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
	if (cli->args && strcmp(cli->backend->name, "ptrace") != 0)
		die_usage("--args needs the ptrace backend: the kernel's SECCOMP audit records "
			  "carry no arguments");
	if (cli->shape.report && strcmp(cli->shape.report, cli->output) == 0)
		die_usage("--report and -o name the same file");
	check_format(&cli->shape, cli->output);
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

/* Install the signal handlers, first of all: a signal that comes while
 * scwrap prepares is kept for the workload, and no temporary file is left
 * by scwrap dying of it.  Returns 0 or an exit status. */
static int prepare_signals(void)
{
	if (scw_signals_install() < 0) {
		complain("cannot install signal handlers: %s", strerror(errno));
		return SCW_EXIT_FAILURE;
	}
	return 0;
}

/* Resolve the command: the last thing that can fail before the workload
 * starts.  Returns 0 or an exit status. */
static int prepare_command(const char *cmd, char **path)
{
	scw_error err = {0};
	if (scw_command_find(cmd, path, &err) < 0) {
		complain("%s", err.msg);
		return err.status;
	}
	return 0;
}

static int cmd_record(struct cli *cli)
{
	const struct scw_backend *backend = cli->backend;
	struct scw_record_opts opts = {0};
	struct scw_output out;
	struct scw_acc acc;
	struct scw_run run = {0};
	cleanup_free char *path = NULL;
	scw_error err = {0};
	int status;

	/* Everything that can fail before the workload starts, fails now. */
	if ((status = prepare_signals()) != 0 || (status = shape_prepare(&cli->shape)) != 0)
		return status;
	if (scw_output_open(&out, cli->output, &err) < 0) {
		shape_discard(&cli->shape);
		complain("%s", err.msg);
		return err.status;
	}
	if ((status = prepare_command(cli->argv[0], &path)) != 0) {
		scw_output_discard(&out);
		shape_discard(&cli->shape);
		return status;
	}
	opts.path = path;
	opts.argv = cli->argv;
	opts.live_status = !cli->quiet && isatty(STDERR_FILENO);
	opts.profile = cli->shape.baseline;
	opts.args = cli->args;

	scw_acc_init(&acc);
	if (backend->record(&opts, &acc, &run, &err) < 0) {
		scw_output_discard(&out);
		shape_discard(&cli->shape);
		scw_acc_free(&acc);
		complain("%s", err.msg);
		return err.status;
	}
	status = workload_status(&run);
	if (run.lost_records && !cli->accept_loss) {
		scw_output_discard(&out);
		shape_discard(&cli->shape);
		scw_acc_free(&acc);
		complain(
		    "%llu audit records were lost during the run, so the profile would be "
		    "incomplete: none was written (the workload's status was %d); raise the "
		    "kernel's backlog (auditctl -b 8192) and lift its rate limit (auditctl -r 0), "
		    "or keep what arrived with --accept-loss",
		    (unsigned long long)run.lost_records, status);
		return SCW_EXIT_INCOMPLETE;
	}
	if (emit(&acc, &run, &cli->shape, &out, backend->name, cli->argv, NULL, cli->quiet, &err) <
	    0) {
		complain("%s; the workload's own exit status was %d", err.msg, status);
		status = SCW_EXIT_FAILURE;
	} else if (!cli->quiet && strcmp(cli->output, "-") != 0 &&
		   strcmp(cli->shape.format->name, "oci") == 0) {
		fprintf(stderr,
			"scwrap: use it with docker/podman run --security-opt seccomp=%s, "
			"as linux.seccomp in a runc/crun config.json, or as a Kubernetes "
			"Localhost seccompProfile%s\n",
			cli->output,
			cli->shape.container ? ""
					     : " (add --container for what the runtime needs)");
	}
	scw_output_discard(&out);
	shape_discard(&cli->shape);
	scw_acc_free(&acc);
	return status;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"complain", no_argument, NULL, O_COMPLAIN},
	    {"report", required_argument, NULL, O_REPORT},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct scw_record_opts opts = {0};
	struct scw_output report = {.fd = -1};
	struct scw_profile *p;
	struct scw_acc acc;
	struct scw_run run = {0};
	cleanup_free char *path = NULL;
	const char *report_path = NULL, *profile_path;
	scw_error err = {0};
	bool complain_mode = false, quiet = false;
	size_t n;
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:qh", longopts, NULL)) != -1) {
		switch (c) {
		case O_COMPLAIN:
			complain_mode = true;
			break;
		case O_REPORT:
			report_path = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			cli_help(check_usage_text);
		default:
			cli_bad_option(c, argv);
		}
	}
	if (optind >= argc)
		die_usage("check needs a profile and a command: scwrap check PROFILE -- COMMAND");
	profile_path = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		die_usage("no command to check the profile with");
	if ((status = prepare_signals()) != 0)
		return status;
	p = scw_profile_read(profile_path, &err);
	if (!p) {
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	if (report_path && scw_output_open(&report, report_path, &err) < 0) {
		scw_profile_free(p);
		complain("--report: %s", err.msg);
		return err.status;
	}
	if ((status = prepare_command(argv[optind], &path)) != 0) {
		scw_output_discard(&report);
		scw_profile_free(p);
		return status;
	}
	opts.path = path;
	opts.argv = argv + optind;
	opts.profile = p;
	opts.check = true;
	opts.enforce = !complain_mode;
	scw_acc_init(&acc);
	if (scw_backend_ptrace.record(&opts, &acc, &run, &err) < 0) {
		scw_output_discard(&report);
		scw_profile_free(p);
		scw_acc_free(&acc);
		complain("%s", err.msg);
		return err.status;
	}
	status = workload_status(&run);
	n = scw_summary_violations(stderr, &acc, !complain_mode);
	if (report_path) {
		struct scw_report_in in = {.acc = &acc,
					   .run = &run,
					   .profile = p,
					   .backend = "check",
					   .argv = argv + optind};
		cleanup_free char *json = scw_report_json(&in, &err);
		if (!json || scw_output_commit(&report, json, strlen(json), &err) < 0) {
			complain("%s", err.msg);
			status = SCW_EXIT_FAILURE;
		}
	}
	if (!quiet) {
		if (run.unnamed_lost)
			complain(
			    "warning: %llu calls could not be decoded or denied: the check may be "
			    "incomplete",
			    (unsigned long long)run.unnamed_lost);
		if (n)
			complain(
			    "%s lacks %zu syscall%s that the command made (%llu call%s)%s; record "
			    "them into it with: scwrap --baseline %s -o %s -- COMMAND",
			    profile_path, n, n == 1 ? "" : "s", (unsigned long long)acc.total,
			    acc.total == 1 ? "" : "s",
			    complain_mode ? "" : ", denied as the profile says", profile_path,
			    profile_path);
		else
			complain("%s allowed every syscall the command made (exit status %d)",
				 profile_path, status);
	}
	if (n && status != SCW_EXIT_FAILURE)
		status = 1;
	scw_output_discard(&report);
	scw_profile_free(p);
	scw_acc_free(&acc);
	return status;
}

static int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},  {"format", required_argument, NULL, 'F'},
	    {"name", required_argument, NULL, O_NAME}, {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},	       {NULL, 0, NULL, 0},
	};
	struct shape_cli s = {0};
	struct scw_output out;
	struct scw_profile *p = NULL;
	const char *output = NULL;
	scw_error err = {0};
	bool quiet = false;
	size_t denied = 0, total_denied = 0;
	int c, status = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:F:qh", longopts, NULL)) != -1) {
		if (shape_option(&s, c, optarg))
			continue;
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			cli_help(merge_usage_text);
		default:
			cli_bad_option(c, argv);
		}
	}
	if (!output)
		die_usage("no output: say where the merged profile goes with -o FILE");
	if (argc - optind < 2)
		die_usage("merge needs two profiles or more (scwrap export converts one)");
	check_format(&s, output);
	/* Read every input first: the output may be one of them. */
	for (int i = optind; i < argc; i++) {
		struct scw_profile *q = scw_profile_read(argv[i], &err);
		if (!q) {
			complain("%s", err.msg);
			scw_profile_free(p);
			return SCW_EXIT_FAILURE;
		}
		if (!p) {
			p = q;
			continue;
		}
		if (scw_profile_merge(p, q, &denied, &err) < 0) {
			complain("%s: %s", argv[i], err.msg);
			scw_profile_free(q);
			scw_profile_free(p);
			return SCW_EXIT_FAILURE;
		}
		total_denied += denied;
		scw_profile_free(q);
	}
	if (scw_output_open(&out, output, &err) < 0 ||
	    write_profile(p, &s, &out, quiet, &err) < 0) {
		complain("%s", err.msg);
		status = SCW_EXIT_FAILURE;
	} else if (!quiet) {
		const char **names;
		size_t n = scw_profile_allowed(p, &names);
		free(names);
		if (total_denied)
			complain("%zu allowed name%s gave way to a deny rule of another profile",
				 total_denied, total_denied == 1 ? "" : "s");
		complain("merged %d profiles: %zu allowed syscalls written to %s", argc - optind, n,
			 scw_output_name(&out));
	}
	scw_output_discard(&out);
	scw_profile_free(p);
	return status;
}

static int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, O_JSON},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct scw_profile *a, *b;
	struct scw_diff d;
	scw_error err = {0};
	bool json = false, quiet = false;
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (c) {
		case O_JSON:
			json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			cli_help(diff_usage_text);
		default:
			cli_bad_option(c, argv);
		}
	}
	if (argc - optind != 2)
		die_usage("diff compares two profiles: scwrap diff A B");
	if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0)
		die_usage("only one of the profiles can be standard input");
	a = scw_profile_read(argv[optind], &err);
	b = a ? scw_profile_read(argv[optind + 1], &err) : NULL;
	if (!a || !b) {
		complain("%s", err.msg);
		scw_profile_free(a);
		return SCW_EXIT_FAILURE;
	}
	scw_diff_profiles(a, b, &d);
	status = d.same ? 0 : 1;
	if (quiet) {
	} else if (json) {
		cleanup_free char *text = scw_diff_json(&d, argv[optind], argv[optind + 1], &err);
		fputs(text, stdout);
	} else if (!d.same) {
		scw_diff_print(stdout, &d, argv[optind], argv[optind + 1]);
	}
	if (fflush(stdout) != 0) {
		complain("cannot write the differences: %s", strerror(errno));
		status = SCW_EXIT_FAILURE;
	}
	scw_diff_free(&d);
	scw_profile_free(a);
	scw_profile_free(b);
	return status;
}

static int cmd_lint(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c, status = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h')
			cli_help(lint_usage_text);
		cli_bad_option(c, argv);
	}
	if (optind >= argc)
		die_usage("lint needs a profile");
	for (int i = optind; i < argc; i++) {
		struct scw_notes notes = {0};
		scw_error err = {0};
		struct scw_profile *p = scw_profile_read(argv[i], &err);
		if (!p) {
			complain("%s", err.msg);
			status = SCW_EXIT_FAILURE;
			continue;
		}
		scw_lint(p, &notes);
		for (size_t k = 0; k < notes.n; k++) {
			printf("%s: %s\n", argv[i], notes.v[k]);
			if (status == 0 && strncmp(notes.v[k], "warning:", 8) != 0)
				status = 1;
		}
		if (!notes.n)
			printf("%s: nothing to flag\n", argv[i]);
		scw_notes_free(&notes);
		scw_profile_free(p);
	}
	if (fflush(stdout) != 0)
		status = SCW_EXIT_FAILURE;
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
		       struct shape_cli *shape, bool quiet, scw_error *err)
{
	struct scw_run run = {.processes = rd->procs.n};
	struct scw_profile *old = NULL;
	int rc;

	if (checkpoint && strcmp(out->path, "-") != 0 && access(out->path, F_OK) == 0) {
		old = scw_profile_read(out->path, err);
		if (!old)
			return scw_context(err, "cannot merge into the previous profile");
	}
	rc = emit(rd->acc, &run, shape, out, "audit log", NULL, old, quiet, err);
	scw_profile_free(old);
	if (rc < 0)
		return -1;
	if (checkpoint && rd->last.valid) {
		struct scw_output cp;
		cleanup_free char *line = scw_audit_checkpoint_format(&rd->last);
		if (scw_output_open(&cp, checkpoint, err) < 0 ||
		    scw_output_commit(&cp, line, strlen(line), err) < 0)
			return scw_context(err, "the profile was written, but not the checkpoint");
	}
	return 0;
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
	uint64_t(*rows)[2] = scw_xcalloc(rd->ses_exe.n + 1, sizeof(*rows));
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
	    SHAPE_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	struct scw_audit_filter f = {0};
	struct shape_cli shape = {0};
	struct scw_audit_reader rd;
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
		if (shape_option(&shape, c, optarg))
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
			cli_help(audit_usage_text);
		case O_SES:
			if (strcmp(optarg, "unset") == 0)
				v = SCW_AUDIT_UNSET;
			else if (!parse_uint(optarg, UINT32_MAX, &v))
				die_usage("--ses takes a session number or 'unset', not '%s'",
					  optarg);
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
		check_format(&shape, output);
	if ((status = shape_prepare(&shape)) != 0)
		return status;

	if (checkpoint) {
		struct scw_audit_mark m;
		if (scw_audit_checkpoint_read(checkpoint, &m, &err) < 0) {
			shape_discard(&shape);
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
		shape_discard(&shape);
		complain("%s", err.msg);
		return err.status;
	}
	files = argv + optind;
	if (!*files) {
		if (scw_audit_default_logs(&defaults, &err) < 0) {
			scw_output_discard(&out);
			shape_discard(&shape);
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
			complain(
			    "nothing new since the checkpoint: %llu SECCOMP records read, none "
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
	if (audit_write(&rd, &out, checkpoint, &shape, quiet, &err) < 0) {
		complain("%s", err.msg);
		status = SCW_EXIT_FAILURE;
	}
out:
	shape_discard(&shape);
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
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
	    {"audit", cmd_audit}, {"check", cmd_check},	  {"merge", cmd_merge},
	    {"diff", cmd_diff},	  {"export", cmd_export}, {"lint", cmd_lint},
	};
	struct cli cli = {0};
	for (size_t i = 0; argc > 1 && i < SCW_ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			cli_command = commands[i].name;
			return commands[i].run(argc - 1, argv + 1);
		}
	if (argc > 1 && strcmp(argv[1], "record") == 0) {
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	parse_record(&cli, argc, argv);
	return cmd_record(&cli);
}
