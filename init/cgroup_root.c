/* The leaf move must come first: the root cgroup is exempt from the "no
 * internal processes" rule, but a child cgroup that later gets controllers
 * enabled is not, so init must never live anywhere but a leaf. */
#include "cgroup_root.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const wanted_controllers[] = {"cpuset", "cpu", "io", "memory", "pids"};

static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += len)
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\n' || !p[len]))
			return true;
	return false;
}

static void enable_controllers(int root)
{
	char avail[512], plus[32];
	autoclose int fd = openat(root, "cgroup.controllers", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -errno : read_all(fd, avail, sizeof(avail) - 1);
	int r;

	if (n < 0) {
		log_warn("unable to read %s/cgroup.controllers: %s", CGROUP_ROOT,
			 strerror((int)-n));
		return;
	}
	avail[n] = '\0';
	for (size_t i = 0; i < sizeof(wanted_controllers) / sizeof(wanted_controllers[0]); i++) {
		const char *c = wanted_controllers[i];
		if (!has_word(avail, c)) {
			log_warn("cgroup controller %s is not available", c);
			continue;
		}
		/* One write per controller: one failure must not hide the rest. */
		snprintf(plus, sizeof(plus), "+%s", c);
		if ((r = write_file_at(root, "cgroup.subtree_control", plus)) < 0)
			log_warn("unable to enable cgroup controller %s: %s", c, strerror(-r));
	}
}

void cgroup_root_setup(const struct init_config *cfg)
{
	autoclose int root = -1;
	int r;

	if (!init_is_machine(cfg)) {
		log_debug("not the machine's init: leaving cgroups alone");
		return;
	}
	root = open(CGROUP_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		log_warn("unable to open %s: %m; no cgroups", CGROUP_ROOT);
		return;
	}
	if (mkdirat(root, CGROUP_INIT_LEAF, 0755) < 0 && errno != EEXIST) {
		log_warn("unable to create %s/%s: %m", CGROUP_ROOT, CGROUP_INIT_LEAF);
		return;
	}
	/* "0" is the writing process: PID 1 itself. */
	if ((r = write_file_at(root, CGROUP_INIT_LEAF "/cgroup.procs", "0")) < 0) {
		log_warn("unable to move init into %s/%s: %s", CGROUP_ROOT, CGROUP_INIT_LEAF,
			 strerror(-r));
		return;
	}
	enable_controllers(root);
}
