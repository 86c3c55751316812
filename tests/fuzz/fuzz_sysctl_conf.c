/* libFuzzer target: sysctl_conf_parse on arbitrary bytes must never crash,
 * and every setting it accepts must be a safe /proc/sys name and value. */
#include "../../init/sysctl_conf.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_setting(const struct sysctl_setting *s, void *ctx)
{
	(void)ctx;
	if (!s->key[0] || !s->value[0] || strstr(s->key, "..") || strchr(s->key, '/') ||
	    s->key[0] == '.' || strlen(s->key) >= SYSCTL_KEY_MAX)
		abort();
	for (const char *v = s->value; *v; v++)
		if (*v < 0x20 || *v > 0x7e)
			abort();
}

static void ignore_bad(const char *msg, void *ctx)
{
	(void)ctx;
	if (!strchr(msg, ':'))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const struct sysctl_conf_cb cb = {check_setting, ignore_bad, NULL};

	sysctl_conf_parse((const char *)data, size, "fuzz", &cb);
	return 0;
}
