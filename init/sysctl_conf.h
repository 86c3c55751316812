/* /etc/keel/sysctl.conf: kernel settings PID 1 applies early at boot, before
 * any service (no privileged container writes /proc/sys). sysctl.d(5)'s
 * format, strictly: one `key = value` per line, whole-line `#` comments.
 * The parser is pure (unit test + fuzz target); the apply writes /proc/sys. */
#ifndef KEEL_INIT_SYSCTL_CONF_H
#define KEEL_INIT_SYSCTL_CONF_H

#include "config.h"

#include <stddef.h>

#define SYSCTL_CONF_PATH "/etc/keel/sysctl.conf"
#define SYSCTL_KEY_MAX	 128
#define SYSCTL_VALUE_MAX 256

struct sysctl_setting {
	unsigned line;
	char key[SYSCTL_KEY_MAX];     /* dotted: kernel.kptr_restrict */
	char value[SYSCTL_VALUE_MAX]; /* printable ASCII, trimmed, not empty */
};

struct sysctl_conf_cb {
	void (*setting)(const struct sysctl_setting *s, void *ctx);
	void (*bad)(const char *msg, void *ctx); /* "FILE:LINE: reason" */
	void *ctx;
};

/* Calls cb->setting for every good line, cb->bad for every bad one (the rest
 * still parsed); returns the number of bad lines. */
unsigned sysctl_conf_parse(const char *text, size_t len, const char *file,
			   const struct sysctl_conf_cb *cb);

/* "kernel.yama.ptrace_scope" -> "/proc/sys/kernel/yama/ptrace_scope". */
void sysctl_proc_path(const char *key, char *out, size_t size);

/* Reads SYSCTL_CONF_PATH and writes each setting; on the machine only. Every
 * problem is one log line; the boot goes on. */
void sysctl_conf_apply(const struct init_config *cfg);

#endif
