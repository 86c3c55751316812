/* `exec`: runc's exec as containerd-shim-runc-v2 calls it. The process is
 * --process FILE (an OCI "process" object, parsed as strictly as
 * config.json's), or config.json's process with COMMAND ARGS and the flags
 * applied. The seccomp filter is the container's (its bundle's config.json).
 * Without --detach we wait and exit with its status, like `run`. */
#include "cloned_binary.h"
#include "exec.h"
#include "kill_wait.h"
#include "parse.h"
#include "terminal.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXEC_MAX_ENV 256

struct exec_opts {
	struct create_opts c; /* pid_file, console_socket, preserve_fds, detach */
	const char *process, *cwd, *user, *id;
	const char *env[EXEC_MAX_ENV];
	size_t n_env;
	bool tty;
	char **cmd; /* COMMAND ARGS (NULL-terminated), or NULL */
};

enum {
	OPT_PROCESS = 'p',
	OPT_DETACH = 'd',
	OPT_TTY = 't',
	OPT_ENV = 'e',
	OPT_USER = 'u',
	OPT_CWD = 'w',
	OPT_PID_FILE = 'P',
	OPT_CONSOLE = 'c',
	OPT_PRESERVE = 'f'
};

static int exec_opt(struct exec_opts *o, int c, const char *arg, struct kerr *err)
{
	switch (c) {
	case OPT_PROCESS:
		o->process = arg;
		break;
	case OPT_DETACH:
		o->c.detach = true;
		break;
	case OPT_TTY:
		o->tty = true;
		break;
	case OPT_USER:
		o->user = arg;
		break;
	case OPT_CWD:
		o->cwd = arg;
		break;
	case OPT_PID_FILE:
		o->c.pid_file = arg;
		break;
	case OPT_CONSOLE:
		o->c.console_socket = arg;
		break;
	case OPT_ENV:
		if (o->n_env == EXEC_MAX_ENV)
			return kerr_set(err, E2BIG, "exec: --env: too many");
		if (!strchr(arg, '=') || arg[0] == '=')
			return kerr_set(err, 0, "exec: --env \"%s\": expected NAME=VALUE", arg);
		o->env[o->n_env++] = arg;
		break;
	case OPT_PRESERVE:
		return parse_preserve_fds(arg, &o->c.preserve_fds, err);
	default:
		return kerr_set(err, 0, "exec: unhandled option -%c", c);
	}
	return 0;
}

