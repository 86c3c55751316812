/* Strict keel.* option parser. One table row per option: its name, a value
 * parser and where in struct init_config it lands. A value is validated fully
 * before anything is stored, so a bad value leaves the default in place. */
#include "cmdline.h"
#include "log.h"
#include "parse.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#define KEEL_PREFIX "keel."

enum opt_kind { OPT_PATH, OPT_PATH_OR_EMPTY, OPT_HOSTNAME, OPT_BOOL, OPT_SECONDS };

struct opt {
	const char *name;
	enum opt_kind kind;
	size_t offset;	/* into struct init_config */
	size_t size;	/* of the char array, for strings */
	bool argv_only; /* refused on the kernel command line */
};

#define OPT_STR(n, k, field)                                                                       \
	{                                                                                          \
		n, k, offsetof(struct init_config, field),                                         \
		    sizeof(((struct init_config *)0)->field), false                                \
	}
#define OPT_FLAG(n, field)                                                                         \
	{                                                                                          \
		n, OPT_BOOL, offsetof(struct init_config, field), 0, false                         \
	}

static const struct opt opts[] = {
    OPT_STR("specdir", OPT_PATH, specdir),
    OPT_STR("runtime", OPT_PATH, runtime),
    OPT_STR("hostname", OPT_HOSTNAME, hostname),
    OPT_STR("logdir", OPT_PATH_OR_EMPTY, logdir),
    {"disktimeout", OPT_SECONDS, offsetof(struct init_config, disk_timeout_s), 0, false},
    OPT_FLAG("debug", debug),
    OPT_FLAG("echo", console_echo),
    OPT_FLAG("shell", debug_shell),
    /* Telling a container's init where it runs; on the machine's own command
     * line it would make PID 1 skip its mounts and exit at shutdown (panic). */
    {"container", OPT_BOOL, offsetof(struct init_config, in_container), 0, true},
};

static const struct {
	const char *word;
	bool value;
} bool_words[] = {
    {"1", true},  {"yes", true}, {"on", true},	 {"true", true},
    {"0", false}, {"no", false}, {"off", false}, {"false", false},
};

void cmdline_defaults(struct init_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->specdir, "/containers");
	strcpy(cfg->runtime, "/sbin/runc-shim");
	strcpy(cfg->hostname, "keel");
	cfg->console_echo = true;
	cfg->disk_timeout_s = 10;
}

static int parse_bool(const char *val, bool *out)
{
	if (!val) { /* a bare "keel.debug" means on, as for kernel flags */
		*out = true;
		return 0;
	}
	for (size_t i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]); i++) {
		if (strcmp(val, bool_words[i].word) == 0) {
			*out = bool_words[i].value;
			return 0;
		}
	}
	return -EINVAL;
}

/* Absolute, normalised enough that no component is "..": the path ends up in
 * mounts and execs of PID 1. */
static const char *check_path(const char *val, size_t size)
{
	if (val[0] != '/')
		return "must be an absolute path";
	if (strlen(val) >= size)
		return "path too long";
	for (const char *p = val; (p = strstr(p, "/..")) != NULL; p += 3)
		if (p[3] == '/' || p[3] == '\0')
			return "must not contain '..'";
	return NULL;
}

/* RFC 1123 host name: letters, digits, '-' and '.', not starting with '-'/'.'. */
static const char *check_hostname(const char *val, size_t size)
{
	if (!val[0])
		return "must not be empty";
	if (strlen(val) >= size)
		return "longer than 64 bytes";
	if (val[0] == '-' || val[0] == '.')
		return "must start with a letter or digit";
	if (strspn(val, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") !=
	    strlen(val))
		return "may hold only letters, digits, '-' and '.'";
	return NULL;
}

static const char *check_string(enum opt_kind kind, const char *val, size_t size)
{
	switch (kind) {
	case OPT_PATH_OR_EMPTY:
		if (!val[0])
			return NULL;
		return check_path(val, size);
	case OPT_PATH:
		return check_path(val, size);
	case OPT_HOSTNAME:
		return check_hostname(val, size);
	case OPT_BOOL:
	case OPT_SECONDS:
		break;
	}
	return "internal: not a string option";
}

static const struct opt *opt_find(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == len && memcmp(opts[i].name, key, len) == 0)
			return &opts[i];
	return NULL;
}

