/* State directories and state.json; see state.h. state.json is ours (only
 * runc-shim writes it), but it is still parsed strictly. */
#include "state.h"
#include "cgroups.h"
#include "io.h"
#include "parse.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int state_check_id(const char *id, struct kerr *err)
{
	size_t n = strlen(id);

	if (n == 0 || n >= sizeof(((struct state *)0)->id) || id[0] == '.' ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.") != n)
		return kerr_set(err, 0, "invalid container ID \"%s\"", id);
	return 0;
}

/* Everything under --root is trusted (state.json says which pid to kill,
 * the seccomp cache holds filters): only if nobody else could have
 * written there. A root that does not exist yet holds nothing. */
int state_root_check(const char *root, struct kerr *err)
{
	struct stat st;

	if (stat(root, &st) < 0)
		return errno == ENOENT ? 0 : kerr_set(err, errno, "--root %s", root);
	if (!S_ISDIR(st.st_mode))
		return kerr_set(err, ENOTDIR, "--root %s", root);
	if (st.st_uid != geteuid())
		return kerr_set(err, EPERM, "--root %s: owned by uid %u, not by us (%u)", root,
				(unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return kerr_set(err, EPERM, "--root %s: writable by group or others (mode %03o)",
				root, (unsigned)(st.st_mode & 0777));
	return 0;
}

int state_root_create(const char *root, struct kerr *err)
{
	char path[4096];
	size_t len = strlen(root);

	if (len == 0 || len >= sizeof(path))
		return kerr_set(err, ENAMETOOLONG, "--root");
	memcpy(path, root, len + 1);
	/* mkdir -p, as runc: containerd passes /run/containerd/runc/NS. */
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return kerr_set(err, errno, "unable to create state root %s", path);
		if (!(*p = c))
			return state_root_check(root, err);
	}
}

int state_dir_create(const char *root, const char *id, int *dirfd, struct kerr *err)
{
	autoclose int rfd = -1;
	int r;

	if ((r = state_root_create(root, err)) < 0)
		return r;
	if ((rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "unable to open state root %s", root);
	/* 0711: the container's (mapped) root reopens exec.fifo by fd, but
	 * nobody may list the directory. */
	if (mkdirat(rfd, id, 0711) < 0)
		return errno == EEXIST ? kerr_set(err, EEXIST, "container \"%s\"", id)
				       : kerr_set(err, errno, "unable to create %s/%s", root, id);
	if ((*dirfd = openat(rfd, id, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "unable to open %s/%s", root, id);
	return 0;
}

int state_dir_open(const char *root, const char *id, int *dirfd, struct kerr *err)
{
	char path[4096];

	if (state_root_check(root, err) < 0)
		return -EPERM;
	snprintf(path, sizeof(path), "%s/%s", root, id);
	if ((*dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? kerr_set(err, 0, "container \"%s\" does not exist", id)
				       : kerr_set(err, errno, "unable to open %s", path);
	return 0;
}

int state_dir_remove(const char *root, const char *id, struct kerr *err)
{
	static const char *const files[] = {"state.json", "state.json.tmp", STATE_FIFO,
					    "summary" /* summary.c */};
	autoclose int dfd = -1;
	int r = state_dir_open(root, id, &dfd, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (unlinkat(dfd, files[i], 0) < 0 && errno != ENOENT)
			return kerr_set(err, errno, "unable to remove %s/%s/%s", root, id,
					files[i]);
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, id);
	if (rmdir(path) < 0 && errno != ENOENT)
		return kerr_set(err, errno, "unable to remove %s", path);
	return 0;
}

char *state_to_json(const struct state *s, enum state_status st)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "ociVersion", "1.0.2");
	cJSON_AddStringToObject(o, "id", s->id);
	cJSON_AddNumberToObject(o, "pid", st == ST_STOPPED ? 0 : s->pid);
	cJSON_AddStringToObject(o, "status", state_status_name(st));
	cJSON_AddStringToObject(o, "bundle", s->bundle);
	cJSON_AddStringToObject(o, "rootfs", s->rootfs);
	cJSON_AddStringToObject(o, "created", s->created);
	cJSON_AddStringToObject(o, "owner", "");
	if (s->annotations[0])
		cJSON_AddRawToObject(o, "annotations", s->annotations);
	text = cJSON_Print(o);
	cJSON_Delete(o);
	return text;
}

/* state.json = runc's shape plus what runc-shim needs later. */
int state_write(int dirfd, const struct state *s, struct kerr *err)
{
	cJSON *o = cJSON_CreateObject();
	autofree char *text = NULL;
	autoclose int fd = -1;
	char start[24];

	snprintf(start, sizeof(start), "%llu", (unsigned long long)s->start_time);
	if (!o || !cJSON_AddStringToObject(o, "id", s->id) ||
	    !cJSON_AddNumberToObject(o, "pid", s->pid) ||
	    !cJSON_AddStringToObject(o, "pid_start", start) ||
	    !cJSON_AddStringToObject(o, "bundle", s->bundle) ||
	    !cJSON_AddStringToObject(o, "rootfs", s->rootfs) ||
	    !cJSON_AddStringToObject(o, "cgroup", s->cgroup) ||
	    !cJSON_AddStringToObject(o, "created", s->created) ||
	    (s->annotations[0] && !cJSON_AddRawToObject(o, "annotations", s->annotations)) ||
	    !(text = cJSON_PrintUnformatted(o))) {
		cJSON_Delete(o);
		return kerr_set(err, ENOMEM, "state.json");
	}
	cJSON_Delete(o);
	fd = openat(dirfd, "state.json.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	/* No fsync: the state root is runtime state (tmpfs /run), like runc's. */
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0)
		return kerr_set(err, errno, "unable to write state.json.tmp");
	if (renameat(dirfd, "state.json.tmp", dirfd, "state.json") < 0)
		return kerr_set(err, errno, "unable to rename state.json");
	return 0;
}

static int copy_str(const cJSON *o, const char *key, char *out, size_t size)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v) || strlen(v->valuestring) >= size)
		return -EINVAL;
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
	return 0;
}

/* The optional "annotations" object back to compact text. */
static int read_annotations(const cJSON *o, char *out, size_t size)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "annotations");

	out[0] = '\0';
	if (!v)
		return 0;
	return cJSON_IsObject(v) && cJSON_PrintPreallocated(v, out, (int)size, 0) ? 0 : -EINVAL;
}

