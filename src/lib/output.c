/* output.c - atomic result files: temporary file, fsync, rename, fsync of the directory. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "signals.h"
#include "util.h"

const char *scw_output_name(const struct scw_output *out)
{
	return strcmp(out->path, "-") == 0 ? "standard output" : out->path;
}

static int open_failed(struct scw_output *out, const char *path, int errnum, scw_error *err)
{
	free(out->tmp);
	free(out->dir);
	free(out->base);
	out->tmp = out->dir = out->base = NULL;
	scw_fail(err, errnum, "cannot write %s", path);
	return scw_hint(err,
			"its directory must exist and be writable; choose another path with -o");
}

int scw_output_open(struct scw_output *out, const char *path, scw_error *err)
{
	cleanup_free char *dcopy = NULL, *bcopy = NULL;
	struct stat st;
	mode_t mask;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	out->path = path;
	if (strcmp(path, "-") == 0)
		return 0;
	if (*path == '\0')
		return scw_fail(err, 0, "empty output path"), scw_hint(err, "give a file with -o");

	mask = umask(0);
	umask(mask);
	out->mode = 0666 & ~mask;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return scw_fail(err, EISDIR, "cannot write %s", path),
			       scw_hint(err, "name a file, not a directory, with -o");
		if (!S_ISREG(st.st_mode)) {
			/* A device or FIFO (/dev/stdout, /dev/full): written in place. */
			out->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
			if (out->fd < 0)
				return scw_fail(err, errno, "cannot open %s", path);
			return 0;
		}
		out->mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		return scw_fail(err, errno, "cannot write %s", path),
		       scw_hint(err, "choose another path with -o");
	}

	dcopy = scw_xstrdup(path);
	bcopy = scw_xstrdup(path);
	out->dir = scw_xstrdup(dirname(dcopy));
	out->base = scw_xstrdup(basename(bcopy));
	/* An unnamed file first: if scwrap is killed, nothing is left behind. */
	out->fd = open(out->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (out->fd >= 0)
		return 0;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return open_failed(out, path, errno, err);
	out->tmp = scw_xasprintf("%s/.%s.scwrap-XXXXXX", out->dir, out->base);
	out->fd = mkostemp(out->tmp, O_CLOEXEC);
	if (out->fd < 0)
		return open_failed(out, path, errno, err);
	return 0;
}

/* Give the unnamed file a temporary name beside path. */
static int link_tmpfile(struct scw_output *out)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", out->fd);
	for (unsigned i = 0; i < 100; i++) {
		out->tmp = scw_xasprintf("%s/.%s.scwrap-%08x", out->dir, out->base,
					 (unsigned)(scw_now_ns() ^ ((uint64_t)getpid() << 16)) + i);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, out->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		free(out->tmp);
		out->tmp = NULL;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

/* fsync a directory, so that a name just put in it survives a crash
 * (fsync(2): the file's own fsync does not cover its directory entry). */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc, errnum;
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	errnum = errno;
	close(fd);
	/* EINVAL: a file system that cannot sync a directory. */
	if (rc < 0 && errnum != EINVAL) {
		errno = errnum;
		return -1;
	}
	return 0;
}

int scw_output_commit(struct scw_output *out, const char *data, size_t len, scw_error *err)
{
	int fd = out->fd >= 0 ? out->fd : STDOUT_FILENO;
	sigset_t saved;
	bool blocked = false;
	int rc = -1;

	if (scw_write_all(fd, data, len) < 0) {
		scw_fail(err, errno, "cannot write %s", scw_output_name(out));
		goto fail;
	}
	/* From the temporary name to the rename, a signal that kills scwrap
	 * (scwrap audit, merge... have no handlers) would leave the name. */
	scw_signals_block(&saved);
	blocked = true;
	if (out->dir) {
		if (fchmod(fd, out->mode) < 0 || fsync(fd) < 0 ||
		    (!out->tmp && link_tmpfile(out) < 0)) {
			scw_fail(err, errno, "cannot write %s", out->path);
			goto fail;
		}
	}
	if (out->fd >= 0) {
		int closed = close(out->fd);
		out->fd = -1;
		if (closed < 0) {
			scw_fail(err, errno, "cannot write %s", scw_output_name(out));
			goto fail;
		}
	}
	if (out->tmp) {
		if (rename(out->tmp, out->path) < 0) {
			scw_fail(err, errno, "cannot put %s in place", out->path);
			goto fail;
		}
		free(out->tmp);
		out->tmp = NULL;
		/* Renamed in the page cache only: without the directory's fsync
		 * a crash soon after could bring the old file back, or none. */
		if (out->dir && sync_dir(out->dir) < 0) {
			scw_fail(err, errno, "cannot sync the directory of %s", out->path);
			goto fail;
		}
	}
	rc = 0;
fail:
	scw_output_discard(out);
	if (blocked)
		sigprocmask(SIG_SETMASK, &saved, NULL);
	return rc;
}

void scw_output_discard(struct scw_output *out)
{
	if (out->fd >= 0)
		close(out->fd);
	out->fd = -1;
	if (out->tmp) {
		unlink(out->tmp);
		free(out->tmp);
		out->tmp = NULL;
	}
	free(out->dir);
	free(out->base);
	out->dir = out->base = NULL;
}

int scw_output_rescue(const char *data, size_t len, scw_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd, errnum = 0;

	if (!dir || *dir != '/')
		dir = "/tmp";
	path = scw_xasprintf("%s/scwrap-rescued.XXXXXX", dir);
	/* mkstemp: a new file, 0600, in a directory others may write to. */
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0 || scw_write_all(fd, data, len) < 0 || fsync(fd) < 0)
		errnum = errno;
	if (fd >= 0 && close(fd) < 0 && !errnum)
		errnum = errno;
	if (errnum) {
		if (fd >= 0)
			unlink(path);
		scw_hint(err, "it could not be kept in %s either (%s)", dir, strerror(errnum));
	} else {
		scw_hint(err, "the result was kept in %s: move it where it belongs", path);
	}
	free(path);
	return errnum ? -1 : 0;
}