static int opt_apply(struct init_config *cfg, const struct opt *o, const char *val,
		     struct kerr *err)
{
	char *field = (char *)cfg + o->offset;
	const char *why;

	if (o->kind == OPT_BOOL) {
		bool b;
		if (parse_bool(val, &b) < 0)
			return kerr_set(err, 0, "keel.%s: bad value '%s' (want 0 or 1)", o->name,
					val);
		*(bool *)field = b;
		return 0;
	}
	if (!val)
		return kerr_set(err, 0, "keel.%s: missing value", o->name);
	if (o->kind == OPT_SECONDS) {
		uint64_t v;

		if (parse_u64(val, 600, &v) < 0 || v == 0)
			return kerr_set(err, 0, "keel.%s: bad value '%.64s' (want 1..600 seconds)",
					o->name, val);
		unsigned u = (unsigned)v;
		memcpy(field, &u, sizeof(u)); /* field is a char * into cfg */
		return 0;
	}
	if ((why = check_string(o->kind, val, o->size)) != NULL)
		return kerr_set(err, 0, "keel.%s: bad value '%.64s': %s", o->name, val, why);
	memcpy(field, val, strlen(val) + 1);
	return 0;
}

static int apply_word(struct init_config *cfg, const char *word, bool kernel, struct kerr *err)
{
	const char *key, *eq;
	const struct opt *o;

	if (strncmp(word, KEEL_PREFIX, strlen(KEEL_PREFIX)) != 0)
		return 0;
	key = word + strlen(KEEL_PREFIX);
	eq = strchr(key, '=');
	o = opt_find(key, eq ? (size_t)(eq - key) : strlen(key));
	if (!o)
		return kerr_set(err, 0, "%.*s: unknown option", (int)(eq ? eq - word : 80), word);
	if (kernel && o->argv_only)
		return kerr_set(err, 0,
				"keel.%s: refused on the kernel command line (only as an argument "
				"of an init that is not the machine's)",
				o->name);
	return opt_apply(cfg, o, eq ? eq + 1 : NULL, err);
}

int cmdline_apply_word(struct init_config *cfg, const char *word, struct kerr *err)
{
	return apply_word(cfg, word, false, err);
}

static int apply_logged(struct init_config *cfg, const char *word, bool kernel)
{
	struct kerr err;
	char buf[600];

	if (apply_word(cfg, word, kernel, &err) == 0)
		return 0;
	log_warn("%s; using the default", kerr_str(&err, buf, sizeof(buf)));
	return 1;
}

/* Copies the next word of *s into buf (quotes removed); returns false at the
 * end of the text. A word that does not fit is returned empty-cut with *cut
 * set, so a truncated value is never applied. */
static bool next_word(const char **s, char *buf, size_t size, bool *cut)
{
	const char *p = *s;
	bool quoted = false;
	size_t n = 0;

	*cut = false;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return false;
	for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (n + 1 < size)
			buf[n++] = *p;
		else
			*cut = true;
	}
	buf[n] = '\0';
	*s = p;
	return true;
}

int cmdline_apply_text(struct init_config *cfg, const char *text)
{
	char word[PATH_MAX + 32];
	bool cut;
	int bad = 0;

	while (next_word(&text, word, sizeof(word), &cut)) {
		if (cut && strncmp(word, KEEL_PREFIX, strlen(KEEL_PREFIX)) == 0) {
			log_warn("%.40s...: option too long; using the default", word);
			bad++;
			continue;
		}
		bad += apply_logged(cfg, word, true);
	}
	return bad;
}

int cmdline_apply_argv(struct init_config *cfg, int argc, char *const *argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++)
		bad += apply_logged(cfg, argv[i], false);
	return bad;
}
