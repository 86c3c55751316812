/* See idmap.h. A privileged runtime leaves setgroups "allow" so
 * additionalGids work; an unprivileged one must write "deny" first, which
 * also keeps a user from dropping groups used as negative permissions
 * (CVE-2014-8989); process_set_user() then refuses additionalGids. */
#include "idmap.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int write_map(int procfd, const char *file, const struct cfg_idmap *m, size_t n,
		     const char *what, struct kerr *err)
{
	char buf[CFG_MAX_IDMAP * 40];
	size_t len = 0;
	int r;

	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m[i].container,
					m[i].host, m[i].size);
	/* The kernel wants the whole map in one write. */
	if ((r = write_file_at(procfd, file, buf)) < 0)
		return kerr_set(err, -r, "linux.%s: unable to write %s", what, file);
	return 0;
}

int idmap_write(pid_t pid, const struct config *c, bool *setgroups_denied, struct kerr *err)
{
	char dir[32];
	autoclose int procfd = -1;
	int r;

	snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
	if ((procfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return kerr_set(err, errno, "unable to open %s", dir);
	*setgroups_denied = geteuid() != 0;
	if (*setgroups_denied && (r = write_file_at(procfd, "setgroups", "deny")) < 0)
		return kerr_set(err, -r, "unable to write %s/setgroups", dir);
	if ((r = write_map(procfd, "uid_map", c->uid_map, c->n_uid_map, "uidMappings", err)) < 0)
		return r;
	return write_map(procfd, "gid_map", c->gid_map, c->n_gid_map, "gidMappings", err);
}
