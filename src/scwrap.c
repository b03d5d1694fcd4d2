/* scwrap.c - main(): find the command, run it. */
#include <config.h>

#include <string.h>

#include "cli.h"

const struct cli_command *const cli_commands[] = {
    &cli_cmd_record, &cli_cmd_check, &cli_cmd_audit, &cli_cmd_merge, &cli_cmd_diff,
    &cli_cmd_export, &cli_cmd_lint,  &cli_cmd_agent, NULL,
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && cli_commands[i]; i++)
		if (strcmp(argv[1], cli_commands[i]->name) == 0) {
			if (cli_commands[i] != &cli_cmd_record)
				cli_command = cli_commands[i]->name;
			else
				argv[1] = argv[0]; /* getopt's messages name scwrap */
			return cli_commands[i]->run(argc - 1, argv + 1);
		}
	/* No command: a recording. */
	return cli_cmd_record.run(argc, argv);
}
