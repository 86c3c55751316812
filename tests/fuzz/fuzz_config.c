/* libFuzzer target: runc-shim's config.json parser must reject or accept
 * any input without crashing, leaking, or overreading (ASan/UBSan). An
 * accepted config must be self-consistent (the checks below). */
#include "../../runc-shim/config.h"

#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct kerr err;

	if (config_parse((const char *)data, size, &c, &err) < 0)
		return 0;
	if (!c.root_path || !c.proc.n_args || !c.proc.args[0] || !config_ns(&c, CLONE_NEWNS))
		abort(); /* accepted without a root, args or mount namespace */
	for (size_t i = 0; i < c.n_mounts; i++)
		if (!c.mounts[i].dest || c.mounts[i].dest[0] != '/')
			abort();
	config_free(&c);
	return 0;
}
