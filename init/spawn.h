/* spawn: fork + exec for PID 1 and the supervisor, done right once.
 * The child gets an empty signal mask and default dispositions, exactly the
 * fds asked for (stdin/stdout/stderr from opts, then opts->keep[] renumbered
 * to 3, 4, ...; everything else closed), optionally a new session with the
 * console (or whatever fd 0 is) as controlling terminal, and an optional
 * setup callback run last before exec (e.g. to join a cgroup). If anything in
 * the child fails, the errno travels back over a CLOEXEC pipe and spawn()
 * returns it, so the caller learns "exec failed: ENOENT" synchronously and
 * never has to tell that apart from the program's own exit status. The child
 * never returns into the caller. spawn() blocks PID 1 until the exec (or the
 * failure): the setup callback must be quick and must not wait. */
#ifndef KEEL_INIT_SPAWN_H
#define KEEL_INIT_SPAWN_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SPAWN_MAX_KEEP 64

struct spawn_opts {
	const char *path; /* executable, absolute */
	char *const *argv;
	char *const *envp; /* NULL: init's environ */
	int stdio[3];	   /* fd for 0/1/2 in the child; -1: /dev/null */
	const int *keep;   /* more fds, become 3, 4, ... in the child
			      (at most SPAWN_MAX_KEEP) */
	size_t nkeep;
	bool new_session;     /* setsid() */
	bool controlling_tty; /* with new_session: TIOCSCTTY on the new fd 0 */
	/* Runs in the child after fds are set up, before exec; returns 0 or
	 * -errno (which aborts the exec and is reported like an exec error). */
	int (*setup)(void *arg);
	void *setup_arg;
};

/* Returns the child's pid, or -errno with err saying which step failed. */
pid_t spawn(const struct spawn_opts *opts, struct kerr *err);

#endif
