/* agent.c - scwrap agent: a unix socket an OCI runtime sends each
 * container's seccomp listener to (with the container's state JSON), and
 * one epoll loop serving every listener of every container.  What a
 * connection sends is hostile until proven: bounded, parsed with cJSON,
 * its descriptor checked to be a seccomp listener. */
#include <config.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "abi.h"
#include "accum.h"
#include "agent.h"
#include "export.h"
#include "output.h"
#include "pipeline.h"
#include "unotify.h"
#include "util.h"

/* What an epoll event's data points at: the first member of each. */
enum ev_kind { EV_SOCKET, EV_SIGNAL, EV_CLIENT, EV_LISTENER };
struct ev {
	enum ev_kind kind;
	int fd;
};

/* A connection that has not yet sent its whole message. */
struct client {
	struct ev ev;
	struct client *next, **pprev;
	char *buf;
	size_t len;
	int rx_fd;	   /* the descriptor it sent, or -1 */
	unsigned n_extra;  /* descriptors beyond the first, closed */
	bool truncated;	   /* the kernel cut its descriptors (MSG_CTRUNC) */
	uint64_t deadline; /* scw_now_ns() by which it must be done */
	pid_t peer;
};

struct container;

/* One listener of a container: its init's, or a runtime exec's. */
struct listener {
	struct ev ev;
	struct container *c;
	struct listener *next, **pprev;
};

/* Everything a container's listeners send, under its id. */
struct container {
	struct container *next, **pprev;
	char *id;
	char name[SCW_AGENT_NAME_MAX + 1];
	struct scw_acc acc;
	struct scw_run run;
	struct scw_unotify un;
	struct listener *listeners;
	unsigned n_listeners, n_received;
	pid_t pid; /* as the runtime said, for the log */
};

struct agent {
	const struct scw_agent_opts *o;
	int ep, sock, sigfd;
	struct client *clients;
	unsigned n_clients;
	struct container *ctrs;
	unsigned n_ctrs;
	uint64_t n_seen; /* containers ever served */
	struct scw_profile *baseline;
	const struct scw_format *oci;
	struct ev sock_ev, sig_ev;
};

static void __attribute__((format(printf, 2, 3))) say(const struct agent *a, const char *fmt, ...)
{
	va_list ap;
	if (!a->o->log)
		return;
	fputs("scwrap agent: ", a->o->log);
	va_start(ap, fmt);
	vfprintf(a->o->log, fmt, ap);
	va_end(ap);
	fputc('\n', a->o->log);
	fflush(a->o->log);
}

void scw_agent_name(const char *metadata, const char *ns, const char *pod, const char *container,
		    const char *id, char *out)
{
	char raw[3 * SCW_AGENT_NAME_MAX + 3];
	size_t n = 0;

	if (metadata && *metadata)
		snprintf(raw, sizeof(raw), "%.*s", (int)SCW_AGENT_NAME_MAX, metadata);
	else if (pod && *pod && container && *container)
		snprintf(raw, sizeof(raw), "%.*s_%.*s_%.*s", (int)SCW_AGENT_NAME_MAX,
			 ns && *ns ? ns : "default", (int)SCW_AGENT_NAME_MAX, pod,
			 (int)SCW_AGENT_NAME_MAX, container);
	else
		snprintf(raw, sizeof(raw), "%.*s", (int)SCW_AGENT_NAME_MAX, id ? id : "");
	for (const char *s = raw; *s && n < SCW_AGENT_NAME_MAX; s++) {
		char ch = *s;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
		/* No hidden file, no "..", no '/': a name stays in the
		 * output directory. */
		if (!ok || (n == 0 && ch == '.'))
			ch = '_';
		out[n++] = ch;
	}
	if (n == 0)
		memcpy(out, "container", n = 9);
	out[n] = '\0';
}

/* --- the recording profile ---------------------------------------------- */

/* What the recording profile lets run unnotified, and so unseen: runc
 * refuses a profile that notifies write (it writes to its sync pipe after
 * the load); and between the load and the moment its parent has the
 * listener, any notified call of runc init's would wait for an agent that
 * has nothing to answer with, for ever: its Go runtime may return from a
 * preemption signal there (rt_sigreturn: 3 containers of 50 hung so, here)
 * or take a lock, yield, sleep or allocate.  The written profiles allow
 * them, with why. */
