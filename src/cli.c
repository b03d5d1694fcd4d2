/* cli.c - what every command shares: messages, numbers, the workload's
 * preparation and exit status. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"
#include "lib/command.h"
#include "lib/error.h"
#include "lib/signals.h"
#include "lib/util.h"

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

bool cli_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

int cli_prepare_signals(void)
{
	if (scw_signals_install() < 0) {
		complain("cannot install signal handlers: %s", strerror(errno));
		return SCW_EXIT_FAILURE;
	}
	return 0;
}

char *cli_or_list(const char *(*name_at)(size_t i))
{
	char *s = NULL, *t;
	for (size_t i = 0; name_at(i); i++) {
		const char *sep = !s ? "" : name_at(i + 1) ? ", " : " or ";
		t = scw_xasprintf("%s%s%s", s ? s : "", sep, name_at(i));
		free(s);
		s = t;
	}
	return s;
}

int cli_prepare_backend(const struct scw_backend *backend)
{
	scw_error err = {0};
	if (backend->prepare && backend->prepare(&err) < 0) {
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	return 0;
}

int cli_prepare_command(const char *cmd, char **path)
{
	scw_error err = {0};
	if (scw_command_find(cmd, path, &err) < 0) {
		complain("%s", err.msg);
		return err.status;
	}
	return 0;
}

int cli_workload_status(const struct scw_run *run)
{
	if (run->forwarded_signal)
		return 128 + run->forwarded_signal;
	if (WIFEXITED(run->wait_status))
		return WEXITSTATUS(run->wait_status);
	if (WIFSIGNALED(run->wait_status))
		return 128 + WTERMSIG(run->wait_status);
	return SCW_EXIT_FAILURE;
}
