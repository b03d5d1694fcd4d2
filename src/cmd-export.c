/* cmd-export.c - scwrap export: a profile in another format. */
#include <config.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/error.h"
#include "lib/util.h"

/* --help, with every format and its summary. */
static void __attribute__((noreturn)) help(void)
{
	fputs("Usage: scwrap export [-F FORMAT] [-o FILE] [--name NAME] [--arch LIST] PROFILE\n"
	      "Write a seccomp profile (OCI/Docker JSON; PROFILE '-' is standard input) in\n"
	      "another format.\n"
	      "\n"
	      "  -F, --format=FORMAT  the format (default: oci):\n",
	      stdout);
	for (size_t i = 0; scw_formats[i]; i++)
		printf("                         %-8s %s\n", scw_formats[i]->name,
		       scw_formats[i]->summary);
	cli_help("  -o, --output=FILE    write to FILE, atomically (default: standard output)\n"
		 "      --name=NAME      k8s: the SeccompProfile's metadata.name (default:\n"
		 "                       scwrap-profile)\n" ARCH_HELP
		 "  -q, --quiet          print no notes about what the format cannot express\n"
		 "  -h, --help           show this help and exit\n"
		 "\n"
		 "What a format cannot express is said on standard error, one note a line.\n"
		 "Exit status: 0 when the profile was written, 125 on error.\n"
		 "\n"
		 "Example: scwrap export -F systemd -o seccomp.conf ls.json\n");
}

static int export_main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'F'},
	    {"output", required_argument, NULL, 'o'},
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
	scw_error err = {0};
	const char *output = "-";
	bool quiet = false;
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":F:o:qh", longopts, NULL)) != -1) {
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
			help();
		default:
			cli_bad_option(c, argv);
		}
	}
	if (optind >= argc)
		die_usage("no profile: name the profile to export (or '-' for standard input)");
	if (argc - optind > 1)
		die_usage("one profile at a time: '%s' is one too many", argv[optind + 1]);
	cli_shape_check(&s);

	if (scw_output_open(&out, output, &err) < 0) {
		complain("%s", err.msg);
		cli_shape_discard(&s);
		return err.status;
	}
	if ((status = cli_shape_check_output(&s, &out)) != 0) {
		scw_output_discard(&out);
		cli_shape_discard(&s);
		return status;
	}
	p = scw_profile_read(argv[optind], &err);
	if (!p) {
		if (err.errnum)
			scw_hint(&err,
				 "name an OCI/Docker JSON profile, or '-' for standard input");
		scw_output_discard(&out);
		complain("%s", err.msg);
		cli_shape_discard(&s);
		return SCW_EXIT_FAILURE;
	}
	cli_shape_pipeline(&s, &pl);
	pl.profile = p;
	pl.out = &out;
	pl.log = quiet ? NULL : stderr;
	if (scw_pipeline_run(&pl, &err) < 0) {
		complain("%s", err.msg);
		status = SCW_EXIT_FAILURE;
	}
	scw_output_discard(&out);
	scw_profile_free(p);
	cli_shape_discard(&s);
	return status;
}

const struct cli_command cli_cmd_export = {
    .name = "export",
    .synopsis = "[-F FORMAT] [-o FILE] [--name NAME] [--arch LIST] PROFILE",
    .run = export_main,
};
