/* auditrec.c - decoding audit record lines: auditd's raw and enriched
 * formats, kernel printk lines (dmesg, journal, syslog), journald's
 * userspace form, and `ausearch -i`'s interpreted names. */
#include <config.h>

#include <string.h>

#include "abi.h"
#include "auditrec.h"

/* The enriched format appends interpreted fields after this byte. */
#define ENRICHED_SEP '\x1d'

static bool has_prefix(const char *p, const char *end, const char *s, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}
#define HAS(p, end, lit) has_prefix((p), (end), (lit), sizeof(lit) - 1)

/* Parse an unsigned decimal (base 10) or hex (base 16) number in [p, end). */
static bool parse_u64(const char *p, const char *end, unsigned base, uint64_t *out)
{
	uint64_t v = 0;
	if (base == 16 && HAS(p, end, "0x"))
		p += 2;
	if (p == end)
		return false;
	for (; p < end; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return false;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			return false;
	}
	*out = v;
	return true;
}

static bool parse_u32(const char *p, const char *end, unsigned base, uint32_t *out)
{
	uint64_t v;
	if (!parse_u64(p, end, base, &v) || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_i64(const char *p, const char *end, int64_t *out)
{
	uint64_t v;
	bool neg = p < end && *p == '-';
	if (!parse_u64(p + neg, end, 10, &v) || v > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A comm or exe value: "quoted", hex-encoded (odd bytes), or bare
 * (interpreted logs); copied NUL-terminated into buf. */
static size_t string_value(const char *p, const char *end, char *buf, size_t size)
{
	size_t n = (size_t)(end - p), i;
	bool hex = n > 0 && n % 2 == 0;
	if (n >= 2 && p[0] == '"' && end[-1] == '"') {
		p++;
		n -= 2;
		hex = false;
	}
	for (i = 0; hex && i < n; i++)
		hex = hexval(p[i]) >= 0;
	if (hex) {
		size_t out = 0;
		for (i = 0; i + 1 < n && out + 1 < size; i += 2)
			buf[out++] = (char)(hexval(p[i]) << 4 | hexval(p[i + 1]));
		buf[out] = '\0';
		return out;
	}
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

/* "audit(SEC.MSEC:SERIAL)" at p; returns the position after ')' or NULL. */
static const char *parse_stamp(const char *p, const char *end, struct scw_audit_rec *r)
{
	const char *dot, *colon, *close;
	if (!HAS(p, end, "audit("))
		return NULL;
	p += 6;
	close = memchr(p, ')', (size_t)(end - p));
	if (!close)
		return NULL;
	dot = memchr(p, '.', (size_t)(close - p));
	colon = dot ? memchr(dot, ':', (size_t)(close - dot)) : NULL;
	if (colon && parse_u64(p, dot, 10, &r->sec) && parse_u32(dot + 1, colon, 10, &r->msec) &&
	    parse_u32(colon + 1, close, 10, &r->serial))
		r->fields |= F_STAMP;
	/* Otherwise an interpreted or elided stamp: the record stands alone. */
	return close + 1;
}

/* An arch value: hex AUDIT_ARCH, or a name from `ausearch -i`. */
static bool parse_arch(const char *p, const char *end, uint32_t *out)
{
	char name[32];
	size_t n = (size_t)(end - p);
	if (parse_u32(p, end, 16, out))
		return true;
	if (n == 0 || n >= sizeof(name))
		return false;
	memcpy(name, p, n);
	name[n] = '\0';
	*out = scw_abi_from_name(name);
	return *out != 0;
}

/* A syscall value: a number, or a name from `ausearch -i` (needs arch). */
static bool parse_syscall(const char *p, const char *end, struct scw_audit_rec *r)
{
	char name[64];
	size_t n = (size_t)(end - p);
	int nr;
	if (parse_u32(p, end, 10, &r->nr))
		return true;
	if (!(r->fields & F_ARCH) || n == 0 || n >= sizeof(name))
		return false;
	memcpy(name, p, n);
	name[n] = '\0';
	nr = scw_syscall_nr(r->arch, name);
	if (nr < 0)
		return false;
	r->nr = (uint32_t)nr;
	r->arch = scw_abi_to_audit(r->arch, &r->nr);
	return true;
}

/* One key=value pair. */
static void field(struct scw_audit_rec *r, const char *k, size_t kl, const char *v, const char *ve)
{
	uint32_t u;
	switch (kl) {
	case 3:
		if (memcmp(k, "ses", 3) == 0 && parse_u32(v, ve, 10, &r->ses))
			r->fields |= F_SES;
		else if (memcmp(k, "pid", 3) == 0 && parse_u32(v, ve, 10, &u) && u <= INT32_MAX)
			r->pid = (int32_t)u, r->fields |= F_PID;
		else if (memcmp(k, "uid", 3) == 0 && parse_u32(v, ve, 10, &r->uid))
			r->fields |= F_UID;
		else if (memcmp(k, "exe", 3) == 0) {
			r->exe_len = string_value(v, ve, r->exe_buf, sizeof(r->exe_buf));
			r->exe = r->exe_buf;
			r->fields |= F_EXE;
		}
		break;
	case 4:
		if (memcmp(k, "ppid", 4) == 0 && parse_u32(v, ve, 10, &u) && u <= INT32_MAX)
			r->ppid = (int32_t)u, r->fields |= F_PPID;
		else if (memcmp(k, "auid", 4) == 0 && parse_u32(v, ve, 10, &r->auid))
			r->fields |= F_AUID;
		else if (memcmp(k, "arch", 4) == 0 && parse_arch(v, ve, &r->arch))
			r->fields |= F_ARCH;
		else if (memcmp(k, "exit", 4) == 0 && parse_i64(v, ve, &r->exit))
			r->fields |= F_EXIT;
		else if (memcmp(k, "code", 4) == 0 && parse_u32(v, ve, 16, &r->code))
			r->fields |= F_CODE;
		else if (memcmp(k, "comm", 4) == 0) {
			r->comm_len = string_value(v, ve, r->comm_buf, sizeof(r->comm_buf));
			r->comm = r->comm_buf;
			r->fields |= F_COMM;
		}
		break;
	case 7:
		if (memcmp(k, "syscall", 7) == 0 && parse_syscall(v, ve, r))
			r->fields |= F_SYSCALL;
		break;
	default:
		break;
	}
}

/* The key=value pairs of [p, end). */
static void fields(struct scw_audit_rec *r, const char *p, const char *end)
{
	while (p < end) {
		const char *k, *eq, *v, *ve;
		while (p < end && *p == ' ')
			p++;
		k = p;
		while (p < end && *p != '=' && *p != ' ' && *p != ENRICHED_SEP)
			p++;
		if (p == end || *p == ENRICHED_SEP)
			return; /* the enriched part is auditd's reading, not the record */
		if (*p == ' ')
			continue; /* a word without a value */
		eq = p;
		v = ++p;
		if (p < end && *p == '"') {
			const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
			p = q ? q + 1 : end;
		} else if (p < end && *p == '\'') {
			/* msg='...' of userspace records: skip it whole. */
			const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));
			p = q ? q + 1 : end;
			continue;
		}
		while (p < end && *p != ' ' && *p != ENRICHED_SEP)
			p++;
		ve = p;
		field(r, k, (size_t)(eq - k), v, ve);
	}
}

/* The fields after the stamp, and whether the record is whole. */
static enum scw_audit_parse finish(struct scw_audit_rec *r, const char *p, const char *end)
{
	fields(r, p, end);
	if (!(r->fields & F_PID))
		return SCW_AUDIT_MALFORMED;
	if (r->type == SCW_REC_SECCOMP && (r->fields & (F_ARCH | F_SYSCALL)) != (F_ARCH | F_SYSCALL))
		return SCW_AUDIT_MALFORMED;
	return SCW_AUDIT_RECORD;
}

enum scw_audit_parse scw_audit_parse(const char *line, size_t len, struct scw_audit_rec *r)
{
	const char *end = line + len, *p = line, *hit;

	r->fields = 0;
	r->comm = r->exe = "";
	r->comm_len = r->exe_len = 0;

	if (HAS(p, end, "type=")) {
		/* auditd's log: type=SECCOMP msg=audit(...): ... */
		p += 5;
		if (HAS(p, end, "SECCOMP ") || HAS(p, end, "1326 "))
			r->type = SCW_REC_SECCOMP;
		else if (r->want_syscall && (HAS(p, end, "SYSCALL ") || HAS(p, end, "1300 ")))
			r->type = SCW_REC_SYSCALL;
		else
			return SCW_AUDIT_OTHER;
		p = (const char *)memchr(p, ' ', (size_t)(end - p)) + 1;
		if (!HAS(p, end, "msg="))
			return SCW_AUDIT_MALFORMED;
		p = parse_stamp(p + 4, end, r);
		if (!p)
			return SCW_AUDIT_MALFORMED;
	} else if ((hit = memmem(p, (size_t)(end - p), "audit: type=", 12))) {
		/* The kernel's printk: "... audit: type=1326 audit(...): ..." */
		p = hit + 12;
		if (HAS(p, end, "1326 "))
			r->type = SCW_REC_SECCOMP;
		else if (r->want_syscall && HAS(p, end, "1300 "))
			r->type = SCW_REC_SYSCALL;
		else
			return SCW_AUDIT_OTHER;
		p = parse_stamp(p + 5, end, r);
		if (!p)
			return SCW_AUDIT_MALFORMED;
	} else if ((hit = memmem(p, (size_t)(end - p), "]: SECCOMP ", 11)) && hit - p >= 6 &&
		   memmem(p, (size_t)(hit - p), "audit[", 6)) {
		/* journald's userspace form: "audit[PID]: SECCOMP auid=...",
		 * no stamp. */
		r->type = SCW_REC_SECCOMP;
		p = hit + 11;
	} else {
		return SCW_AUDIT_OTHER;
	}
	return finish(r, p, end);
}

enum scw_audit_parse scw_audit_parse_body(enum scw_audit_type type, const char *body, size_t len,
					  struct scw_audit_rec *r)
{
	const char *end = body + len, *p;
	r->fields = 0;
	r->type = type;
	r->comm = r->exe = "";
	r->comm_len = r->exe_len = 0;
	p = parse_stamp(body, end, r);
	if (!p)
		return SCW_AUDIT_MALFORMED;
	return finish(r, p, end);
}
