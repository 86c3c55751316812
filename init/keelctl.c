/* Placeholder until the control client lands. */
#include "keelctl.h"
#include "log.h"

int keelctl_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	log_err("not implemented yet");
	return 1;
}