int state_read(const char *root, const char *id, struct state *s, struct kerr *err)
{
	char path[4096], start[24];
	autofree char *text = NULL;
	const cJSON *pid;
	cJSON *o;
	int bad;

	if (state_check_id(id, err) < 0)
		return -EINVAL;
	if (state_root_check(root, err) < 0)
		return -EPERM;
	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/%s/state.json", root, id);
	if (read_file_alloc(path, 1 << 20, &text) < 0)
		return errno == ENOENT ? kerr_set(err, 0, "container \"%s\" does not exist", id)
				       : kerr_set(err, errno, "unable to read %s", path);
	if (!(o = cJSON_Parse(text)))
		return kerr_set(err, 0, "%s: invalid JSON", path);
	pid = cJSON_GetObjectItemCaseSensitive(o, "pid");
	bad = !cJSON_IsNumber(pid) || copy_str(o, "id", s->id, sizeof(s->id)) ||
	      copy_str(o, "pid_start", start, sizeof(start)) ||
	      copy_str(o, "bundle", s->bundle, sizeof(s->bundle)) ||
	      copy_str(o, "rootfs", s->rootfs, sizeof(s->rootfs)) ||
	      copy_str(o, "cgroup", s->cgroup, sizeof(s->cgroup)) ||
	      copy_str(o, "created", s->created, sizeof(s->created)) ||
	      parse_u64(start, UINT64_MAX, &s->start_time) < 0 ||
	      read_annotations(o, s->annotations, sizeof(s->annotations));
	if (!bad)
		s->pid = (pid_t)pid->valueint;
	cJSON_Delete(o);
	if (bad || s->pid < 0) /* 0: create has not cloned the init yet */
		return kerr_set(err, 0, "%s: corrupt state", path);
	return 0;
}

uint64_t state_pid_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	uint64_t t = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file(path, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')))
		return 0;
	/* After "(comm)" the 1st space precedes field 3, the 20th field 22
	 * (starttime). */
	for (int i = 0; i < 20 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", (unsigned long long *)&t) != 1)
		return 0;
	return t;
}

enum state_status state_status(const char *root, const struct state *s)
{
	char path[4096], v2[PATH_MAX];
	char buf[512];

	if (s->pid <= 0 || state_pid_start_time(s->pid) != s->start_time)
		return ST_STOPPED;
	/* A zombie is stopped too: the container's process has exited. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)s->pid);
	if (read_file(path, buf, sizeof(buf)) > 0) {
		const char *p = strrchr(buf, ')');
		if (p && (p[2] == 'Z' || p[2] == 'X'))
			return ST_STOPPED;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", root, s->id, STATE_FIFO);
	if (access(path, F_OK) == 0)
		return ST_CREATED;
	if (!s->cgroup[0] || (size_t)snprintf(path, sizeof(path), "%s/cgroup.freeze",
					       cgroup_v2_dir(s->cgroup, v2)) >= sizeof(path))
		return ST_RUNNING;
	return read_file(path, buf, sizeof(buf)) > 0 && buf[0] == '1' ? ST_PAUSED : ST_RUNNING;
}

const char *state_status_name(enum state_status st)
{
	static const char *const names[] = {"created", "running", "stopped", "paused"};
	return names[st];
}

/* Opens a pidfd for the container init, checking it is still the process
 * state.json recorded (start time) after the pidfd pins it. */
int state_pidfd(const struct state *s, struct kerr *err)
{
	int fd = (int)syscall(SYS_pidfd_open, s->pid, 0);

	if (fd < 0)
		return kerr_set(err, errno, "container \"%s\" is not running", s->id);
	if (state_pid_start_time(s->pid) != s->start_time) {
		close(fd);
		return kerr_set(err, ESRCH, "container \"%s\" is not running", s->id);
	}
	return fd;
}

int state_ns_pids(pid_t init, pid_t *pids, size_t max)
{
	char path[64];
	struct stat want, st;
	struct dirent *e;
	DIR *d;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)init);
	if (stat(path, &want) < 0 || stat("/proc/self/ns/pid", &st) < 0)
		return -errno;
	/* A container sharing our pid namespace: everything would match. */
	if (st.st_ino == want.st_ino && st.st_dev == want.st_dev) {
		pids[0] = init;
		return max ? 1 : 0;
	}
	if (!(d = opendir("/proc")))
		return -errno;
	while ((e = readdir(d)) && n < max) {
		long pid;
		if (parse_long(e->d_name, 1, INT32_MAX, &pid) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
		if (stat(path, &st) == 0 && st.st_ino == want.st_ino && st.st_dev == want.st_dev)
			pids[n++] = (pid_t)pid;
	}
	closedir(d);
	return (int)n;
}
