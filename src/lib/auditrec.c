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
		p += *p == 'S' ? 8 : 5; /* the name or the number, and a space */
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