static const char *const unnotified[] = {
    "write", "rt_sigreturn", "futex", "sched_yield", "nanosleep", "mmap", "munmap", "madvise",
};

static bool never_notified(const char *name)
{
	for (size_t i = 0; i < SCW_ARRAY_SIZE(unnotified); i++)
		if (strcmp(name, unnotified[i]) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct scw_profile *scw_agent_recording_profile(const char *socket_path, const char *metadata,
						scw_error *err)
{
	struct scw_abi_calls calls[SCW_MAX_ABIS];
	size_t n_calls = scw_abi_calls_machine(calls, SCW_MAX_ABIS), n = 0, cap = 512;
	char **names = scw_xcalloc(cap, sizeof(*names));
	struct scw_profile *p;
	struct scw_rule r = {0};
	char comment[] = "scwrap:agent: every call is sent to scwrap agent, which lets it run and "
			 "records it, but those the runtime makes while it hands the listener over";

	if (!socket_path || socket_path[0] != '/') {
		free(names);
		scw_fail(err, 0, "the agent's socket must be an absolute path");
		return NULL;
	}
	for (size_t i = 0; i < n_calls; i++)
		for (uint32_t nr = 0; nr < SCW_NR_MAX; nr++) {
			char *name = scw_syscall_name(calls[i].abi, nr);
			if (!name)
				continue;
			if (never_notified(name)) {
				free(name);
				continue;
			}
			if (n == cap)
				names = scw_xreallocarray(names, cap *= 2, sizeof(*names));
			names[n++] = name;
		}
	qsort(names, n, sizeof(*names), cmp_str);
	{
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (k && strcmp(names[k - 1], names[i]) == 0)
				free(names[i]);
			else
				names[k++] = names[i];
		}
		n = k;
	}
	p = scw_xcalloc(1, sizeof(*p));
	p->default_action = SCW_ACT_ALLOW;
	p->arches = scw_xcalloc(n_calls, sizeof(*p->arches));
	for (size_t i = 0; i < n_calls; i++)
		p->arches[p->n_arches++] = calls[i].abi;
	p->listener_path = scw_xstrdup(socket_path);
	p->listener_metadata = metadata ? scw_xstrdup(metadata) : NULL;
	r.names = names;
	r.n_names = n;
	r.action = SCW_ACT_NOTIFY;
	r.layer = SCW_LAYER_BASELINE;
	r.comment = comment;
	scw_profile_add_rule(p, &r);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return p;
}

/* What the written profiles allow beyond the record: what the recording
 * profile cannot notify. */
static struct scw_profile *unnotified_baseline(void)
{
	struct scw_profile *p = scw_xcalloc(1, sizeof(*p));

	p->default_action = SCW_ACT_ERRNO;
	scw_profile_allow(p, SCW_LAYER_BASELINE,
			  "scwrap:agent: not notified while recording, so never seen: runc refuses "
			  "to notify write, and its init may make the others before its listener "
			  "is handed over, which would hang it",
			  unnotified, SCW_ARRAY_SIZE(unnotified));
	return p;
}

/* --- containers ----------------------------------------------------------- */

static struct container *container_find(struct agent *a, const char *id)
{
	for (struct container *c = a->ctrs; c; c = c->next)
		if (strcmp(c->id, id) == 0)
			return c;
	return NULL;
}

static void listener_free(struct agent *a, struct listener *l)
{
	if (l->next)
		l->next->pprev = l->pprev;
	*l->pprev = l->next;
	l->c->n_listeners--;
	epoll_ctl(a->ep, EPOLL_CTL_DEL, l->ev.fd, NULL);
	close(l->ev.fd);
	free(l);
}

/* Forget c, closing its listeners: its processes' notified calls then
 * fail with ENOSYS. */
static void container_free(struct agent *a, struct container *c)
{
	for (struct listener *l = c->listeners, *nx; l; l = nx) {
		nx = l->next;
		listener_free(a, l);
	}
	if (c->next)
		c->next->pprev = c->pprev;
	*c->pprev = c->next;
	a->n_ctrs--;
	scw_unotify_free(&c->un);
	scw_acc_free(&c->acc);
	free(c->id);
	free(c);
}

/* The profile of c, written to the output directory: NAME.json, merged
 * into the one there (what every run of that container did); when c's
 * listeners have not all hung up, NAME.partial.json, replaced. */
static void container_write(struct agent *a, struct container *c, bool partial)
{
	cleanup_free char *path = NULL;
	struct scw_profile *previous = NULL;
	struct scw_output out;
	scw_error err = {0};
	struct stat st;
	const char *what = "written";

	path = scw_xasprintf("%s/%s%s.json", a->o->output_dir, c->name, partial ? ".partial" : "");
	if (!partial && lstat(path, &st) == 0) {
		previous = scw_profile_read(path, &err);
		if (previous) {
			what = "merged into the one there";
		} else {
			/* Never lose what is there: the new one goes
			 * beside it. */
			say(a, "%s: cannot read the profile already at %s (%s): writing beside it",
			    c->name, path, err.msg);
			free(path);
			path = scw_xasprintf("%s/%s.%.12s.json", a->o->output_dir, c->name, c->id);
			memset(&err, 0, sizeof(err));
		}
	}
	if (scw_output_open(&out, path, &err) == 0) {
		struct scw_pipeline pl = {
		    .acc = &c->acc,
		    .run = &c->run,
		    .shape = {.baseline = a->baseline},
		    .previous = previous,
		    .format = a->oci,
		    .out = &out,
		    .backend = "agent",
		};
		int rc = scw_pipeline_run(&pl, &err);
		scw_output_discard(&out);
		if (rc == 0) {
			say(a,
			    "%s: %sprofile %s at %s: %llu distinct syscalls recorded (%llu calls, "
			    "%llu processes, %u listeners)",
			    c->name, partial ? "partial " : "", what, path,
			    (unsigned long long)c->acc.distinct, (unsigned long long)c->acc.total,
			    (unsigned long long)c->run.processes, c->n_received);
			scw_profile_free(previous);
			return;
		}
	}
	say(a, "%s: cannot write its profile: %s", c->name, err.msg);
	scw_profile_free(previous);
}

/* --- listeners ------------------------------------------------------------ */

static void listener_close(struct agent *a, struct listener *l)
{
	struct container *c = l->c;

	listener_free(a, l);
	if (c->n_listeners == 0) {
		container_write(a, c, false);
		container_free(a, c);
	}
}

static void listener_event(struct agent *a, struct listener *l, uint32_t events)
{
	if (events & EPOLLIN) {
		scw_error err = {0};
		if (scw_unotify_serve(&l->c->un, l->ev.fd, &err) >= 0)
			return;
		say(a, "%s: %s: no longer served (its calls now fail with ENOSYS)", l->c->name,
		    err.msg);
		listener_close(a, l);
		return;
	}
	/* Every task holding the filter is gone. */
	if (events & (EPOLLHUP | EPOLLERR))
		listener_close(a, l);
}

/* --- connections ---------------------------------------------------------- */

static void client_close(struct agent *a, struct client *cl)
{
	if (cl->next)
		cl->next->pprev = cl->pprev;
	*cl->pprev = cl->next;
	a->n_clients--;
	epoll_ctl(a->ep, EPOLL_CTL_DEL, cl->ev.fd, NULL);
	close(cl->ev.fd);
	if (cl->rx_fd >= 0)
		close(cl->rx_fd);
	free(cl->buf);
	free(cl);
}

static int __attribute__((format(printf, 3, 4)))
refuse(struct agent *a, struct client *cl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say(a, "refused a connection from pid %d: %s", (int)cl->peer, msg);
	client_close(a, cl);
	return -1;
}

/* A string member of obj, or NULL when absent; *bad when present but not
 * a string of at most max bytes with no control character. */
static const char *str_member(const cJSON *obj, const char *key, size_t max, bool *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t len;

	if (!v)
		return NULL;
	if (!cJSON_IsString(v) || !v->valuestring) {
		*bad = true;
		return NULL;
	}
	len = strlen(v->valuestring);
	if (len > max) {
		*bad = true;
		return NULL;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v->valuestring[i] < 0x20) {
			*bad = true;
			return NULL;
		}
	return v->valuestring;
}

/* Whether fd is a listener the agent serves already (the same open file,
 * as kcmp says: one filter has one listener file): served twice, the
 * second RECV of one notification would wait for ever.  A kernel without
 * kcmp cannot tell, and is trusted. */
static bool served_already(const struct agent *a, int fd)
{
	pid_t self = getpid();
	for (const struct container *c = a->ctrs; c; c = c->next)
		for (const struct listener *l = c->listeners; l; l = l->next)
			if (syscall(SYS_kcmp, self, self, KCMP_FILE, l->ev.fd, fd) == 0)
				return true;
	return false;
}

/* The message is whole and valid: its listener joins its container. */
static int client_accept_message(struct agent *a, struct client *cl, cJSON *msg)
{
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(msg, "state");
	const cJSON *fds = cJSON_GetObjectItemCaseSensitive(msg, "fds");
	const cJSON *ann = state ? cJSON_GetObjectItemCaseSensitive(state, "annotations") : NULL;
	const cJSON *pid = cJSON_GetObjectItemCaseSensitive(msg, "pid");
	const char *id, *metadata, *ns = NULL, *pod = NULL, *ctr = NULL;
	struct epoll_event ev = {.events = EPOLLIN};
	struct container *c;
	struct listener *l;
	bool bad = false;

	if (!cJSON_IsObject(msg) || !cJSON_IsObject(state))
		return refuse(a, cl,
			      "its message is no container state (a JSON object with state)");
	if (!cJSON_IsArray(fds) || cJSON_GetArraySize(fds) != 1 ||
	    !cJSON_IsString(cJSON_GetArrayItem(fds, 0)) ||
	    strcmp(cJSON_GetArrayItem(fds, 0)->valuestring, "seccompFd") != 0)
		return refuse(a, cl, "its message does not name one descriptor, seccompFd");
	id = str_member(state, "id", 1024, &bad);
	if (!id || !*id || bad)
		return refuse(a, cl, "its state has no valid container id");
	metadata = str_member(msg, "metadata", 1024, &bad);
	if (cJSON_IsObject(ann)) {
		/* CRI-O's, then containerd CRI's names. */
		ns = str_member(ann, "io.kubernetes.pod.namespace", 1024, &bad);
		pod = str_member(ann, "io.kubernetes.pod.name", 1024, &bad);
		ctr = str_member(ann, "io.kubernetes.container.name", 1024, &bad);
		if (!pod) {
			ns = str_member(ann, "io.kubernetes.cri.sandbox-namespace", 1024, &bad);
			pod = str_member(ann, "io.kubernetes.cri.sandbox-name", 1024, &bad);
			ctr = str_member(ann, "io.kubernetes.cri.container-name", 1024, &bad);
		}
	} else if (ann) {
		bad = true;
	}
	if (bad)
		return refuse(a, cl, "its state has a field that is no short printable string");
	if (cl->rx_fd < 0)
		return refuse(a, cl, "its message came with no descriptor");
	if (!scw_unotify_is_listener(cl->rx_fd))
		return refuse(a, cl, "the descriptor it sent is no seccomp listener");
	if (served_already(a, cl->rx_fd))
		return refuse(a, cl, "the listener it sent is served already");
	c = container_find(a, id);
	if (!c) {
		if (a->n_ctrs >= SCW_AGENT_MAX_CONTAINERS)
			return refuse(a, cl, "%u containers are being recorded already",
				      SCW_AGENT_MAX_CONTAINERS);
		c = scw_xcalloc(1, sizeof(*c));
		c->id = scw_xstrdup(id);
		scw_agent_name(metadata, ns, pod, ctr, id, c->name);
		scw_acc_init(&c->acc);
		scw_unotify_init(&c->un, &c->acc, &c->run, a->o->args, NULL);
		c->pid = cJSON_IsNumber(pid) && pid->valuedouble > 0 && pid->valuedouble < 1 << 30
			     ? (pid_t)pid->valuedouble
			     : 0;
		snprintf(c->run.method, sizeof(c->run.method),
			 "seccomp user notification from the container's runtime");
		c->next = a->ctrs;
		c->pprev = &a->ctrs;
		if (a->ctrs)
			a->ctrs->pprev = &c->next;
		a->ctrs = c;
		a->n_ctrs++;
		a->n_seen++;
		say(a, "%s: started (container %.64s, pid %d)", c->name, id, (int)c->pid);
	} else if (c->n_listeners >= SCW_AGENT_MAX_LISTENERS) {
		return refuse(a, cl, "container %.64s has %u listeners already", id,
			      SCW_AGENT_MAX_LISTENERS);
	} else {
		say(a, "%s: another process of the container (an exec)", c->name);
	}
	l = scw_xcalloc(1, sizeof(*l));
	l->ev.kind = EV_LISTENER;
	l->ev.fd = cl->rx_fd;
	l->c = c;
	ev.data.ptr = l;
	if (epoll_ctl(a->ep, EPOLL_CTL_ADD, l->ev.fd, &ev) < 0) {
		say(a, "%s: cannot watch its listener: %s", c->name, strerror(errno));
		free(l);
		if (c->n_listeners == 0)
			container_free(a, c);
		client_close(a, cl);
		return -1;
	}
	cl->rx_fd = -1; /* the listener's now */
	scw_unotify_sync_wakeup(l->ev.fd);
	l->next = c->listeners;
	l->pprev = &c->listeners;
	if (c->listeners)
		c->listeners->pprev = &l->next;
	c->listeners = l;
	c->n_listeners++;
	c->n_received++;
	client_close(a, cl);
	return 0;
}

/* Whether buf holds a whole JSON value (and only that, but for trailing
 * white space and NULs): *msg gets it. */
static bool parse_whole(const char *buf, size_t len, cJSON **msg)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(buf, len, &end, false);

	if (!v)
		return false;
	for (; end && end < buf + len; end++)
		if (*end != ' ' && *end != '\n' && *end != '\r' && *end != '\t' && *end != '\0') {
			cJSON_Delete(v);
			return false;
		}
	*msg = v;
	return true;
}

