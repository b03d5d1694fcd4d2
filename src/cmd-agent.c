/* cmd-agent.c - scwrap agent: record containers as their runtime runs
 * them, from the seccomp listeners runc and crun send (listenerPath). */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/agent.h"
#include "lib/error.h"
#include "lib/output.h"
#include "lib/util.h"

static const char usage_text[] =
    "Usage: scwrap agent --socket=PATH --output-dir=DIR [--args] [--exit-idle]\n"
    "       scwrap agent --recording-profile --socket=PATH [--metadata=TEXT] [-o FILE]\n"
    "Record containers as their OCI runtime (runc, crun) runs them.  Give a\n"
    "container the recording profile: the runtime loads it, connects to the\n"
    "agent's socket and sends the container's seccomp listener; the agent lets\n"
    "every call run and records it, the runtime's own calls after the load\n"
    "included.  When the container's last process is gone its profile is\n"
    "written to DIR/NAME.json (NAME: the profile's listenerMetadata, else the\n"
    "Kubernetes namespace_pod_container, else the container id), merged into\n"
    "the profile already there.  SIGTERM or SIGINT writes what every open\n"
    "container recorded so far as DIR/NAME.partial.json, then exits.\n"
    "\n"
    "      --socket=PATH        the unix socket runtimes connect to (mode 0600; its\n"
    "                           directory is made 0700 if missing)\n"
    "      --output-dir=DIR     where profiles are written (made if missing)\n"
    "      --args               note the argument values of the curated calls, as\n"
    "                           scwrap --args does\n"
    "      --exit-idle          exit once every container seen has been written\n"
    "      --recording-profile  print the recording profile for --socket and exit:\n"
    "                           every call of every ABI of this machine notified but\n"
    "                           write and what runc init may make while it hands the\n"
    "                           listener over (rt_sigreturn, futex, sched_yield,\n"
    "                           nanosleep, mmap, munmap, madvise), which every\n"
    "                           written profile allows; default allow, listenerPath\n"
    "      --metadata=TEXT      the recording profile's listenerMetadata (the name\n"
    "                           its containers' profiles get)\n"
    "  -o, --output=FILE        write the recording profile to FILE, not stdout\n"
    "  -h, --help               show this help and exit\n"
    "\n"
    "The agent must run as long as the containers it records: when it is gone\n"
    "their notified calls fail with ENOSYS.\n"
    "\n"
    "Exit status: 0 once stopped by SIGTERM or SIGINT (or idle, with\n"
    "--exit-idle), 125 on error.\n";

enum { O_SOCKET = 512, O_OUTPUT_DIR, O_RECORDING, O_METADATA, O_EXIT_IDLE };

static int print_recording_profile(const char *socket_path, const char *metadata,
				   const char *output)
{
	struct scw_output out;
	scw_error err = {0};
	struct scw_profile *p = scw_agent_recording_profile(socket_path, metadata, &err);
	cleanup_free char *json = p ? scw_profile_to_json(p, &err) : NULL;

	scw_profile_free(p);
	if (!json || scw_output_open(&out, output ? output : "-", &err) < 0) {
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	if (scw_output_commit(&out, json, strlen(json), &err) < 0) {
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	return 0;
}

static int agent_main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"socket", required_argument, NULL, O_SOCKET},
	    {"output-dir", required_argument, NULL, O_OUTPUT_DIR},
	    {"args", no_argument, NULL, O_ARGS},
	    {"exit-idle", no_argument, NULL, O_EXIT_IDLE},
	    {"recording-profile", no_argument, NULL, O_RECORDING},
	    {"metadata", required_argument, NULL, O_METADATA},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct scw_agent_opts o = {.log = stderr};
	const char *metadata = NULL, *output = NULL;
	bool recording = false;
	scw_error err = {0};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		switch (c) {
		case O_SOCKET:
			o.socket_path = optarg;
			break;
		case O_OUTPUT_DIR:
			o.output_dir = optarg;
			break;
		case O_ARGS:
			o.args = true;
			break;
		case O_EXIT_IDLE:
			o.exit_idle = true;
			break;
		case O_RECORDING:
			recording = true;
			break;
		case O_METADATA:
			metadata = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			cli_help(usage_text);
		default:
			cli_bad_option(c, argv);
		}
	}
	if (optind < argc)
		die_usage("agent takes no operands (%s)", argv[optind]);
	if (!o.socket_path)
		die_usage("agent needs --socket=PATH");
	if (o.socket_path[0] != '/')
		die_usage("--socket needs an absolute path: runtimes connect to it from "
			  "elsewhere");
	if (recording) {
		if (o.output_dir || o.args || o.exit_idle)
			die_usage("--recording-profile prints a profile: it takes --socket, "
				  "--metadata and -o only");
		return print_recording_profile(o.socket_path, metadata, output);
	}
	if (metadata || output)
		die_usage("--metadata and -o are for --recording-profile");
	if (!o.output_dir)
		die_usage("agent needs --output-dir=DIR");
	if (scw_agent_run(&o, &err) < 0) {
		complain("%s", err.msg);
		return SCW_EXIT_FAILURE;
	}
	return 0;
}

const struct cli_command cli_cmd_agent = {
    .name = "agent",
    .synopsis = "--socket=PATH --output-dir=DIR [OPTION]...",
    .run = agent_main,
};
