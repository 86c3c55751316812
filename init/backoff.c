/* Exponential restart backoff; see backoff.h for the numbers. */
#include "backoff.h"
#include "service_conf.h"

uint64_t backoff_delay_ms(const struct service_conf *c, uint32_t n)
{
	uint64_t d = c->restart_delay_ms;

	/* Doubling stops at the cap, so no shift can overflow. */
	for (uint32_t i = 1; i < n && d < c->restart_delay_max_ms; i++)
		d *= 2;
	return d < c->restart_delay_max_ms ? d : c->restart_delay_max_ms;
}

int64_t backoff_on_exit(const struct service_conf *c, uint32_t *crashes, uint64_t ran_ms)
{
	if (ran_ms >= c->healthy_ms)
		*crashes = 0;
	if (*crashes < UINT32_MAX)
		(*crashes)++;
	if (c->restart_limit && *crashes >= c->restart_limit)
		return -1;
	return (int64_t)backoff_delay_ms(c, *crashes);
}
