/* keelctl boot: PID 1's timeline lines into a struct bootchart (strictly:
 * every word checked, a bad line is an error naming it), the critical path,
 * and the text table and JSON renderings. The SVG is bootchart_svg.c. */
#include "bootchart.h"
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WORDS_MAX (11 + BC_DEPS_MAX)

static const char *const event_names[BC_N] = {"wanted",	 "spawn", "created",
					      "started", "ready", "exited"};

/* Names and keywords PID 1 sends: service names' charset (service_name_valid). */
static bool word_ok(const char *w, size_t max)
{
	size_t n = strlen(w);

	return n > 0 && n < max &&
	       strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789._-") == n;
}

static bool ms_ok(const char *w, int64_t *out)
{
	uint64_t v;

	if (!strcmp(w, "-")) {
		*out = BC_UNSET;
		return true;
	}
	if (parse_u64(w, (uint64_t)1 << 50, &v) < 0)
		return false;
	*out = (int64_t)v;
	return true;
}

static bool copy_word(char *dst, size_t size, const char *w)
{
	if (!word_ok(w, size))
		return false;
	memcpy(dst, w, strlen(w) + 1);
	return true;
}

static bool parse_unit(struct bootchart *bc, char **w, int n)
{
	struct bc_unit *u;
	uint64_t restarts;

	if (n < 11 || n > WORDS_MAX || bc->n_units == BC_UNITS_MAX)
		return false;
	u = &bc->unit[bc->n_units];
	memset(u, 0, sizeof(*u));
	if (!copy_word(u->name, sizeof(u->name), w[1]) ||
	    !copy_word(u->kind, sizeof(u->kind), w[2]) ||
	    !copy_word(u->state, sizeof(u->state), w[3]) ||
	    parse_u64(w[4], 1u << 30, &restarts) < 0)
		return false;
	u->restarts = (unsigned)restarts;
	for (int e = 0; e < BC_N; e++)
		if (!ms_ok(w[5 + e], &u->at[e]))
			return false;
	for (int k = 11; k < n; k++)
		if (!copy_word(u->deps[u->n_deps++], BC_NAME_MAX, w[k]))
			return false;
	bc->n_units++;
	return true;
}

static bool parse_phase(struct bootchart *bc, char **w, int n)
{
	struct bc_phase *p = &bc->phase[bc->n_phases];

	if (n != 4 || bc->n_phases == BC_PHASES_MAX || !copy_word(p->name, sizeof(p->name), w[1]) ||
	    !ms_ok(w[2], &p->start) || !ms_ok(w[3], &p->end) || p->start < 0 || p->end < p->start)
		return false;
	bc->n_phases++;
	return true;
}

static bool parse_line(struct bootchart *bc, char *line)
{
	char *w[WORDS_MAX + 1], *save = NULL;
	uint64_t v;
	int n = 0;

	for (char *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == WORDS_MAX + 1)
			return false;
		w[n++] = t;
	}
	if (n == 2 && !strcmp(w[0], "clock") &&
	    (!strcmp(w[1], "boottime") || !strcmp(w[1], "init"))) {
		bc->machine = !strcmp(w[1], "boottime");
		return true;
	}
	if (n == 2 && !strcmp(w[0], "now"))
		return ms_ok(w[1], &bc->now) && bc->now >= 0;
	if (n == 2 && !strcmp(w[0], "dropped") && parse_u64(w[1], 1u << 30, &v) == 0) {
		bc->dropped = (unsigned)v;
		return true;
	}
	if (n > 0 && !strcmp(w[0], "phase"))
		return parse_phase(bc, w, n);
	if (n > 0 && !strcmp(w[0], "unit"))
		return parse_unit(bc, w, n);
	return false;
}

static int64_t unit_start(const struct bc_unit *u)
{
	return u->at[BC_SPAWN] == BC_UNSET ? INT64_MAX : u->at[BC_SPAWN];
}

static int by_start(const void *a, const void *b)
{
	const struct bc_unit *x = a, *y = b;
	int64_t sx = unit_start(x), sy = unit_start(y);

	return sx != sy ? (sx < sy ? -1 : 1) : strcmp(x->name, y->name);
}

