/* keelctl boot [--json|--svg]: asks PID 1 for its boot timeline (plain lines,
 * boottime.c) and renders it here, in the client: PID 1 formats no JSON and
 * no SVG. The model and renderers are bootchart*.c. */
#include "bootchart.h"
#include "keelctl.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOT_REPLY_MAX (1 << 20)

int keelctl_boot_main(int argc, char **argv)
{
	static struct bootchart bc; /* ~300 KiB: not on the stack */
	void (*render)(const struct bootchart *, FILE *) = bootchart_table;
	char err[160], *text;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			render = bootchart_json;
		else if (!strcmp(argv[i], "--svg"))
			render = bootchart_svg;
		else {
			fprintf(stderr,
				"keelctl: boot: unexpected argument '%.64s'\n"
				"usage: keelctl boot [--json|--svg]\n",
				argv[i]);
			return 2;
		}
	}
	text = keelctl_query("boot\n", BOOT_REPLY_MAX);
	if (bootchart_parse(text, &bc, err, sizeof(err)) < 0)
		die("%s", err);
	free(text);
	render(&bc, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
