/* exerciser-x86_64.c - a freestanding x86_64 workload (no libc) that makes
 * a known, exact set of syscalls in every awkward way a recorder meets, so
 * that tests/exerciser.sh can compare what scwrap records name by name.
 *
 *   exerciser-x86_64 [-i386] FILE
 *                             the whole run; FILE is created by an orphan
 *                             after this process has exited; the i386 call
 *                             is made only with -i386
 *   exerciser-x86_64 -vfork   (internal) image exec'd by a vfork child
 *   exerciser-x86_64 -tfork   (internal) image exec'd by a thread's child
 *   exerciser-x86_64 -texec   (internal) image exec'd by a non-leader thread
 *
 * Each part makes a "marker" syscall called nowhere else, so a part the
 * recorder misses shows up as one missing name:
 *
 *   part                                   marker     also uses
 *   signal handler (SA_RESTORER)           getegid    rt_sigaction, getpid,
 *                                                     kill, rt_sigreturn
 *   i386 compat call via int $0x80         getuid32   (x86 ABI, nr 199;
 *                                                     only with -i386)
 *   orphan outliving the root process      openat     pipe2, fork, close,
 *                                                     poll, write, exit_group
 *   thread from raw clone                  gettid     clone, futex, exit
 *   a thread forks, its child execs        getgid     fork, wait4, execve
 *   vfork child execs                      getuid     vfork, execve, wait4
 *   execve from a non-leader thread        geteuid    fork, clone, execve
 *   clone(CLONE_UNTRACED | SIGCHLD)        getpgrp    clone, wait4
 *
 * The whole set, recorded over every process: clone close execve exit
 * exit_group fork futex getegid geteuid getgid getpgrp getpid gettid getuid
 * getuid32 kill openat pipe2 poll rt_sigaction rt_sigreturn vfork wait4
 * write (getuid32 only with -i386).  write is otherwise made only on
 * failure, to fd 2.  read is
 * deliberately absent: scwrap's child reads its sync pipe before the
 * workload starts, and that read must not be recorded.
 *
 * The i386 call needs a kernel that runs int $0x80: IA32 emulation built in
 * (CONFIG_IA32_EMULATION) is not enough when it is disabled with
 * ia32_emulation=0, or in some VMs.  There int $0x80 raises SIGSEGV, which
 * this program cannot probe for without a handler (and a handler would add
 * calls), so the caller asks for the call with -i386 only where a probe
 * (tests/workload i386-call) saw it work.
 *
 * Exit status: 0 when every part worked; 3 when the CLONE_UNTRACED child's
 * syscalls failed with ENOSYS (it writes "UNTRACED-FAIL"); 2 on any other
 * failure, after a short message on fd 2. */

/* x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
#define NR_write	1
#define NR_close	3
#define NR_poll		7
#define NR_rt_sigaction 13
#define NR_rt_sigreturn 15
#define NR_getpid	39
#define NR_clone	56
#define NR_fork		57
#define NR_vfork	58
#define NR_execve	59
#define NR_exit		60
#define NR_wait4	61
#define NR_kill		62
#define NR_getuid	102
#define NR_getgid	104
#define NR_geteuid	107
#define NR_getegid	108
#define NR_getpgrp	111
#define NR_gettid	186
#define NR_futex	202
#define NR_exit_group	231
#define NR_openat	257
#define NR_pipe2	293

/* i386 syscall number (arch/x86/entry/syscalls/syscall_32.tbl).  Its
 * x86_64 namesake, 199, is fremovexattr: a call decoded under the wrong ABI
 * shows up under that name instead. */
#define NR32_getuid32 199

#define CLONE_VM	     0x00000100
#define CLONE_FS	     0x00000200
#define CLONE_FILES	     0x00000400
#define CLONE_SIGHAND	     0x00000800
#define CLONE_THREAD	     0x00010000
#define CLONE_SYSVSEM	     0x00040000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_UNTRACED	     0x00800000
#define THREAD_FLAGS                                                                               \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

#define SIGUSR1	    10
#define SIGCHLD	    17
#define SA_RESTORER 0x04000000
#define FUTEX_WAIT  0
#define AT_FDCWD    (-100)
#define O_WRONLY    01
#define O_CREAT	    0100
#define O_TRUNC	    01000
#define O_CLOEXEC   02000000
#define POLLHUP	    0x10
#define ENOSYS	    38

#define SELF	   "/proc/self/exe"
#define STACK_SIZE 65536

