/* send-listener.c - a seccomp listener of its own, sent to scwrap agent:
 *
 *   send-listener SOCKET ID N [SECONDS]
 *
 * loads a filter that notifies getppid(2) only (under no_new_privs), sends
 * its listener with a container state naming ID on N connections, then
 * calls getppid, which returns once the agent answers, prints "answered",
 * and lingers SECONDS (0 by default) before it exits.  N = 2 sends the
 * same listener twice, as no runtime would. */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int send_one(const char *path, const char *id, int fd)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char msg[512], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {msg, 0};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	iov.iov_len =
	    (size_t)snprintf(msg, sizeof(msg),
			     "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":%d,"
			     "\"state\":{\"id\":\"%s\",\"status\":\"creating\"}}",
			     (int)getpid(), id);
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm)
		return -1;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(s, &mh, 0) < 0)
		return -1;
	return close(s);
}

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
	int fd, n;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: send-listener SOCKET ID N [SECONDS]\n");
		return 2;
	}
	n = atoi(argv[3]);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return perror("prctl"), 1;
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			  &prog);
	if (fd < 0)
		return perror("seccomp"), 1;
	for (int i = 0; i < n; i++)
		if (send_one(argv[1], argv[2], fd) < 0)
			return perror("send"), 1;
	close(fd);
	(void)syscall(SYS_getppid);
	printf("answered\n");
	fflush(stdout);
	if (argc == 5)
		sleep((unsigned)atoi(argv[4]));
	return 0;
}
