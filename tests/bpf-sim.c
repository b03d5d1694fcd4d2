/* bpf-sim.c - run an exported seccomp BPF program (scwrap export -F bpf) on
 * syscalls of any architecture, as the kernel would, without loading it:
 * the check of a filter for an ABI this machine cannot run (aarch64 on
 * x86_64).  A classic BPF interpreter of its own, written from
 * Documentation/networking/filter.rst and seccomp_filter.rst.
 *
 *   bpf-sim FILE ARCH NAME...   for each syscall NAME of ARCH (libseccomp's
 *                               ABI name), all arguments 0, print
 *                               "NAME ACTION" (allow, errno N, kill, trap,
 *                               trace, log, notify; "none" when ARCH has
 *                               no such call)
 *
 * Exit 0, or 99 when the program cannot be read or does what no seccomp
 * program may (a jump out of it, an unknown instruction). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INSNS 4096

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "bpf-sim: %s\n", what);
	exit(99);
}

/* The 32-bit word at offset k of d, as a BPF_ABS load reads it. */
static uint32_t load(const struct seccomp_data *d, uint32_t k)
{
	uint32_t w;
	if (k % 4 || k + 4 > sizeof(*d))
		fail("a load outside struct seccomp_data");
	memcpy(&w, (const char *)d + k, 4);
	return w;
}

static uint32_t run(const struct sock_filter *p, size_t n, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &p[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS))
				a = load(d, f->k);
			else if (f->code == (BPF_LD | BPF_IMM))
				a = f->k;
			else if (f->code == (BPF_LD | BPF_MEM) && f->k < BPF_MEMWORDS)
				a = mem[f->k];
			else
				fail("an unknown load");
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_IMM))
				x = f->k;
			else if (f->code == (BPF_LDX | BPF_MEM) && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else
				fail("an unknown load into X");
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				fail("a store outside the scratch memory");
			mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_ADD:
				a += src;
				break;
			case BPF_SUB:
				a -= src;
				break;
			case BPF_AND:
				a &= src;
				break;
			case BPF_OR:
				a |= src;
				break;
			case BPF_XOR:
				a ^= src;
				break;
			case BPF_LSH:
				a = src < 32 ? a << src : 0;
				break;
			case BPF_RSH:
				a = src < 32 ? a >> src : 0;
				break;
			case BPF_NEG:
				a = -a;
				break;
			default:
				fail("an unknown ALU operation");
			}
			break;
		case BPF_JMP: {
			bool t;
			if (BPF_OP(f->code) == BPF_JA) {
				if (f->k >= n - pc - 1)
					fail("a jump out of the program");
				pc += f->k;
				break;
			}
			switch (BPF_OP(f->code)) {
			case BPF_JEQ:
				t = a == src;
				break;
			case BPF_JGT:
				t = a > src;
				break;
			case BPF_JGE:
				t = a >= src;
				break;
			case BPF_JSET:
				t = (a & src) != 0;
				break;
			default:
				fail("an unknown jump");
			}
			if ((t ? f->jt : f->jf) >= n - pc - 1)
				fail("a jump out of the program");
			pc += t ? f->jt : f->jf;
			break;
		}
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			fail("an unknown instruction class");
		}
	}
	fail("the program ran off its end");
}

static void print_action(const char *name, uint32_t r)
{
	switch (r & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		printf("%s allow\n", name);
		break;
	case SECCOMP_RET_ERRNO:
		printf("%s errno %u\n", name, r & SECCOMP_RET_DATA);
		break;
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
		printf("%s kill\n", name);
		break;
	case SECCOMP_RET_TRAP:
		printf("%s trap\n", name);
		break;
	case SECCOMP_RET_TRACE:
		printf("%s trace\n", name);
		break;
	case SECCOMP_RET_LOG:
		printf("%s log\n", name);
		break;
	case SECCOMP_RET_USER_NOTIF:
		printf("%s notify\n", name);
		break;
	default:
		printf("%s unknown %#x\n", name, r);
	}
}

int main(int argc, char **argv)
{
	static struct sock_filter prog[MAX_INSNS + 1];
	uint32_t arch;
	size_t n;
	FILE *f;

	if (argc < 3)
		fail("usage: bpf-sim FILE ARCH NAME...");
	f = fopen(argv[1], "rb");
	if (!f)
		fail(strerror(errno));
	n = fread(prog, sizeof(prog[0]), MAX_INSNS + 1, f);
	fclose(f);
	if (n == 0 || n > MAX_INSNS)
		fail("not a seccomp program (empty, or too long)");
	arch = seccomp_arch_resolve_name(argv[2]);
	if (!arch)
		fail("no such architecture");
	for (int i = 3; i < argc; i++) {
		struct seccomp_data d = {.arch = arch};
		int nr = seccomp_syscall_resolve_name_arch(arch, argv[i]);
		if (nr < 0) {
			printf("%s none\n", argv[i]);
			continue;
		}
		d.nr = nr;
		/* x32 calls reach the filter as x86_64's, with bit 30 set. */
		if (arch == SCMP_ARCH_X32)
			d.arch = SCMP_ARCH_X86_64;
		print_action(argv[i], run(prog, n, &d));
	}
	return fflush(stdout) ? 99 : 0;
}
