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

/* A comm or exe value: "quoted", hex-encoded as the kernel writes a value
 * with odd bytes (upper-case digits), or bare (interpreted logs, where
 * comm=cafe is a name); copied NUL-terminated into buf.  A NUL byte in hex
 * ends the value: no name has one, and the length must be the string's. */
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
		hex = (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'F');
	if (hex) {
		size_t out = 0;
		for (i = 0; i + 1 < n && out + 1 < size; i += 2) {
			char c = (char)(hexval(p[i]) << 4 | hexval(p[i + 1]));
			if (c == '\0')
				break;
			buf[out++] = c;
		}
		buf[out] = '\0';
		return out;
	}
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

/* Eight bytes at p, any alignment, the first byte in the low bits. */
static inline uint64_t load8(const char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

#define BYTES(c) (UINT64_C(0x0101010101010101) * (unsigned char)(c))

/* 0x80 in the bytes of w equal to c's: exact up to the lowest one (above
 * it a borrow may mark more), which is all that is used. */
static inline uint64_t eq_bytes(uint64_t w, char c)
{
	uint64_t x = w ^ BYTES(c);
	return (x - BYTES(1)) & ~x & BYTES(0x80);
}

/* The first byte of [p, end) equal to a, b, c or d, or end: eight at a
 * time. */
static inline const char *find_any(const char *p, const char *end, char a, char b, char c, char d)
{
	for (; end - p >= 8; p += 8) {
		uint64_t w = load8(p);
		uint64_t m = eq_bytes(w, a) | eq_bytes(w, b) | eq_bytes(w, c) | eq_bytes(w, d);
		if (m)
			return p + __builtin_ctzll(m) / 8;
	}
	while (p < end && *p != a && *p != b && *p != c && *p != d)
		p++;
	return p;
}

/* Where a value ends: at a space or the enriched part. */
static const char *value_end(const char *p, const char *end)
{
	return find_any(p, end, ' ', ENRICHED_SEP, ENRICHED_SEP, ENRICHED_SEP);
}

/* Where a key ends: at '=', a space or the enriched part. */
static const char *key_end(const char *p, const char *end)
{
	return find_any(p, end, '=', ' ', ENRICHED_SEP, ENRICHED_SEP);
}

static bool ends_value(const char *p, const char *end)
{
	return p == end || *p == ' ' || *p == ENRICHED_SEP;
}

/* A decimal value at v, read in the pass that finds its end (*ve): true
 * when it is a number below 2^32, as parse_u32 would say of [v, *ve). */
static bool dec_value(const char *v, const char *end, const char **ve, uint32_t *out)
{
	const char *p = v;
	uint64_t n = 0;
	for (; p < end && (unsigned char)(*p - '0') < 10; p++)
		if (n <= UINT32_MAX)
			n = n * 10 + (unsigned)(*p - '0');
	if (!ends_value(p, end)) {
		*ve = value_end(p, end);
		return false;
	}
	*ve = p;
	if (p == v || n > UINT32_MAX)
		return false;
	*out = (uint32_t)n;
	return true;
}

/* The same for a hex value, "0x" optional. */
static bool hex_value(const char *v, const char *end, const char **ve, uint32_t *out)
{
	const char *p = HAS(v, end, "0x") ? v + 2 : v, *first = p;
	uint64_t n = 0;
	int d;
	for (; p < end && (d = hexval(*p)) >= 0; p++)
		if (n <= UINT32_MAX)
			n = n << 4 | (unsigned)d;
	if (!ends_value(p, end)) {
		*ve = value_end(p, end);
		return false;
	}
	*ve = p;
	if (p == first || n > UINT32_MAX)
		return false;
	*out = (uint32_t)n;
	return true;
}

/* A run of at most max decimal digits at p, too few to overflow; returns
 * its end. */
static const char *digits(const char *p, const char *end, size_t max, uint64_t *out)
{
	uint64_t n = 0;
	if ((size_t)(end - p) < max)
		max = (size_t)(end - p);
	for (end = p + max; p < end && (unsigned char)(*p - '0') < 10; p++)
		n = n * 10 + (unsigned)(*p - '0');
	*out = n;
	return p;
}

/* Set the stamp SEC.MSEC:SERIAL; false when it is none the kernel writes
 * (kernel/audit.c audit_log_start: "%llu.%03lu:%u", milliseconds below
 * 1000) or its time in milliseconds overflows: a forged 19-digit SEC once
 * wrapped to a checkpoint that hid every later record. */
static bool set_stamp(struct scw_audit_rec *r, uint64_t sec, uint64_t msec, uint64_t serial)
{
	uint64_t ms;
	if (msec > 999 || serial > UINT32_MAX || __builtin_mul_overflow(sec, 1000, &ms) ||
	    __builtin_add_overflow(ms, msec, &ms))
		return false;
	r->sec = sec;
	r->msec = (uint32_t)msec;
	r->serial = (uint32_t)serial;
	r->ms = ms;
	r->fields |= F_STAMP;
	return true;
}

/* The usual SEC.MSEC:SERIAL) at p in one pass; NULL when it is not that. */
static const char *stamp_digits(const char *p, const char *end, struct scw_audit_rec *r)
{
	uint64_t sec, msec, serial;
	const char *q = digits(p, end, 19, &sec);
	if (q == p || q == end || *q != '.')
		return NULL;
	p = q + 1;
	q = digits(p, end, 10, &msec);
	if (q == p || q == end || *q != ':')
		return NULL;
	p = q + 1;
	q = digits(p, end, 10, &serial);
	if (q == p || q == end || *q != ')' || !set_stamp(r, sec, msec, serial))
		return NULL;
	return q + 1;
}

/* Whether [p, end) is digits, '.' and ':' only: a numeric stamp. */
static bool numeric(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!((unsigned char)(*p - '0') < 10 || *p == '.' || *p == ':'))
			return false;
	return true;
}

