/* cmd-diff.c - scwrap diff: how two profiles differ. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lib/error.h"
#include "lib/diff.h"
#include "lib/util.h"

static const char usage_text[] =
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

static int diff_main(int argc, char **argv)
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
			cli_help(usage_text);
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

const struct cli_command cli_cmd_diff = {
    .name = "diff",
    .synopsis = "[--json] PROFILE PROFILE",
    .run = diff_main,
};
