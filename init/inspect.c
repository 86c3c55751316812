/* keelctl inspect NAME [--json]: what a service can do, read from its live
 * process (/proc/PID/{status,uid_map,gid_map,ns/,mountinfo,cgroup}, the
 * cgroup's limit files) and from the key=value summary runc-shim writes at
 * create (the seccomp profile's size: PID 1 parses no JSON). In the spirit of
 * `systemd-analyze security`: what it holds, not what it asked for. Also
 * `exec NAME`: where keelctl exec finds the running container (runtime,
 * state root, id); keelctl runs `runc-shim exec` itself, PID 1 relays no I/O. */
#include "inspect.h"
#include "config.h"
#include "control.h"
#include "etc_file.h"
#include "io.h"
#include "parse.h"
#include "service.h"
#include "supervisor_ctl.h"
#include "svc_run.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SUMMARY_PATH SVC_RUNC_ROOT "/%s/summary"
#define WRITABLE_MAX 24

enum { CAP_INH, CAP_PRM, CAP_EFF, CAP_BND, CAP_AMB, CAP_SETS };

static const char *const cap_fields[CAP_SETS] = {
    "CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"};
static const char *const ns_names[] = {"user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time"};
#define NS_N (sizeof(ns_names) / sizeof(ns_names[0]))
/* The order of linux/capability.h: names without the CAP_ prefix. */
/* clang-format off */
static const char *const cap_names[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
    "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK",
    "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
    "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE",
    "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE",
    "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
    "CHECKPOINT_RESTORE",
};
/* clang-format on */
/* The summary's keys (runc-shim/summary.c); others are ignored (newer shim). */
static const char *const summary_keys[] = {"seccomp_rules", "seccomp_syscalls", "seccomp_default",
					   "masked_paths",  "readonly_paths",	"devices"};
#define SUMMARY_N (sizeof(summary_keys) / sizeof(summary_keys[0]))
static const char *const limit_files[] = {"memory.max", "pids.max", "cpu.max"};
#define LIMITS_N (sizeof(limit_files) / sizeof(limit_files[0]))

struct inspect_info {
	pid_t pid;
	uint64_t uid[4], gid[4]; /* real, effective, saved, fs */
	uint64_t cap[CAP_SETS];
	uint64_t no_new_privs, seccomp, seccomp_filters;
	char uid_map[160], gid_map[160];
	bool ns_shared[NS_N];
	bool root_ro;
	char writable[WRITABLE_MAX][128];
	unsigned n_writable;
	char limit[LIMITS_N][48];
	char summary[SUMMARY_N][32];
};

static bool parse_hex64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0 || n == 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return n > 0;
}

/* "Uid:\t1\t2\t3\t4" -> out[0..3]; the kernel's format, still checked. */
static int parse_ids(char *v, uint64_t out[4])
{
	char *save = NULL, *w = strtok_r(v, " \t", &save);

	for (int i = 0; i < 4; i++, w = strtok_r(NULL, " \t", &save))
		if (!w || parse_u64(w, UINT32_MAX, &out[i]) < 0)
			return -EINVAL;
	return 0;
}

static int status_field(struct inspect_info *in, const char *key, char *v)
{
	const struct {
		const char *key;
		uint64_t *to;
	} numbers[] = {
	    {"NoNewPrivs:", &in->no_new_privs},
	    {"Seccomp:", &in->seccomp},
	    {"Seccomp_filters:", &in->seccomp_filters},
	};

	if (!strcmp(key, "Uid:"))
		return parse_ids(v, in->uid);
	if (!strcmp(key, "Gid:"))
		return parse_ids(v, in->gid);
	for (int i = 0; i < CAP_SETS; i++)
		if (!strcmp(key, cap_fields[i]))
			return parse_hex64(v, &in->cap[i]) ? 0 : -EINVAL;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		if (!strcmp(key, numbers[i].key))
			return parse_u64(v, UINT32_MAX, numbers[i].to);
	return 0; /* a line inspect does not show */
}

static int read_status(struct inspect_info *in)
{
	char path[64], text[4096], *save = NULL;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)in->pid);
	if ((n = read_file(path, text, sizeof(text))) < 0)
		return (int)n;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		while (tab[1] == '\t' || tab[1] == ' ')
			tab++;
		if (status_field(in, line, tab + 1) < 0)
			return -EINVAL;
	}
	return 0;
}

