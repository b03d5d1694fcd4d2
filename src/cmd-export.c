/* cmd-export.c - scwrap export (stub until the exports branch lands). */
#include <config.h>

#include "cli.h"

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	complain("export is not built yet");
	return 125;
}
