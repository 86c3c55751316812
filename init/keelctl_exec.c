/* keelctl exec [-t] [-e K=V]... [-u UID[:GID]] [-w DIR] NAME CMD [ARG...]:
 * asks PID 1 where the service's running container is (runtime, state root,
 * id: inspect.c), then becomes `RUNTIME --root ROOT exec ... ID CMD...`, so
 * the command's stdio is the caller's and its exit status (128+signal when
 * killed) is ours: PID 1 relays none of it. -t needs a pty pumped by us
 * (keelctl_tty.c), so keelctl stays runc-shim's parent then. */
#include "keelctl.h"
#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXEC_REPLY_MAX 8192

static const char usage[] =
    "usage: keelctl exec [-t] [-e KEY=VAL]... [-u UID[:GID]] [-w DIR] NAME CMD [ARG...]\n";

/* Where PID 1 runs the service's container (pointers into one reply). */
struct exec_target {
	const char *runtime, *root, *id;
};

/* The reply's "KEY VALUE" lines; each key exactly once, paths absolute. */
static void parse_target(char *body, struct exec_target *t)
{
	const char **slot;
	char *save = NULL;

	for (char *line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *value = strchr(line, ' ');

		if (!value)
			die("exec: unexpected answer line from init: '%.64s'", line);
		*value++ = '\0';
		slot = !strcmp(line, "runtime") ? &t->runtime
		       : !strcmp(line, "root")	? &t->root
		       : !strcmp(line, "id")	? &t->id
						: NULL;
		if (slot && !*slot && *value)
			*slot = value;
		else if (slot)
			die("exec: init's answer repeats or empties '%s'", line);
	}
	if (!t->runtime || !t->root || !t->id || t->runtime[0] != '/' || t->root[0] != '/')
		die("exec: init's answer lacks the runtime, its root or the container id");
}

/* The command line: options (as runc-shim exec's), NAME, CMD... */
struct exec_args {
	bool tty;
	char **opts; /* "--env", "K=V", ...: runc-shim exec's spelling */
	size_t n_opts;
	const char *name;
	char **cmd; /* NULL-terminated (argv's tail) */
};

/* 0, or 2 (usage) after saying why. argv[0] is "exec". */
static int parse_args(int argc, char **argv, struct exec_args *a)
{
	static const struct {
		char opt;
		const char *shim; /* runc-shim exec's name for it */
	} pass[] = {{'e', "--env"}, {'u', "--user"}, {'w', "--cwd"}};
	int c;

	if (!(a->opts = calloc((size_t)argc * 2, sizeof(*a->opts))))
		die("out of memory");
	optind = 1;
	opterr = 0;
	/* "+": options end at NAME; CMD's options are its own. */
	while ((c = getopt(argc, argv, "+te:u:w:")) != -1) {
		size_t i = 0;

		if (c == 't') {
			a->tty = true;
			continue;
		}
		while (i < sizeof(pass) / sizeof(pass[0]) && pass[i].opt != c)
			i++;
		if (i == sizeof(pass) / sizeof(pass[0])) {
			fprintf(stderr, "keelctl: exec: unknown option or missing argument: %s\n%s",
				argv[optind - 1], usage);
			return 2;
		}
		a->opts[a->n_opts++] = (char *)pass[i].shim;
		a->opts[a->n_opts++] = optarg;
	}
	if (optind + 1 >= argc) {
		fprintf(stderr, "keelctl: exec: %s\n%s",
			optind < argc ? "a command is required" : "a service name is required",
			usage);
		return 2;
	}
	a->name = argv[optind];
	a->cmd = argv + optind + 1;
	return 0;
}

/* RUNTIME --root ROOT exec [OPTS] [--tty --console-socket SOCK] ID CMD...:
 * sock is NULL without -t. */
static char **runtime_argv(const struct exec_target *t, const struct exec_args *a, const char *sock)
{
	size_t n = 0, n_cmd = 0;
	char **out;

	while (a->cmd[n_cmd])
		n_cmd++;
	if (!(out = calloc(a->n_opts + n_cmd + 10, sizeof(*out))))
		die("out of memory");
	out[n++] = (char *)t->runtime;
	out[n++] = (char *)"--root";
	out[n++] = (char *)t->root;
	out[n++] = (char *)"exec";
	for (size_t i = 0; i < a->n_opts; i++)
		out[n++] = a->opts[i];
	if (sock) {
		out[n++] = (char *)"--tty";
		out[n++] = (char *)"--console-socket";
		out[n++] = (char *)sock;
	}
	out[n++] = (char *)t->id;
	memcpy(out + n, a->cmd, (n_cmd + 1) * sizeof(*out));
	return out;
}

int keelctl_exec_main(int argc, char **argv)
{
	struct exec_target t = {0};
	struct exec_args a = {0};
	char req[300], **rargv;
	int r;

	if ((r = parse_args(argc - 1, argv + 1, &a)) != 0)
		return r;
	if (!a.name[0] || strlen(a.name) > 200 || strpbrk(a.name, " \t\r\n"))
		die("exec: '%.64s' is not a service name", a.name);
	snprintf(req, sizeof(req), "exec %s\n", a.name);
	parse_target(keelctl_query(req, EXEC_REPLY_MAX), &t);
	if (a.tty)
		return keelctl_tty_run(runtime_argv(&t, &a, keelctl_tty_listen()));
	rargv = runtime_argv(&t, &a, NULL);
	execv(rargv[0], rargv);
	die("exec: unable to run %s: %s", rargv[0], strerror(errno));
}
