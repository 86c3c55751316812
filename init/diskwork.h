/* PID 1's worker children for what may hang on a disk (reading a block
 * device, mount(2), mkdir on a mounted file system): PID 1 forks the child,
 * reads its fixed-size records from a non-blocking CLOEXEC pipe in the loop
 * and never waits: the pipe's EOF or the deadline ends the work. At the
 * deadline the child is SIGKILLed and PID 1 goes on; a child stuck in D
 * state is reaped whenever the kernel lets it go (claimed, logged). */
#ifndef KEEL_INIT_DISKWORK_H
#define KEEL_INIT_DISKWORK_H

#include "loop.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define DW_TEXT_MAX 248

enum dw_kind {
	DW_STEP, /* the child begins a step that may hang: named if it does */
	DW_INFO, /* a line for PID 1's log, at this level */
	DW_WARN,
	DW_ERR,
	DW_RESULT, /* the outcome of item `index`: err 0 or -errno, text why */
};

/* 256 bytes: one write(2) of at most PIPE_BUF bytes is atomic, so PID 1
 * reads whole records (and at most a pipe's worth: bounded). */
struct dw_record {
	uint8_t kind;
	uint8_t index;
	uint16_t unused;
	int32_t err;
	char text[DW_TEXT_MAX];
};

/* What a worker does (const: in rodata) ... */
struct dw_job {
	const char *what;		/* names the worker in log lines: "data disk probe" */
	void (*child)(const void *arg); /* runs in the child, reports with dw_send */
	const void *arg;
	void (*on_result)(const struct dw_record *r); /* PID 1: each DW_RESULT */
	void (*on_end)(bool timed_out);		      /* PID 1: once, after the last result */
};

/* ... and one run of it (diskwork.c's own; zeroed: in bss). */
struct diskwork {
	const struct dw_job *job;
	pid_t pid;
	bool running, killed;
	int64_t deadline, timeout_ms;
	struct loop_watch watch;
	char step[DW_TEXT_MAX];
	union {
		struct dw_record rec;
		unsigned char bytes[sizeof(struct dw_record)];
	} in;
	size_t in_len;
};

/* Forks the child running job (w and job must outlive it: statics). 0, or
 * -errno and nothing runs (on_end is not called). */
int diskwork_start(struct diskwork *w, const struct dw_job *job, int64_t timeout_ms);
/* In the child only: one record to PID 1 (text cut to fit). */
void dw_send(enum dw_kind kind, unsigned index, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* For init's loop: the earliest worker deadline (-1 none), and its tick. */
int64_t diskwork_deadline(void);
void diskwork_tick(int64_t now);
/* reap owner: true when pid was a worker (also one killed long ago). */
bool diskwork_child_exited(pid_t pid, int wstatus);

#endif