/* "         0  727418528      65536\n" lines -> "0 727418528 65536, ..." */
static void read_map(pid_t pid, const char *which, char *out, size_t size)
{
	char path[64], text[512], *lsave = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, which);
	out[0] = '\0';
	if (read_file(path, text, sizeof(text)) < 0)
		return;
	for (char *line = strtok_r(text, "\n", &lsave); line; line = strtok_r(NULL, "\n", &lsave)) {
		const char *sep = len ? ", " : "";
		char *wsave = NULL;
		for (char *w = strtok_r(line, " \t", &wsave); w;
		     w = strtok_r(NULL, " \t", &wsave)) {
			if (len + strlen(sep) + strlen(w) + 1 >= size)
				return;
			len += (size_t)snprintf(out + len, size - len, "%s%s", sep, w);
			sep = " ";
		}
	}
}

static void read_namespaces(struct inspect_info *in)
{
	for (size_t i = 0; i < NS_N; i++) {
		char p[64], mine[64], theirs[64];
		ssize_t a, b;

		snprintf(p, sizeof(p), "/proc/self/ns/%s", ns_names[i]);
		a = readlink(p, mine, sizeof(mine) - 1);
		snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)in->pid, ns_names[i]);
		b = readlink(p, theirs, sizeof(theirs) - 1);
		in->ns_shared[i] = a > 0 && a == b && !memcmp(mine, theirs, (size_t)a);
	}
}

/* mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SRC SUPER".
 * The last "/" line is the root the process sees (mounts stack). */
static void mount_line(struct inspect_info *in, char *line)
{
	char *f[6], *save = NULL, *type = NULL;
	int n = 0;

	for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (n < 6)
			f[n++] = w;
		else if (!strcmp(w, "-")) {
			type = strtok_r(NULL, " ", &save);
			break;
		}
	}
	if (n < 6 || !type)
		return;
	bool rw = !strncmp(f[5], "rw", 2) && (f[5][2] == ',' || !f[5][2]);
	if (!strcmp(f[4], "/"))
		in->root_ro = !rw;
	else if (rw && in->n_writable < WRITABLE_MAX)
		snprintf(in->writable[in->n_writable++], sizeof(in->writable[0]), "%.80s (%.30s)",
			 f[4], type);
}

static void read_mounts(struct inspect_info *in)
{
	char path[64], *text = NULL, *save = NULL;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)in->pid);
	if (read_file_alloc(path, 256 * 1024, &text) < 0)
		return;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		mount_line(in, line);
	free(text);
}

/* The limits of the service's cgroup: the one PID 1 recorded at start (a
 * nested runtime such as containerd moves its own process into a child of
 * it), else the one the process is in ("0::/path" in /proc/PID/cgroup). */
static void read_limits(const struct service *s, struct inspect_info *in)
{
	char path[PATH_MAX], text[1024], *line;
	const char *cg = s->cgroup;

	for (size_t i = 0; i < LIMITS_N; i++)
		snprintf(in->limit[i], sizeof(in->limit[i]), "-");
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)in->pid);
	if (!cg[0]) {
		if (read_file(path, text, sizeof(text)) < 0 || !(line = strstr(text, "0::/")))
			return;
		line[strcspn(line, "\n")] = '\0';
		cg = line + 3;
	}
	for (size_t i = 0; i < LIMITS_N; i++) {
		char v[48];
		if (snprintf(path, sizeof(path), "/sys/fs/cgroup%s/%s", cg, limit_files[i]) >=
			(int)sizeof(path) ||
		    read_file(path, v, sizeof(v)) < 0)
			continue;
		v[strcspn(v, "\n")] = '\0';
		snprintf(in->limit[i], sizeof(in->limit[i]), "%s", v);
	}
}

