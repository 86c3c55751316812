/* Detection through /proc links, read before init mounts its own /proc, so
 * in a namespace test they still show the host's view. The initial PID
 * namespace has the fixed inode PROC_PID_INIT_INO (0xEFFFFFFC). */
#include "detect.h"
#include "log.h"

#include <string.h>
#include <unistd.h>

#define INITIAL_PIDNS "pid:[4026531836]"

static bool link_is(const char *path, char *buf, size_t size)
{
	ssize_t n = readlink(path, buf, size - 1);

	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

void detect_runtime(struct init_config *cfg)
{
	char ns[64];

	bool have_ns = link_is("/proc/self/ns/pid", ns, sizeof(ns));

	detect_apply(cfg, getpid() == 1, have_ns ? ns : NULL);
}

void detect_apply(struct init_config *cfg, bool pid1, const char *pidns)
{
	cfg->pid1 = pid1;
	if (!cfg->pid1)
		cfg->in_container = true;
	/* No /proc yet is the machine's early boot: nothing else starts init
	 * as PID 1 without a /proc to inherit. */
	else if (pidns && strcmp(pidns, INITIAL_PIDNS) != 0)
		cfg->in_container = true;
	else if (pidns && cfg->in_container) {
		/* PID 1 of the initial PID namespace is the machine's init, whatever
		 * argv says: believing keel.container=1 would skip the mounts and
		 * make PID 1 exit at shutdown, which panics the kernel. */
		log_warn("keel.container=1 refused: this is PID 1 of the machine");
		cfg->in_container = false;
	}
}

bool detect_own_mount_ns(void)
{
	char self[64], mine[64], host[64];

	/* /proc already shows our PID namespace (unshare --mount-proc): whoever
	 * mounted it gave us a mount namespace. */
	if (!link_is("/proc/self", self, sizeof(self)) || strcmp(self, "1") == 0)
		return true;
	if (!link_is("/proc/self/ns/mnt", mine, sizeof(mine)) ||
	    !link_is("/proc/1/ns/mnt", host, sizeof(host)))
		return true; /* unreadable: a user namespace, which cannot hurt the host */
	return strcmp(mine, host) != 0;
}
