/* cli.h - what the command-line files share: messages and the commands. */
#ifndef SCW_CLI_H
#define SCW_CLI_H

/* The subcommand being run ("check"...), or NULL for a recording. */
extern const char *cli_command;

/* "scwrap: MESSAGE; see 'scwrap [COMMAND] --help'" on stderr, exit 125. */
void __attribute__((noreturn, format(printf, 1, 2))) die_usage(const char *fmt, ...);

/* "scwrap: MESSAGE" on stderr. */
void __attribute__((format(printf, 1, 2))) complain(const char *fmt, ...);

/* --help: text on stdout, exit 0 (125 if it cannot be written). */
void __attribute__((noreturn)) cli_help(const char *text);

/* getopt_long's ':' (missing argument) or '?' (unknown option), as a
 * usage error; needs opterr = 0 and a ':' first in the optstring. */
void __attribute__((noreturn)) cli_bad_option(int c, char **argv);

/* scwrap export [-F FORMAT] [-o FILE] PROFILE: src/cmd-export.c. */
int cmd_export(int argc, char **argv);

#endif
