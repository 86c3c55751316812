/* See capabilities.h. Capabilities the running kernel does not know
 * (above cap_max_bits()) are skipped: the config may come from a newer
 * host, and an unknown capability cannot be granted anyway. */
#include "capabilities.h"

#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

static bool has(uint64_t set, cap_value_t c)
{
	return (set >> c) & 1;
}

int caps_drop_bounding(const struct cfg_process *p, struct kerr *err)
{
	cap_value_t max = (cap_value_t)cap_max_bits();

	for (cap_value_t c = 0; c < max; c++)
		if (!has(p->caps[CAPSET_BND], c) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return kerr_set(err, errno,
					"unable to drop capability %d from the bounding set", c);
	return 0;
}

int caps_apply(const struct cfg_process *p, struct kerr *err)
{
	static const struct {
		int set;
		cap_flag_t flag;
	} sets[] = {{CAPSET_EFF, CAP_EFFECTIVE},
		    {CAPSET_PRM, CAP_PERMITTED},
		    {CAPSET_INH, CAP_INHERITABLE}};
	cap_value_t max = (cap_value_t)cap_max_bits();
	cap_t caps = cap_init();
	int r = 0;

	if (!caps)
		return kerr_set(err, errno, "cap_init");
	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		for (cap_value_t c = 0; c < max; c++)
			if (has(p->caps[sets[s].set], c) &&
			    cap_set_flag(caps, sets[s].flag, 1, &c, CAP_SET) < 0)
				r = -errno;
	if (r == 0 && cap_set_proc(caps) < 0)
		r = -errno;
	cap_free(caps);
	if (r < 0)
		return kerr_set(err, -r, "process.capabilities: unable to set capabilities");
	/* Ambient needs the capability permitted and inheritable already. */
	if (cap_reset_ambient() < 0 && errno != EINVAL)
		return kerr_set(err, errno, "unable to clear the ambient set");
	for (cap_value_t c = 0; c < max; c++)
		if (has(p->caps[CAPSET_AMB], c) && cap_set_ambient(c, CAP_SET) < 0)
			return kerr_set(err, errno,
					"process.capabilities.ambient: unable to raise %s",
					cap_to_name(c));
	return 0;
}