/* "audit(SEC.MSEC:SERIAL)" at p; returns the position after ')' or NULL. */
static const char *parse_stamp(const char *p, const char *end, struct scw_audit_rec *r)
{
	const char *dot, *colon, *close;
	if (!HAS(p, end, "audit("))
		return NULL;
	p += 6;
	if ((close = stamp_digits(p, end, r)))
		return close;
	close = memchr(p, ')', (size_t)(end - p));
	if (!close)
		return NULL;
	dot = memchr(p, '.', (size_t)(close - p));
	colon = dot ? memchr(dot, ':', (size_t)(close - dot)) : NULL;
	if (colon && numeric(p, close)) {
		/* A stamp out of range is no stamp the kernel wrote. */
		uint64_t sec, msec, serial;
		if (!parse_u64(p, dot, 10, &sec) || !parse_u64(dot + 1, colon, 10, &msec) ||
		    !parse_u64(colon + 1, close, 10, &serial) || !set_stamp(r, sec, msec, serial))
			return NULL;
	}
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

/* The keys scwrap reads; every other key is skipped. */
enum key { K_OTHER, K_SES, K_PID, K_UID, K_EXE, K_PPID, K_ARCH, K_EXIT, K_COMM, K_SYSCALL };

#define IS(p, lit) (memcmp((p), (lit), sizeof(lit) - 1) == 0)

/* The key at p if scwrap reads it, and its '=' in *eq.  A key ends at its
 * first '=', and none of these holds a space or 0x1D, so "pid=" at p is the
 * key pid. */
static enum key known_key(const char *p, const char *end, const char **eq)
{
	size_t n = (size_t)(end - p);
	enum key k = K_OTHER;
	if (n > 3 && p[3] == '=') {
		k = IS(p, "ses")   ? K_SES
		    : IS(p, "pid") ? K_PID
		    : IS(p, "uid") ? K_UID
		    : IS(p, "exe") ? K_EXE
				   : K_OTHER;
		*eq = p + 3;
	} else if (n > 4 && p[4] == '=') {
		k = IS(p, "ppid")   ? K_PPID
		    : IS(p, "arch") ? K_ARCH
		    : IS(p, "exit") ? K_EXIT
		    : IS(p, "comm") ? K_COMM
				    : K_OTHER;
		*eq = p + 4;
	} else if (n > 7 && IS(p, "syscall=")) {
		k = K_SYSCALL;
		*eq = p + 7;
	}
	if (k == K_OTHER)
		*eq = NULL;
	return k;
}

/* The value [v, ve) of a key scwrap reads, the general way. */
static void field(struct scw_audit_rec *r, enum key k, const char *v, const char *ve)
{
	uint32_t u;
	switch (k) {
	case K_SES:
		if (parse_u32(v, ve, 10, &r->ses))
			r->fields |= F_SES;
		break;
	case K_PID:
		if (parse_u32(v, ve, 10, &u) && u <= INT32_MAX)
			r->pid = (int32_t)u, r->fields |= F_PID;
		break;
	case K_UID:
		if (parse_u32(v, ve, 10, &r->uid))
			r->fields |= F_UID;
		break;
	case K_PPID:
		if (parse_u32(v, ve, 10, &u) && u <= INT32_MAX)
			r->ppid = (int32_t)u, r->fields |= F_PPID;
		break;
	case K_ARCH:
		if (parse_arch(v, ve, &r->arch))
			r->fields |= F_ARCH;
		break;
	case K_EXIT:
		if (parse_i64(v, ve, &r->exit))
			r->fields |= F_EXIT;
		break;
	case K_SYSCALL:
		if (parse_syscall(v, ve, r))
			r->fields |= F_SYSCALL;
		break;
	case K_EXE:
		r->exe_len = string_value(v, ve, r->exe_buf, sizeof(r->exe_buf));
		r->exe = r->exe_buf;
		r->fields |= F_EXE;
		break;
	case K_COMM:
		r->comm_len = string_value(v, ve, r->comm_buf, sizeof(r->comm_buf));
		r->comm = r->comm_buf;
		r->fields |= F_COMM;
		break;
	case K_OTHER:
		break;
	}
}

/* An unquoted value at v of a key scwrap reads; returns its end.  Numbers
 * are read in the pass that finds the end, names the general way. */
static const char *value(struct scw_audit_rec *r, enum key k, const char *v, const char *end)
{
	const char *ve;
	uint32_t u;
	switch (k) {
	case K_SES:
		if (dec_value(v, end, &ve, &r->ses))
			r->fields |= F_SES;
		return ve;
	case K_UID:
		if (dec_value(v, end, &ve, &r->uid))
			r->fields |= F_UID;
		return ve;
	case K_PID:
		if (dec_value(v, end, &ve, &u) && u <= INT32_MAX)
			r->pid = (int32_t)u, r->fields |= F_PID;
		return ve;
	case K_SYSCALL:
		if (dec_value(v, end, &ve, &r->nr) || parse_syscall(v, ve, r))
			r->fields |= F_SYSCALL;
		return ve;
	case K_ARCH:
		if (hex_value(v, end, &ve, &r->arch) || parse_arch(v, ve, &r->arch))
			r->fields |= F_ARCH;
		return ve;
	case K_PPID:
	case K_EXIT:
	case K_EXE:
	case K_COMM:
	case K_OTHER:
		break;
	}
	ve = value_end(v, end);
	field(r, k, v, ve);
	return ve;
}

/* Remember what the fields [p, ks) of a SECCOMP record set: ks is its
 * first syscall= key. */
static void prefix_save(struct scw_audit_rec *r, const char *p, const char *ks)
{
	struct scw_audit_prefix *c = &r->prefix;
	size_t n = (size_t)(ks - p);
	/* comm and exe were decoded from these bytes: they fit too. */
	if (n > sizeof(c->bytes))
		return;
	memcpy(c->bytes, p, n);
	c->len = n;
	c->fields = r->fields & ~(unsigned)F_STAMP;
	c->ses = r->ses;
	c->uid = r->uid;
	c->arch = r->arch;
	c->pid = r->pid;
	c->ppid = r->ppid;
	c->exit = r->exit;
	c->comm_len = r->comm_len;
	c->exe_len = r->exe_len;
	memcpy(c->comm, r->comm, r->comm_len + 1);
	memcpy(c->exe, r->exe, r->exe_len + 1);
}

/* If the fields at p begin with the remembered ones, set what they set and
 * return where the rest begins; else NULL. */
static const char *prefix_use(struct scw_audit_rec *r, const char *p, const char *end)
{
	const struct scw_audit_prefix *c = &r->prefix;
	if (!c->len || (size_t)(end - p) < c->len || memcmp(p, c->bytes, c->len) != 0)
		return NULL;
	r->fields |= c->fields;
	r->ses = c->ses;
	r->uid = c->uid;
	r->arch = c->arch;
	r->pid = c->pid;
	r->ppid = c->ppid;
	r->exit = c->exit;
	if (c->fields & F_COMM) {
		memcpy(r->comm_buf, c->comm, c->comm_len + 1);
		r->comm = r->comm_buf;
		r->comm_len = c->comm_len;
	}
	if (c->fields & F_EXE) {
		memcpy(r->exe_buf, c->exe, c->exe_len + 1);
		r->exe = r->exe_buf;
		r->exe_len = c->exe_len;
	}
	return p + c->len;
}

/* The key=value pairs of [p, end). */
static void fields(struct scw_audit_rec *r, const char *p, const char *end)
{
	const char *start = p, *rest = NULL;
	bool seccomp = r->type == SCW_REC_SECCOMP;

	if (seccomp && (rest = prefix_use(r, p, end)))
		p = rest;
	while (p < end) {
		const char *k, *eq = NULL, *v;
		enum key key;
		while (p < end && *p == ' ')
			p++;
		k = p;
		key = known_key(p, end, &eq);
		if (key == K_OTHER) {
			/* A key scwrap does not read changes nothing, and its
			 * value ends at the next space unless a quote is met. */
			p = find_any(p, end, ' ', ENRICHED_SEP, '"', '\'');
			if (p == end || *p == ENRICHED_SEP)
				return;
			if (*p == ' ')
				continue;
			p = key_end(k, end);
			if (p == end || *p == ENRICHED_SEP)
				return; /* the enriched part is auditd's reading, not the record */
			if (*p == ' ')
				continue; /* a word without a value */
			eq = p;
		}
		if (key == K_SYSCALL && seccomp && !rest) {
			prefix_save(r, start, k);
			rest = k;
		}
		v = eq + 1;
		if (v < end && (*v == '"' || *v == '\'')) {
			const char *q = find_any(v + 1, end, *v, *v, *v, *v);
			p = q < end ? q + 1 : end;
			if (*v == '\'')
				continue; /* msg='...' of userspace records: skip it whole */
			p = value_end(p, end);
			field(r, key, v, p);
		} else if (key != K_OTHER) {
			p = value(r, key, v, end);
		} else {
			p = value_end(v, end);
		}
	}
}

/* The fields after the stamp, and whether the record is whole. */
static enum scw_audit_parse finish(struct scw_audit_rec *r, const char *p, const char *end)
{
	fields(r, p, end);
	if (!(r->fields & F_PID))
		return SCW_AUDIT_MALFORMED;
	if (r->type == SCW_REC_SECCOMP &&
	    (r->fields & (F_ARCH | F_SYSCALL)) != (F_ARCH | F_SYSCALL))
		return SCW_AUDIT_MALFORMED;
	return SCW_AUDIT_RECORD;
}

/* A printk record after its "audit: type=". */
static enum scw_audit_parse printk(struct scw_audit_rec *r, const char *p, const char *end)
{
	if (HAS(p, end, "1326 "))
		r->type = SCW_REC_SECCOMP;
	else if (r->want_syscall && HAS(p, end, "1300 "))
		r->type = SCW_REC_SYSCALL;
	else
		return SCW_AUDIT_OTHER;
	p = parse_stamp(p + 5, end, r);
	if (!p)
		return SCW_AUDIT_MALFORMED;
	return finish(r, p, end);
}

/* After a bracketed time at p ("[  12.345678]", dmesg -T's "[Sat Dec  6
 * 10:00:02 2025]") and one space: where the text begins, or NULL. */
static const char *bracket_time(const char *p, const char *end)
{
	const char *close;
	size_t n = (size_t)(end - p) < 64 ? (size_t)(end - p) : 64;
	if (!HAS(p, end, "[") || !(close = memchr(p, ']', n)) || close + 1 == end ||
	    close[1] != ' ')
		return NULL;
	return close + 2;
}

/* The kernel's own line at p as dmesg or /dev/kmsg show it: an optional
 * "<PRI>", an optional bracketed time, then the message.  Where the
 * message begins. */
static const char *kmsg_message(const char *p, const char *end)
{
	const char *q;
	if (HAS(p, end, "<")) {
		for (q = p + 1; q < end && q - p < 5 && (unsigned char)(*q - '0') < 10; q++)
			;
		if (q == p + 1 || q == end || *q != '>')
			return p;
		p = q + 1;
	}
	q = bracket_time(p, end);
	return q ? q : p;
}

static bool is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* A syslog or journal text line's tag: after its time ("Dec  6 10:00:02",
 * "Dec 06 10:00:02.123456", an RFC 3339 time, journalctl's "[  12.3]") and
 * its host, each followed by one space.  NULL when it is no such line. */
static const char *syslog_tag(const char *p, const char *end)
{
	const char *q;
	if (end - p >= 16 && p[0] >= 'A' && p[0] <= 'Z' && p[3] == ' ') {
		q = p + 4; /* "Dec  6 10:00:02" or "Dec 06 10:00:02" */
		if (!(is_digit(q[1]) && (q[0] == ' ' || is_digit(q[0])) && q[2] == ' '))
			return NULL;
		q += 3;
		if (end - q < 9 || !is_digit(q[0]) || !is_digit(q[1]) || q[2] != ':' ||
		    !is_digit(q[3]) || !is_digit(q[4]) || q[5] != ':' || !is_digit(q[6]) ||
		    !is_digit(q[7]))
			return NULL;
		q += 8;
		if (*q == '.')
			for (q++; q < end && is_digit(*q); q++)
				;
		if (q == end || *q != ' ')
			return NULL;
		q++;
	} else if (end - p >= 11 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) &&
		   is_digit(p[3]) && p[4] == '-') {
		q = memchr(p, ' ', (size_t)(end - p)); /* 2025-12-06T10:00:02.123+00:00 */
		if (!q)
			return NULL;
		q++;
	} else if (!(q = bracket_time(p, end))) {
		return NULL;
	}
	p = q; /* the host */
	while (q < end && *q != ' ')
		q++;
	if (q == p || q == end)
		return NULL;
	return q + 1;
}