static struct bc_unit *find_unit(struct bootchart *bc, const char *name)
{
	for (unsigned i = 0; i < bc->n_units; i++)
		if (!strcmp(bc->unit[i].name, name))
			return &bc->unit[i];
	return NULL;
}

static bool is_service(const struct bc_unit *u)
{
	return !strcmp(u->kind, "service");
}

/* The service that became ready last; with none, the last job to exit. */
static struct bc_unit *last_settled(struct bootchart *bc)
{
	struct bc_unit *best = NULL;
	enum bc_event ev = BC_READY;

	for (int pass = 0; pass < 2 && !best; pass++, ev = BC_EXITED)
		for (unsigned i = 0; i < bc->n_units; i++) {
			struct bc_unit *u = &bc->unit[i];
			if (u->at[ev] != BC_UNSET && (pass || is_service(u)) &&
			    (!best || u->at[ev] > best->at[ev]))
				best = u;
		}
	return best;
}

/* From the last ready service back along after= to the dependency that was
 * ready last (the one it waited for); where the chain starts, the onboot
 * jobs that ran before it (they run one after another). */
static void mark_critical(struct bootchart *bc)
{
	struct bc_unit *u = last_settled(bc), *first = u;

	for (unsigned hops = 0; u && hops < bc->n_units; hops++) {
		struct bc_unit *next = NULL;

		u->critical = true;
		first = u;
		for (unsigned k = 0; k < u->n_deps; k++) {
			struct bc_unit *d = find_unit(bc, u->deps[k]);
			if (d && d->at[BC_READY] != BC_UNSET &&
			    (!next || d->at[BC_READY] > next->at[BC_READY]))
				next = d;
		}
		u = next;
	}
	for (unsigned i = 0; first && i < bc->n_units; i++) {
		struct bc_unit *j = &bc->unit[i];
		if (!strcmp(j->kind, "onboot") && j->at[BC_SPAWN] != BC_UNSET &&
		    j->at[BC_SPAWN] <= first->at[BC_SPAWN])
			j->critical = true;
	}
}

static void find_end(struct bootchart *bc)
{
	bc->end = 1;
	for (unsigned i = 0; i < bc->n_phases; i++)
		if (bc->phase[i].end > bc->end)
			bc->end = bc->phase[i].end;
	for (unsigned i = 0; i < bc->n_units; i++)
		for (int e = 0; e < BC_N; e++)
			if (bc->unit[i].at[e] > bc->end)
				bc->end = bc->unit[i].at[e];
	bc->end += bc->end / 20; /* room to show services running on */
}

int bootchart_parse(char *text, struct bootchart *bc, char *err, size_t size)
{
	char *save = NULL;
	unsigned lineno = 0;

	memset(bc, 0, sizeof(*bc));
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (!parse_line(bc, l)) {
			snprintf(err, size, "line %u of init's boot reply: '%.80s'", lineno, l);
			return -EINVAL;
		}
	}
	qsort(bc->unit, bc->n_units, sizeof(bc->unit[0]), by_start);
	mark_critical(bc);
	find_end(bc);
	return 0;
}

static void ms_cell(FILE *out, int64_t v, int64_t base)
{
	if (v == BC_UNSET || base == BC_UNSET)
		fprintf(out, " %8s", "-");
	else
		fprintf(out, " %8lld", (long long)(v - base));
}

/* How long a unit took: spawn to ready (services) or to exit (jobs). */
static int64_t unit_took(const struct bc_unit *u)
{
	int64_t end = is_service(u) ? u->at[BC_READY] : u->at[BC_EXITED];

	return end == BC_UNSET || u->at[BC_SPAWN] == BC_UNSET ? BC_UNSET : end - u->at[BC_SPAWN];
}

