/* runc-shim: keel's OCI runtime. main parses the global options, dispatches
 * through commands[], and is the only place that prints an error: one line
 * "runc-shim: ...", exit status 1 (as runc). */
#include "log.h"
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct command {
	const char *name;
	shim_cmd_fn *fn;
} commands[] = {
    {"create", cmd_create}, {"start", cmd_start},	{"run", cmd_run},   {"state", cmd_state},
    {"kill", cmd_kill},	    {"delete", cmd_delete},	{"list", cmd_list}, {"ps", cmd_ps},
    {"spec", cmd_spec},	    {"features", cmd_features}, {"exec", cmd_exec},
    {"pause", cmd_pause},   {"resume", cmd_resume},	{"update", cmd_update},
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: runc-shim [--root DIR] [--log FILE] [--log-format text|json] "
		   "[--debug] COMMAND [ARGS]\ncommands:");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, " %s", commands[i].name);
	fprintf(f, "\n");
}

/* --log: containerd reads runc's errors from this file. Text is one line;
 * json wraps it as {"level":"error","msg":...} like runc's logrus. */
static int open_log(const char *path, struct kerr *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);

	if (fd < 0)
		return kerr_set(err, errno, "unable to open log %s", path);
	return fd;
}

static void print_error(const struct kerr *err, int log_fd, bool json)
{
	char line[1024];

	kerr_str(err, line, sizeof(line));
	fprintf(stderr, "runc-shim: %s\n", line);
	if (log_fd < 0)
		return;
	if (!json) {
		dprintf(log_fd, "runc-shim: %s\n", line);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;
	if (o && cJSON_AddStringToObject(o, "level", "error") &&
	    cJSON_AddStringToObject(o, "msg", line) && (text = cJSON_PrintUnformatted(o)))
		dprintf(log_fd, "%s\n", text);
	free(text);
	cJSON_Delete(o);
}

static const struct option global_opts[] = {
    {"root", required_argument, NULL, 'r'},	  {"log", required_argument, NULL, 'l'},
    {"log-format", required_argument, NULL, 'f'}, {"debug", no_argument, NULL, 'd'},
    {"version", no_argument, NULL, 'v'},	  {"help", no_argument, NULL, 'h'},
    {"systemd-cgroup", no_argument, NULL, 's'},	  {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	struct shim_global g = {.root = SHIM_DEFAULT_ROOT, .argv = argv};
	struct kerr err = {0};
	const struct command *cmd;
	const char *log_path = NULL;
	bool json = false;
	int c, log_fd = -1, r = 0;

	log_setup("runc-shim", LOG_WARN, 2);
	while ((c = getopt_long(argc, argv, "+", global_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			g.root = optarg;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				die("--log-format: expected text or json, got \"%s\"", optarg);
			json = optarg[0] == 'j';
			break;
		case 'd':
			g.debug = true;
			log_setup("runc-shim", LOG_DEBUG, 2);
			break;
		case 'v':
			printf("runc-shim version %s\nspec: %s\n", SHIM_VERSION, SHIM_OCI_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case 's':
			die("--systemd-cgroup: not supported (keel has no systemd)");
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	if (log_path && (log_fd = open_log(log_path, &err)) < 0) {
		print_error(&err, -1, false);
		return 1;
	}
	/* With --log, warnings go there as runc's do: the caller's stderr may be
	 * the container's own (containerd passes its stdio pipes through). */
	if (log_fd >= 0) {
		log_setup("runc-shim", g.debug ? LOG_DEBUG : LOG_WARN, log_fd);
		log_set_json(json);
	}
	cmd = find_command(argv[optind]);
	if (!cmd)
		r = kerr_set(&err, 0, "unknown command \"%s\"", argv[optind]);
	else
		r = cmd->fn(&g, argc - optind, argv + optind, &err);
	if (r < 0) {
		print_error(&err, log_fd, json);
		return 1;
	}
	return r; /* run returns the container's exit status */
}
