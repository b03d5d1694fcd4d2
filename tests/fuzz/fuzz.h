/* fuzz.h - what the fuzz targets share with their replay in the normal
 * build (tests/unit-regress.c): one entry point per target, and a check
 * that aborts with the failed condition, so the fuzzer keeps the input. */
#ifndef SCW_FUZZ_H
#define SCW_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Feed one input through the audit record decoder and the log reader. */
void scw_fuzz_auditrec(const uint8_t *data, size_t size);

/* Feed one input through the profile reader, then round trips and every
 * operation on the profile it gives. */
void scw_fuzz_profile(const uint8_t *data, size_t size);

struct scw_profile;

/* Build the profile model the input's bytes choose, write it, read it back
 * and check that it is the same. */
void scw_fuzz_model(const uint8_t *data, size_t size);

/* The model the bytes choose, normalized (caller frees). */
struct scw_profile *scw_fuzz_model_build(const uint8_t *data, size_t size);

/* Whether two models are equal, field by field, in order. */
bool scw_fuzz_model_same(const struct scw_profile *a, const struct scw_profile *b);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
