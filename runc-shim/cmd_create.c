/* `create` and the option parser it shares with `run`. */
#include "parse.h"
#include "shim.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

enum {
	OPT_BUNDLE = 'b',
	OPT_PID_FILE = 'p',
	OPT_CONSOLE = 'c',
	OPT_PRESERVE = 'P',
	OPT_NO_PIVOT = 'N',
	OPT_DETACH = 'd',
	OPT_NO_NEW_KEYRING = 'K',
	OPT_NOTIFY = 'n'
};

int parse_preserve_fds(const char *arg, int *out, struct kerr *err)
{
	uint64_t n;

	if (parse_u64(arg, 1024, &n) < 0)
		return kerr_set(err, 0, "--preserve-fds: bad number \"%s\"", arg);
	*out = (int)n;
	return 0;
}

int create_opts_parse(int argc, char **argv, bool allow_detach, struct create_opts *o,
		      const char **id, struct kerr *err)
{
	static const struct option opts[] = {
	    {"bundle", required_argument, NULL, OPT_BUNDLE},
	    {"pid-file", required_argument, NULL, OPT_PID_FILE},
	    {"console-socket", required_argument, NULL, OPT_CONSOLE},
	    {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
	    {"no-pivot", no_argument, NULL, OPT_NO_PIVOT},
	    {"detach", no_argument, NULL, OPT_DETACH},
	    /* runc flags with nothing to do here: keel never makes a
	     * session keyring, and has no systemd to notify. */
	    {"no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING},
	    {"notify-socket", required_argument, NULL, OPT_NOTIFY},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct create_opts){.bundle = "."};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, allow_detach ? ":b:d" : ":b:", opts, NULL)) != -1) {
		switch (c) {
		case OPT_BUNDLE:
			o->bundle = optarg;
			break;
		case OPT_PID_FILE:
			o->pid_file = optarg;
			break;
		case OPT_CONSOLE:
			o->console_socket = optarg;
			break;
		case OPT_NO_PIVOT:
			o->no_pivot = true;
			break;
		case OPT_NO_NEW_KEYRING:
			break;
		case OPT_NOTIFY:
			return kerr_set(err, 0, "--notify-socket: not supported");
		case OPT_PRESERVE:
			if (parse_preserve_fds(optarg, &o->preserve_fds, err) < 0)
				return -EINVAL;
			break;
		case OPT_DETACH:
			if (!allow_detach)
				return kerr_set(err, 0, "%s: unknown option --detach", argv[0]);
			o->detach = true;
			break;
		default:
			return kerr_set(err, 0, "%s: unknown option or missing argument: %s",
					argv[0], argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return kerr_set(err, 0, "%s: expected exactly one container ID", argv[0]);
	*id = argv[optind];
	return 0;
}

int cmd_create(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	struct create_opts o;
	const char *id;
	int pid, r;

	if ((r = create_opts_parse(argc, argv, false, &o, &id, err)) < 0)
		return r;
	return container_create(g, id, &o, &pid, err);
}
