/* Restart backoff: doubling from restart-delay, the cap, the reset after a
 * healthy run, and the crash-loop limit. */
#include "../../init/backoff.h"
#include "../../init/service_conf.h"
#include "tap.h"

static void check_defaults(void)
{
	struct service_conf c;
	uint32_t crashes = 0;
	int64_t d[8];

	service_conf_defaults(&c);
	for (int i = 0; i < 8; i++)
		d[i] = backoff_on_exit(&c, &crashes, 50);
	CHECK(d[0] == 100 && d[1] == 200 && d[2] == 400 && d[6] == 6400,
	      "defaults double from 100 ms: %lld %lld %lld .. %lld", (long long)d[0],
	      (long long)d[1], (long long)d[2], (long long)d[6]);
	CHECK(d[7] == 12800 && crashes == 8 && backoff_limit_reached(&c, crashes),
	      "the 8th crash in a row reaches the limit, still retried");
	c.restart_limit_final = true;
	CHECK(backoff_on_exit(&c, &crashes, 50) == -1, "restart-limit final: failed at the limit");
}

static void check_cap_and_reset(void)
{
	struct service_conf c;
	uint32_t crashes = 0;
	int64_t d = 0;

	service_conf_defaults(&c);
	c.restart_limit = 0;
	for (int i = 0; i < 40; i++)
		d = backoff_on_exit(&c, &crashes, 0);
	CHECK(d == 30000, "capped at restart-delay-max 30 s after 40 crashes (limit 0 = none)");
	CHECK(backoff_delay_ms(&c, 4000000000u) == 30000, "huge n does not overflow");
	d = backoff_on_exit(&c, &crashes, c.healthy_ms);
	CHECK(d == 100 && crashes == 1, "a run of healthy-after resets to the first delay");
	d = backoff_on_exit(&c, &crashes, c.healthy_ms - 1);
	CHECK(d == 200 && crashes == 2, "a run just short of healthy-after does not reset");
}

static void check_zero(void)
{
	struct service_conf c;
	uint32_t crashes = 0;

	service_conf_defaults(&c);
	c.restart_delay_ms = 0;
	c.restart_limit = 3;
	c.restart_limit_final = true;
	CHECK(backoff_on_exit(&c, &crashes, 0) == 0 && backoff_on_exit(&c, &crashes, 0) == 0,
	      "restart-delay 0 restarts at once");
	CHECK(backoff_on_exit(&c, &crashes, 0) == -1, "restart-limit 3 final fails on the third crash");
}

/* restart-delay = 0 and restart-limit = 0 must not restart in a busy loop. */
static void check_zero_no_busy_loop(void)
{
	struct service_conf c;
	uint32_t crashes = 0;
	int64_t d[40], total = 0;

	service_conf_defaults(&c);
	c.restart_delay_ms = 0;
	c.restart_delay_max_ms = 0;
	c.restart_limit = 0;
	for (int i = 0; i < 40; i++)
		total += d[i] = backoff_on_exit(&c, &crashes, 0);
	CHECK(d[0] == 0 && d[BACKOFF_ZERO_BURST - 1] == 0, "the first %d restarts are immediate",
	      BACKOFF_ZERO_BURST);
	CHECK(d[BACKOFF_ZERO_BURST] == BACKOFF_FLOOR_MS && d[39] == BACKOFF_FLOOR_CAP_MS,
	      "then a floor: %lld ms doubling to %lld ms", (long long)d[BACKOFF_ZERO_BURST],
	      (long long)d[39]);
	CHECK(total > 20000, "40 crashes in a row take over 20 s of delays (%lld ms)",
	      (long long)total);
}

int main(void)
{
	check_defaults();
	check_cap_and_reset();
	check_zero();
	check_zero_no_busy_loop();
	return TAP_DONE();
}
