/* One voice for messages: "PROG: message". The sink is stderr unless set. */
#ifndef KEEL_LOG_H
#define KEEL_LOG_H

#include <stddef.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_setup(const char *prog, enum log_level max, int fd);
/* Every finished line goes to sink instead of fd (PID 1: console_write). */
void log_set_sink(void (*sink)(const char *line, size_t len));
/* Prefixes each line with "[seconds.millis] " since boot (CLOCK_BOOTTIME), as
 * the kernel's own console lines are; used by PID 1 for its boot log. */
void log_set_timestamps(int on);
/* Lines as JSON objects {"level":"warning","msg":"..."} (runc's logrus
 * format, which containerd reads from --log files), without the prefix. */
void log_set_json(int on);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Short-lived tools only: print and exit(1). PID 1 never calls it. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
