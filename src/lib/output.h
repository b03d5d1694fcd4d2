/* output.h - where a result goes: checked before the workload starts,
 * written atomically at the end. */
#ifndef SCW_OUTPUT_H
#define SCW_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

struct scw_output {
	const char *path; /* borrowed from the caller; "-" is standard output */
	char *dir, *base; /* of path, for a regular file */
	char *tmp;	  /* the temporary name beside path, renamed over it at commit */
	int fd;		  /* an unnamed (O_TMPFILE) or temporary file in dir, or path
			   * itself when that is not a regular file */
	mode_t mode;	  /* mode the result gets */
};

/* Prove path can be written before any work: for a regular (or new) file,
 * create an unnamed file in its directory (a named temporary one where the
 * file system has no O_TMPFILE); for a device or FIFO, open it; "-" is
 * stdout.  On failure err says why and nothing is left behind. */
int scw_output_open(struct scw_output *out, const char *path, scw_error *err);

/* Write data and put it in place (fsync, rename, fsync of the directory);
 * then close.  On failure the temporary file is removed and the old file at
 * path is untouched, unless only the directory's fsync failed: path then
 * holds the new data, which a crash may still undo. */
int scw_output_commit(struct scw_output *out, const char *data, size_t len, scw_error *err);

/* Give up: remove the temporary file, close.  Safe to call twice. */
void scw_output_discard(struct scw_output *out);

/* After a failed commit: keep data in a new file of $TMPDIR (or /tmp),
 * mode 0600, so that a long run's result is not lost with a full disk or a
 * vanished directory; err gets a hint naming the file (or why it could not
 * be made).  Returns 0 when the data was kept. */
int scw_output_rescue(const char *data, size_t len, scw_error *err);

/* A name for messages: the path, or "standard output". */
const char *scw_output_name(const struct scw_output *out);

#endif
