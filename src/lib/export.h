/* export.h - the output formats of a profile: one ops row per format. */
#ifndef SCW_EXPORT_H
#define SCW_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "profile.h"

#include "util.h" /* struct scw_notes: what a format could not say */

struct scw_export_opts {
	const char *name; /* k8s: metadata.name (a DNS-1123 subdomain); NULL: "scwrap-profile" */
};

/* Whether name can name a Kubernetes object: a DNS-1123 subdomain. */
bool scw_k8s_name_ok(const char *name);

struct scw_format {
	const char *name;    /* -F NAME */
	const char *summary; /* one line for --help and the man page */
	bool binary;	     /* not text: refused on a terminal */
	/* The profile in this format, *len bytes (caller frees); what the
	 * format cannot express is said in *dropped. */
	char *(*render)(const struct scw_profile *p, const struct scw_export_opts *o, size_t *len,
			struct scw_notes *dropped, scw_error *err);
};

/* The format of a name, or NULL. */
const struct scw_format *scw_format_find(const char *name);

/* Every format, NULL-terminated. */
extern const struct scw_format *const scw_formats[];

#endif
