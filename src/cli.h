/* cli.h - what the command-line files share: the command table, messages,
 * and the options that shape a profile. */
#ifndef SCW_CLI_H
#define SCW_CLI_H

#include <stdbool.h>

#include "lib/backend.h"
#include "lib/equiv.h"
#include "lib/export.h"
#include "lib/output.h"
#include "lib/pipeline.h"
#include "lib/profile.h"

/* One subcommand, as tmux keeps its commands: a name, its synopsis (after
 * "scwrap "), and what runs it with its own argv (argv[0] is the name). */
struct cli_command {
	const char *name;
	const char *synopsis;
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cli_cmd_record, cli_cmd_check, cli_cmd_audit, cli_cmd_merge,
    cli_cmd_diff, cli_cmd_export, cli_cmd_lint, cli_cmd_agent;

/* Every command, record first, NULL-terminated (src/scwrap.c). */
extern const struct cli_command *const cli_commands[];

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

/* A number in [0, max], all of s: no sign, no junk, no overflow. */
bool cli_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* Install the signal handlers, first of all: a signal that comes while
 * scwrap prepares is kept for the workload.  Returns 0 or an exit status. */
int cli_prepare_signals(void);

/* "a, b or c" of the names name_at(0), name_at(1)... up to the first
 * NULL, for messages; caller frees. */
char *cli_or_list(const char *(*name_at)(size_t i));

/* What the backend needs of the kernel, before anything is opened or
 * started.  Returns 0 or an exit status, with the message printed. */
int cli_prepare_backend(const struct scw_backend *backend);

/* Resolve the workload's command (*path, caller frees): the last thing
 * that can fail before it starts.  Returns 0 or an exit status. */
int cli_prepare_command(const char *cmd, char **path);

/* The status scwrap exits with: the workload's, as a shell reports it. */
int cli_workload_status(const struct scw_run *run);

/* Long option values of the shaping options (SHAPE_LONGOPTS) and of the
 * options more than one command has. */
enum {
	O_ACCEPT_LOSS = 256,
	O_ARGS,
	O_BASELINE,
	O_CONTAINER,
	O_NO_ADDITIONS,
	O_NO_FALLBACKS,
	O_NAME,
	O_REPORT,
	O_COMPLAIN,
	O_JSON,
	O_SES,
	O_PID,
	O_EXE,
	O_COMM,
	O_UID,
	O_SINCE,
	O_UNTIL,
	O_CHECKPOINT,
	O_ARCH,
};

/* The options that shape a written profile, shared by record and audit
 * (all of them) and by merge and export (-F, --name): parsed by
 * cli_shape_option(), checked by cli_shape_check(), resolved by
 * cli_shape_prepare(), in src/cli-shape.c. */
struct cli_shape {
	const char *baseline_path, *container, *format_name, *report, *name, *arch;
	/* --container, each one's lists joined with commas: container points
	 * here once one was given. */
	char containers[512];
	bool no_additions, no_fallbacks;
	/* Resolved before the workload starts: */
	struct scw_profile *baseline;
	uint32_t abis[SCW_EQUIV_MAX_ABIS]; /* --arch */
	size_t n_abis;
	struct scw_equiv *equiv;
	const struct scw_format *format;
	struct scw_output report_out;
};

/* clang-format off */
#define SHAPE_LONGOPTS                                                                             \
	{ "baseline", required_argument, NULL, O_BASELINE },                                       \
	{ "container", optional_argument, NULL, O_CONTAINER },                                     \
	{ "no-additions", no_argument, NULL, O_NO_ADDITIONS },                                     \
	{ "no-fallbacks", no_argument, NULL, O_NO_FALLBACKS },                                     \
	{ "format", required_argument, NULL, 'F' },                                                \
	{ "name", required_argument, NULL, O_NAME },                                               \
	{ "report", required_argument, NULL, O_REPORT },                                           \
	{ "arch", required_argument, NULL, O_ARCH }
/* clang-format on */

/* The --help lines of SHAPE_LONGOPTS. */
#define SHAPE_HELP                                                                                 \
	"      --baseline=FILE  start from the profile FILE (OCI/Docker JSON) and add what\n"      \
	"                       is recorded; what it denies stays denied; with ptrace,\n"          \
	"                       what it allows is not even traced\n"                               \
	"      --container[=LIST]  add what the runtimes of LIST do after they load the\n"         \
	"                       profile: runc, crun (both, the default: docker, podman,\n"         \
	"                       containerd), runc-nnp, crun-nnp (noNewPrivileges true\n"           \
	"                       only), tini, catatonit (docker/podman init), files of\n"           \
	"                       names; comma-separated, and repeatable\n"                          \
	"      --no-additions   leave out rt_sigreturn, restart_syscall, exit, exit_group\n"       \
	"                       and the vDSO calls, added by default\n"                            \
	"      --no-fallbacks   do not answer clone3 and other newer calls with ENOSYS\n"          \
	"  -F, --format=FORMAT  oci (default), k8s, systemd, text or bpf\n"                        \
	"      --name=NAME      the k8s resource's name\n"                                         \
	"      --report=FILE    write provenance as JSON: for every syscall, how often,\n"         \
	"                       which executables, the first process\n" ARCH_HELP

/* The --help lines of --arch (record, audit, merge, export). */
#define ARCH_HELP                                                                                  \
	"      --arch=LIST      the profile's architectures (x86_64,aarch64...; amd64,arm64\n"     \
	"                       too), each allowed the equivalents there of the calls\n"           \
	"                       allowed (open on x86_64: openat on aarch64...)\n"

/* --arch's long option, for commands that take it alone (merge, export). */
#define ARCH_LONGOPT                                                                               \
	{                                                                                          \
		"arch", required_argument, NULL, O_ARCH                                            \
	}

/* One shaping option; false if c is not one. */
bool cli_shape_option(struct cli_shape *s, int c, const char *arg);

/* Resolve -F and --arch (the table of equivalents read) and check --name,
 * before anything runs; a usage error names what cannot work. */
void cli_shape_check(struct cli_shape *s);

/* Refuse a binary format whose output is a terminal (out opened, nothing
 * written yet).  Returns 0 or an exit status, with the message printed. */
int cli_shape_check_output(const struct cli_shape *s, const struct scw_output *out);

/* Everything of the shaping options that can fail, before anything runs:
 * the baseline read, the runtime list found, the report path checked.
 * Returns 0 or an exit status, with the message printed. */
int cli_shape_prepare(struct cli_shape *s);

/* Give up what cli_shape_prepare() and cli_shape_check() took: the
 * report's temporary file, the baseline, the table of equivalents. */
void cli_shape_discard(struct cli_shape *s);

/* The pipeline's shaping and sink fields, as the options say (the report
 * is s's, and must outlive pl). */
void cli_shape_pipeline(struct cli_shape *s, struct scw_pipeline *pl);

#endif
