/* util.h - allocation wrappers, cleanup attributes, small helpers. */
#ifndef SCW_UTIL_H
#define SCW_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Allocators that abort on out-of-memory or size overflow; never NULL. */
void *scw_xmalloc(size_t size);
void *scw_xcalloc(size_t n, size_t size);
void *scw_xreallocarray(void *p, size_t n, size_t size);
char *scw_xstrdup(const char *s);
char *scw_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void scw_freep(void *p)
{
	free(*(void **)p);
}
static inline void scw_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void scw_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define cleanup_free __attribute__((cleanup(scw_freep)))
#define cleanup_fd   __attribute__((cleanup(scw_closep)))
#define cleanup_file __attribute__((cleanup(scw_fclosep)))

/* Return *pp and set it to NULL: ownership leaves a cleanup variable. */
static inline void *scw_steal_pointer(void *pp)
{
	void **p = pp;
	void *ret = *p;
	*p = NULL;
	return ret;
}
#define steal_pointer(pp) scw_steal_pointer(pp)

static inline int scw_steal_fd(int *fd)
{
	int ret = *fd;
	*fd = -1;
	return ret;
}

#define SCW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Write all of buf to fd, retrying on EINTR and short writes; -1 with errno. */
int scw_write_all(int fd, const void *buf, size_t len);

/* Whether this process has capability cap (CAP_*) in its effective set. */
bool scw_has_cap(int cap);

/* Monotonic clock in nanoseconds. */
uint64_t scw_now_ns(void);

/* Read the number of field key ("PPid", "TracerPid") of /proc/PID/status
 * (pid 0: /proc/self/status) into *value; -1 when the file cannot be read
 * or has no such field, *value then untouched. */
int scw_proc_status_field(pid_t pid, const char *key, int *value);

/* The start of /proc/PID/FILE into buf, one read(2) of at most size - 1
 * bytes, NUL-terminated (no stdio: for the per-process paths); the bytes
 * read, or -1 when the file cannot be read or is empty. */
ssize_t scw_proc_read(pid_t pid, const char *file, char *buf, size_t size);

/* The first string of /proc/PID/cmdline (argv[0]) into buf, cut to size;
 * -1 when it cannot be read or is empty. */
int scw_proc_argv0(pid_t pid, char *buf, size_t size);

/* A map from u64 keys to u64 values, open addressing; for pid sets and
 * tallies whose size is that of the input's distinct keys, never of its
 * events.  Key UINT64_MAX is reserved. */
struct scw_u64map {
	uint64_t *keys, *vals;
	size_t mask, n;
};
void scw_u64map_init(struct scw_u64map *m);
void scw_u64map_free(struct scw_u64map *m);
/* The value slot of key, or NULL. */
uint64_t *scw_u64map_get(const struct scw_u64map *m, uint64_t key);
/* The value slot of key, added as 0 when new; *added says which. */
uint64_t *scw_u64map_put(struct scw_u64map *m, uint64_t key, bool *added);
/* Iterate: for (size_t i = 0; scw_u64map_next(m, &i, &k, &v);) */
bool scw_u64map_next(const struct scw_u64map *m, size_t *i, uint64_t *key, uint64_t *val);

/* Lines of text gathered for the user (warnings, findings). */
struct scw_notes {
	char **v;
	size_t n, cap;
};
void scw_notes_add(struct scw_notes *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void scw_notes_free(struct scw_notes *n);

#endif
