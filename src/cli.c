/* cli.c - messages of the command line. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "lib/error.h"

void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("scwrap: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; see 'scwrap --help'\n", stderr);
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
