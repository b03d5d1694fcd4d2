/* denytab.c - what scwrap check does with a call the profile does not allow. */
#include <config.h>

#include <stdlib.h>

#include "abi.h"
#include "accum.h"
#include "denytab.h"
#include "util.h"

struct scw_deny *scw_denytab_build(const struct scw_profile *p, uint32_t abi)
{
	struct scw_deny *tab = scw_xcalloc(SCW_NR_MAX, sizeof(*tab));

	for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
		char *name = scw_syscall_name(abi, nr);
		struct scw_verdict v;
		struct scw_deny *d = &tab[nr];
		if (!name) {
			d->action = (uint8_t)p->default_action;
			d->errnum = (uint16_t)scw_errno_clamp(scw_profile_default_errno(p));
			continue;
		}
		scw_profile_verdict(p, name, &v);
		/* A name allowed only with some arguments: what its last deny
		 * rule or the default does to the rest. */
		if (scw_action_allows(v.action)) {
			v.action = p->default_action;
			v.errno_ret = scw_profile_default_errno(p);
			for (size_t k = 0; k < p->n_rules; k++) {
				const struct scw_rule *r = &p->rules[k];
				if (!scw_action_allows(r->action) && scw_rule_has_name(r, name)) {
					v.action = r->action;
					v.errno_ret = scw_rule_errno(r);
				}
			}
		}
		d->action = (uint8_t)v.action;
		/* As the kernel answers an ERRNO action. */
		d->errnum = (uint16_t)scw_errno_clamp(v.errno_ret);
		free(name);
	}
	return tab;
}
