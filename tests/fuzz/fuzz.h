/* fuzz.h - what the fuzz targets share with their replay in the normal
 * build (tests/unit-regress.c): one entry point per target, and a check
 * that aborts with the failed condition, so the fuzzer keeps the input. */
#ifndef SCW_FUZZ_H
#define SCW_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Feed one input through the audit record decoder and the log reader. */
void scw_fuzz_auditrec(const uint8_t *data, size_t size);

/* Feed one input through the profile reader, then round trips and every
 * operation on the profile it gives. */
void scw_fuzz_profile(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
