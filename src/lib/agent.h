/* agent.h - scwrap agent: the seccomp listeners an OCI runtime sends
 * (linux.seccomp.listenerPath), served in one event loop, and one profile
 * per container written when its last listener hangs up. */
#ifndef SCW_AGENT_H
#define SCW_AGENT_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "profile.h"

/* What a runtime may send at most: the state JSON of one container
 * (annotations included). */
#define SCW_AGENT_MSG_MAX ((size_t)64 * 1024)
/* Connections that have not yet sent their message, at once. */
#define SCW_AGENT_MAX_CLIENTS 64u
/* Seconds a connection may take to send it. */
#define SCW_AGENT_CLIENT_TIMEOUT 5
/* Containers recorded at once; listeners per container. */
#define SCW_AGENT_MAX_CONTAINERS 1024u
#define SCW_AGENT_MAX_LISTENERS	 256u
/* A profile's file name, ".json" and ".partial" aside. */
#define SCW_AGENT_NAME_MAX 200u

struct scw_agent_opts {
	const char *socket_path; /* the unix socket runtimes connect to */
	const char *output_dir;	 /* where profiles are written */
	bool args;		 /* --args: the curated calls' argument values */
	bool exit_idle;		 /* exit once every container seen is written */
	FILE *log;		 /* one line per event */
};

/* Listen on opts->socket_path (mode 0600, its directory made 0700 if
 * missing, refused if others may write to it) and serve until SIGTERM or
 * SIGINT (then what every open container recorded is written, marked
 * partial), or with exit_idle until the last container is written.
 * Returns 0, or -1 with err set when the agent could not start or its
 * loop failed. */
int scw_agent_run(const struct scw_agent_opts *opts, scw_error *err);

/* The profile that makes a runtime send its listener to socket_path:
 * every syscall name of every ABI this machine runs notified, but write
 * (runc refuses to notify it), default ALLOW (runc refuses NOTIFY as the
 * default); metadata is its listenerMetadata, or NULL.  Caller frees. */
struct scw_profile *scw_agent_recording_profile(const char *socket_path, const char *metadata,
						scw_error *err);

/* The file name (without ".json") for a container's profile: metadata if
 * set, else its Kubernetes namespace, pod and container, else its id;
 * only [A-Za-z0-9._-], no leading dot, at most SCW_AGENT_NAME_MAX bytes.
 * Writes into out (SCW_AGENT_NAME_MAX + 1 bytes). */
void scw_agent_name(const char *metadata, const char *ns, const char *pod, const char *container,
		    const char *id, char *out);

#endif
