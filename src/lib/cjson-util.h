/* cjson-util.h - what scwrap's cJSON users share: profile-json.c,
 * report.c and diff.c, and no other file includes cJSON. */
#ifndef SCW_CJSON_UTIL_H
#define SCW_CJSON_UTIL_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static inline void scw_cjson_deletep(cJSON **j)
{
	cJSON_Delete(*j);
}
#define cleanup_cjson __attribute__((cleanup(scw_cjson_deletep)))

/* cJSON reports allocation failure as NULL; scwrap treats it as fatal OOM. */
static inline void *scw_cjson_chk(void *j)
{
	if (!j) {
		static const char msg[] = "scwrap: out of memory\n";
		(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
		abort();
	}
	return j;
}
#define chk(j) ((__typeof__(j))scw_cjson_chk(j))

/* A uint64 as a JSON number, exactly: cJSON's doubles stop at 2^53. */
static inline cJSON *u64_number(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return chk(cJSON_CreateRaw(buf));
}

/* o[key] = v, or null when v is NULL. */
static inline void add_str(cJSON *o, const char *key, const char *v)
{
	cJSON_AddItemToObject(o, key, v ? chk(cJSON_CreateString(v)) : chk(cJSON_CreateNull()));
}

/* The text of a tree, newline-terminated; caller frees. */
static inline char *scw_cjson_text(const cJSON *root)
{
	char *text = chk(cJSON_Print(root)), *out;
	size_t len = strlen(text);
	out = scw_xmalloc(len + 2);
	memcpy(out, text, len);
	out[len] = '\n';
	out[len + 1] = '\0';
	cJSON_free(text);
	return out;
}

#endif
