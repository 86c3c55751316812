/* What the parent hands the container init across clone(): everything is
 * prepared (paths resolved, seccomp compiled, fds opened) before the clone,
 * so the child only executes steps. */
#ifndef SHIM_CONTAINER_H
#define SHIM_CONTAINER_H

#include "config.h"
#include "seccomp.h"
#include "shim.h"

#include <limits.h>
#include <stdbool.h>

struct launch {
	const struct config *cfg;
	const struct create_opts *opts;
	const char *id;
	pid_t host_pid; /* the init's pid in the runtime's pid namespace, for hooks */
	char rootfs[PATH_MAX]; /* absolute, symlinks resolved */
	char bundle[PATH_MAX];
	int sync_fds[2];	     /* [0] parent's end, [1] ours */
	int fifo_fd;		     /* O_PATH of exec.fifo */
	int console_fd;		     /* connected --console-socket, or -1 */
	bool userns;		     /* a new user namespace */
	bool setgroups_denied;	     /* setgroups(2) disabled in it (rootless) */
	const char *cgroup_dir;	     /* its cgroup under /sys/fs/cgroup, "" none */
	struct seccomp_prog seccomp; /* compiled filter (insns NULL: none) */
};

/* The container init: runs in the child, never returns. */
void container_init(void *launch) __attribute__((noreturn));

/* The steps `exec` shares with the container init (child.c). */
/* Closes every inherited fd but stdio, --preserve-fds and l's own. */
int container_close_inherited(const struct launch *l, struct kerr *err);
/* Unblocks every signal and resets every disposition. */
int container_reset_signals(struct kerr *err);
/* seccomp (early without no_new_privs), bounding set, user/groups, caps,
 * umask/cwd, no_new_privs, fds close-on-exec, seccomp (last). */
int container_drop_privileges(const struct launch *l, struct kerr *err);
/* Writes pid to path (temp + rename); path NULL: nothing. */
int container_write_pid_file(const char *path, pid_t pid, struct kerr *err);

#endif