/* runc-shim's summary: strict key=value lines of [a-z0-9_] words. */
static void read_summary(const char *name, struct inspect_info *in)
{
	char path[PATH_MAX], *text = NULL, *save = NULL;

	for (size_t i = 0; i < SUMMARY_N; i++)
		snprintf(in->summary[i], sizeof(in->summary[i]), "?");
	snprintf(path, sizeof(path), SUMMARY_PATH, name);
	if (etc_file_read(path, 4096, &text) < 0)
		return;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (!eq || !eq[1] || strlen(eq + 1) >= sizeof(in->summary[0]) ||
		    eq[1 + strspn(eq + 1, "abcdefghijklmnopqrstuvwxyz0123456789_")])
			continue;
		*eq = '\0';
		for (size_t i = 0; i < SUMMARY_N; i++)
			if (!strcmp(line, summary_keys[i]))
				snprintf(in->summary[i], sizeof(in->summary[i]), "%s", eq + 1);
	}
	free(text);
}

static bool service_running(const struct service *s)
{
	return s->pid > 0 && !s->exited &&
	       (s->state == ST_RUNNING || s->state == ST_READY || s->state == ST_STOPPING);
}

static int inspect_collect(const struct service *s, struct inspect_info *in)
{
	int r;

	memset(in, 0, sizeof(*in));
	in->pid = s->pid;
	if ((r = read_status(in)) < 0)
		return r;
	read_map(in->pid, "uid_map", in->uid_map, sizeof(in->uid_map));
	read_map(in->pid, "gid_map", in->gid_map, sizeof(in->gid_map));
	read_namespaces(in);
	read_mounts(in);
	read_limits(s, in);
	read_summary(s->name, in);
	return 0;
}

/* Capabilities over PID 1's user namespace: only a process that shares it
 * holds any; one in its own user namespace holds them there only. */
static uint64_t host_caps(const struct inspect_info *in)
{
	return in->ns_shared[0] ? in->cap[CAP_PRM] | in->cap[CAP_AMB] : 0;
}

static uint64_t own_caps(const struct inspect_info *in)
{
	return in->ns_shared[0] ? 0 : in->cap[CAP_PRM] | in->cap[CAP_AMB];
}

bool inspect_host_caps(const struct service *s)
{
	struct inspect_info in = {.pid = s->pid};

	if (!service_running(s) || read_status(&in) < 0)
		return false;
	read_namespaces(&in);
	return host_caps(&in) != 0;
}

/* One printer for both forms: text "key  value" lines, or one JSON object. */
enum kind { K_NUM, K_STR, K_NUMS, K_LIST }; /* NUMS: space-separated; LIST: ", " */

struct out {
	struct ctl_reply *r;
	bool json, first;
};

static void put_json_list(struct out *o, const char *v, const char *sep, bool quoted)
{
	size_t step = strlen(sep);
	char item[256];

	reply_printf(o->r, "[");
	for (const char *p = v; *p;) {
		const char *end = strstr(p, sep);
		size_t n = end ? (size_t)(end - p) : strlen(p);
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (quoted)
			reply_json_string(o->r, item);
		else
			reply_printf(o->r, "%s", item);
		p += n;
		if (*p) {
			p += step;
			reply_printf(o->r, ",");
		}
	}
	reply_printf(o->r, "]");
}

static void put(struct out *o, const char *key, enum kind k, const char *v)
{
	if (!o->json) {
		reply_printf(o->r, "%-17s %s\n", key, *v || k != K_LIST ? v : "none");
		return;
	}
	reply_printf(o->r, "%s\"%s\":", o->first ? "{" : ",", key);
	o->first = false;
	if (k == K_NUM)
		reply_printf(o->r, "%s", v);
	else if (k == K_STR)
		reply_json_string(o->r, v);
	else
		put_json_list(o, v, k == K_NUMS ? " " : ", ", k == K_LIST);
}

static void put_u64(struct out *o, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	put(o, key, K_NUM, buf);
}

static void put_caps(struct out *o, const char *key, uint64_t set)
{
	char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned c = 0; c < 64 && len + 40 < sizeof(buf); c++) {
		if (!(set >> c & 1))
			continue;
		if (c < sizeof(cap_names) / sizeof(cap_names[0]))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%sCAP_%s",
						len ? ", " : "", cap_names[c]);
		else
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%scap_%u",
						len ? ", " : "", c);
	}
	put(o, key, K_LIST, buf);
}

static void put_ids(struct out *o, const char *key, const uint64_t id[4])
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%llu %llu %llu %llu", (unsigned long long)id[0],
		 (unsigned long long)id[1], (unsigned long long)id[2], (unsigned long long)id[3]);
	put(o, key, K_NUMS, buf);
}

