/* cmd-check.c - scwrap check: run a command under a profile and name every
 * call the profile does not allow. */
#include <config.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/accum.h"
#include "lib/error.h"
#include "lib/report.h"
#include "lib/summary.h"
#include "lib/util.h"

static const char usage_text[] =
    "Usage: scwrap check [OPTION]... PROFILE [--] COMMAND [ARG]...\n"
    "Run COMMAND under PROFILE and report every syscall it made that PROFILE does\n"
    "not allow: name, ABI, count, first process, executables.  By default such\n"
    "calls fail as the profile says (its errno); --complain lets them through.\n"
    "\n"
    "  -b, --backend=NAME  how calls are seen and denied: ptrace (default) or\n"
    "                      notify (for a workload that uses ptrace itself)\n"
    "      --complain      let the calls the profile does not allow run\n"
    "      --report=FILE   write the calls not allowed as JSON (as --report of a\n"
    "                      recording)\n"
    "  -q, --quiet         print only the calls not allowed\n"
    "  -h, --help          show this help and exit\n"
    "\n"
    "Exit status: 1 if COMMAND made a call the profile does not allow; else that\n"
    "of COMMAND; 125 if scwrap failed, 126/127 if COMMAND could not be run or found.\n";

struct check_cli {
	const struct scw_backend *backend;
	const char *profile_path, *report_path;
	bool complain, quiet;
	char **argv; /* the workload's, untouched */
};

static void parse(struct check_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"backend", required_argument, NULL, 'b'},
	    {"complain", no_argument, NULL, O_COMPLAIN},
	    {"report", required_argument, NULL, O_REPORT},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	cli->backend = &scw_backend_ptrace;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:b:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			cli->backend = scw_backend_find(optarg);
			if (!cli->backend)
				die_usage("unknown backend '%s' (ptrace or notify)", optarg);
			if (!(cli->backend->caps & SCW_CAP_CHECK))
				die_usage("check needs a backend that can deny calls (ptrace or "
					  "notify): the %s backend only sees them",
					  optarg);
			break;
		case O_COMPLAIN:
			cli->complain = true;
			break;
		case O_REPORT:
			cli->report_path = optarg;
			break;
		case 'q':
			cli->quiet = true;
			break;
		case 'h':
			cli_help(usage_text);
		default:
			cli_bad_option(c, argv);
		}
	}
	if (optind >= argc)
		die_usage("check needs a profile and a command: scwrap check PROFILE -- COMMAND");
	cli->profile_path = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		die_usage("no command to check the profile with");
	cli->argv = argv + optind;
}

/* What check found, on stderr and in the report; returns the exit status. */
static int conclude(const struct check_cli *cli, const struct scw_profile *p,
		    const struct scw_acc *acc, const struct scw_run *run, struct scw_output *report)
{
	int status = cli_workload_status(run);
	size_t n = scw_summary_violations(stderr, acc, !cli->complain);

	if (cli->report_path) {
		struct scw_report_in in = {
		    .acc = acc, .run = run, .profile = p, .backend = "check", .argv = cli->argv};
		scw_error err = {0};
		cleanup_free char *json = scw_report_json(&in, &err);
		if (!json || scw_output_commit(report, json, strlen(json), &err) < 0) {
			complain("%s", err.msg);
			status = SCW_EXIT_FAILURE;
		}
	}
	if (!cli->quiet) {
		if (run->used_ptrace && !(cli->backend->caps & SCW_CAP_WORKLOAD_PTRACE))
			complain("warning: the command called ptrace, which fails under the %s "
				 "backend's check: check it with -b notify",
				 cli->backend->name);
		if (run->unnamed_lost)
			complain(
			    "warning: %llu calls could not be decoded or denied: the check may be "
			    "incomplete",
			    (unsigned long long)run->unnamed_lost);
		if (n)
			complain(
			    "%s lacks %zu syscall%s that the command made (%llu call%s)%s; record "
			    "them into it with: scwrap --baseline %s -o %s -- COMMAND",
			    cli->profile_path, n, n == 1 ? "" : "s", (unsigned long long)acc->total,
			    acc->total == 1 ? "" : "s",
			    cli->complain ? "" : ", denied as the profile says", cli->profile_path,
			    cli->profile_path);
		else
			complain("%s allowed every syscall the command made (exit status %d)",
				 cli->profile_path, status);
		if (run->forwarded_signal) {
			const char *sig = sigabbrev_np(run->forwarded_signal);
			complain("the run was ended by SIG%s: the check covers only what ran "
				 "until then",
				 sig ? sig : "?");
		}
	}
	if (n && status != SCW_EXIT_FAILURE)
		status = 1;
	return status;
}

static int check_main(int argc, char **argv)
{
	struct check_cli cli = {0};
	struct scw_record_opts opts = {0};
	struct scw_output report = {.fd = -1};
	struct scw_profile *p;
	struct scw_acc acc;
	struct scw_run run = {0};
	cleanup_free char *path = NULL;
	scw_error err = {0};
	int status;

	parse(&cli, argc, argv);
	if ((status = cli_prepare_signals()) != 0 ||
	    (status = cli_prepare_backend(cli.backend)) != 0)
		return status;
	p = scw_profile_read(cli.profile_path, &err);
	if (!p) {
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	if (cli.report_path && scw_output_open(&report, cli.report_path, &err) < 0) {
		scw_profile_free(p);
		complain("--report: %s", err.msg);
		return err.status;
	}
	if ((status = cli_prepare_command(cli.argv[0], &path)) != 0) {
		scw_output_discard(&report);
		scw_profile_free(p);
		return status;
	}
	opts.path = path;
	opts.argv = cli.argv;
	opts.profile = p;
	opts.check = true;
	opts.enforce = !cli.complain;
	scw_acc_init(&acc);
	if (cli.backend->run(&opts, &acc, &run, &err) < 0) {
		complain("%s", err.msg);
		status = err.status;
	} else {
		status = conclude(&cli, p, &acc, &run, &report);
	}
	scw_output_discard(&report);
	scw_profile_free(p);
	scw_acc_free(&acc);
	return status;
}

const struct cli_command cli_cmd_check = {
    .name = "check",
    .synopsis = "[OPTION]... PROFILE [--] COMMAND [ARG]...",
    .run = check_main,
};
