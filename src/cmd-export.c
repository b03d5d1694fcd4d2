/* cmd-export.c - scwrap export: a profile in another format. */
#include <config.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/error.h"
#include "lib/export.h"
#include "lib/output.h"
#include "lib/profile.h"
#include "lib/util.h"

static void print_usage(void)
{
	fputs("Usage: scwrap export [-F FORMAT] [-o FILE] [--name NAME] PROFILE\n"
	      "Write a seccomp profile (OCI/Docker JSON; PROFILE '-' is standard input) in\n"
	      "another format.\n"
	      "\n"
	      "  -F, --format=FORMAT  the format (default: oci):\n",
	      stdout);
	for (size_t i = 0; scw_formats[i]; i++)
		printf("                         %-8s %s\n", scw_formats[i]->name,
		       scw_formats[i]->summary);
	fputs("  -o, --output=FILE    write to FILE, atomically (default: standard output)\n"
	      "      --name=NAME      k8s: the SeccompProfile's metadata.name (default:\n"
	      "                       scwrap-profile)\n"
	      "  -q, --quiet          print no notes about what the format cannot express\n"
	      "  -h, --help           show this help and exit\n"
	      "\n"
	      "What a format cannot express is said on standard error, one note a line.\n"
	      "Exit status: 0 when the profile was written, 125 on error.\n"
	      "\n"
	      "Example: scwrap export -F systemd -o seccomp.conf ls.json\n",
	      stdout);
}

/* "oci, k8s, ... or bpf", for messages; caller frees. */
static char *format_names(void)
{
	char *s = NULL, *t;
	for (size_t i = 0; scw_formats[i]; i++) {
		const char *sep = !s ? "" : scw_formats[i + 1] ? ", " : " or ";
		t = scw_xasprintf("%s%s%s", s ? s : "", sep, scw_formats[i]->name);
		free(s);
		s = t;
	}
	return s;
}

int cmd_export(int argc, char **argv)
{
	enum { O_NAME = 256 };
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'F'},  {"output", required_argument, NULL, 'o'},
	    {"name", required_argument, NULL, O_NAME}, {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},	       {NULL, 0, NULL, 0},
	};
	const struct scw_format *fmt = scw_format_find("oci");
	struct scw_export_opts opts = {0};
	struct scw_notes notes = {0};
	struct scw_output out;
	struct scw_profile *p;
	scw_error err = {0};
	const char *output = "-", *path;
	cleanup_free char *data = NULL;
	bool quiet = false;
	size_t len = 0;
	int c, fd;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":F:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'F':
			fmt = scw_format_find(optarg);
			if (!fmt) {
				cleanup_free char *all = format_names();
				die_usage("unknown format '%s' (%s)", optarg, all);
			}
			break;
		case 'o':
			output = optarg;
			break;
		case O_NAME:
			opts.name = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			print_usage();
			exit(fflush(stdout) == 0 ? 0 : SCW_EXIT_FAILURE);
		default:
			cli_bad_option(c, argv);
		}
	}
	if (optind >= argc)
		die_usage("no profile: name the profile to export (or '-' for standard input)");
	if (argc - optind > 1)
		die_usage("one profile at a time: '%s' is one too many", argv[optind + 1]);
	if (opts.name && strcmp(fmt->name, "k8s") != 0)
		die_usage("--name goes with -F k8s: the %s format has no name", fmt->name);
	if (opts.name && !scw_k8s_name_ok(opts.name))
		die_usage(
		    "--name '%s' cannot name a SeccompProfile: a Kubernetes name is a "
		    "DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' and '.', "
		    "beginning and ending with a letter or digit)",
		    opts.name);
	path = argv[optind];

	if (scw_output_open(&out, output, &err) < 0) {
		complain("%s", err.msg);
		return err.status;
	}
	fd = out.fd >= 0 ? out.fd : STDOUT_FILENO;
	if (fmt->binary && isatty(fd)) {
		scw_output_discard(&out);
		complain("the %s format is binary and %s is a terminal: write it to a file with -o "
			 "FILE, or redirect standard output",
			 fmt->name, scw_output_name(&out));
		return SCW_EXIT_FAILURE;
	}
	p = scw_profile_read(path, &err);
	if (!p) {
		if (err.errnum)
			scw_hint(&err,
				 "name an OCI/Docker JSON profile, or '-' for standard input");
		scw_output_discard(&out);
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	data = fmt->render(p, &opts, &len, &notes, &err);
	scw_profile_free(p);
	if (!data || scw_output_commit(&out, data, len, &err) < 0) {
		if (!data)
			scw_output_discard(&out);
		complain("%s", err.msg);
		scw_notes_free(&notes);
		return SCW_EXIT_FAILURE;
	}
	for (size_t i = 0; !quiet && i < notes.n; i++)
		fprintf(stderr, "scwrap: note: %s\n", notes.v[i]);
	scw_notes_free(&notes);
	return 0;
}
