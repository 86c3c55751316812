/* Restart backoff: delay = restart-delay * 2^(crashes-1), capped at
 * restart-delay-max; a run of healthy-after resets the count; restart-limit
 * crashes in a row mark the service failed. Pure arithmetic. */
#ifndef KEEL_INIT_BACKOFF_H
#define KEEL_INIT_BACKOFF_H

#include <stdint.h>

struct service_conf;

/* Records one exit of an instance that ran ran_ms. Updates *crashes and
 * returns the delay in ms before the next start, or -1 when the crash-loop
 * limit is reached (the service is then failed). */
int64_t backoff_on_exit(const struct service_conf *c, uint32_t *crashes, uint64_t ran_ms);

/* The delay before restart number n (n >= 1) in a crash loop. */
uint64_t backoff_delay_ms(const struct service_conf *c, uint32_t n);

#endif
