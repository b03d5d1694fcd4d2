/* cmd-lint.c - scwrap lint: what is risky or broken in a profile. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lib/equiv.h"
#include "lib/error.h"
#include "lib/lint.h"
#include "lib/util.h"

static const char usage_text[] =
    "Usage: scwrap lint PROFILE...\n"
    "Flag what is risky or broken in a profile: dangerous syscalls it allows\n"
    "(ptrace, bpf, mount, setns, unshare, keyctl, ...), exit, exit_group,\n"
    "rt_sigreturn or (on 32-bit ABIs) sigreturn missing, ABIs beyond the\n"
    "native one, a default that allows, an ABI listed without the equivalents\n"
    "there of what is allowed on another (see --arch).\n"
    "\n"
    "  -h, --help      show this help and exit\n"
    "\n"
    "Exit status: 0 if nothing dangerous or broken was found (warnings may have\n"
    "been printed), 1 if something was, 125 on error.\n";

/* One profile's findings on stdout; returns 0, 1 (found) or 125. */
static int lint_one(const char *path, const struct scw_equiv *equiv)
{
	struct scw_notes notes = {0};
	scw_error err = {0};
	struct scw_profile *p = scw_profile_read(path, &err);
	int status = 0;

	if (!p) {
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	scw_lint(p, &notes);
	scw_equiv_lint(p, equiv, &notes);
	for (size_t k = 0; k < notes.n; k++) {
		printf("%s: %s\n", path, notes.v[k]);
		if (strncmp(notes.v[k], "warning:", 8) != 0)
			status = 1;
	}
	if (!notes.n)
		printf("%s: nothing to flag\n", path);
	scw_notes_free(&notes);
	scw_profile_free(p);
	return status;
}

static int lint_main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct scw_equiv *equiv;
	scw_error err = {0};
	int c, status = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h')
			cli_help(usage_text);
		cli_bad_option(c, argv);
	}
	if (optind >= argc)
		die_usage("lint needs a profile");
	equiv = scw_equiv_load(NULL, &err);
	if (!equiv) {
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	for (int i = optind; i < argc; i++) {
		int st = lint_one(argv[i], equiv);
		/* A failure outweighs a finding. */
		if (status == 0)
			status = st;
		else if (st == SCW_EXIT_FAILURE)
			status = SCW_EXIT_FAILURE;
	}
	scw_equiv_free(equiv);
	if (fflush(stdout) != 0)
		status = SCW_EXIT_FAILURE;
	return status;
}

const struct cli_command cli_cmd_lint = {
    .name = "lint",
    .synopsis = "PROFILE...",
    .run = lint_main,
};
