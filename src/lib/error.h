/* error.h - the error object library code fills instead of printing. */
#ifndef SCW_ERROR_H
#define SCW_ERROR_H

/* Exit statuses, as env(1) and timeout(1). */
enum {
	SCW_EXIT_INCOMPLETE = 124, /* records were lost: no profile presented as whole */
	SCW_EXIT_FAILURE = 125,	   /* scwrap itself failed */
	SCW_EXIT_CANNOT_EXEC = 126,
	SCW_EXIT_NOT_FOUND = 127,
};

typedef struct scw_error {
	int errnum; /* errno of the cause, 0 if none */
	int status; /* exit status the CLI should use; 125 unless set */
	char msg[1024];
} scw_error;

/* Fill err (errnum may be 0) and return -1.  The message is one line: what
 * failed, then ": strerror(errnum)" when errnum is set. */
int scw_fail(scw_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, with an explicit exit status. */
int scw_fail_status(scw_error *err, int status, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Add a hint after the message ("; <hint>"): the way out. Returns -1. */
int scw_hint(scw_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix context as the error travels up ("<context>: <msg>"). Returns -1. */
int scw_context(scw_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
