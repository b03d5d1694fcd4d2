/* cli-shape.c - the options that shape a written profile, parsed and
 * checked in one place for every command that writes one. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/additions.h"
#include "lib/error.h"
#include "lib/util.h"

bool cli_shape_option(struct cli_shape *s, int c, const char *arg)
{
	switch (c) {
	case O_BASELINE:
		s->baseline_path = arg;
		return true;
	case O_CONTAINER: {
		/* Each --container adds its lists to the ones before. */
		const char *add = arg ? arg : SCW_RUNTIMES_DEFAULT;
		size_t have = strlen(s->containers);
		int w = snprintf(s->containers + have, sizeof(s->containers) - have, "%s%s",
				 have ? "," : "", add);
		if (w < 0 || (size_t)w >= sizeof(s->containers) - have)
			die_usage("--container: the lists' names come to more than %zu bytes",
				  sizeof(s->containers) - 1);
		s->container = s->containers;
		return true;
	}
	case O_NO_ADDITIONS:
		s->no_additions = true;
		return true;
	case O_NO_FALLBACKS:
		s->no_fallbacks = true;
		return true;
	case 'F':
		s->format_name = arg;
		return true;
	case O_NAME:
		s->name = arg;
		return true;
	case O_REPORT:
		s->report = arg;
		return true;
	case O_ARCH:
		s->arch = arg;
		return true;
	default:
		return false;
	}
}

static const char *format_name(size_t i)
{
	return scw_formats[i] ? scw_formats[i]->name : NULL;
}

void cli_shape_check(struct cli_shape *s)
{
	if (s->arch) {
		scw_error err = {0};
		s->n_abis = scw_equiv_parse_abis(s->arch, s->abis, SCW_ARRAY_SIZE(s->abis), &err);
		if (!s->n_abis)
			die_usage("--arch: %s", err.msg);
		s->equiv = scw_equiv_load(NULL, &err);
		if (!s->equiv) {
			complain("--arch: %s", err.msg);
			exit(SCW_EXIT_FAILURE);
		}
	}
	s->format = scw_format_find(s->format_name ? s->format_name : "oci");
	if (!s->format) {
		cleanup_free char *all = cli_or_list(format_name);
		die_usage("unknown format '%s' (%s)", s->format_name, all);
	}
	if (s->name && strcmp(s->format->name, "k8s") != 0)
		die_usage("--name goes with -F k8s: the %s format has no name", s->format->name);
	if (s->name && !scw_k8s_name_ok(s->name))
		die_usage(
		    "--name '%s' cannot name a SeccompProfile: a Kubernetes name is a "
		    "DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' and '.', "
		    "beginning and ending with a letter or digit)",
		    s->name);
}

int cli_shape_check_output(const struct cli_shape *s, const struct scw_output *out)
{
	if (s->format->binary && isatty(out->fd >= 0 ? out->fd : STDOUT_FILENO)) {
		complain("the %s format is binary and %s is a terminal: write it to a file with -o "
			 "FILE, or redirect standard output",
			 s->format->name, scw_output_name(out));
		return SCW_EXIT_FAILURE;
	}
	return 0;
}

int cli_shape_prepare(struct cli_shape *s)
{
	scw_error err = {0};
	s->report_out.fd = -1;
	if (s->baseline_path) {
		s->baseline = scw_profile_read(s->baseline_path, &err);
		if (!s->baseline) {
			complain("cannot use the baseline: %s", err.msg);
			return SCW_EXIT_FAILURE;
		}
	}
	if (s->container) {
		struct scw_profile *scratch = scw_xcalloc(1, sizeof(*scratch));
		struct scw_added *added = NULL;
		char *label = NULL;
		size_t n;
		int rc = scw_add_runtime(scratch, s->container, &label, &added, &n, &err);
		free(added);
		free(label);
		scw_profile_free(scratch);
		if (rc < 0) {
			complain("%s", err.msg);
			return SCW_EXIT_FAILURE;
		}
	}
	if (s->report && scw_output_open(&s->report_out, s->report, &err) < 0) {
		complain("--report: %s", err.msg);
		return err.status;
	}
	return 0;
}

void cli_shape_discard(struct cli_shape *s)
{
	if (s->report)
		scw_output_discard(&s->report_out);
	scw_profile_free(s->baseline);
	s->baseline = NULL;
	scw_equiv_free(s->equiv);
	s->equiv = NULL;
}

void cli_shape_pipeline(struct cli_shape *s, struct scw_pipeline *pl)
{
	pl->shape.baseline = s->baseline;
	pl->shape.container = s->container;
	pl->shape.no_additions = s->no_additions;
	pl->shape.no_fallbacks = s->no_fallbacks;
	pl->shape.abis = s->abis;
	pl->shape.n_abis = s->n_abis;
	pl->shape.equiv = s->equiv;
	pl->baseline_name = s->baseline_path;
	pl->format = s->format;
	pl->export.name = s->name;
	pl->report = s->report ? &s->report_out : NULL;
}