/* What a connection sent so far is checked; eof: it has closed. */
static int client_check(struct agent *a, struct client *cl, bool eof)
{
	cJSON *msg = NULL;

	if (cl->truncated || cl->n_extra)
		return refuse(a, cl,
			      "it sent %u descriptors; one, the seccomp listener, is expected",
			      cl->n_extra + 1);
	if (!parse_whole(cl->buf, cl->len, &msg)) {
		if (eof)
			return refuse(a, cl, "%s",
				      cl->len ? "its message is not JSON" : "it sent nothing");
		if (cl->len == SCW_AGENT_MSG_MAX)
			return refuse(a, cl, "its message is longer than %zu bytes",
				      SCW_AGENT_MSG_MAX);
		return 0; /* the rest is to come */
	}
	{
		int rc = client_accept_message(a, cl, msg);
		cJSON_Delete(msg);
		return rc;
	}
}

static int client_event(struct agent *a, struct client *cl)
{
	for (;;) {
		char cbuf[CMSG_SPACE(4 * sizeof(int))];
		struct iovec iov = {cl->buf + cl->len, SCW_AGENT_MSG_MAX - cl->len};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf)};
		ssize_t n;

		if (iov.iov_len == 0)
			return refuse(a, cl, "its message is longer than %zu bytes",
				      SCW_AGENT_MSG_MAX);
		n = recvmsg(cl->ev.fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return refuse(a, cl, "cannot read its message: %s", strerror(errno));
		}
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			size_t k;
			if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
				continue;
			k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < k; i++) {
				int fd;
				memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
				if (cl->rx_fd < 0 && cl->n_extra == 0) {
					cl->rx_fd = fd;
				} else {
					close(fd);
					cl->n_extra++;
				}
			}
		}
		if (mh.msg_flags & MSG_CTRUNC)
			cl->truncated = true;
		if (n == 0)
			return client_check(a, cl, true);
		cl->len += (size_t)n;
	}
	return client_check(a, cl, false);
}