/* A record in syslog or journal text, at its tag: the kernel's printk
 * ("kernel: [  12.3] audit: type=1326 ...") or journald's userspace form
 * of an audit record ("audit[PID]: SECCOMP ...", no stamp).  NULL when
 * the tag is another. */
static bool text_record(struct scw_audit_rec *r, const char *p, const char *end,
			enum scw_audit_parse *res)
{
	const char *q;
	if (HAS(p, end, "kernel: ")) {
		p += 8;
		if ((q = bracket_time(p, end)))
			p = q;
		if (!HAS(p, end, "audit: type="))
			return false;
		r->text = true;
		*res = printk(r, p + 12, end);
		return true;
	}
	if (HAS(p, end, "audit[")) {
		for (q = p + 6; q < end && is_digit(*q); q++)
			;
		if (q == p + 6 || !HAS(q, end, "]: SECCOMP "))
			return false;
		r->text = true;
		r->type = SCW_REC_SECCOMP;
		*res = finish(r, q + 11, end);
		return true;
	}
	return false;
}

/* Whether [p, end) holds the words of a record scwrap would read. */
static bool looks_like_record(const struct scw_audit_rec *r, const char *p, const char *end)
{
	size_t n = (size_t)(end - p);
	return memmem(p, n, "audit: type=1326 ", 17) || memmem(p, n, "]: SECCOMP ", 11) ||
	       (r->want_syscall && memmem(p, n, "audit: type=1300 ", 17));
}

