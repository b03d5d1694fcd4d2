/* error.c - building one-line error messages. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static int vfail(scw_error *err, int status, int errnum, const char *fmt, va_list ap)
{
	size_t len;
	err->errnum = errnum;
	err->status = status;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	len = strlen(err->msg);
	if (errnum && len < sizeof(err->msg))
		snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
	return -1;
}

int scw_fail(scw_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, SCW_EXIT_FAILURE, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int scw_fail_status(scw_error *err, int status, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, status, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int scw_hint(scw_error *err, const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(err->msg);
	if (len + 2 >= sizeof(err->msg))
		return -1;
	memcpy(err->msg + len, "; ", 3);
	len += 2;
	va_start(ap, fmt);
	vsnprintf(err->msg + len, sizeof(err->msg) - len, fmt, ap);
	va_end(ap);
	return -1;
}

int scw_context(scw_error *err, const char *fmt, ...)
{
	char old[sizeof(err->msg)];
	size_t len;
	va_list ap;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	if (len + 2 < sizeof(err->msg)) {
		memcpy(err->msg + len, ": ", 2);
		len += 2;
		memccpy(err->msg + len, old, '\0', sizeof(err->msg) - len);
		err->msg[sizeof(err->msg) - 1] = '\0';
	}
	return -1;
}