static void socket_event(struct agent *a)
{
	for (;;) {
		struct ucred cred = {0};
		socklen_t clen = sizeof(cred);
		struct epoll_event ev = {.events = EPOLLIN};
		struct client *cl;
		int fd = accept4(a->sock, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
			    errno != ECONNABORTED)
				say(a, "cannot accept a connection: %s", strerror(errno));
			return;
		}
		(void)getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen);
		if (cred.uid != 0 && cred.uid != geteuid()) {
			say(a,
			    "refused a connection from pid %d: uid %u is neither root nor the "
			    "agent's",
			    (int)cred.pid, (unsigned)cred.uid);
			close(fd);
			continue;
		}
		if (a->n_clients >= SCW_AGENT_MAX_CLIENTS) {
			say(a,
			    "refused a connection from pid %d: %u connections are pending already",
			    (int)cred.pid, SCW_AGENT_MAX_CLIENTS);
			close(fd);
			continue;
		}
		cl = scw_xcalloc(1, sizeof(*cl));
		cl->ev.kind = EV_CLIENT;
		cl->ev.fd = fd;
		cl->rx_fd = -1;
		cl->peer = cred.pid;
		cl->buf = scw_xmalloc(SCW_AGENT_MSG_MAX);
		cl->deadline = scw_now_ns() + (uint64_t)SCW_AGENT_CLIENT_TIMEOUT * 1000000000u;
		ev.data.ptr = cl;
		if (epoll_ctl(a->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			say(a, "cannot watch a connection: %s", strerror(errno));
			free(cl->buf);
			free(cl);
			close(fd);
			continue;
		}
		cl->next = a->clients;
		cl->pprev = &a->clients;
		if (a->clients)
			a->clients->pprev = &cl->next;
		a->clients = cl;
		a->n_clients++;
	}
}

