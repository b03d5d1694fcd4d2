/* args.c - the curated calls of --args and their rules. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"

/* The namespace flags of clone(2): CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC,
 * NEWUSER, NEWPID, NEWNET (Docker's default profile pins clone with the
 * same mask). */
#define NS_MASK UINT64_C(0x7e020000)
/* SOCK_NONBLOCK and SOCK_CLOEXEC ride on socket's type; the type is the
 * low bits (SOCK_TYPE_MASK). */
#define SOCK_TYPE_MASK UINT64_C(0xf)
/* ioctl's request is an unsigned int: compare the low 32 bits, whatever a
 * caller's sign extension put above. */
#define LOW32	      UINT64_C(0xffffffff)
#define PROT_EXEC_BIT UINT64_C(0x4)

const struct scw_argspec scw_argspecs[] = {
    {"socket",
     2,
     {0, 1},
     {0, SOCK_TYPE_MASK},
     false,
     "the address family (AF_UNIX, AF_INET, AF_NETLINK...) and the socket type, without "
     "its SOCK_NONBLOCK/SOCK_CLOEXEC flags: allowing socket allows every family"},
    {"clone",
     1,
     {0},
     {NS_MASK},
     false,
     "the namespace flags: allowing clone allows new namespaces"},
    {"clone3",
     1,
     {0},
     {NS_MASK},
     false,
     "its flags are in memory, which seccomp cannot read: answered ENOSYS, so that callers "
     "use clone, pinned with the namespace flags seen"},
    {"unshare", 1, {0}, {0}, false, "the namespaces and attributes unshared"},
    {"setns",
     1,
     {1},
     {0},
     false,
     "the namespace type joined (0 lets any type through: the type of the descriptor)"},
    {"personality",
     1,
     {0},
     {0},
     false,
     "the persona: READ_IMPLIES_EXEC and ADDR_NO_RANDOMIZE weaken the process"},
    {"prctl", 1, {0}, {0}, false, "the option: prctl is many calls in one"},
    {"ioctl", 1, {1}, {LOW32}, false, "the request: ioctl is many calls in one"},
    {"mprotect",
     1,
     {2},
     {PROT_EXEC_BIT},
     true,
     "whether PROT_EXEC is asked: making memory executable"},
    {"pkey_mprotect",
     1,
     {2},
     {PROT_EXEC_BIT},
     true,
     "whether PROT_EXEC is asked: making memory executable"},
    {"mmap",
     1,
     {2},
     {PROT_EXEC_BIT},
     true,
     "whether PROT_EXEC is asked: mapping executable memory"},
};
const unsigned scw_n_argspecs = SCW_ARRAY_SIZE(scw_argspecs);

int scw_argspec_find(const char *name)
{
	for (unsigned i = 0; i < scw_n_argspecs; i++)
		if (strcmp(scw_argspecs[i].name, name) == 0)
			return (int)i;
	return -1;
}

int8_t *scw_argspec_table(uint32_t abi)
{
	int8_t *t = scw_xcalloc(SCW_NR_MAX, sizeof(*t));
	for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
		char *name = scw_syscall_name(abi, nr);
		t[nr] = (int8_t)(name ? scw_argspec_find(name) : -1);
		free(name);
	}
	return t;
}

void scw_args_init(struct scw_acc *acc)
{
	if (!acc->args)
		acc->args = scw_xcalloc(scw_n_argspecs, sizeof(*acc->args));
}

static void set_add(struct scw_argset *s, uint64_t a, uint64_t b)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->v[i][0] == a && s->v[i][1] == b)
			return;
	if (s->n == SCW_ARGS_BOUND) {
		s->overflow = true;
		return;
	}
	s->v[s->n][0] = a;
	s->v[s->n++][1] = b;
}

void scw_args_note(struct scw_acc *acc, struct scw_exe *exe, unsigned spec, const uint64_t *raw)
{
	const struct scw_argspec *sp = &scw_argspecs[spec];
	uint64_t v[2] = {0, 0};
	for (unsigned k = 0; k < sp->n; k++) {
		v[k] = raw[sp->index[k]];
		if (sp->mask[k])
			v[k] &= sp->mask[k];
	}
	if (!exe->args)
		exe->args = scw_xcalloc(scw_n_argspecs, sizeof(*exe->args));
	set_add(&acc->args[spec], v[0], v[1]);
	set_add(&exe->args[spec], v[0], v[1]);
}

#define PINNED "scwrap:recorded: with the argument values seen (--args)"

/* One ALLOW rule of name with spec's conditions on values v. */
static void add_pinned(struct scw_profile *p, const struct scw_argspec *sp, const char *name,
		       const uint64_t *v)
{
	struct scw_arg args[2];
	const char *names[1] = {name};
	struct scw_rule r = {
	    .names = (char **)names,
	    .n_names = 1,
	    .action = SCW_ACT_ALLOW,
	    .args = args,
	    .n_args = sp->n,
	    .layer = SCW_LAYER_RECORDED,
	    .comment = (char *)PINNED,
	};
	for (unsigned k = 0; k < sp->n; k++)
		r.args[k] = (struct scw_arg){.index = sp->index[k],
					     .op = sp->mask[k] ? SCW_OP_MASKED_EQ : SCW_OP_EQ,
					     .value = sp->mask[k] ? sp->mask[k] : v[k],
					     .value_two = sp->mask[k] ? v[k] : 0};
	scw_profile_add_rule(p, &r);
}

void scw_args_pin(struct scw_profile *p, const struct scw_acc *acc, struct scw_notes *notes)
{
	int clone = scw_argspec_find("clone"), clone3 = scw_argspec_find("clone3");
	struct scw_argset ns;

	if (!acc->args)
		return;
	/* clone is pinned with what clone and clone3 asked for. */
	ns = acc->args[clone];
	for (unsigned i = 0; i < acc->args[clone3].n; i++)
		set_add(&ns, acc->args[clone3].v[i][0], 0);
	ns.overflow |= acc->args[clone3].overflow;
	for (unsigned s = 0; s < scw_n_argspecs; s++) {
		const struct scw_argspec *sp = &scw_argspecs[s];
		const struct scw_argset *set = (int)s == clone ? &ns : &acc->args[s];
		const char *name = sp->name;
		bool exec = false;
		if (!set->n)
			continue;
		if ((int)s == clone3) {
			scw_profile_remove(p, name);
			scw_profile_errno(p, SCW_LAYER_RECORDED, PINNED, ENOSYS, &name, 1);
			scw_notes_add(notes, "clone3 answered ENOSYS: %s", sp->why);
			continue;
		}
		if (set->overflow) {
			scw_notes_add(
			    notes,
			    "%s: more than %d distinct argument values seen: allowed whatever "
			    "its arguments",
			    name, SCW_ARGS_BOUND);
			continue;
		}
		for (unsigned i = 0; i < set->n; i++)
			exec |= sp->exec_bit && set->v[i][0];
		/* PROT_EXEC asked for: the bit cannot be pinned any tighter. */
		if (exec)
			continue;
		scw_profile_remove(p, name);
		for (unsigned i = 0; i < set->n; i++)
			add_pinned(p, sp, name, set->v[i]);
	}
	scw_profile_normalize(p);
}