/* The end of the JSON string at p (its opening quote), after its closing
 * quote; NULL when it does not end. */
static const char *json_string_end(const char *p, const char *end)
{
	for (p++; p < end; p += 2) {
		p = find_any(p, end, '"', '\\', '"', '"');
		if (p == end)
			return NULL;
		if (*p == '"')
			return p + 1;
	}
	return NULL;
}

static const char *json_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* The end of the JSON value at p; NULL when it does not end.  Journal
 * entries hold strings, null, and arrays of them or of byte values: an
 * array ends at its matching ']', strings skipped whole. */
static const char *json_value_end(const char *p, const char *end)
{
	unsigned depth = 0;
	if (p == end)
		return NULL;
	if (*p == '"')
		return json_string_end(p, end);
	if (*p != '[') {
		while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '"' &&
		       *p != '[' && *p != '{')
			p++;
		return p;
	}
	while (p < end) {
		if (*p == '"') {
			if (!(p = json_string_end(p, end)))
				return NULL;
			continue;
		}
		if (*p == '{')
			return NULL;
		if (*p == '[')
			depth++;
		else if (*p == ']' && --depth == 0)
			return p + 1;
		p++;
	}
	return NULL;
}

/* The string [p, end) (inside its quotes) unescaped into buf, NUL-terminated;
 * its length, or -1 when it does not fit or holds a NUL. */
