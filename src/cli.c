/* cli.c - messages of the command line. */
#include <config.h>

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "lib/error.h"

const char *cli_command;

void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("scwrap: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'scwrap %s%s--help'\n", cli_command ? cli_command : "",
		cli_command ? " " : "");
	exit(SCW_EXIT_FAILURE);
}

void complain(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("scwrap: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
}

void cli_help(const char *text)
{
	fputs(text, stdout);
	exit(fflush(stdout) == 0 ? 0 : SCW_EXIT_FAILURE);
}

void cli_bad_option(int c, char **argv)
{
	if (c == ':')
		die_usage("option '%s' needs an argument", argv[optind - 1]);
	die_usage("unknown option '%s'", argv[optind - 1]);
}
