/* backend.c - the table of backends. */
#include <config.h>

#include <string.h>

#include "backend.h"

const struct scw_backend *const scw_backends[] = {
    &scw_backend_ptrace,
    &scw_backend_audit,
    &scw_backend_notify,
    NULL,
};

const struct scw_backend *scw_backend_find(const char *name)
{
	for (size_t i = 0; scw_backends[i]; i++)
		if (strcmp(scw_backends[i]->name, name) == 0)
			return scw_backends[i];
	return NULL;
}
