/* /dev inside the container: the OCI default nodes plus linux.devices, and
 * the standard symlinks. mknod is refused in a user namespace, so there (and
 * wherever mknod fails with EPERM) the host's node is bind-mounted instead,
 * as runc does. */
#include "devices.h"
#include "mount_at.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const struct cfg_device default_devices[] = {
    {"/dev/null", 'c', 1, 3, 0, 0, 0666},    {"/dev/zero", 'c', 1, 5, 0, 0, 0666},
    {"/dev/full", 'c', 1, 7, 0, 0, 0666},    {"/dev/random", 'c', 1, 8, 0, 0, 0666},
    {"/dev/urandom", 'c', 1, 9, 0, 0, 0666}, {"/dev/tty", 'c', 5, 0, 0, 0, 0666},
};

static const struct {
	const char *target, *link;
} dev_links[] = {
    {"/proc/self/fd", "fd"},	   {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"}, {"pts/ptmx", "ptmx"},
};

static int make_node(int rootfd, const struct cfg_device *d, bool userns, struct kerr *err)
{
	static const mode_t types[] = {['c'] = S_IFCHR, ['b'] = S_IFBLK, ['p'] = S_IFIFO};
	autoclose int dir = -1;
	const char *name = strrchr(d->path, '/') + 1;
	char parent[PATH_MAX];

	if (!userns) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(name - d->path), d->path);
		if ((dir = mount_target_open(rootfd, parent, true, false)) < 0)
			return kerr_set(err, -dir, "unable to create %s", parent);
		(void)unlinkat(dir, name, 0); /* replace whatever the image had */
		/* The mode as configured, whatever umask `create` inherited. */
		mode_t saved = umask(0);
		int made = mknodat(dir, name, types[(unsigned char)d->type] | d->mode,
				   makedev(d->major, d->minor));
		umask(saved);
		if (made == 0) {
			if (fchownat(dir, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
				return kerr_set(err, errno, "unable to chown %s", d->path);
			/* fileMode exactly: mknod applied the caller's umask. */
			if (fchmodat(dir, name, d->mode, 0) < 0)
				return kerr_set(err, errno, "unable to chmod %s", d->path);
			return 0;
		}
		if (errno != EPERM)
			return kerr_set(err, errno, "unable to mknod %s", d->path);
	}
	/* nosuid, noexec as crun: a device node needs neither. */
	struct bind_opts o = {.flags = MS_NOSUID | MS_NOEXEC, .propagation = MS_PRIVATE};
	return mount_bind_fd(d->path, rootfd, d->path, &o, err);
}

int devices_setup(int rootfd, const struct launch *l, struct kerr *err)
{
	autoclose int dev = -1;
	int r;

	/* Without a /dev in the image there is nothing to populate. */
	if ((dev = mount_target_open(rootfd, "/dev", false, false)) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
		if ((r = make_node(rootfd, &default_devices[i], l->userns, err)) < 0)
			return r;
	for (size_t i = 0; i < l->cfg->n_devices; i++)
		if ((r = make_node(rootfd, &l->cfg->devices[i], l->userns, err)) < 0)
			return kerr_wrap(err, "linux.devices[%zu]", i);
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if (symlinkat(dev_links[i].target, dev, dev_links[i].link) < 0 && errno != EEXIST)
			return kerr_set(err, errno, "unable to create /dev/%s", dev_links[i].link);
	return 0;
}