/* Raw syscalls: the kernel clobbers rcx and r11 and returns -errno in rax. */
static inline long sys0(long n)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
	return r;
}

static inline long sys1(long n, long a)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx", "r11", "memory");
	return r;
}

static inline long sys2(long n, long a, long b)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
}

static inline long sys3(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long sys4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long sys5(long n, long a, long b, long c, long d, long e)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

/* An i386 syscall with no arguments, through the compat gate.  From 64-bit
 * code int $0x80 takes the 32-bit table, and the kernel returns with r8-r11
 * zeroed (they are not saved for a 32-bit caller). */
static inline long sys32_0(long n)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(n) : "r8", "r9", "r10", "r11", "memory");
	return r;
}

/* The assembly pieces: the entry point, a thread spawner, a vfork+exec and
 * the signal restorer.  None of them may touch the stack of the caller once
 * the child side runs (the vfork child shares it). */
__asm__(".text\n"
	/* _start: the kernel leaves argc, argv..., NULL, envp..., NULL at rsp. */
	".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call start_c\n"
	"	ud2\n"

	/* long spawn_thread(unsigned long flags, void *stack_top,
	 *		     void (*fn)(void *), void *arg, int *ctid):
	 * clone onto stack_top (16-byte aligned); the child calls fn(arg),
	 * then exit(0).  fn and arg travel on the new stack, since the child
	 * has no other state of ours: it pops them, which leaves rsp aligned
	 * as the ABI wants it at the call. */
	".globl spawn_thread\n"
	"spawn_thread:\n"
	"	sub $16, %rsi\n"
	"	mov %rdx, (%rsi)\n"
	"	mov %rcx, 8(%rsi)\n"
	"	mov %r8, %r10\n"  /* child_tid */
	"	xor %edx, %edx\n" /* parent_tid: none */
	"	xor %r8d, %r8d\n" /* tls: none (CLONE_SETTLS not set) */
	"	mov $56, %eax\n"  /* clone */
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	xor %ebp, %ebp\n" /* child, on its own stack */
	"	pop %rax\n"
	"	pop %rdi\n"
	"	call *%rax\n"
	"	xor %edi, %edi\n"
	"	mov $60, %eax\n" /* exit: this thread only */
	"	syscall\n"
	"	ud2\n"
	"1:	ret\n" /* parent: tid or -errno */

	/* long vfork_exec(const char *path, const char *const argv[],
	 *		   char *const envp[]):
	 * the child shares our memory and stack until it execs, so it makes
	 * no call and no push: the three arguments are still in rdi, rsi
	 * and rdx (syscall keeps them) and go straight to execve.  If execve
	 * fails, the child exit_group(127)s. */
	".globl vfork_exec\n"
	"vfork_exec:\n"
	"	mov $58, %eax\n" /* vfork */
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	mov $59, %eax\n" /* child: execve */
	"	syscall\n"
	"	mov $127, %edi\n"
	"	mov $231, %eax\n" /* exit_group */
	"	syscall\n"
	"	ud2\n"
	"1:	ret\n" /* parent: pid or -errno */

	/* sig_restorer: where a handler returns (sa_restorer). */
	".globl sig_restorer\n"
	"sig_restorer:\n"
	"	mov $15, %eax\n" /* rt_sigreturn */
	"	syscall\n"
	"	ud2\n");

long spawn_thread(unsigned long flags, void *stack_top, void (*fn)(void *), void *arg, int *ctid);
long vfork_exec(const char *path, const char *const argv[], char *const envp[]);
void sig_restorer(void);
void start_c(long *sp);

/* The kernel's struct sigaction on x86_64 (not libc's). */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

static char *const *envp;
static const char *orphan_path;
static int with_i386;

static const char *const argv_vfork[] = {"exerciser", "-vfork", 0};
static const char *const argv_tfork[] = {"exerciser", "-tfork", 0};
static const char *const argv_texec[] = {"exerciser", "-texec", 0};

/* Threads' stacks: one per thread alive at a time in one process. */
static char stack_a[STACK_SIZE] __attribute__((aligned(16)));
static char stack_b[STACK_SIZE] __attribute__((aligned(16)));

