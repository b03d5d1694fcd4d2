/* scwrap.c - the command line: parse, run a backend, write the profile. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/abi.h"
#include "lib/accum.h"
#include "lib/backend.h"
#include "lib/error.h"
#include "lib/output.h"
#include "lib/profile.h"
#include "lib/signals.h"
#include "lib/summary.h"
#include "lib/util.h"

static const char usage_text[] =
	"Usage: scwrap [record] [OPTION]... [--] COMMAND [ARG]...\n"
	"Run COMMAND, record every syscall of its process tree, and write a minimal\n"
	"seccomp allowlist profile (OCI/Docker JSON) for docker, podman, runc, crun\n"
	"and Kubernetes.\n"
	"\n"
	"  -o, --output=FILE   write the profile to FILE ('-' for standard output)\n"
	"  -q, --quiet         print no live status and no summary\n"
	"  -h, --help          show this help and exit\n"
	"  -V, --version       show the version and exit\n"
	"\n"
	"Exit status: that of COMMAND (128+N when a signal N ended it, or when scwrap\n"
	"passed on signal N); 125 if scwrap failed, 126 if COMMAND could not be run,\n"
	"127 if it was not found.\n"
	"\n"
	"Example: scwrap -o ls.json -- ls -l /\n";

struct cli {
	const char *output;
	bool quiet;
	char **argv; /* the workload's, untouched */
};

static void __attribute__((noreturn, format(printf, 1, 2))) die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("scwrap: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; see 'scwrap --help'\n", stderr);
	exit(SCW_EXIT_FAILURE);
}

static void parse_record(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	/* '+': stop at the first non-option, the workload's name. */
	while ((c = getopt_long(argc, argv, "+:o:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			cli->output = optarg;
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
	cli->argv = argv + optind;
}

static void __attribute__((format(printf, 1, 2))) complain(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("scwrap: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
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
	const struct scw_backend *backend = scw_backend_find("ptrace");
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

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	if (argc > 1 && strcmp(argv[1], "record") == 0) {
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	parse_record(&cli, argc, argv);
	return cmd_record(&cli);
}
