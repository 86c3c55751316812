/* Exponential restart backoff; see backoff.h for the numbers. */
#include "backoff.h"
#include "service_conf.h"

static uint64_t doubled(uint64_t base, uint64_t cap, uint32_t n)
{
	uint64_t d = base;

	/* Doubling stops at the cap, so no shift can overflow. */
	for (uint32_t i = 1; i < n && d < cap; i++)
		d *= 2;
	return d < cap ? d : cap;
}

uint64_t backoff_delay_ms(const struct service_conf *c, uint32_t n)
{
	uint64_t cap = c->restart_delay_max_ms;

	/* restart-delay = 0: immediate restarts only for the first few crashes
	 * in a row, then a floor, so a service that always exits at once costs
	 * a bounded number of runc-shim runs per second, whatever the limit. */
	if (c->restart_delay_ms == 0 && n > BACKOFF_ZERO_BURST)
		return doubled(BACKOFF_FLOOR_MS, cap > BACKOFF_FLOOR_CAP_MS ? cap : BACKOFF_FLOOR_CAP_MS,
			       n - BACKOFF_ZERO_BURST);
	return doubled(c->restart_delay_ms, cap, n);
}

int64_t backoff_on_exit(const struct service_conf *c, uint32_t *crashes, uint64_t ran_ms)
{
	if (ran_ms >= c->healthy_ms)
		*crashes = 0;
	if (*crashes < UINT32_MAX)
		(*crashes)++;
	if (backoff_limit_reached(c, *crashes) && c->restart_limit_final)
		return -1;
	return (int64_t)backoff_delay_ms(c, *crashes);
}

bool backoff_limit_reached(const struct service_conf *c, uint32_t crashes)
{
	return c->restart_limit && crashes >= c->restart_limit;
}