static void table_units(const struct bootchart *bc, FILE *out)
{
	fprintf(out, "\n  %-20s %-8s %8s %8s %8s %8s %8s %8s %8s  %s\n", "UNIT", "KIND", "WAIT",
		"SPAWN", "+CREATE", "+START", "+READY", "+EXIT", "TOOK", "STATE");
	for (unsigned i = 0; i < bc->n_units; i++) {
		const struct bc_unit *u = &bc->unit[i];

		fprintf(out, "%c %-20s %-8s", u->critical ? '*' : ' ', u->name, u->kind);
		ms_cell(out, u->at[BC_SPAWN], u->at[BC_WANTED]);
		ms_cell(out, u->at[BC_SPAWN], 0);
		ms_cell(out, u->at[BC_CREATED], u->at[BC_SPAWN]);
		ms_cell(out, u->at[BC_STARTED], u->at[BC_SPAWN]);
		ms_cell(out, u->at[BC_READY], u->at[BC_SPAWN]);
		ms_cell(out, u->at[BC_EXITED], u->at[BC_SPAWN]);
		ms_cell(out, unit_took(u), 0);
		fprintf(out, "  %s", u->state);
		if (u->restarts)
			fprintf(out, " (%u restarts)", u->restarts);
		fprintf(out, "\n");
	}
}

static void critical_list(const struct bootchart *bc, FILE *out, const char *sep, const char *quote)
{
	bool first = true;

	for (unsigned i = 0; i < bc->n_units; i++)
		if (bc->unit[i].critical) {
			fprintf(out, "%s%s%s%s", first ? "" : sep, quote, bc->unit[i].name, quote);
			first = false;
		}
}

void bootchart_table(const struct bootchart *bc, FILE *out)
{
	fprintf(out, "ms since %s\n\n  %-20s %8s %8s %8s\n",
		bc->machine ? "the kernel started" : "init started", "PHASE", "START", "END",
		"TOOK");
	for (unsigned i = 0; i < bc->n_phases; i++) {
		const struct bc_phase *p = &bc->phase[i];
		fprintf(out, "  %-20s %8lld %8lld %8lld\n", p->name, (long long)p->start,
			(long long)p->end, (long long)(p->end - p->start));
	}
	table_units(bc, out);
	fprintf(out, "\n* critical path: ");
	critical_list(bc, out, " -> ", "");
	fprintf(out, "\n  times: WAIT = spawn - wanted, SPAWN = ms, +X = ms after spawn\n");
	if (bc->dropped)
		fprintf(out, "  %u units not recorded (table full)\n", bc->dropped);
}

static void json_ms(FILE *out, const char *key, int64_t v)
{
	if (v == BC_UNSET)
		fprintf(out, ",\"%s\":null", key);
	else
		fprintf(out, ",\"%s\":%lld", key, (long long)v);
}

/* Every string written is a checked word ([A-Za-z0-9._-]): no escaping. */
static void json_unit(const struct bc_unit *u, FILE *out)
{
	char key[32];

	fprintf(out, "{\"name\":\"%s\",\"kind\":\"%s\",\"state\":\"%s\",\"restarts\":%u", u->name,
		u->kind, u->state, u->restarts);
	for (int e = 0; e < BC_N; e++) {
		snprintf(key, sizeof(key), "%s_ms", event_names[e]);
		json_ms(out, key, u->at[e]);
	}
	fprintf(out, ",\"after\":[");
	for (unsigned k = 0; k < u->n_deps; k++)
		fprintf(out, "%s\"%s\"", k ? "," : "", u->deps[k]);
	fprintf(out, "],\"critical\":%s}", u->critical ? "true" : "false");
}

void bootchart_json(const struct bootchart *bc, FILE *out)
{
	fprintf(out, "{\"clock\":\"%s\",\"now_ms\":%lld,\"dropped\":%u,\"phases\":[",
		bc->machine ? "boottime" : "init", (long long)bc->now, bc->dropped);
	for (unsigned i = 0; i < bc->n_phases; i++)
		fprintf(out, "%s{\"name\":\"%s\",\"start_ms\":%lld,\"end_ms\":%lld}", i ? "," : "",
			bc->phase[i].name, (long long)bc->phase[i].start,
			(long long)bc->phase[i].end);
	fprintf(out, "],\"units\":[");
	for (unsigned i = 0; i < bc->n_units; i++) {
		fprintf(out, i ? "," : "");
		json_unit(&bc->unit[i], out);
	}
	fprintf(out, "],\"critical_path\":[");
	critical_list(bc, out, ",", "\"");
	fprintf(out, "]}\n");
}
