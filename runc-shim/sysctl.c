/* linux.sysctl, validated as runc's libcontainer/configs/validate does:
 * the IPC ones (kernel.msg*, sem, shm*, fs.mqueue.*) need a new IPC
 * namespace, net.* a network namespace that is not the host's,
 * kernel.domainname a UTS namespace; kernel.hostname conflicts with the
 * "hostname" field; everything else is global to the machine: refused. */
#include "sysctl.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const ipc_sysctls[] = {
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

static bool is_ipc_sysctl(const char *key)
{
	for (size_t i = 0; i < sizeof(ipc_sysctls) / sizeof(ipc_sysctls[0]); i++)
		if (strcmp(key, ipc_sysctls[i]) == 0)
			return true;
	return strncmp(key, "fs.mqueue.", 10) == 0;
}

/* A network namespace joined by path may be the host's own. */
static int net_ns_is_host(const char *path, struct kerr *err)
{
	struct stat ours, theirs;

	if (stat("/proc/self/ns/net", &ours) < 0)
		return kerr_set(err, errno, "stat /proc/self/ns/net");
	if (stat(path, &theirs) < 0)
		return kerr_set(err, errno, "linux.namespaces: network path %s", path);
	return ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino;
}

static int check_one(const struct config *c, const char *key, struct kerr *err)
{
	const struct cfg_ns *net = config_ns(c, CLONE_NEWNET);
	int r;

	if (is_ipc_sysctl(key)) {
		if (config_ns(c, CLONE_NEWIPC))
			return 0;
		return kerr_set(err, 0, "linux.sysctl.%s: not allowed in the host's IPC namespace",
				key);
	}
	if (strncmp(key, "net.", 4) == 0) {
		if (net && (!net->path || (r = net_ns_is_host(net->path, err)) == 0))
			return 0;
		if (net && r < 0)
			return r;
		return kerr_set(
		    err, 0, "linux.sysctl.%s: not allowed in the host's network namespace", key);
	}
	if (config_ns(c, CLONE_NEWUTS) && strcmp(key, "kernel.domainname") == 0)
		return 0;
	if (config_ns(c, CLONE_NEWUTS) && strcmp(key, "kernel.hostname") == 0)
		return kerr_set(err, 0, "linux.sysctl.%s: conflicts with the \"hostname\" field",
				key);
	return kerr_set(err, 0, "linux.sysctl.%s: not in a separate kernel namespace", key);
}

int sysctl_check(const struct config *c, struct kerr *err)
{
	for (size_t i = 0; i < c->n_sysctl; i++) {
		int r = check_one(c, c->sysctl[i].key, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* "net.ipv4.ip_forward" → net/ipv4/ip_forward, relative to one /proc/sys
 * fd: the container's own procfs, mounted before, still writable now. */
int sysctl_apply(const struct config *c, struct kerr *err)
{
	autoclose int dir = -1;

	if (!c->n_sysctl)
		return 0;
	if ((dir = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "linux.sysctl: unable to open /proc/sys");
	for (size_t i = 0; i < c->n_sysctl; i++) {
		char rel[PATH_MAX];
		int r;

		/* /proc/sys/kernel/domainname belongs to the host's root even in
		 * our UTS namespace; the syscall checks the namespace's owner. */
		if (strcmp(c->sysctl[i].key, "kernel.domainname") == 0) {
			const char *v = c->sysctl[i].value;
			if (setdomainname(v, strlen(v)) < 0)
				return kerr_set(err, errno, "linux.sysctl.kernel.domainname");
			continue;
		}
		snprintf(rel, sizeof(rel), "%s", c->sysctl[i].key);
		for (char *s = rel; *s; s++)
			if (*s == '.')
				*s = '/';
		if ((r = write_file_at(dir, rel, c->sysctl[i].value)) < 0)
			return kerr_set(err, -r, "linux.sysctl.%s: unable to write /proc/sys/%s",
					c->sysctl[i].key, rel);
	}
	return 0;
}