static long json_unescape(const char *p, const char *end, char *buf, size_t size)
{
	size_t n = 0;
	while (p < end) {
		unsigned cp;
		if (*p != '\\') {
			if (n + 1 >= size)
				return -1;
			buf[n++] = *p++;
			continue;
		}
		if (end - p < 2)
			return -1;
		switch (p[1]) {
		case 'b':
			cp = '\b';
			break;
		case 'f':
			cp = '\f';
			break;
		case 'n':
			cp = '\n';
			break;
		case 'r':
			cp = '\r';
			break;
		case 't':
			cp = '\t';
			break;
		case 'u':
			cp = 0;
			for (int i = 2; i < 6; i++) {
				int d = p + i < end ? hexval(p[i]) : -1;
				if (d < 0)
					return -1;
				cp = cp << 4 | (unsigned)d;
			}
			p += 4;
			break;
		default:
			cp = (unsigned char)p[1];
			break;
		}
		p += 2;
		if (cp == 0 || n + 4 >= size)
			return -1;
		if (cp < 0x80) {
			buf[n++] = (char)cp;
		} else if (cp < 0x800) {
			buf[n++] = (char)(0xc0 | cp >> 6);
			buf[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			buf[n++] = (char)(0xe0 | cp >> 12);
			buf[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
			buf[n++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	buf[n] = '\0';
	return (long)n;
}

#define KEY_IS(k, ke, lit) ((size_t)((ke) - (k)) == sizeof(lit) - 1 && IS((k), (lit)))

/* A string value [v, ve) (with its quotes) as a number; false if not. */
static bool json_u64(const char *v, const char *ve, uint64_t *out)
{
	return ve - v >= 3 && *v == '"' && parse_u64(v + 1, ve - 1, 10, out);
}

/* One entry of `journalctl -o json`.  journald sets the fields that begin
 * with '_' itself, whatever the sender says (systemd.journal-fields(7)):
 * _TRANSPORT tells a kernel message (kernel) and an audit record (audit)
 * from anything a user process logged (syslog, journal, stdout). */
static enum scw_audit_parse journal_json(struct scw_audit_rec *r, const char *p, const char *end)
{
	const char *msg = NULL, *msg_end = NULL, *tr = NULL, *tr_end = NULL;
	uint64_t usec = 0, serial = 0;
	bool have_usec = false, have_serial = false;
	long n;

	for (p = json_space(p + 1, end);;) {
		const char *k, *ke, *v, *ve;
		if (p < end && *p == '}')
			break;
		if (p == end || *p != '"' || !(ke = json_string_end(p, end)))
			return SCW_AUDIT_OTHER;
		k = p + 1;
		ke--;
		p = json_space(ke + 1, end);
		if (p == end || *p != ':')
			return SCW_AUDIT_OTHER;
		v = json_space(p + 1, end);
		if (!(ve = json_value_end(v, end)))
			return SCW_AUDIT_OTHER;
		if (KEY_IS(k, ke, "MESSAGE")) {
			if (msg || *v != '"')
				return SCW_AUDIT_OTHER; /* binary, or said twice */
			msg = v + 1, msg_end = ve - 1;
		} else if (KEY_IS(k, ke, "_TRANSPORT")) {
			if (tr)
				return SCW_AUDIT_MALFORMED; /* journald says it once */
			tr = v, tr_end = ve;
		} else if (KEY_IS(k, ke, "_SOURCE_REALTIME_TIMESTAMP")) {
			have_usec = json_u64(v, ve, &usec);
		} else if (KEY_IS(k, ke, "_AUDIT_ID")) {
			have_serial = json_u64(v, ve, &serial);
		}
		p = json_space(ve, end);
		if (p < end && *p == ',')
			p = json_space(p + 1, end);
		else if (p == end || *p != '}')
			return SCW_AUDIT_OTHER;
	}
	if (!msg)
		return SCW_AUDIT_OTHER;
	n = json_unescape(msg, msg_end, r->msg_buf, sizeof(r->msg_buf));
	if (n < 0)
		return looks_like_record(r, msg, msg_end) ? SCW_AUDIT_MALFORMED : SCW_AUDIT_OTHER;
	p = r->msg_buf;
	end = p + n;
	if (tr && KEY_IS(tr + 1, tr_end - 1, "kernel")) {
		/* kmsg: "audit: type=1326 audit(...): ..." */
		return HAS(p, end, "audit: type=") ? printk(r, p + 12, end) : SCW_AUDIT_OTHER;
	}
	if (tr && KEY_IS(tr + 1, tr_end - 1, "audit")) {
		/* journald-audit.c: the type's name, a space, the text after the
		 * stamp; the stamp in _SOURCE_REALTIME_TIMESTAMP and _AUDIT_ID. */
		if (HAS(p, end, "SECCOMP "))
			r->type = SCW_REC_SECCOMP;
		else if (r->want_syscall && HAS(p, end, "SYSCALL "))
			r->type = SCW_REC_SYSCALL;
		else
			return SCW_AUDIT_OTHER;
		if (have_usec && have_serial &&
		    !set_stamp(r, usec / 1000000, usec / 1000 % 1000, serial))
			return SCW_AUDIT_MALFORMED;
		return finish(r, p + 8, end);
	}
	return looks_like_record(r, p, end) || HAS(p, end, "SECCOMP ") ? SCW_AUDIT_FORGED
								       : SCW_AUDIT_OTHER;
}

enum scw_audit_parse scw_audit_parse(const char *line, size_t len, struct scw_audit_rec *r)
{
	const char *end = line + len, *p = line, *q;
	enum scw_audit_parse res;

	r->fields = 0;
	r->text = false;
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
		p += *p == 'S' ? 8 : 5; /* the name or the number, and a space */
		if (!HAS(p, end, "msg="))
			return SCW_AUDIT_MALFORMED;
		p = parse_stamp(p + 4, end, r);
		if (!p)
			return SCW_AUDIT_MALFORMED;
		return finish(r, p, end);
	}
	if (HAS(p, end, "{"))
		return journal_json(r, p, end);
	/* The kernel's printk as dmesg shows it: "[  12.3] audit: type=1326".
	 * A bare message (dmesg -t) is also what journalctl -o cat prints of
	 * anything anyone logged: text. */
	q = kmsg_message(p, end);
	if (HAS(q, end, "audit: type=")) {
		r->text = q == p;
		return printk(r, q + 12, end);
	}
	if ((q = syslog_tag(p, end)) && text_record(r, q, end, &res))
		return res;
	return looks_like_record(r, p, end) ? SCW_AUDIT_FORGED : SCW_AUDIT_OTHER;
}

enum scw_audit_parse scw_audit_parse_body(enum scw_audit_type type, const char *body, size_t len,
					  struct scw_audit_rec *r)
{
	const char *end = body + len, *p;
	r->fields = 0;
	r->type = type;
	r->text = false;
	r->comm = r->exe = "";
	r->comm_len = r->exe_len = 0;
	p = parse_stamp(body, end, r);
	if (!p)
		return SCW_AUDIT_MALFORMED;
	return finish(r, p, end);
}
