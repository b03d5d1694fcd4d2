/* cmd-record.c - scwrap [record]: run a command, record its syscalls, write
 * the profile. */
#include <config.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/accum.h"
#include "lib/additions.h"
#include "lib/status.h"
#include "lib/error.h"
#include "lib/util.h"

static const char usage_text[] =
    "Run COMMAND, record every syscall of its process tree, and write a minimal\n"
    "seccomp allowlist profile (OCI/Docker JSON) for docker, podman, runc, crun\n"
    "and Kubernetes.\n"
    "\n"
    "  -o, --output=FILE   write the profile to FILE ('-' for standard output)\n"
    "  -b, --backend=NAME  how syscalls are seen: ptrace (default; rootless),\n"
    "                      notify (seccomp user notification; rootless, faster, and\n"
    "                      the workload may use ptrace itself) or audit\n"
    "                      (SCMP_ACT_LOG and the kernel's audit records; root)\n"
    "      --accept-loss   audit: write the profile even if records were lost\n"
    "      --args          ptrace, notify: allow the risky calls (socket, clone, unshare,\n"
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
    "'scwrap COMMAND --help' tells more of check, audit, merge, diff, export, lint, agent.\n"
    "\n"
    "Example: scwrap -o ls.json -- ls -l /\n";

struct record_cli {
	const char *output;
	const struct scw_backend *backend;
	bool quiet, accept_loss, args;
	struct cli_shape shape;
	char **argv; /* the workload's, untouched */
};

/* --help: the usage, with every other command's synopsis. */
static void __attribute__((noreturn)) help(void)
{
	printf("Usage: scwrap [record] %s\n", cli_cmd_record.synopsis);
	for (size_t i = 0; cli_commands[i]; i++)
		if (cli_commands[i] != &cli_cmd_record)
			printf("  or:  scwrap %s %s\n", cli_commands[i]->name,
			       cli_commands[i]->synopsis);
	cli_help(usage_text);
}

static const char *backend_name(size_t i)
{
	return scw_backends[i] ? scw_backends[i]->name : NULL;
}

static void parse(struct record_cli *cli, int argc, char **argv)
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
		if (cli_shape_option(&cli->shape, c, optarg))
			continue;
		switch (c) {
		case 'o':
			cli->output = optarg;
			break;
		case 'b':
			cli->backend = scw_backend_find(optarg);
			if (!cli->backend) {
				cleanup_free char *all = cli_or_list(backend_name);
				die_usage("unknown backend '%s' (%s)", optarg, all);
			}
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
			help();
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
	if (cli->accept_loss && !(cli->backend->caps & SCW_CAP_MAY_LOSE))
		die_usage("--accept-loss goes with -b audit: the %s backend loses nothing",
			  cli->backend->name);
	if (cli->args && !(cli->backend->caps & SCW_CAP_ARGS))
		die_usage(
		    "--args needs the ptrace backend (or notify): the %s backend sees no arguments",
		    cli->backend->name);
	if (cli->shape.report && strcmp(cli->shape.report, cli->output) == 0)
		die_usage("--report and -o name the same file");
	cli_shape_check(&cli->shape);
	cli->argv = argv + optind;
}

/* Record, then write; returns the exit status. */
static int record(struct record_cli *cli, struct scw_output *out, const char *path)
{
	const struct scw_backend *backend = cli->backend;
	struct scw_record_opts opts = {
	    .path = path,
	    .argv = cli->argv,
	    .profile = cli->shape.baseline,
	    .args = cli->args,
	};
	struct scw_progress progress;
	struct scw_status line;
	struct scw_pipeline pl = {0};
	struct scw_acc acc;
	struct scw_run run = {0};
	scw_error err = {0};
	int status;

	if (!cli->quiet && isatty(STDERR_FILENO)) {
		scw_status_init(&line, STDERR_FILENO, &progress);
		opts.progress = &progress;
	}
	scw_acc_init(&acc);
	if (backend->run(&opts, &acc, &run, &err) < 0) {
		scw_acc_free(&acc);
		complain("%s", err.msg);
		return err.status;
	}
	status = cli_workload_status(&run);
	if (run.lost_records && !cli->accept_loss) {
		scw_acc_free(&acc);
		complain(
		    "%llu audit records were lost during the run, so the profile would be "
		    "incomplete: none was written (the workload's status was %d); raise the "
		    "kernel's backlog (auditctl -b 8192) and lift its rate limit (auditctl -r 0), "
		    "or keep what arrived with --accept-loss",
		    (unsigned long long)run.lost_records, status);
		return SCW_EXIT_INCOMPLETE;
	}
	cli_shape_pipeline(&cli->shape, &pl);
	pl.acc = &acc;
	pl.run = &run;
	pl.out = out;
	pl.backend = backend->name;
	pl.argv = cli->argv;
	pl.log = cli->quiet ? NULL : stderr;
	if (scw_pipeline_run(&pl, &err) < 0) {
		complain("%s; the workload's own exit status was %d", err.msg, status);
		status = SCW_EXIT_FAILURE;
	} else if (!cli->quiet && strcmp(cli->output, "-") != 0 &&
		   strcmp(cli->shape.format->name, "oci") == 0) {
		cleanup_free char *made_for =
		    cli->shape.container ? scw_runtime_cover(cli->shape.container, NULL) : NULL;
		fprintf(stderr,
			"scwrap: use it with docker/podman run --security-opt seccomp=%s, "
			"with ctr run --seccomp --seccomp-profile %s, as linux.seccomp in a "
			"runc/crun config.json, or as a Kubernetes Localhost seccompProfile",
			cli->output, cli->output);
		if (made_for)
			fprintf(stderr, "; made for %s\n", made_for);
		else
			fputs(" (add --container for what the runtime needs)\n", stderr);
	}
	scw_acc_free(&acc);
	return status;
}

static int record_main(int argc, char **argv)
{
	struct record_cli cli = {0};
	struct scw_output out;
	cleanup_free char *path = NULL;
	scw_error err = {0};
	int status;

	parse(&cli, argc, argv);
	/* Everything that can fail before the workload starts, fails now. */
	if ((status = cli_prepare_signals()) != 0 ||
	    (status = cli_prepare_backend(cli.backend)) != 0 ||
	    (status = cli_shape_prepare(&cli.shape)) != 0) {
		cli_shape_discard(&cli.shape);
		return status;
	}
	if (scw_output_open(&out, cli.output, &err) < 0) {
		cli_shape_discard(&cli.shape);
		complain("%s", err.msg);
		return err.status;
	}
	if ((status = cli_shape_check_output(&cli.shape, &out)) == 0 &&
	    (status = cli_prepare_command(cli.argv[0], &path)) == 0)
		status = record(&cli, &out, path);
	scw_output_discard(&out);
	cli_shape_discard(&cli.shape);
	return status;
}

const struct cli_command cli_cmd_record = {
    .name = "record",
    .synopsis = "[OPTION]... [--] COMMAND [ARG]...",
    .run = record_main,
};
