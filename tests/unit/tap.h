/* Minimal TAP for C unit tests: CHECK(cond, desc) prints ok/not ok. */
#ifndef KEEL_TAP_H
#define KEEL_TAP_H

#include <stdio.h>

static int tap_failed;

#define CHECK(cond, ...)                                  \
	do {                                              \
		if (cond) {                               \
			printf("ok - ");                  \
		} else {                                  \
			printf("not ok - ");              \
			tap_failed = 1;                   \
		}                                         \
		printf(__VA_ARGS__);                      \
		printf("\n");                             \
	} while (0)

#define TAP_DONE() (fflush(stdout), tap_failed)

#endif
