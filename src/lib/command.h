/* command.h - the workload's executable, found before anything starts. */
#ifndef SCW_COMMAND_H
#define SCW_COMMAND_H

#include "error.h"

/* Resolve a command as execvp(3) would, before anything starts: *path gets
 * the file to execute (caller frees).  Fails with status 127 when nothing
 * is found and 126 when what is found cannot be executed. */
int scw_command_find(const char *cmd, char **path, scw_error *err);

#endif
