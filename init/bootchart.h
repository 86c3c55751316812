/* keelctl boot's model of the boot timeline: parsed from PID 1's "boot"
 * reply lines (boottime.c), the critical path computed, then rendered as a
 * table, JSON or an SVG chart. Runs in the keelctl process only; pure
 * functions of the text, so the unit tests drive them directly. */
#ifndef KEEL_INIT_BOOTCHART_H
#define KEEL_INIT_BOOTCHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BC_UNSET      (-1)
#define BC_UNITS_MAX  256
#define BC_PHASES_MAX 16
#define BC_DEPS_MAX   16
#define BC_NAME_MAX   64

/* The order of the ms columns in a "unit" line. */
enum bc_event { BC_WANTED, BC_SPAWN, BC_CREATED, BC_STARTED, BC_READY, BC_EXITED, BC_N };

struct bc_unit {
	char name[BC_NAME_MAX], kind[16], state[16];
	unsigned restarts;
	int64_t at[BC_N]; /* ms, BC_UNSET when not reached */
	char deps[BC_DEPS_MAX][BC_NAME_MAX];
	unsigned n_deps;
	bool critical;
};

struct bc_phase {
	char name[BC_NAME_MAX];
	int64_t start, end;
};

struct bootchart {
	bool machine; /* ms since the kernel started; else since init started */
	int64_t now;
	unsigned dropped;
	struct bc_phase phase[BC_PHASES_MAX];
	unsigned n_phases;
	struct bc_unit unit[BC_UNITS_MAX];
	unsigned n_units;
	int64_t end; /* the last event: the chart's time span */
};

/* Parses the reply body (after "OK\n"); text is modified. Units come out
 * sorted by spawn time, the critical path marked. 0, or -EINVAL with the
 * offending line in err. */
int bootchart_parse(char *text, struct bootchart *bc, char *err, size_t size);

void bootchart_table(const struct bootchart *bc, FILE *out);
void bootchart_json(const struct bootchart *bc, FILE *out);
void bootchart_svg(const struct bootchart *bc, FILE *out);

/* SVG layout, also written into the chart as data-* attributes so a test
 * can find where a given ms must be drawn. */
#define BC_SVG_LEFT 200 /* x of 0 ms */
#define BC_SVG_PLOT 900 /* px of the whole time span */
#define BC_SVG_TOP  40	/* y of the first row */
#define BC_SVG_ROW  22	/* px per row */
#define BC_SVG_BAR  16	/* bar height */

#endif
