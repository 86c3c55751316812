/* Scans the spec directory into an array of services, in the order they
 * run: onboot (lexical), services (lexical), onshutdown (lexical). A bundle
 * without config.json or rootfs/, with a bad name or a bad service.conf is
 * kept, marked broken with a one-line reason, so status can show it. */
#include "err.h"
#include "log.h"
#include "service.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SPECDIR_MAX_BUNDLES 256

static const struct {
	const char *dir;
	enum svc_kind kind;
} kinds[] = {
    {"onboot", KIND_ONBOOT},
    {"services", KIND_SERVICE},
    {"onshutdown", KIND_ONSHUTDOWN},
};

/* vsnprintf: the bound is checked by the caller where it matters, and gcc's
 * truncation analysis of long paths into short messages is only noise here. */
static bool fmt(char *buf, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));
static bool fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < size;
}

static int skip_dots(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static void check_bundle(struct service *s)
{
	char path[PATH_MAX + 32];
	struct stat st;
	struct kerr err = {0};

	if (!service_name_valid(s->name)) {
		fmt(s->error, sizeof(s->error), "%s: not a valid bundle name", s->dir);
	} else if (fmt(path, sizeof(path), "%s/config.json", s->dir) &&
		   (stat(path, &st) < 0 || !S_ISREG(st.st_mode))) {
		fmt(s->error, sizeof(s->error), "%s: no config.json", s->dir);
	} else if (fmt(path, sizeof(path), "%s/rootfs", s->dir) &&
		   (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))) {
		fmt(s->error, sizeof(s->error), "%s: no rootfs/ directory", s->dir);
	} else if (fmt(path, sizeof(path), "%s/service.conf", s->dir) &&
		   service_conf_load(path, &s->conf, &err) < 0) {
		kerr_str(&err, s->error, sizeof(s->error));
		service_conf_defaults(&s->conf);
	}
	s->broken = s->error[0] != '\0';
}

static void service_init(struct service *s, const char *parent, const char *name,
			 enum svc_kind kind)
{
	memset(s, 0, sizeof(*s));
	if (!fmt(s->name, sizeof(s->name), "%s", name) ||
	    !fmt(s->dir, sizeof(s->dir), "%s/%s", parent, name))
		fmt(s->error, sizeof(s->error), "%s/%.64s...: name too long", parent, name);
	s->kind = kind;
	service_conf_defaults(&s->conf);
	if (kind == KIND_ONBOOT) /* a hung job must not hold the boot forever */
		s->conf.start_timeout_ms = ONBOOT_TIMEOUT_MS;
	s->pidfd = s->log_rd = s->log_wr = s->notify_rd = -1;
	s->last_status = -1;
	s->deadline = -1;
	if (!s->error[0])
		check_bundle(s);
	s->broken = s->error[0] != '\0';
	s->state = s->broken ? ST_FAILED : ST_DOWN;
	if (s->broken)
		log_err("%s", s->error);
}

/* Appends the bundles of one kind; a missing folder is simply empty. */
static int scan_kind(const char *specdir, size_t k, struct service *arr, size_t *n)
{
	char parent[PATH_MAX];
	struct dirent **ents = NULL;
	int cnt;

	if (!fmt(parent, sizeof(parent), "%s/%s", specdir, kinds[k].dir))
		return -ENAMETOOLONG;
	cnt = scandir(parent, &ents, skip_dots, alphasort);
	if (cnt < 0)
		return errno == ENOENT ? 0 : -errno;
	for (int i = 0; i < cnt; i++) {
		if (*n < SPECDIR_MAX_BUNDLES)
			service_init(&arr[(*n)++], parent, ents[i]->d_name, kinds[k].kind);
		else
			log_err("%s/%s: more than %d bundles, ignored", parent, ents[i]->d_name,
				SPECDIR_MAX_BUNDLES);
		free(ents[i]);
	}
	free(ents);
	return 0;
}

/* The name is the container id and keelctl's handle: one bundle per name
 * across onboot/, services/ and onshutdown/. The later one is refused. */
static void refuse_duplicates(struct service *arr, size_t n)
{
	for (size_t j = 1; j < n; j++)
		for (size_t i = 0; i < j && !arr[j].broken; i++) {
			if (strcmp(arr[i].name, arr[j].name) != 0)
				continue;
			fmt(arr[j].error, sizeof(arr[j].error), "%s: name already used by %s",
			    arr[j].dir, arr[i].dir);
			arr[j].broken = true;
			arr[j].state = ST_FAILED;
			log_err("%s", arr[j].error);
		}
}

int specdir_scan(const char *specdir, struct service **out, size_t *n)
{
	struct service *arr = calloc(SPECDIR_MAX_BUNDLES, sizeof(*arr));
	struct service *fit;
	int r;

	*n = 0;
	if (!arr)
		return -ENOMEM;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if ((r = scan_kind(specdir, k, arr, n)) < 0)
			log_err("unable to read %s/%s: %s", specdir, kinds[k].dir, strerror(-r));
	refuse_duplicates(arr, *n);
	/* Give back the unused slots; pointers into the array are taken later. */
	fit = *n ? realloc(arr, *n * sizeof(*arr)) : NULL;
	if (*n && fit)
		arr = fit;
	if (!*n) {
		free(arr);
		arr = NULL;
	}
	*out = arr;
	return 0;
}
