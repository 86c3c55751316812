/* `state ID`: runc's JSON shape on stdout. */
#include "shim.h"
#include "state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_state(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	struct state s;
	char *text;
	int r;

	if (argc != 2)
		return kerr_set(err, 0, "state: expected exactly one container ID");
	if ((r = state_read(g->root, argv[1], &s, err)) < 0)
		return r;
	if (!(text = state_to_json(&s, state_status(g->root, &s))))
		return kerr_set(err, ENOMEM, "state");
	puts(text);
	free(text);
	return 0;
}
