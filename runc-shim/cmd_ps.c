/* `ps [--format table|json] ID`: the container's pids, from its cgroup, or
 * without one from /proc: every process in the init's pid namespace. */
#include "cgroups.h"
#include "parse.h"
#include "shim.h"
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PS_MAX 4096

static int ns_pids(pid_t init, pid_t *pids, size_t max)
{
	char path[64];
	struct stat want, st;
	struct dirent *e;
	DIR *d;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)init);
	if (stat(path, &want) < 0 || !(d = opendir("/proc")))
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

int cmd_ps(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {NULL, 0, NULL, 0}};
	pid_t pids[PS_MAX];
	bool json = false;
	struct state s;
	int c, n, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (c != 'f' || (strcmp(optarg, "json") && strcmp(optarg, "table")))
			return kerr_set(err, 0, "ps: bad option %s", argv[optind - 1]);
		json = optarg[0] == 'j';
	}
	if (optind != argc - 1)
		return kerr_set(err, 0, "ps: expected exactly one container ID");
	if ((r = state_read(g->root, argv[optind], &s, err)) < 0)
		return r;
	if (state_status(g->root, &s) == ST_STOPPED)
		n = 0;
	else
		n = s.cgroup[0] ? cgroup_pids(s.cgroup, pids, PS_MAX)
				: ns_pids(s.pid, pids, PS_MAX);
	if (n < 0)
		return kerr_set(err, -n, "ps: unable to list the processes of %s", s.id);
	printf(json ? "[" : "PID\n");
	for (int i = 0; i < n; i++)
		printf(json ? "%s%d" : "%.0s%d\n", json && i ? "," : "", (int)pids[i]);
	if (json)
		printf("]\n");
	return 0;
}
