/* cmd-merge.c - scwrap merge: the union of profiles. */
#include <config.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/error.h"
#include "lib/util.h"

static const char usage_text[] =
    "Usage: scwrap merge -o FILE [OPTION]... PROFILE PROFILE...\n"
    "Write the union of the profiles: every call any of them allows, on every\n"
    "ABI any of them lists; a call one of them denies by name stays denied.\n"
    "The default actions must agree; the first profile's errno wins.\n"
    "\n"
    "  -o, --output=FILE     the merged profile ('-' for standard output)\n"
    "  -F, --format=FORMAT   oci (default), k8s, systemd, text or bpf\n"
    "      --name=NAME       the k8s resource's name\n"
    "      --arch=LIST       the profile's architectures (x86_64,aarch64...; amd64,\n"
    "                        arm64 too), each allowed the equivalents there of the\n"
    "                        calls allowed (open on x86_64: openat on aarch64...)\n"
    "  -h, --help            show this help and exit\n";

/* The union of paths, read in order; NULL (said why) on failure. */
static struct scw_profile *read_union(char **paths, int n, size_t *total_denied)
{
	struct scw_profile *p = NULL;
	scw_error err = {0};
	size_t denied = 0;

	for (int i = 0; i < n; i++) {
		struct scw_profile *q = scw_profile_read(paths[i], &err);
		if (!q) {
			complain("%s", err.msg);
			scw_profile_free(p);
			return NULL;
		}
		if (!p) {
			p = q;
			continue;
		}
		if (scw_profile_merge(p, q, &denied, &err) < 0) {
			complain("%s: %s", paths[i], err.msg);
			scw_profile_free(q);
			scw_profile_free(p);
			return NULL;
		}
		*total_denied += denied;
		scw_profile_free(q);
	}
	return p;
}

static int merge_main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'F'},
	    {"name", required_argument, NULL, O_NAME},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    ARCH_LONGOPT,
	    {NULL, 0, NULL, 0},
	};
	struct cli_shape s = {0};
	struct scw_pipeline pl = {0};
	struct scw_output out;
	struct scw_profile *p;
	const char *output = NULL;
	scw_error err = {0};
	bool quiet = false;
	size_t total_denied = 0;
	int c, status = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:F:qh", longopts, NULL)) != -1) {
		if (cli_shape_option(&s, c, optarg))
			continue;
		switch (c) {
		case 'o':
			output = optarg;
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
	if (!output)
		die_usage("no output: say where the merged profile goes with -o FILE");
	if (argc - optind < 2)
		die_usage("merge needs two profiles or more (scwrap export converts one)");
	cli_shape_check(&s);
	/* Read every input first: the output may be one of them. */
	p = read_union(argv + optind, argc - optind, &total_denied);
	if (!p) {
		cli_shape_discard(&s);
		return SCW_EXIT_FAILURE;
	}
	if (scw_output_open(&out, output, &err) < 0) {
		complain("%s", err.msg);
		scw_profile_free(p);
		cli_shape_discard(&s);
		return SCW_EXIT_FAILURE;
	}
	cli_shape_pipeline(&s, &pl);
	pl.profile = p;
	pl.out = &out;
	pl.log = quiet ? NULL : stderr;
	if ((status = cli_shape_check_output(&s, &out)) != 0) {
	} else if (scw_pipeline_run(&pl, &err) < 0) {
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
	cli_shape_discard(&s);
	return status;
}

const struct cli_command cli_cmd_merge = {
    .name = "merge",
    .synopsis = "-o FILE [OPTION]... PROFILE PROFILE...",
    .run = merge_main,
};
