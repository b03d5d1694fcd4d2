/* denytab.h - what scwrap check does with a call the profile does not
 * allow, per number of one ABI: the profile's action and errno, as the
 * kernel would apply them.  Built once, read at every denied call. */
#ifndef SCW_DENYTAB_H
#define SCW_DENYTAB_H

#include <stdint.h>

#include "profile.h"

struct scw_deny {
	uint8_t action; /* enum scw_action */
	uint16_t errnum;
};

/* The table of abi's numbers below SCW_NR_MAX (caller frees). */
struct scw_deny *scw_denytab_build(const struct scw_profile *p, uint32_t abi);

#endif
