/* One supervised bundle (onboot job, service or onshutdown job) and its state
 * machine, s6 style: service_event() looks up actions[state][event] in one
 * table (service.c). The parts that touch the outside world live in
 * svc_run.c (runc-shim calls, signals, cgroup) and svc_log.c (pipes). */
#ifndef KEEL_INIT_SERVICE_H
#define KEEL_INIT_SERVICE_H

#include "logbuf.h"
#include "loop.h"
#include "service_conf.h"

struct init_config;

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum svc_kind { KIND_ONBOOT, KIND_SERVICE, KIND_ONSHUTDOWN };

#define HELPER_TIMEOUT_MS 30000 /* a hung runc-shim call is killed after this */
#define KILL_RETRY_MS	  5000	/* after cgroup.kill, kill again if still alive */
#define ONBOOT_TIMEOUT_MS 60000 /* default start-timeout of an onboot job */

enum svc_state {
	ST_DOWN,     /* not running and not wanted (or never started) */
	ST_WAITING,  /* wanted; some after= dependency is not ready yet */
	ST_CREATING, /* runc-shim create running */
	ST_STARTING, /* runc-shim start running; container pid known */
	ST_RUNNING,  /* started, waiting for its readiness notification */
	ST_READY,    /* started and ready */
	ST_STOPPING, /* stop signal sent; stop-timeout pending, then kill */
	ST_CLEANUP,  /* instance gone; runc-shim delete running */
	ST_BACKOFF,  /* waiting for the restart delay */
	ST_DONE,     /* one-shot job exited 0 */
	ST_FAILED,   /* broken bundle, crash loop, or one-shot job failed */
	N_STATES
};

enum svc_event {
	EV_UP,	       /* wanted up: boot, keelctl start/restart */
	EV_DOWN,       /* wanted down: keelctl stop, shutdown */
	EV_DEPS_READY, /* every after= service is ready */
	EV_HELPER_OK,  /* the runc-shim call exited 0 */
	EV_HELPER_FAIL,
	EV_READY,   /* a newline on the notify fd */
	EV_EXIT,    /* the container's init exited */
	EV_TIMEOUT, /* s->deadline passed */
	N_EVENTS
};

enum svc_helper { HELPER_NONE, HELPER_CREATE, HELPER_START, HELPER_DELETE };

#define SPECDIR_MAX_BUNDLES 256 /* slots; the array never moves (pointers into it) */

/* What identifies a version of a bundle file: a rescan restarts a bundle
 * whose config.json or service.conf differs in any of these. */
struct file_stamp {
	uint64_t dev, ino, size;
	int64_t mtime_ns;
};

#define LOG_TIMES 64 /* arrival times kept per service log (svc_logtime.c) */

struct log_times {
	uint64_t pos[LOG_TIMES]; /* logbuf position of the first byte of a read */
	int64_t ms[LOG_TIMES];	 /* wall clock then, ms since the epoch */
	unsigned next, count;
};

enum rescan_mark { RS_NONE, RS_ADDED, RS_REMOVED, RS_CHANGED };

struct service {
	char name[SERVICE_NAME_MAX];
	char dir[PATH_MAX];
	enum svc_kind kind;
	struct service_conf conf;
	char error[256];   /* why it is failed (config, order, crash loop) */
	bool broken;	   /* bad_bundle or order_broken: never starts */
	bool bad_bundle;   /* no config.json/rootfs, bad name or service.conf, no log pipe */
	bool order_broken; /* after/needs names a missing, cyclic or broken service */
	int deps[SERVICE_AFTER_MAX];
	struct file_stamp stamps[2]; /* config.json, service.conf as last read */
	enum rescan_mark rescan;     /* pending work of keelctl rescan */
	bool rescan_start;	     /* start it once that work is done */
	bool gone;		     /* removed by a rescan: a free slot that keeps its log */

	enum svc_state state;
	bool want_up;
	bool restart_now; /* keelctl restart: skip backoff once */
	bool job_timed_out; /* one-shot job stopped after its time limit */
	enum svc_helper helper;
	pid_t helper_pid;
	pid_t pid; /* the container's init, 0 when none */
	int pidfd;
	bool exited;	    /* pid exited (status in last_status) */
	bool ready_seen;    /* notified before runc-shim start returned */
	int last_status;    /* wait status of the last instance; -1 none */
	pid_t early_pid;    /* exited before its pid file was read ... */
	int early_status;   /* ... with this wait status */
	char cgroup[256];   /* v2 path of the instance, "" when unknown */
	int64_t deadline;   /* monotonic ms, -1 none */
	int64_t since;	    /* when the current state began */
	int64_t started_at; /* when the instance started */
	uint32_t crashes;   /* in a row, for backoff */
	uint32_t restarts;  /* automatic restarts since boot */

	struct logbuf log;
	struct log_times log_times;
	int log_rd, log_wr; /* the persistent stdout/stderr pipe */
	struct loop_watch log_watch;
	char echo_line[256]; /* partial line waiting for the console */
	size_t echo_len;
	int notify_rd; /* readiness pipe of this instance, -1 none */
	struct loop_watch notify_watch;
};

void service_event(struct service *s, enum svc_event ev);
const char *svc_state_name(enum svc_state st);
bool svc_is_up(const struct service *s);      /* an instance exists or is being made */
bool svc_is_settled(const struct service *s); /* ready, done, failed or down */

/* Everything the state machine does to the world, as a table of
 * operations, so service.c calls nothing but these (and tests give it
 * stubs): the registry above it (supervisor.c) and the outside world
 * (svc_run.c, svc_log.c). Set once by the supervisor. */
struct svc_ops {
	bool (*deps_ready)(const struct service *s); /* every after/needs is ready */
	void (*changed)(struct service *s);	     /* a state changed: re-evaluate */
	bool (*shutting_down)(void);		     /* no starts any more */
	int (*create)(struct service *s);	     /* runc-shim create; 0 or -errno */
	int (*start)(struct service *s);	     /* runc-shim start */
	int (*delete)(struct service *s);	     /* runc-shim delete --force */
	int (*read_pid)(struct service *s);	     /* pid file, pidfd, cgroup */
	void (*signal)(struct service *s, int sig);
	void (*kill_instance)(struct service *s); /* cgroup.kill, or SIGKILL the pid */
	void (*notify_close)(struct service *s);
	void (*note)(struct service *s, const char *msg); /* "[keel] msg" in its log */
};
void service_setup(const struct svc_ops *ops, const struct init_config *cfg);
/* init's configuration, for the svc_* files (runtime path, logdir, echo). */
const struct init_config *svc_config(void);
/* Output was appended to s's log: tells the listener (keelctl logs -f),
 * which main sets; the service layer does not know who listens. */
void service_set_log_listener(void (*listener)(struct service *s));
void svc_log_appended(struct service *s);

/* svc_log.c: pipes. */
int svc_log_open(struct service *s);
void svc_log_close(struct service *s);
int svc_notify_open(struct service *s, int *write_end);
void svc_notify_close(struct service *s);
void svc_log_note(struct service *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
