/* export.c - output formats (stub: oci only; the exports branch brings the rest). */
#include <config.h>

#include <string.h>

#include "export.h"
#include "util.h"

static char *render_oci(const struct scw_profile *p, const struct scw_export_opts *o, size_t *len,
			struct scw_notes *dropped, scw_error *err)
{
	char *s = scw_profile_to_json(p, err);
	(void)o;
	(void)dropped;
	if (s)
		*len = strlen(s);
	return s;
}

static const struct scw_format fmt_oci = {
	.name = "oci",
	.summary = "OCI/Docker JSON, for docker, podman, runc, crun and Kubernetes",
	.render = render_oci,
};

const struct scw_format *const scw_formats[] = { &fmt_oci, NULL };

const struct scw_format *scw_format_find(const char *name)
{
	for (size_t i = 0; scw_formats[i]; i++)
		if (strcmp(scw_formats[i]->name, name) == 0)
			return scw_formats[i];
	return NULL;
}
