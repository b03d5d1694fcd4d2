/* scwrap-runtime.c - an OCI runtime that records: called as the runtime
 * (dockerd --add-runtime, podman --runtime, containerd's BinaryName), it
 * puts the recording profile into the bundle of a container being
 * created, pointed at a scwrap agent (one it starts for that container
 * unless a socket is given), and execs the real runtime with the same
 * arguments.  Every other runtime command passes through untouched.
 *
 * Its own options come first and are not passed on:
 *   --scwrap-socket=PATH      an agent already listening (scwrap agent)
 *   --scwrap-output-dir=DIR   where a started agent writes profiles
 *                             (default /var/lib/scwrap/profiles)
 *   --scwrap-runtime=PATH     the real runtime (default runc)
 * or, when absent, $SCWRAP_SOCKET, $SCWRAP_OUTPUT_DIR, $SCWRAP_RUNTIME. */
#include <config.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/agent.h"
#include "lib/error.h"
#include "lib/output.h"
#include "lib/profile.h"
#include "lib/util.h"

#define DEFAULT_OUTPUT_DIR "/var/lib/scwrap/profiles"
#define AGENTS_DIR	   "/run/scwrap/runtime"
/* A bundle's config.json larger than this is not one. */
#define CONFIG_MAX ((uintmax_t)16 * 1024 * 1024)

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;
	fputs("scwrap-runtime: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(SCW_EXIT_FAILURE);
}

/* The runtimes' global options that take a value as the next argument
 * (runc's and crun's); any other option before the command is a flag. */
static bool takes_value(const char *opt)
{
	static const char *const with_value[] = {
	    "--root", "--log", "--log-format", "--criu", "--rootless", "--cgroup-manager", NULL,
	};
	for (size_t i = 0; with_value[i]; i++)
		if (strcmp(opt, with_value[i]) == 0)
			return true;
	return false;
}

/* The command's argument vector index, or -1 when there is none. */
static int find_command(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-')
			return i;
		if (!strchr(argv[i], '=') && takes_value(argv[i]))
			i++;
	}
	return -1;
}

/* create and run: the bundle (--bundle, -b, or the working directory)
 * and the container id (the last operand). */
static void bundle_and_id(int cmd, int argc, char **argv, const char **bundle, const char **id)
{
	*bundle = ".";
	*id = NULL;
	for (int i = cmd + 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--bundle") == 0 || strcmp(a, "-b") == 0) {
			if (i + 1 < argc)
				*bundle = argv[++i];
		} else if (strncmp(a, "--bundle=", 9) == 0) {
			*bundle = a + 9;
		} else if (a[0] != '-') {
			*id = a;
		} else if (!strchr(a, '=') &&
			   (strcmp(a, "--pid-file") == 0 || strcmp(a, "--console-socket") == 0 ||
			    strcmp(a, "--preserve-fds") == 0)) {
			i++; /* its value */
		}
	}
}

static char *read_config(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	char *text;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		die("cannot read %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > CONFIG_MAX)
		die("%s is no regular file of at most %ju bytes", path, CONFIG_MAX);
	text = scw_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("cannot read %s: %s", path, n < 0 ? strerror(errno) : "it shrank");
		got += (size_t)n;
	}
	text[got] = '\0';
	close(fd);
	return text;
}

/* The bundle's config.json with linux.seccomp the recording profile for
 * socket, its listenerMetadata kept if it had one. */
static void rewrite_bundle(const char *bundle, const char *socket_path)
{
	cleanup_free char *path = scw_xasprintf("%s/config.json", bundle);
	cleanup_free char *text = read_config(path);
	cleanup_free char *rec_json = NULL, *out_json = NULL;
	cJSON *cfg = cJSON_Parse(text), *linux_obj, *old, *rec;
	const char *metadata = NULL;
	struct scw_profile *p;
	struct scw_output out;
	scw_error err = {0};

	if (!cJSON_IsObject(cfg))
		die("%s is not an OCI configuration (a JSON object)", path);
	linux_obj = cJSON_GetObjectItemCaseSensitive(cfg, "linux");
	if (!linux_obj) {
		linux_obj = cJSON_CreateObject();
		cJSON_AddItemToObject(cfg, "linux", linux_obj);
	}
	if (!cJSON_IsObject(linux_obj))
		die("%s: linux is not an object", path);
	old = cJSON_GetObjectItemCaseSensitive(linux_obj, "seccomp");
	if (cJSON_IsObject(old)) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(old, "listenerMetadata");
		if (cJSON_IsString(m) && m->valuestring && *m->valuestring)
			metadata = m->valuestring;
	}
	p = scw_agent_recording_profile(socket_path, metadata, &err);
	rec_json = p ? scw_profile_to_json(p, &err) : NULL;
	scw_profile_free(p);
	rec = rec_json ? cJSON_Parse(rec_json) : NULL;
	if (!rec)
		die("cannot make the recording profile: %s", err.msg);
	if (old)
		cJSON_ReplaceItemInObjectCaseSensitive(linux_obj, "seccomp", rec);
	else
		cJSON_AddItemToObject(linux_obj, "seccomp", rec);
	out_json = cJSON_PrintUnformatted(cfg);
	cJSON_Delete(cfg);
	if (!out_json)
		die("cannot render %s", path);
	if (scw_output_open(&out, path, &err) < 0 ||
	    scw_output_commit(&out, out_json, strlen(out_json), &err) < 0)
		die("cannot rewrite %s: %s", path, err.msg);
}

