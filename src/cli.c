/* cli.c - messages of the command line. */
#include <config.h>

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
