/* util.c - allocation wrappers and small helpers. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <time.h>

#include "util.h"

static void __attribute__((noreturn)) oom(void)
{
	static const char msg[] = "scwrap: out of memory\n";
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	abort();
}

void *scw_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *scw_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *scw_xreallocarray(void *p, size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total))
		oom();
	p = realloc(p, total ? total : 1);
	if (!p)
		oom();
	return p;
}

char *scw_xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

char *scw_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	return s;
}

int scw_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

bool scw_has_cap(int cap)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

uint64_t scw_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int scw_proc_status_field(pid_t pid, const char *key, int *value)
{
	char path[64], line[256];
	size_t len = strlen(key);
	int rc = -1;
	FILE *f;
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	f = fopen(path, "re");
	if (!f)
		return -1;
	/* "Key:\tnumber", one a line (proc(5)). */
	while (rc < 0 && fgets(line, sizeof(line), f))
		if (strncmp(line, key, len) == 0 && line[len] == ':' &&
		    sscanf(line + len + 1, "%d", value) == 1)
			rc = 0;
	fclose(f);
	return rc;
}

ssize_t scw_proc_read(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

int scw_proc_argv0(pid_t pid, char *buf, size_t size)
{
	return scw_proc_read(pid, "cmdline", buf, size) < 0 ? -1 : 0;
}

#define U64MAP_EMPTY UINT64_MAX

static size_t u64_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	return (size_t)k;
}

static void u64map_alloc(struct scw_u64map *m, size_t cap)
{
	m->keys = scw_xreallocarray(NULL, cap, sizeof(*m->keys));
	m->vals = scw_xcalloc(cap, sizeof(*m->vals));
	memset(m->keys, 0xff, cap * sizeof(*m->keys));
	m->mask = cap - 1;
	m->n = 0;
}

void scw_u64map_init(struct scw_u64map *m)
{
	u64map_alloc(m, 64);
}

void scw_u64map_free(struct scw_u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

uint64_t *scw_u64map_get(const struct scw_u64map *m, uint64_t key)
{
	for (size_t i = u64_hash(key) & m->mask;; i = (i + 1) & m->mask) {
		if (m->keys[i] == key)
			return &m->vals[i];
		if (m->keys[i] == U64MAP_EMPTY)
			return NULL;
	}
}

/* The slot of key, or the free slot where it goes. */
static size_t u64map_slot(const struct scw_u64map *m, uint64_t key)
{
	size_t i;
	for (i = u64_hash(key) & m->mask; m->keys[i] != U64MAP_EMPTY && m->keys[i] != key;
	     i = (i + 1) & m->mask)
		;
	return i;
}

uint64_t *scw_u64map_put(struct scw_u64map *m, uint64_t key, bool *added)
{
	size_t i;
	if ((m->n + 1) * 2 > m->mask + 1) {
		struct scw_u64map old = *m;
		u64map_alloc(m, (old.mask + 1) * 2);
		for (size_t j = 0; j <= old.mask; j++) {
			if (old.keys[j] == U64MAP_EMPTY)
				continue;
			i = u64map_slot(m, old.keys[j]);
			m->keys[i] = old.keys[j];
			m->vals[i] = old.vals[j];
		}
		m->n = old.n;
		free(old.keys);
		free(old.vals);
	}
	i = u64map_slot(m, key);
	if (added)
		*added = m->keys[i] == U64MAP_EMPTY;
	if (m->keys[i] == U64MAP_EMPTY) {
		m->keys[i] = key;
		m->vals[i] = 0;
		m->n++;
	}
	return &m->vals[i];
}

bool scw_u64map_next(const struct scw_u64map *m, size_t *i, uint64_t *key, uint64_t *val)
{
	for (; *i <= m->mask; (*i)++) {
		if (m->keys[*i] != U64MAP_EMPTY) {
			*key = m->keys[*i];
			*val = m->vals[*i];
			(*i)++;
			return true;
		}
	}
	return false;
}

void scw_notes_add(struct scw_notes *n, const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (n->n == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 8;
		n->v = scw_xreallocarray(n->v, n->cap, sizeof(*n->v));
	}
	n->v[n->n++] = s;
}

void scw_notes_free(struct scw_notes *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	memset(n, 0, sizeof(*n));
}
