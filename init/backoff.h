/* Restart backoff: delay = restart-delay * 2^(crashes-1), capped at
 * restart-delay-max; a run of healthy-after resets the count. At
 * restart-limit crashes in a row the service keeps being retried at the
 * capped delay (s6), or is failed when the limit is "final". Pure arithmetic. */
#ifndef KEEL_INIT_BACKOFF_H
#define KEEL_INIT_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

struct service_conf;

/* restart-delay = 0: that many immediate restarts in a row, then delays
 * doubling from BACKOFF_FLOOR_MS up to max(restart-delay-max, FLOOR_CAP). */
#define BACKOFF_ZERO_BURST   10
#define BACKOFF_FLOOR_MS     100
#define BACKOFF_FLOOR_CAP_MS 1000

/* Records one exit of an instance that ran ran_ms. Updates *crashes and
 * returns the delay in ms before the next start, or -1 when a final
 * crash-loop limit is reached (the service is then failed). */
int64_t backoff_on_exit(const struct service_conf *c, uint32_t *crashes, uint64_t ran_ms);

/* The delay before restart number n (n >= 1) in a crash loop. */
uint64_t backoff_delay_ms(const struct service_conf *c, uint32_t n);

/* True once crashes reached a (non-zero) restart-limit. */
bool backoff_limit_reached(const struct service_conf *c, uint32_t crashes);

#endif
