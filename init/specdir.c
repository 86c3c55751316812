/* Scans the spec directory into an array of services, in the order they
 * run: onboot (lexical), services (lexical), onshutdown (lexical). A bundle
 * without config.json or rootfs/, with a bad name or a bad service.conf is
 * kept, marked broken with a one-line reason, so status can show it. */
#include "err.h"
#include "log.h"
#include "service.h"
#include "specdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


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

static void stamp_of(const struct service *s, const char *file, struct file_stamp *out)
{
	char path[PATH_MAX + 32];
	struct stat st;

	memset(out, 0, sizeof(*out));
	if (fmt(path, sizeof(path), "%s/%s", s->dir, file) && stat(path, &st) == 0)
		*out = (struct file_stamp){(uint64_t)st.st_dev, (uint64_t)st.st_ino,
					   (uint64_t)st.st_size,
					   (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
}

static void take_stamps(const struct service *s, struct file_stamp stamps[2])
{
	stamp_of(s, "config.json", &stamps[0]);
	stamp_of(s, "service.conf", &stamps[1]);
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
	take_stamps(s, s->stamps);
	s->bad_bundle = s->error[0] != '\0';
}

static void conf_defaults(struct service *s)
{
	service_conf_defaults(&s->conf);
	if (s->kind == KIND_ONBOOT) /* a hung job must not hold the boot forever */
		s->conf.start_timeout_ms = ONBOOT_TIMEOUT_MS;
}

void specdir_reload(struct service *s)
{
	s->error[0] = '\0';
	conf_defaults(s);
	check_bundle(s);
	s->broken = s->bad_bundle;
	s->order_broken = false;
	s->crashes = 0;
	if (s->broken)
		log_err("%s", s->error);
}

static void service_init(struct service *s, const char *parent, const char *name,
			 enum svc_kind kind)
{
	memset(s, 0, sizeof(*s));
	if (!fmt(s->name, sizeof(s->name), "%s", name) ||
	    !fmt(s->dir, sizeof(s->dir), "%s/%s", parent, name))
		fmt(s->error, sizeof(s->error), "%s/%.64s...: name too long", parent, name);
	s->kind = kind;
	conf_defaults(s);
	s->pidfd = s->log_rd = s->log_wr = s->notify_rd = -1;
	s->last_status = -1;
	s->deadline = -1;
	if (!s->error[0])
		check_bundle(s);
	s->bad_bundle = s->broken = s->error[0] != '\0';
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
		for (size_t i = 0; i < j && !arr[j].bad_bundle && !arr[j].gone; i++) {
			if (arr[i].gone || strcmp(arr[i].name, arr[j].name) != 0)
				continue;
			fmt(arr[j].error, sizeof(arr[j].error), "%s: name already used by %s",
			    arr[j].dir, arr[i].dir);
			arr[j].broken = arr[j].bad_bundle = true;
			arr[j].state = ST_FAILED;
			log_err("%s", arr[j].error);
		}
}

int specdir_scan(const char *specdir, struct service **out, size_t *n)
{
	struct service *arr = calloc(SPECDIR_MAX_BUNDLES, sizeof(*arr));
	int r;

	*n = 0;
	if (!arr)
		return -ENOMEM;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if ((r = scan_kind(specdir, k, arr, n)) < 0)
			log_err("unable to read %s/%s: %s", specdir, kinds[k].dir, strerror(-r));
	refuse_duplicates(arr, *n);
	/* All slots stay: a rescan adds into them, and pointers into the array
	 * (log watches, logs -f) must never move. Untouched slots cost no RSS. */
	*out = arr;
	return 0;
}

static struct service *find_kind(struct service *arr, size_t n, const struct service *like)
{
	for (size_t i = 0; i < n; i++)
		if (!arr[i].gone && arr[i].kind == like->kind && !strcmp(arr[i].name, like->name))
			return &arr[i];
	return NULL;
}

/* A new bundle into the gone slot of its name (its log goes on), or a new one. */
static void add_bundle(struct service *arr, size_t *n, const struct service *fresh)
{
	struct service *slot = NULL;

	for (size_t i = 0; i < *n && !slot; i++)
		if (arr[i].gone && !strcmp(arr[i].name, fresh->name))
			slot = &arr[i];
	if (slot) {
		struct service keep = *slot; /* the log: ring, pipe, watch, file */

		*slot = *fresh;
		slot->log = keep.log;
		slot->log_times = keep.log_times;
		slot->log_rd = keep.log_rd;
		slot->log_wr = keep.log_wr;
		slot->log_watch = keep.log_watch;
	} else if (*n < SPECDIR_MAX_BUNDLES) {
		slot = &arr[(*n)++];
		*slot = *fresh;
	} else {
		log_err("%s: more than %d bundles, ignored", fresh->dir, SPECDIR_MAX_BUNDLES);
		return;
	}
	slot->rescan = RS_ADDED;
}

int specdir_rescan(const char *specdir, struct service *arr, size_t *n)
{
	struct service *fresh = NULL;
	size_t nf = 0, old_n = *n;
	int r;

	if ((r = specdir_scan(specdir, &fresh, &nf)) < 0)
		return r;
	for (size_t i = 0; i < old_n; i++) {
		struct service *s = &arr[i];
		struct service *now = find_kind(fresh, nf, s);
		struct file_stamp st[2];

		if (s->gone)
			continue;
		take_stamps(s, st);
		if (!now)
			s->rescan = RS_REMOVED;
		else if (memcmp(st, s->stamps, sizeof(st)) != 0 || now->bad_bundle != s->bad_bundle)
			s->rescan = RS_CHANGED;
	}
	for (size_t i = 0; i < nf; i++)
		if (!find_kind(arr, old_n, &fresh[i]))
			add_bundle(arr, n, &fresh[i]);
	refuse_duplicates(arr, *n);
	free(fresh);
	return 0;
}