/* The length of a C string. */
static unsigned long str_len(const char *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

/* Whether two C strings are equal. */
static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Write a message to fd 2 (the only write a successful run does not make
 * outside the orphan). */
static void say(const char *msg)
{
	sys3(NR_write, 2, (long)msg, (long)str_len(msg));
}

/* End this process with status st.  If exit_group itself fails (a
 * seccomp-traced process with no tracer gets ENOSYS), die by SIGILL. */
static void __attribute__((noreturn)) quit(int st)
{
	sys1(NR_exit_group, st);
	__builtin_trap();
}

/* Report a failure and end the whole process. */
static void __attribute__((noreturn)) fail(const char *what)
{
	say("exerciser: ");
	say(what);
	say("\n");
	quit(2);
}

/* Wait for child pid; fail unless it exited with status 0. */
static void reap(long pid, const char *what)
{
	int st = 0;
	if (sys4(NR_wait4, pid, (long)&st, 0, 0) != pid)
		fail(what);
	if ((st & 0x7f) != 0 || ((st >> 8) & 0xff) != 0)
		fail(what);
}

/* --- signal handler --- */

static volatile int handled;

/* SIGUSR1's handler: its marker is getegid. */
static void on_usr1(int sig)
{
	(void)sig;
	handled = sys0(NR_getegid) >= 0 ? 1 : -1;
}

/* Install a handler with our own restorer, raise the signal with kill and
 * check that the handler ran; returning from it makes rt_sigreturn. */
static void part_signal(void)
{
	static struct ksigaction act;
	act.handler = on_usr1;
	act.flags = SA_RESTORER;
	act.restorer = sig_restorer;
	act.mask = 0;
	if (sys4(NR_rt_sigaction, SIGUSR1, (long)&act, 0, sizeof(act.mask)) != 0)
		fail("rt_sigaction");
	/* A signal a process sends itself is delivered before kill returns. */
	if (sys2(NR_kill, sys0(NR_getpid), SIGUSR1) != 0)
		fail("kill");
	if (handled != 1)
		fail("the SIGUSR1 handler did not run");
}

/* --- i386 compat syscall --- */

/* getuid32 through int $0x80: recorded under the x86 ABI. */
static void part_i386(void)
{
	if ((int)sys32_0(NR32_getuid32) < 0)
		fail("int $0x80 getuid32");
}

/* --- orphan --- */

struct pollfd {
	int fd;
	short events, revents;
};

/* Fork a child that forks a grandchild and exits at once.  The grandchild
 * waits for POLLHUP on a pipe whose write end this (root) process keeps
 * open until it exits: the hangup means the root is gone (one poll call,
 * however long the wait).  Then it creates the marker file.  The pipe is
 * O_CLOEXEC so that the exec'd images do not hold it open. */
static void part_orphan(void)
{
	int fds[2];
	long pid;
	if (sys2(NR_pipe2, (long)fds, O_CLOEXEC) != 0)
		fail("pipe2");
	pid = sys0(NR_fork);
	if (pid < 0)
		fail("fork (orphan's parent)");
	if (pid == 0) {
		long gpid = sys0(NR_fork);
		if (gpid < 0)
			fail("fork (orphan)");
		if (gpid > 0)
			quit(0);
		/* The orphan. */
		struct pollfd pfd = {.fd = fds[0], .events = 0, .revents = 0};
		long fd;
		sys1(NR_close, fds[1]);
		if (sys3(NR_poll, (long)&pfd, 1, -1) != 1 || !(pfd.revents & POLLHUP))
			fail("orphan: poll did not see the hangup");
		fd = sys4(NR_openat, AT_FDCWD, (long)orphan_path, O_WRONLY | O_CREAT | O_TRUNC,
			  0644);
		if (fd < 0)
			fail("orphan: openat");
		if (sys3(NR_write, fd, (long)"orphan\n", 7) != 7)
			fail("orphan: write");
		quit(0);
	}
	reap(pid, "the orphan's parent failed");
	/* fds[1] stays open until this process exits: that is the signal. */
}

/* --- a thread --- */

static volatile int thread_marker;
static int thread_ctid;

/* The thread: its marker is gettid. */
static void thread_gettid(void *arg)
{
	(void)arg;
	thread_marker = (int)sys0(NR_gettid);
}

/* Start fn(arg) as a thread on stack and wait for it to exit.  The kernel
 * zeroes the CLONE_CHILD_CLEARTID word and wakes it when the thread is
 * gone; the first FUTEX_WAIT is always made (it returns EAGAIN at once if
 * the thread has already gone), so futex is recorded on every run. */
static void run_thread(void (*fn)(void *), void *arg, char *stack)
{
	long tid;
	thread_ctid = 1;
	tid = spawn_thread(THREAD_FLAGS | CLONE_CHILD_CLEARTID, stack + STACK_SIZE, fn, arg,
			   &thread_ctid);
	if (tid < 0)
		fail("clone (thread)");
	do
		sys4(NR_futex, (long)&thread_ctid, FUTEX_WAIT, 1, 0);
	while (thread_ctid != 0);
}

static void part_thread(void)
{
	run_thread(thread_gettid, 0, stack_a);
	if (thread_marker <= 0)
		fail("the thread did not run");
}

/* --- a thread forks; its child execs --- */

static volatile int tfork_status = -1;

/* A thread that forks a child (raw fork) which execs the "-tfork" image,
 * and reaps it. */
static void thread_fork_exec(void *arg)
{
	int st = 0;
	long pid;
	(void)arg;
	pid = sys0(NR_fork);
	if (pid == 0) {
		sys3(NR_execve, (long)SELF, (long)argv_tfork, (long)envp);
		fail("execve -tfork");
	}
	if (pid > 0 && sys4(NR_wait4, pid, (long)&st, 0, 0) == pid)
		tfork_status = st;
}

static void part_thread_fork(void)
{
	run_thread(thread_fork_exec, 0, stack_b);
	if (tfork_status != 0)
		fail("the thread's child failed");
}

/* --- vfork --- */

static void part_vfork(void)
{
	long pid = vfork_exec(SELF, argv_vfork, envp);
	if (pid < 0)
		fail("vfork");
	reap(pid, "the vfork child failed");
}

/* --- execve from a non-leader thread --- */

/* The thread that execs the "-texec" image; the kernel kills the leader
 * and hands the thread the leader's pid. */
static void thread_exec(void *arg)
{
	(void)arg;
	sys3(NR_execve, (long)SELF, (long)argv_texec, (long)envp);
	fail("execve from a thread");
}

/* Fork a child whose second thread execs.  The leader spins without a
 * syscall until the exec kills it: a blocking call might or might not be
 * reached first, and the set must not depend on that. */
static void part_thread_exec(void)
{
	long pid = sys0(NR_fork);
	if (pid < 0)
		fail("fork (thread exec)");
	if (pid == 0) {
		if (spawn_thread(THREAD_FLAGS, stack_a + STACK_SIZE, thread_exec, 0, 0) < 0)
			fail("clone (exec thread)");
		for (;;)
			__asm__ volatile("pause");
	}
	reap(pid, "the non-leader exec failed");
}

/* --- CLONE_UNTRACED --- */

/* A fork-like clone with CLONE_UNTRACED.  A tracer that does not clear the
 * flag leaves the child unattached under the TRACE filter, so its calls
 * fail with ENOSYS (and exit_group too: quit() then dies by SIGILL).
 * Returns 0 when the child's marker (getpgrp) worked. */
static int part_untraced(void)
{
	int st = 0;
	long pid = sys5(NR_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0)
		fail("clone (CLONE_UNTRACED)");
	if (pid == 0)
		quit(sys0(NR_getpgrp) == -ENOSYS ? 1 : 0);
	if (sys4(NR_wait4, pid, (long)&st, 0, 0) != pid)
		fail("wait4 (CLONE_UNTRACED)");
	return (st & 0x7f) == 0 && ((st >> 8) & 0xff) == 0 ? 0 : -1;
}

/* --- the images the children exec --- */

/* Run a child image: its marker, then exit 0. */
static void __attribute__((noreturn)) child_mode(const char *mode)
{
	long r;
	if (str_eq(mode, "-vfork"))
		r = sys0(NR_getuid);
	else if (str_eq(mode, "-tfork"))
		r = sys0(NR_getgid);
	else if (str_eq(mode, "-texec"))
		r = sys0(NR_geteuid);
	else
		fail("unknown mode");
	if (r < 0)
		fail(mode);
	quit(0);
}

/* The C entry: sp points at argc. */
void __attribute__((noreturn, used)) start_c(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	int untraced;

	envp = argv + argc + 1;
	if (argc == 3 && str_eq(argv[1], "-i386")) {
		with_i386 = 1;
		argc--;
		argv++;
	}
	if (argc != 2)
		fail("usage: exerciser-x86_64 [-i386] FILE");
	if (argv[1][0] == '-')
		child_mode(argv[1]);
	orphan_path = argv[1];

	part_signal();
	if (with_i386)
		part_i386();
	part_orphan();
	part_thread();
	part_thread_fork();
	part_vfork();
	part_thread_exec();
	untraced = part_untraced();
	if (untraced != 0) {
		say("UNTRACED-FAIL\n");
		quit(3);
	}
	quit(0);
}
