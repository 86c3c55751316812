/* keelctl boot's renderers on a fixed timeline: parsing (and refusing bad
 * lines), sort order, the critical path, the table, JSON (checked further by
 * bootchart.t with python3) and the SVG's bar positions.
 * With an argument (json|svg) it prints that rendering for bootchart.t. */
#include "../../init/bootchart.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static const char sample[] = "clock boottime\nnow 3000\ndropped 0\n"
			     "phase kernel 0 800\nphase switch_root 800 900\nphase mounts 900 920\n"
			     "phase services 920 2000\n"
			     "unit httpd service ready 0 1500 1500 1550 1560 1900 - net db\n"
			     "unit net service ready 0 1000 1000 1050 1060 1400 -\n"
			     "unit db service ready 1 1000 1010 1060 1070 1100 -\n"
			     "unit side service running 0 1000 1005 1040 1045 - -\n"
			     "unit 10-job onboot done 0 930 930 950 955 - 990\n"
			     "unit never service failed 0 - - - - - -\n";

static char *render(void (*fn)(const struct bootchart *, FILE *), const struct bootchart *bc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(bc, f);
	fclose(f);
	return buf;
}

static int parse(const char *text, struct bootchart *bc, char *err, size_t size)
{
	char *copy = strdup(text);
	int r = bootchart_parse(copy, bc, err, size);

	free(copy);
	return r;
}

static void test_model(struct bootchart *bc)
{
	static const char *const order[] = {"10-job", "net", "side", "db", "httpd", "never"};
	bool sorted = bc->n_units == 6;

	for (unsigned i = 0; sorted && i < 6; i++)
		sorted = !strcmp(bc->unit[i].name, order[i]);
	CHECK(sorted, "units sorted by spawn time, name breaks ties, never-spawned last");
	CHECK(bc->machine && bc->now == 3000 && bc->n_phases == 4, "clock, now and phases");
	CHECK(bc->end == 2100, "span: the last event plus 5%% (%lld)", (long long)bc->end);
	CHECK(bc->unit[0].critical && bc->unit[1].critical && !bc->unit[2].critical &&
		  !bc->unit[3].critical && bc->unit[4].critical && !bc->unit[5].critical,
	      "critical path: job, then net (the later-ready dependency), then httpd");
	CHECK(bc->unit[4].n_deps == 2 && !strcmp(bc->unit[4].deps[1], "db"), "after= list kept");
}

static void test_table(const struct bootchart *bc)
{
	char *t = render(bootchart_table, bc);

	CHECK(strstr(t, "critical path: 10-job -> net -> httpd\n") != NULL, "table: critical path");
	CHECK(strstr(t, "* httpd ") && strstr(t, "  side "), "table: rows marked");
	CHECK(strstr(t, "  kernel                      0      800      800") != NULL,
	      "table: kernel phase row");
	CHECK(
	    strstr(t,
		   "db                   service        10     1010       50       60       90") !=
		NULL,
	    "table: times after spawn");
	CHECK(strstr(t, "(1 restarts)") != NULL, "table: restarts shown");
	free(t);
}

static void test_json(const struct bootchart *bc)
{
	char *j = render(bootchart_json, bc);

	CHECK(strstr(j, "\"critical_path\":[\"10-job\",\"net\",\"httpd\"]") != NULL,
	      "json: critical path");
	CHECK(strstr(j, "{\"name\":\"side\",\"kind\":\"service\",\"state\":\"running\","
			"\"restarts\":0,\"wanted_ms\":1000,\"spawn_ms\":1005,\"created_ms\":1040,"
			"\"started_ms\":1045,\"ready_ms\":null,\"exited_ms\":null,\"after\":[],"
			"\"critical\":false}") != NULL,
	      "json: a unit with nulls");
	free(j);
}

/* x = LEFT + ms * PLOT / end, rounded: db's create bar runs 1010..1060 ms,
 * span 2100: 1010 * 900 / 2100 = 432.9 -> 433, 1060 -> 454. */
static void test_svg(const struct bootchart *bc)
{
	char *s = render(bootchart_svg, bc), want[160];

	snprintf(want, sizeof(want),
		 "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f09020\" "
		 "data-from=\"1010\" data-to=\"1060\"/>",
		 BC_SVG_LEFT + 433, BC_SVG_TOP + 7 * BC_SVG_ROW + 3, 21, BC_SVG_BAR);
	CHECK(strstr(s, want) != NULL, "svg: db's create bar where its numbers say");
	CHECK(strstr(s, ">1000 ms</text>") && strstr(s, ">2000 ms</text>") &&
		  !strstr(s, ">2200 ms"),
	      "svg: time axis 0..2000 in steps of 200");
	CHECK(strstr(s, "data-from=\"1900\" data-to=\"2100\"") != NULL,
	      "svg: a running service's bar runs to the end");
	CHECK(strstr(s, "fill=\"#d00000\" font-weight=\"bold\">httpd<") != NULL,
	      "svg: critical label highlighted");
	free(s);
}

static void test_bad_input(void)
{
	static const char *const bad[] = {
	    "unit a\"b service ready 0 1 1 1 1 1 -\n",
	    "unit a service ready 0 1 1 x 1 1 -\n",
	    "phase kernel 5 4\n",
	    "clock wall\n",
	    "unit a service ready 0 1 1 1 1 1 - a b c d e f g h i j k l m n o p q\n",
	    "surprise\n",
	    "now -5\n",
	};
	struct bootchart *bc = malloc(sizeof(*bc));
	char err[160];
	bool all = true;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], bc, err, sizeof(err)) != -22 || !strstr(err, "line 1 "))
			all = false;
	CHECK(all, "bad lines refused with the line named");
	free(bc);
}

int main(int argc, char **argv)
{
	static struct bootchart bc;
	char err[160] = "";

	CHECK(parse(sample, &bc, err, sizeof(err)) == 0, "sample parses %s", err);
	if (argc > 1) {
		fflush(stdout);
		(!strcmp(argv[1], "json") ? bootchart_json : bootchart_svg)(&bc, stderr);
		return 0;
	}
	test_model(&bc);
	test_table(&bc);
	test_json(&bc);
	test_svg(&bc);
	test_bad_input();
	return TAP_DONE();
}