/* Drop the connections past their deadline; the milliseconds until the
 * next one's, or -1 for none. */
static int expire_clients(struct agent *a)
{
	uint64_t now = scw_now_ns(), next = UINT64_MAX;
	struct client *cl = a->clients;

	while (cl) {
		struct client *nx = cl->next;
		if (cl->deadline <= now)
			refuse(a, cl, "it sent no whole message within %d seconds",
			       SCW_AGENT_CLIENT_TIMEOUT);
		else if (cl->deadline < next)
			next = cl->deadline;
		cl = nx;
	}
	return next == UINT64_MAX ? -1 : (int)((next - now) / 1000000u + 1);
}

/* --- setting up ----------------------------------------------------------- */

/* The socket's directory: made 0700 if missing; refused if anyone but
 * its owner (root or the agent's user) may write to it, for then they
 * could put their own socket in place. */
static int check_socket_dir(const char *path, scw_error *err)
{
	cleanup_free char *dir = scw_xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct stat st;

	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return scw_fail(err, errno, "cannot make the socket's directory %s", dir);
	if (stat(dir, &st) < 0)
		return scw_fail(err, errno, "%s", dir);
	if (!S_ISDIR(st.st_mode))
		return scw_fail(err, 0, "%s is not a directory", dir);
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022))
		return scw_fail(err, 0,
				"the socket's directory %s may be written by others than its "
				"owner",
				dir),
		       scw_hint(err, "put the socket in a directory only root can write to, "
				     "such as /run/scwrap");
	return 0;
}

