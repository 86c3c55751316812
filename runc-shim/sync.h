/* Parent/child synchronisation over a SOCK_SEQPACKET pair: one struct per
 * message, so an error from the child arrives whole, with its errno. */
#ifndef SHIM_SYNC_H
#define SHIM_SYNC_H

#include "err.h"

#include <stdint.h>

enum sync_type {
	SYNC_GO = 1, /* parent → child: id maps written, cgroup joined */
	SYNC_PID,    /* helper → parent: pid of the container init */
	SYNC_READY,  /* child → parent: set up, now waiting on exec.fifo */
	SYNC_ERROR,  /* child → parent: setup failed, kerr attached */
	SYNC_HOOKS,  /* child → parent: mounts done, run prestart/createRuntime */
	SYNC_HOOKS_DONE, /* parent → child: they passed; value: the init's host pid */
	SYNC_RECORDED, /* parent → child: state.json and pid file written */
};

int sync_pair(int fds[2], struct kerr *err);
int sync_send(int fd, enum sync_type type, int32_t value, const struct kerr *kerr);
/* Receives one message and fails unless it has the expected type; a
 * SYNC_ERROR's message becomes err. */
int sync_expect(int fd, enum sync_type type, int32_t *value, struct kerr *err);
/* exec: waits until the child's end closes (its execve closed the
 * CLOEXEC socket: 0) or a SYNC_ERROR arrives (its message becomes err). */
int sync_expect_exec(int fd, struct kerr *err);
/* Child side: report err and exit. */
void sync_fail(int fd, const struct kerr *err) __attribute__((noreturn));

#endif