/* Whether an agent accepts connections on path. */
static bool agent_up(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool up;

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return false;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	up = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return up;
}

/* scwrap, beside this program. */
static char *scwrap_path(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		die("cannot find my own executable: %s", strerror(errno));
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	return scw_xasprintf("%s/scwrap", self);
}

/* An agent for this container alone, detached from the runtime (which
 * exits once the container is created), that exits once its profile is
 * written; its lines go to DIR/NAME.agent.log.  Returns its socket. */
static char *start_agent(const char *id, const char *output_dir)
{
	char name[SCW_AGENT_NAME_MAX + 1];
	cleanup_free char *scwrap = scwrap_path();
	char *sock;
	cleanup_free char *sock_arg = NULL, *out_arg = NULL, *log = NULL;
	pid_t pid;
	int st;

	scw_agent_name(NULL, NULL, NULL, NULL, id, name);
	if (mkdir("/run/scwrap", 0700) < 0 && errno != EEXIST)
		die("cannot make /run/scwrap: %s", strerror(errno));
	if (mkdir(AGENTS_DIR, 0700) < 0 && errno != EEXIST)
		die("cannot make %s: %s", AGENTS_DIR, strerror(errno));
	if (mkdir(output_dir, 0755) < 0 && errno != EEXIST)
		die("cannot make %s: %s", output_dir, strerror(errno));
	sock = scw_xasprintf("%s/%s.sock", AGENTS_DIR, name);
	sock_arg = scw_xasprintf("--socket=%s", sock);
	out_arg = scw_xasprintf("--output-dir=%s", output_dir);
	log = scw_xasprintf("%s/%s.agent.log", output_dir, name);
	pid = fork();
	if (pid < 0)
		die("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		/* A session of its own, and a grandchild: no terminal, no
		 * parent to wait for it. */
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd < 0 || null < 0 || setsid() < 0)
			_exit(SCW_EXIT_FAILURE);
		if (fork() != 0)
			_exit(0);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		for (int i = 3; i < 1024; i++)
			close(i);
		execl(scwrap, scwrap, "agent", sock_arg, out_arg, "--exit-idle", (char *)NULL);
		_exit(SCW_EXIT_CANNOT_EXEC);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	for (int i = 0; i < 200; i++) { /* 10 s */
		const struct timespec tick = {0, 50000000};
		if (agent_up(sock))
			return sock;
		nanosleep(&tick, NULL);
	}
	die("the agent for %s did not start (see %s)", id, log);
}

int main(int argc, char **argv)
{
	const char *sock = getenv("SCWRAP_SOCKET"), *output_dir = getenv("SCWRAP_OUTPUT_DIR");
	const char *runtime = getenv("SCWRAP_RUNTIME");
	char **args = scw_xcalloc((size_t)argc + 1, sizeof(*args));
	int n = 0, cmd;

	/* Our options, wherever they are before the command; the rest is
	 * the real runtime's, in order. */
	args[n++] = argv[0];
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--scwrap-socket=", 16) == 0)
			sock = argv[i] + 16;
		else if (strncmp(argv[i], "--scwrap-output-dir=", 20) == 0)
			output_dir = argv[i] + 20;
		else if (strncmp(argv[i], "--scwrap-runtime=", 17) == 0)
			runtime = argv[i] + 17;
		else
			args[n++] = argv[i];
	}
	args[n] = NULL;
	if (!runtime || !*runtime)
		runtime = "runc";
	if (!output_dir || !*output_dir)
		output_dir = DEFAULT_OUTPUT_DIR;
	if (sock && *sock && sock[0] != '/')
		die("--scwrap-socket needs an absolute path (%s)", sock);
	cmd = find_command(n, args);
	if (cmd > 0 && (strcmp(args[cmd], "create") == 0 || strcmp(args[cmd], "run") == 0)) {
		const char *bundle, *id;
		bundle_and_id(cmd, n, args, &bundle, &id);
		if (!id)
			die("%s without a container id", args[cmd]);
		if (!sock || !*sock)
			sock = start_agent(id, output_dir);
		rewrite_bundle(bundle, sock);
	}
	args[0] = (char *)runtime;
	execvp(runtime, args);
	die("cannot run the runtime %s: %s", runtime, strerror(errno));
}
