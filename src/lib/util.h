/* util.h - allocation wrappers, cleanup attributes, small helpers. */
#ifndef SCW_UTIL_H
#define SCW_UTIL_H

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

static inline void scw_freep(void *p) { free(*(void **)p); }
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
#define cleanup_fd __attribute__((cleanup(scw_closep)))
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

/* Monotonic clock in nanoseconds. */
uint64_t scw_now_ns(void);

#endif
