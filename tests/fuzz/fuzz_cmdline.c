/* libFuzzer target for the keel.* parser: arbitrary kernel command line text.
 * Besides ASan/UBSan findings it checks the parser's promises: every string
 * field stays NUL-terminated, paths stay absolute, the host name valid. */
#include "../../init/cmdline.h"
#include "log.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_invariants(const struct init_config *c)
{
	if (!memchr(c->specdir, 0, sizeof(c->specdir)) || c->specdir[0] != '/')
		abort();
	if (!memchr(c->runtime, 0, sizeof(c->runtime)) || c->runtime[0] != '/')
		abort();
	if (!memchr(c->logdir, 0, sizeof(c->logdir)) || (c->logdir[0] && c->logdir[0] != '/'))
		abort();
	if (!memchr(c->hostname, 0, sizeof(c->hostname)) || !c->hostname[0] ||
	    c->hostname[0] == '-' || c->hostname[0] == '.')
		abort();
	if (strstr(c->specdir, "/../") || strstr(c->runtime, "/../"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct init_config cfg;
	static int quiet = -1;
	char *text = malloc(size + 1);

	if (quiet < 0) {
		quiet = open("/dev/null", O_WRONLY | O_CLOEXEC);
		log_setup("fuzz", LOG_ERR, quiet);
	}
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cmdline_defaults(&cfg);
	(void)cmdline_apply_text(&cfg, text);
	check_invariants(&cfg);
	free(text);
	return 0;
}
