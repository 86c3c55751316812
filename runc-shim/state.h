/* The per-container state directory ROOT/ID: state.json (written to a temp
 * name and renamed), exec.fifo while the container waits for start. The
 * status is derived, never stored: pid alive with the same start time →
 * created (fifo present), paused (cgroup.freeze is 1) or running;
 * otherwise stopped. */
#ifndef SHIM_STATE_H
#define SHIM_STATE_H

#include "err.h"

#include <stdint.h>
#include <sys/types.h>

#define STATE_FIFO "exec.fifo"

struct state {
	char id[256];
	pid_t pid;
	uint64_t start_time; /* /proc/PID/stat field 22, guards against pid reuse */
	char bundle[4096], rootfs[4096], cgroup[4096];
	char created[96];	 /* RFC 3339 */
	char annotations[16384]; /* config.json's, compact JSON text; "" if none */
	uid_t owner;
};

enum state_status { ST_CREATED, ST_RUNNING, ST_STOPPED, ST_PAUSED };

int state_check_id(const char *id, struct kerr *err);
/* ROOT must be ours and not group/other-writable (absent is fine). */
int state_root_check(const char *root, struct kerr *err);
/* mkdir -p ROOT (0700), then state_root_check. */
int state_root_create(const char *root, struct kerr *err);
/* state_root_create, then ROOT/ID (0711); -EEXIST names the container. */
int state_dir_create(const char *root, const char *id, int *dirfd, struct kerr *err);
int state_dir_open(const char *root, const char *id, int *dirfd, struct kerr *err);
int state_dir_remove(const char *root, const char *id, struct kerr *err);
int state_write(int dirfd, const struct state *s, struct kerr *err);
int state_read(const char *root, const char *id, struct state *s, struct kerr *err);
enum state_status state_status(const char *root, const struct state *s);
const char *state_status_name(enum state_status st);
/* The start time of a live pid, or 0. */
uint64_t state_pid_start_time(pid_t pid);
/* A pidfd of the live init (checked against the recorded start time). */
int state_pidfd(const struct state *s, struct kerr *err);
/* Every process in init's pid namespace (for a container without a
 * cgroup); returns the count or -errno. */
int state_ns_pids(pid_t init, pid_t *pids, size_t max);
/* runc's state JSON (malloc'd). */
char *state_to_json(const struct state *s, enum state_status st);

#endif
