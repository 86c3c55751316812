/* `spec [--rootless] [--bundle DIR]`: writes keel's default config.json
 * (as runc does: into the bundle dir, never over an existing one). */
#include "default_spec.h"
#include "io.h"
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_spec(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	static const struct option opts[] = {{"rootless", no_argument, NULL, 'r'},
					     {"bundle", required_argument, NULL, 'b'},
					     {NULL, 0, NULL, 0}};
	const char *bundle = ".";
	bool rootless = false;
	autofree char *text = NULL;
	autoclose int fd = -1;
	char path[4096];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
		if (c == 'r')
			rootless = true;
		else if (c == 'b')
			bundle = optarg;
		else
			return kerr_set(err, 0, "spec: bad option %s", argv[optind - 1]);
	}
	if (optind != argc)
		return kerr_set(err, 0, "spec: unexpected argument %s", argv[optind]);
	if (!(text = default_spec(rootless, getuid(), getgid())))
		return kerr_set(err, ENOMEM, "spec");
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		return kerr_set(err, errno, "unable to create %s", path);
	if (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0)
		return kerr_set(err, errno, "unable to write %s", path);
	return 0;
}