static int open_socket(struct agent *a, scw_error *err)
{
	const char *path = a->o->socket_path;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	mode_t old;
	int rc;

	if (path[0] != '/')
		return scw_fail(err, 0, "the socket %s is not an absolute path", path),
		       scw_hint(err, "runtimes need one (listenerPath)");
	if (strlen(path) >= sizeof(sa.sun_path))
		return scw_fail(err, 0, "the socket path is longer than %zu bytes",
				sizeof(sa.sun_path) - 1);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (check_socket_dir(path, err) < 0)
		return -1;
	a->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->sock < 0)
		return scw_fail(err, errno, "socket");
	if (lstat(path, &st) == 0) {
		/* A socket nobody listens on is an agent's that is gone. */
		if (!S_ISSOCK(st.st_mode))
			return scw_fail(err, 0, "%s exists and is not a socket", path);
		if (connect(a->sock, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
		    errno != ECONNREFUSED)
			return scw_fail(err, 0, "another agent listens on %s", path),
			       scw_hint(err, "stop it, or give this one another --socket");
		close(a->sock);
		a->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (a->sock < 0)
			return scw_fail(err, errno, "socket");
		if (unlink(path) < 0)
			return scw_fail(err, errno, "cannot remove the old socket %s", path);
	}
	old = umask(0177);
	rc = bind(a->sock, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0)
		return scw_fail(err, errno, "cannot listen on %s", path);
	if (listen(a->sock, 128) < 0)
		return scw_fail(err, errno, "cannot listen on %s", path);
	return 0;
}

