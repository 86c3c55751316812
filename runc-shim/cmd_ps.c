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
				: state_ns_pids(s.pid, pids, PS_MAX);
	if (n < 0)
		return kerr_set(err, -n, "ps: unable to list the processes of %s", s.id);
	if (json) {
		putchar('[');
		for (int i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
		return 0;
	}
	printf("PID\n");
	for (int i = 0; i < n; i++)
		printf("%d\n", (int)pids[i]);
	return 0;
}
