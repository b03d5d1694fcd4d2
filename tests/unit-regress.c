/* unit-regress.c - the fuzz targets' code paths (tests/fuzz/) in the normal
 * build: every input the fuzzers found a bug with (tests/fuzz/regress/,
 * named TARGET-WHAT) and every seed (tests/fixtures, tests/fuzz/seeds-model),
 * one test each.  A
 * regression aborts with the check that failed, or shows under valgrind and
 * the sanitizer build. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "lib/util.h"
#include "tap.h"

struct input {
	char *path;
	void (*run)(const uint8_t *data, size_t size);
};

static int cmp_input(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->path, ((const struct input *)b)->path);
}

/* Add every file of dir (of target run, or by its TARGET- prefix). */
static void collect(const char *dir, void (*run)(const uint8_t *, size_t), struct input **v,
		    size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		printf("# cannot read %s: %s\n", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		void (*r)(const uint8_t *, size_t) = run;
		if (e->d_name[0] == '.' || strstr(e->d_name, ".md"))
			continue;
		if (!r && strncmp(e->d_name, "auditrec-", 9) == 0)
			r = scw_fuzz_auditrec;
		else if (!r && strncmp(e->d_name, "profile-", 8) == 0)
			r = scw_fuzz_profile;
		else if (!r && strncmp(e->d_name, "model-", 6) == 0)
			r = scw_fuzz_model;
		if (!r)
			continue;
		*v = scw_xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[*n].path = scw_xasprintf("%s/%s", dir, e->d_name);
		(*v)[(*n)++].run = r;
	}
	closedir(d);
}

static bool slurp(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rbe");
	size_t cap = 65536;
	if (!f)
		return false;
	*data = scw_xmalloc(cap);
	*size = 0;
	for (;;) {
		size_t n = fread(*data + *size, 1, cap - *size, f);
		*size += n;
		if (n == 0)
			break;
		if (*size == cap)
			*data = scw_xreallocarray(*data, cap *= 2, 1);
	}
	fclose(f);
	return true;
}

int main(void)
{
	const char *src = getenv("TESTS_SRCDIR");
	char dir[4096];
	struct input *v = NULL;
	size_t n = 0, regress = 0;

	if (!src)
		src = "tests";
	snprintf(dir, sizeof(dir), "%s/fuzz/regress", src);
	collect(dir, NULL, &v, &n);
	regress = n;
	snprintf(dir, sizeof(dir), "%s/fixtures/audit", src);
	collect(dir, scw_fuzz_auditrec, &v, &n);
	snprintf(dir, sizeof(dir), "%s/fixtures/profiles", src);
	collect(dir, scw_fuzz_profile, &v, &n);
	snprintf(dir, sizeof(dir), "%s/fuzz/seeds-model", src);
	collect(dir, scw_fuzz_model, &v, &n);
	qsort(v, regress, sizeof(*v), cmp_input);
	qsort(v + regress, n - regress, sizeof(*v), cmp_input);

	tap_plan((int)n + 1);
	tap_ok(regress > 0, "tests/fuzz/regress holds the fuzzers' findings (%zu)", regress);
	for (size_t i = 0; i < n; i++) {
		uint8_t *data;
		size_t size;
		const char *name = strrchr(v[i].path, '/') + 1;
		if (!slurp(v[i].path, &data, &size)) {
			tap_ok(0, "%s: cannot read it: %s", name, strerror(errno));
		} else {
			v[i].run(data, size);
			tap_ok(1, "%s %s", i < regress ? "regress" : "seed", name);
			free(data);
		}
		free(v[i].path);
	}
	free(v);
	return tap_done();
}