static int exec_opts_parse(int argc, char **argv, struct exec_opts *o, struct kerr *err)
{
	static const struct option opts[] = {
	    {"process", required_argument, NULL, OPT_PROCESS},
	    {"detach", no_argument, NULL, OPT_DETACH},
	    {"tty", no_argument, NULL, OPT_TTY},
	    {"env", required_argument, NULL, OPT_ENV},
	    {"user", required_argument, NULL, OPT_USER},
	    {"cwd", required_argument, NULL, OPT_CWD},
	    {"pid-file", required_argument, NULL, OPT_PID_FILE},
	    {"console-socket", required_argument, NULL, OPT_CONSOLE},
	    {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
	    {NULL, 0, NULL, 0},
	};
	int c, r;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	/* "+": options end at the ID, COMMAND's own options are its own. */
	while ((c = getopt_long(argc, argv, "+:p:dte:u:", opts, NULL)) != -1)
		if (c == '?' || c == ':')
			return kerr_set(err, 0, "exec: unknown option or missing argument: %s",
					argv[optind - 1]);
		else if ((r = exec_opt(o, c, optarg, err)) < 0)
			return r;
	if (optind >= argc)
		return kerr_set(err, 0, "exec: expected a container ID");
	o->id = argv[optind];
	o->cmd = optind + 1 < argc ? argv + optind + 1 : NULL;
	if (o->process && o->cmd)
		return kerr_set(err, 0, "exec: --process and COMMAND exclude each other");
	if (!o->process && !o->cmd)
		return kerr_set(err, 0, "exec: expected --process FILE or COMMAND");
	return 0;
}

/* --user UID[:GID], as runc (names would need the container's passwd). */
static int parse_user(const char *s, struct cfg_process *p, struct kerr *err)
{
	char uid[16];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	uint64_t v;

	if (n >= sizeof(uid))
		return kerr_set(err, 0, "exec: --user \"%s\": expected UID[:GID]", s);
	memcpy(uid, s, n);
	uid[n] = '\0';
	if (parse_u64(uid, UINT32_MAX - 1, &v) < 0)
		return kerr_set(err, 0, "exec: --user \"%s\": expected UID[:GID]", s);
	p->uid = (uint32_t)v;
	if (colon) {
		if (parse_u64(colon + 1, UINT32_MAX - 1, &v) < 0)
			return kerr_set(err, 0, "exec: --user \"%s\": expected UID[:GID]", s);
		p->gid = (uint32_t)v;
	}
	return 0;
}

/* config.json's process with the command line applied. env is ours
 * (malloc'd); args point into argv; the rest into the bundle's tree. */
static int command_process(const struct exec_opts *o, const struct cfg_process *base,
			   struct cfg_process *p, struct kerr *err)
{
	*p = *base;
	p->env = NULL; /* ours from here: the caller frees it */
	p->args = (const char **)o->cmd;
	for (p->n_args = 0; o->cmd[p->n_args]; p->n_args++)
		;
	if (o->cwd && o->cwd[0] != '/')
		return kerr_set(err, 0, "exec: --cwd %s: must be an absolute path", o->cwd);
	if (o->cwd)
		p->cwd = o->cwd;
	p->terminal = o->tty; /* as runc: only -t gives exec a terminal */
	if (o->user && parse_user(o->user, p, err) < 0)
		return -EINVAL;
	p->n_env = base->n_env + o->n_env;
	if (!(p->env = calloc(p->n_env + 1, sizeof(*p->env))))
		return kerr_set(err, ENOMEM, "exec: env");
	if (base->n_env)
		memcpy(p->env, base->env, base->n_env * sizeof(*p->env));
	memcpy(p->env + base->n_env, o->env, o->n_env * sizeof(*p->env));
	return 0;
}

/* Everything the process needs before the fork: the container's seccomp
 * filter, the connected console socket. */
static int exec_prepare(const struct shim_global *g, const struct exec_opts *o,
			const struct config *bundle, struct launch *l, struct kerr *err)
{
	char cache[4096];

	if (l->cfg->proc.terminal && !o->c.console_socket)
		return kerr_set(err, 0, "process.terminal: needs --console-socket");
	if (!l->cfg->proc.terminal && o->c.console_socket)
		return kerr_set(err, 0, "--console-socket: process.terminal is false");
	if (o->c.console_socket && (l->console_fd = terminal_connect(o->c.console_socket, err)) < 0)
		return l->console_fd;
	snprintf(cache, sizeof(cache), "%s/.seccomp-cache", g->root);
	return seccomp_prepare(bundle, cache, &l->seccomp, err);
}

static int exec_run(const struct shim_global *g, const struct exec_opts *o, const struct state *s,
		    const struct config *bundle, const struct config *pc, struct kerr *err)
{
	struct launch l = {.cfg = pc, .opts = &o->c, .fifo_fd = -1, .console_fd = -1};
	pid_t pid = -1;
	int r;

	if ((r = exec_prepare(g, o, bundle, &l, err)) == 0 &&
	    (r = exec_spawn(s, &l, &pid, err)) == 0 &&
	    (r = container_write_pid_file(o->c.pid_file, pid, err)) < 0) {
		struct kerr ignored;
		(void)kill_wait("", pid, 0, &ignored);
	}
	if (l.console_fd >= 0)
		close(l.console_fd);
	seccomp_prog_free(&l.seccomp);
	if (r < 0 || o->c.detach)
		return r;
	return shim_wait_child(pid, err);
}

int cmd_exec(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	struct exec_opts o;
	struct state s;
	struct config bundle, pc = {0};
	int r;

	if ((r = exec_opts_parse(argc, argv, &o, err)) < 0 ||
	    (r = state_read(g->root, o.id, &s, err)) < 0)
		return r;
	if (state_status(g->root, &s) == ST_STOPPED)
		return kerr_set(err, 0, "cannot exec in a stopped container \"%s\"", o.id);
	if ((r = config_load(s.bundle, &bundle, err)) < 0)
		return r;
	/* As create: where the user namespace does not protect our binary,
	 * join from a sealed copy (CVE-2019-5736); the copy parses again. */
	if (cloned_binary_needed(&bundle) && (r = cloned_binary_ensure(g->argv, err)) < 0) {
		config_free(&bundle);
		return r;
	}
	if (o.process)
		r = config_load_process(o.process, &pc, err);
	else
		r = command_process(&o, &bundle.proc, &pc.proc, err);
	if (r == 0)
		r = exec_run(g, &o, &s, &bundle, &pc, err);
	if (o.process)
		config_free(&pc);
	else
		free(pc.proc.env);
	config_free(&bundle);
	return r;
}
