/* `list [--format table|json] [--quiet]`: every container under --root. */
#include "shim.h"
#include "state.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_one(const struct state *s, enum state_status st, int format, cJSON *arr)
{
	if (format == 'q') {
		printf("%s\n", s->id);
	} else if (format == 'j') {
		char *text = state_to_json(s, st);
		cJSON *o = text ? cJSON_Parse(text) : NULL;
		if (o)
			cJSON_AddItemToArray(arr, o);
		free(text);
	} else {
		printf("%-20s %-8d %-10s %-40s %s\n", s->id, st == ST_STOPPED ? 0 : (int)s->pid,
		       state_status_name(st), s->bundle, s->created);
	}
}

static int parse_format(int argc, char **argv, int *format, struct kerr *err)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"quiet", no_argument, NULL, 'q'},
					     {NULL, 0, NULL, 0}};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:q", opts, NULL)) != -1) {
		if (c == 'q')
			*format = 'q';
		else if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			*format = optarg[0];
		else
			return kerr_set(err, 0, "%s: bad option %s", argv[0], argv[optind - 1]);
	}
	return 0;
}

int cmd_list(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	int format = 't';
	cJSON *arr = cJSON_CreateArray();
	struct dirent *e;
	DIR *d;
	int r;

	if (!arr || (r = parse_format(argc, argv, &format, err)) < 0) {
		cJSON_Delete(arr);
		return arr ? r : kerr_set(err, ENOMEM, "list");
	}
	if (format == 't')
		printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
	if ((d = opendir(g->root))) {
		while ((e = readdir(d))) {
			struct state s;
			struct kerr ignored;
			if (e->d_name[0] != '.' &&
			    state_read(g->root, e->d_name, &s, &ignored) == 0)
				print_one(&s, state_status(g->root, &s), format, arr);
		}
		closedir(d);
	}
	if (format == 'j') {
		char *text = cJSON_PrintUnformatted(arr);
		puts(text ? text : "[]");
		free(text);
	}
	cJSON_Delete(arr);
	return 0;
}