static int check_output_dir(const char *dir, scw_error *err)
{
	cleanup_free char *probe = scw_xasprintf("%s/.scwrap-agent-probe", dir);
	struct scw_output out;
	struct stat st;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return scw_fail(err, errno, "cannot make the output directory %s", dir);
	if (stat(dir, &st) < 0)
		return scw_fail(err, errno, "output directory %s", dir);
	if (!S_ISDIR(st.st_mode))
		return scw_fail(err, ENOTDIR, "output directory %s", dir);
	if (scw_output_open(&out, probe, err) < 0)
		return scw_context(err, "the output directory cannot take profiles");
	scw_output_discard(&out);
	return 0;
}

static int watch(struct agent *a, struct ev *ev, enum ev_kind kind, int fd, scw_error *err)
{
	struct epoll_event e = {.events = EPOLLIN, .data.ptr = ev};
	ev->kind = kind;
	ev->fd = fd;
	if (epoll_ctl(a->ep, EPOLL_CTL_ADD, fd, &e) < 0)
		return scw_fail(err, errno, "epoll_ctl");
	return 0;
}

/* SIGTERM, SIGINT: every open container's profile, partial, then out. */
static void stop_all(struct agent *a, int sig)
{
	say(a, "%s: writing what %u open containers recorded, marked partial", strsignal(sig),
	    a->n_ctrs);
	for (struct container *c = a->ctrs, *nx; c; c = nx) {
		nx = c->next;
		container_write(a, c, true);
		container_free(a, c);
	}
}

static int serve(struct agent *a, scw_error *err)
{
	struct epoll_event evs[64];

	for (;;) {
		int n = epoll_wait(a->ep, evs, SCW_ARRAY_SIZE(evs), expire_clients(a));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return scw_fail(err, errno, "epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			struct ev *ev = evs[i].data.ptr;
			switch (ev->kind) {
			case EV_SOCKET:
				socket_event(a);
				break;
			case EV_SIGNAL: {
				struct signalfd_siginfo si;
				if (read(a->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
					stop_all(a, (int)si.ssi_signo);
					return 0;
				}
				break;
			}
			case EV_CLIENT:
				(void)client_event(a, (struct client *)ev);
				break;
			case EV_LISTENER:
				listener_event(a, (struct listener *)ev, evs[i].events);
				break;
			}
		}
		if (a->o->exit_idle && a->n_seen && !a->n_ctrs)
			return 0;
	}
}

int scw_agent_run(const struct scw_agent_opts *o, scw_error *err)
{
	struct agent a = {.o = o, .ep = -1, .sock = -1, .sigfd = -1};
	sigset_t mask;
	int rc = -1;

	if (scw_unotify_supported(err) < 0)
		return scw_hint(err, "scwrap agent needs seccomp user notification (Linux 5.5+)");
	if (check_output_dir(o->output_dir, err) < 0)
		return -1;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	/* An agent started in the background of a shell ignores SIGINT:
	 * ignored, it would never reach the signalfd. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	a.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	a.ep = epoll_create1(EPOLL_CLOEXEC);
	if (a.sigfd < 0 || a.ep < 0) {
		scw_fail(err, errno, "cannot set up the event loop");
		goto out;
	}
	if (open_socket(&a, err) < 0)
		goto out;
	if (watch(&a, &a.sock_ev, EV_SOCKET, a.sock, err) < 0 ||
	    watch(&a, &a.sig_ev, EV_SIGNAL, a.sigfd, err) < 0)
		goto out;
	a.baseline = unnotified_baseline();
	a.oci = scw_format_find("oci");
	say(&a, "listening on %s; profiles go to %s", o->socket_path, o->output_dir);
	rc = serve(&a, err);
	unlink(o->socket_path);
out:
	for (struct client *cl = a.clients, *nx; cl; cl = nx) {
		nx = cl->next;
		client_close(&a, cl);
	}
	for (struct container *c = a.ctrs, *nx; c; c = nx) {
		nx = c->next;
		container_free(&a, c);
	}
	scw_profile_free(a.baseline);
	if (a.sock >= 0)
		close(a.sock);
	if (a.sigfd >= 0)
		close(a.sigfd);
	if (a.ep >= 0)
		close(a.ep);
	return rc;
}
