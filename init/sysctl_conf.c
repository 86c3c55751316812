/* See sysctl_conf.h. Parsing is pure and line by line: a bad line is
 * reported as FILE:LINE: reason and skipped, every other line still counts.
 * Applying opens each /proc/sys file itself (no shell, no sysctl binary). */
#include "sysctl_conf.h"
#include "etc_file.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 512

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A dotted name of [A-Za-z0-9_-] parts: nothing that could walk out of
 * /proc/sys ("..", "/") or name an empty component. */
static const char *key_problem(const char *k, size_t n)
{
	if (n == 0)
		return "missing key before '='";
	if (n >= SYSCTL_KEY_MAX)
		return "key too long";
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_' || c == '-';
		if (c == '.' && (i == 0 || i + 1 == n || k[i - 1] == '.'))
			return "empty part in key";
		if (c != '.' && !word)
			return "key may hold only letters, digits, '_', '-' and '.'";
	}
	return NULL;
}

static const char *value_problem(const char *v, size_t n)
{
	if (n == 0)
		return "missing value after '='";
	if (n >= SYSCTL_VALUE_MAX)
		return "value too long";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
			return "value holds a control or non-ASCII byte";
	return NULL;
}

static void trim(const char **s, size_t *n)
{
	while (*n && blank(**s))
		(*s)++, (*n)--;
	while (*n && blank((*s)[*n - 1]))
		(*n)--;
}

/* One line (without its newline): 1 setting, 0 nothing, or a reason. */
static int parse_line(const char *line, size_t len, struct sysctl_setting *out, const char **why)
{
	const char *eq, *key = line, *val;
	size_t nk, nv;

	trim(&key, &len);
	if (len == 0 || key[0] == '#')
		return 0;
	if (len > LINE_MAX_LEN || memchr(key, '\0', len)) {
		*why = len > LINE_MAX_LEN ? "line too long" : "NUL byte in line";
		return -1;
	}
	if (!(eq = memchr(key, '=', len))) {
		*why = "expected 'key = value'";
		return -1;
	}
	nk = (size_t)(eq - key);
	val = eq + 1;
	nv = len - nk - 1;
	trim(&key, &nk);
	trim(&val, &nv);
	if ((*why = key_problem(key, nk)) || (*why = value_problem(val, nv)))
		return -1;
	memcpy(out->key, key, nk);
	out->key[nk] = '\0';
	memcpy(out->value, val, nv);
	out->value[nv] = '\0';
	return 1;
}

unsigned sysctl_conf_parse(const char *text, size_t len, const char *file,
			   const struct sysctl_conf_cb *cb)
{
	unsigned bad = 0, lineno = 0;

	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos), *why = NULL;
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		struct sysctl_setting s = {.line = ++lineno};
		int r = parse_line(text + pos, n, &s, &why);

		if (r > 0) {
			cb->setting(&s, cb->ctx);
		} else if (r < 0) {
			char msg[SYSCTL_KEY_MAX + 256];
			snprintf(msg, sizeof(msg), "%s:%u: %s", file, lineno, why);
			cb->bad(msg, cb->ctx);
			bad++;
		}
		pos += n + 1;
	}
	return bad;
}

void sysctl_proc_path(const char *key, char *out, size_t size)
{
	snprintf(out, size, "/proc/sys/%s", key);
	for (char *p = out + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
}

struct apply_count {
	unsigned applied, failed;
};

static void apply_one(const struct sysctl_setting *s, void *ctx)
{
	struct apply_count *c = ctx;
	char path[sizeof("/proc/sys/") + SYSCTL_KEY_MAX];
	int r;

	sysctl_proc_path(s->key, path, sizeof(path));
	if ((r = write_file(path, s->value)) < 0) {
		log_warn("%s:%u: %s: unable to write %s: %s", SYSCTL_CONF_PATH, s->line, s->key,
			 path, r == -ENOENT ? "no such sysctl" : strerror(-r));
		c->failed++;
		return;
	}
	c->applied++;
}

static void report_bad(const char *msg, void *ctx)
{
	struct apply_count *c = ctx;

	log_warn("%s", msg);
	c->failed++;
}

void sysctl_conf_apply(const struct init_config *cfg)
{
	struct apply_count count = {0, 0};
	const struct sysctl_conf_cb cb = {apply_one, report_bad, &count};
	char *text = NULL;
	ssize_t n;

	if (!cfg->pid1 || cfg->in_container)
		return; /* kernel-wide knobs: the machine's init only */
	if ((n = etc_file_read(SYSCTL_CONF_PATH, 64 * 1024, &text)) < 0) {
		if (n != -ENOENT)
			log_warn("%s: unable to read: %s", SYSCTL_CONF_PATH,
				 n == -EINVAL ? "not a regular file" : strerror((int)-n));
		return;
	}
	sysctl_conf_parse(text, (size_t)n, SYSCTL_CONF_PATH, &cb);
	free(text);
	log_info("sysctl: %u settings applied from %s%s", count.applied, SYSCTL_CONF_PATH,
		 count.failed ? " (some lines failed: see above)" : "");
}
