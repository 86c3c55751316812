/* runc-shim's shared vocabulary: global options, the create options every
 * start path uses, and the command entry points main.c dispatches to. */
#ifndef SHIM_H
#define SHIM_H

#include "err.h"

#include <stdbool.h>
#include <sys/types.h>

#define SHIM_VERSION	  "0.1.0"
#define SHIM_OCI_VERSION  "1.0.2"
#define SHIM_DEFAULT_ROOT "/run/runc-shim"

struct shim_global {
	const char *root; /* state directories live in ROOT/ID */
	bool debug;
	char **argv; /* ours, for the re-exec from a sealed copy */
};

struct create_opts {
	const char *bundle, *pid_file, *console_socket;
	int preserve_fds;
	bool no_pivot, detach;
};

/* A command gets argv after its name (getopt-ready: argv[0] is the name). */
typedef int shim_cmd_fn(const struct shim_global *g, int argc, char **argv, struct kerr *err);

shim_cmd_fn cmd_create, cmd_start, cmd_run, cmd_state, cmd_kill, cmd_delete, cmd_list, cmd_ps,
    cmd_spec, cmd_features, cmd_exec, cmd_pause, cmd_resume, cmd_update;

/* --preserve-fds N (create, run, exec): 0..1024 extra fds after stdio. */
int parse_preserve_fds(const char *arg, int *out, struct kerr *err);
/* Parses create/run flags; on return *optind_out indexes the container ID. */
int create_opts_parse(int argc, char **argv, bool allow_detach, struct create_opts *o,
		      const char **id, struct kerr *err);
/* create: sets everything up and leaves the container waiting on exec.fifo;
 * *pid gets its host pid. */
int container_create(const struct shim_global *g, const char *id, const struct create_opts *o,
		     int *pid, struct kerr *err);
/* start: releases a created container (opens and reads its exec.fifo). */
int container_start(const struct shim_global *g, const char *id, struct kerr *err);
/* run/exec without --detach: waits for pid, forwarding TERM/INT/HUP/QUIT/
 * USR1/USR2/WINCH to it; returns its exit status (128+N for a signal). */
int shim_wait_child(pid_t pid, struct kerr *err);

#endif
