/* Strict parsers shared by init and runc-shim: integers, signal names. */
#ifndef KEEL_PARSE_H
#define KEEL_PARSE_H

#include <stdint.h>

/* Parses a whole decimal string (no sign, no spaces, no trailing bytes)
 * into [0, max]; returns 0 or -EINVAL / -ERANGE. */
int parse_u64(const char *s, uint64_t max, uint64_t *out);
/* Same for a signed long in [min, max]. */
int parse_long(const char *s, long min, long max, long *out);

/* "TERM", "SIGTERM", "15" -> 15; returns the signal or -EINVAL. */
int signal_from_name(const char *name);
/* 15 -> "TERM"; NULL for unknown numbers. */
const char *signal_name(int sig);

#endif
