/* libFuzzer target: service_conf_parse on arbitrary bytes must never crash,
 * and on success must leave a self-consistent policy. */
#include "../../init/service_conf.h"
#include "err.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct service_conf c;
	struct kerr err;

	service_conf_defaults(&c);
	if (service_conf_parse((const char *)data, size, "fuzz", &c, &err) == 0) {
		if (c.n_after > SERVICE_AFTER_MAX || c.restart_delay_max_ms < c.restart_delay_ms ||
		    (c.notify_fd != -1 && (c.notify_fd < 3 || c.notify_fd > 63)))
			abort();
		for (unsigned i = 0; i < c.n_after; i++)
			if (!service_name_valid(c.after[i]))
				abort();
	}
	return 0;
}