static void put_namespaces(struct out *o, const struct inspect_info *in)
{
	char shared[128] = "", own[128] = "";

	for (size_t i = 0; i < NS_N; i++) {
		char *b = in->ns_shared[i] ? shared : own;
		size_t len = strlen(b);
		snprintf(b + len, sizeof(shared) - len, "%s%s", len ? ", " : "", ns_names[i]);
	}
	put(o, "ns_shared", K_LIST, shared);
	put(o, "ns_own", K_LIST, own);
}

static void put_identity(struct out *o, const struct service *s, const struct inspect_info *in)
{
	put(o, "name", K_STR, s->name);
	put_u64(o, "pid", (uint64_t)in->pid);
	put_ids(o, "uid", in->uid); /* as PID 1 sees them: host uids */
	put_ids(o, "gid", in->gid);
	put(o, "uid_map", K_LIST, in->uid_map);
	put(o, "gid_map", K_LIST, in->gid_map);
	put_namespaces(o, in);
}

static void put_privileges(struct out *o, const struct inspect_info *in)
{
	static const char *const modes[] = {"disabled", "strict", "filter"};
	static const char *const raw[CAP_SETS] = {"cap_inh", "cap_prm", "cap_eff", "cap_bnd",
						  "cap_amb"};
	char hex[20];

	put_caps(o, "caps_host", host_caps(in));
	put_caps(o, "caps_own", own_caps(in));
	put_caps(o, "caps_bounding", in->cap[CAP_BND]);
	put_caps(o, "caps_ambient", in->cap[CAP_AMB]);
	for (int i = 0; i < CAP_SETS; i++) {
		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)in->cap[i]);
		put(o, raw[i], K_STR, hex);
	}
	put_u64(o, "no_new_privs", in->no_new_privs);
	put(o, "seccomp", K_STR, in->seccomp < 3 ? modes[in->seccomp] : "?");
	put_u64(o, "seccomp_filters", in->seccomp_filters);
}

static void put_config(struct out *o, const struct inspect_info *in)
{
	static const char *const limit_keys[LIMITS_N] = {"memory_max", "pids_max", "cpu_max"};
	char list[WRITABLE_MAX * 130];
	size_t len = 0;

	for (size_t i = 0; i < SUMMARY_N; i++)
		put(o, summary_keys[i], K_STR, in->summary[i]);
	put(o, "root", K_STR, in->root_ro ? "ro" : "rw");
	list[0] = '\0';
	for (unsigned i = 0; i < in->n_writable; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
					in->writable[i]);
	put(o, "writable", K_LIST, list);
	for (size_t i = 0; i < LIMITS_N; i++)
		put(o, limit_keys[i], K_STR, in->limit[i]);
}

void inspect_reply(const char *name, bool json, struct ctl_reply *r)
{
	const struct service *s = supervisor_find(name);
	static struct inspect_info in; /* 4 kB: off PID 1's stack */
	struct out o = {r, json, true};
	int err;

	if (!s) {
		reply_error(r, "no such service: %s", name);
		return;
	}
	if (!service_running(s)) {
		/* An ERR reply is one line: the reason up to its first newline. */
		int why = (int)strcspn(s->error, "\n");
		reply_error(r, "%s is not running (%s%s%.*s): nothing to inspect", name,
			    svc_state_name(s->state), why ? ": " : "", why < 200 ? why : 200,
			    s->error);
		return;
	}
	if ((err = inspect_collect(s, &in)) < 0) {
		reply_error(r, "%s: unable to read /proc/%d: %s", name, (int)s->pid,
			    strerror(-err));
		return;
	}
	reply_printf(r, "OK\n");
	put_identity(&o, s, &in);
	put_privileges(&o, &in);
	put_config(&o, &in);
	if (json)
		reply_printf(r, "}\n");
}

void inspect_exec_reply(const char *name, struct ctl_reply *r)
{
	const struct service *s = supervisor_find(name);

	if (!s)
		reply_error(r, "no such service: %s", name);
	else if (!service_running(s))
		reply_error(r, "%s is not running (%s): nothing to exec in", name,
			    svc_state_name(s->state));
	else
		reply_printf(r, "OK\nruntime %s\nroot %s\nid %s\n", svc_config()->runtime,
			     SVC_RUNC_ROOT, s->name);
}
