/* command.c - finding the workload's executable, as execvp(3) would. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "util.h"

/* 0 when path is an executable regular file, else an errno. */
static int check_exec(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return EACCES;
	return 0;
}

int scw_command_find(const char *cmd, char **path, scw_error *err)
{
	const char *p, *env;
	int found_err = ENOENT;

	*path = NULL;
	if (*cmd == '\0')
		return scw_fail_status(err, SCW_EXIT_NOT_FOUND, 0, "empty command name");
	if (strchr(cmd, '/')) {
		int e = check_exec(cmd);
		if (e)
			return scw_fail_status(err,
					       e == ENOENT || e == ENOTDIR ? SCW_EXIT_NOT_FOUND
									   : SCW_EXIT_CANNOT_EXEC,
					       e, "cannot run %s", cmd);
		*path = scw_xstrdup(cmd);
		return 0;
	}
	env = getenv("PATH");
	if (!env)
		env = "/usr/local/bin:/bin:/usr/bin";
	for (p = env;; p++) {
		const char *end = strchrnul(p, ':');
		size_t dlen = (size_t)(end - p);
		cleanup_free char *cand =
		    scw_xasprintf("%.*s%s%s", (int)dlen, p, dlen ? "/" : "", cmd);
		int e = check_exec(cand);
		if (e == 0) {
			*path = steal_pointer(&cand);
			return 0;
		}
		if (e == EACCES || e == EISDIR)
			found_err = EACCES;
		if (*end == '\0')
			break;
		p = end;
	}
	if (found_err == EACCES)
		return scw_fail_status(err, SCW_EXIT_CANNOT_EXEC, EACCES, "cannot run %s", cmd);
	scw_fail_status(err, SCW_EXIT_NOT_FOUND, 0, "%s: command not found", cmd);
	return scw_hint(err, "check the name and PATH");
}
