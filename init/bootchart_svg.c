/* keelctl boot --svg: a self-contained SVG boot chart in the manner of
 * systemd-analyze plot. One row per init phase, then one per unit sorted by
 * start, each bar split into its phases (colours in the legend), a time
 * axis with a grid, the critical path outlined in red. The layout constants
 * (bootchart.h) are also written on the <svg> element as data-* so tests
 * can check a bar is drawn where its numbers say. */
#include "bootchart.h"

#include <string.h>

/* What a stretch of a bar means; the colour is its legend entry. */
enum seg { SEG_INIT, SEG_WAIT, SEG_CREATE, SEG_START, SEG_NOTIFY, SEG_SERVICE, SEG_JOB, N_SEG };

static const struct {
	const char *colour, *label;
} segs[N_SEG] = {
    [SEG_INIT] = {"#8080c0", "init phase"},
    [SEG_WAIT] = {"#d8d8d8", "waiting for after="},
    [SEG_CREATE] = {"#f09020", "sandbox create"},
    [SEG_START] = {"#e8d020", "start"},
    [SEG_NOTIFY] = {"#40a0f0", "started, not yet ready"},
    [SEG_SERVICE] = {"#40b040", "ready (service)"},
    [SEG_JOB] = {"#2050c0", "running (onboot job)"},
};

#define CRITICAL "#d00000"

/* Whole pixels: keelctl is init's binary, whose printf has no %f. */
static int x_of(const struct bootchart *bc, int64_t ms)
{
	return BC_SVG_LEFT + (int)((ms * BC_SVG_PLOT + bc->end / 2) / bc->end);
}

static void bar(FILE *out, const struct bootchart *bc, int row, int64_t from, int64_t to,
		enum seg s)
{
	int x0, x1;

	if (from == BC_UNSET || to == BC_UNSET || to < from)
		return;
	x0 = x_of(bc, from);
	x1 = x_of(bc, to);
	fprintf(out,
		"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
		"data-from=\"%lld\" data-to=\"%lld\"/>\n",
		x0, BC_SVG_TOP + row * BC_SVG_ROW + (BC_SVG_ROW - BC_SVG_BAR) / 2,
		x1 - x0 < 1 ? 1 : x1 - x0, BC_SVG_BAR, segs[s].colour, (long long)from,
		(long long)to);
}

static void label(FILE *out, int row, const char *text, bool critical)
{
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>%s</text>\n", BC_SVG_LEFT - 8,
		BC_SVG_TOP + row * BC_SVG_ROW + BC_SVG_ROW / 2 + 4,
		critical ? " fill=\"" CRITICAL "\" font-weight=\"bold\"" : "", text);
}

/* A unit's last stretch ends at its exit, or runs to the chart's end. */
static int64_t end_of(const struct bootchart *bc, const struct bc_unit *u)
{
	return u->at[BC_EXITED] != BC_UNSET ? u->at[BC_EXITED] : bc->end;
}

static void unit_row(FILE *out, const struct bootchart *bc, const struct bc_unit *u, int row)
{
	bool service = !strcmp(u->kind, "service");
	int64_t up = service ? u->at[BC_READY] : u->at[BC_STARTED];
	int64_t created_end = u->at[BC_STARTED] != BC_UNSET ? u->at[BC_STARTED] : u->at[BC_EXITED];
	int64_t done = service ? u->at[BC_READY] : u->at[BC_EXITED]; /* what others waited for */

	label(out, row, u->name, u->critical);
	if (u->at[BC_WANTED] != u->at[BC_SPAWN])
		bar(out, bc, row, u->at[BC_WANTED], u->at[BC_SPAWN], SEG_WAIT);
	bar(out, bc, row, u->at[BC_SPAWN],
	    u->at[BC_CREATED] != BC_UNSET ? u->at[BC_CREATED] : u->at[BC_EXITED], SEG_CREATE);
	bar(out, bc, row, u->at[BC_CREATED], created_end, SEG_START);
	if (service && u->at[BC_READY] != u->at[BC_STARTED])
		bar(out, bc, row, u->at[BC_STARTED],
		    u->at[BC_READY] != BC_UNSET ? u->at[BC_READY] : end_of(bc, u), SEG_NOTIFY);
	if (up != BC_UNSET)
		bar(out, bc, row, up, end_of(bc, u), service ? SEG_SERVICE : SEG_JOB);
	if (u->critical && u->at[BC_SPAWN] != BC_UNSET)
		fprintf(out,
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
			"stroke=\"" CRITICAL "\" stroke-width=\"2\" class=\"critical\"/>\n",
			x_of(bc, u->at[BC_SPAWN]) - 1, BC_SVG_TOP + row * BC_SVG_ROW,
			x_of(bc, done != BC_UNSET ? done : end_of(bc, u)) -
			    x_of(bc, u->at[BC_SPAWN]) + 2,
			BC_SVG_ROW);
}

/* 1, 2 or 5 times a power of ten: about ten grid lines over the span. */
static int64_t tick_step(int64_t span)
{
	static const int mult[] = {1, 2, 5};

	for (int64_t p = 1;; p *= 10)
		for (int i = 0; i < 3; i++)
			if (span / (p * mult[i]) <= 10)
				return p * mult[i];
}

static void axis(FILE *out, const struct bootchart *bc, int rows)
{
	int64_t step = tick_step(bc->end);
	int bottom = BC_SVG_TOP + rows * BC_SVG_ROW;

	for (int64_t t = 0; t <= bc->end; t += step) {
		int x = x_of(bc, t);
		fprintf(out,
			"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e0e0e0\"/>\n"
			"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%lld ms</text>\n",
			x, BC_SVG_TOP - 4, x, bottom, x, BC_SVG_TOP - 10, (long long)t);
	}
}

static void legend(FILE *out, int y)
{
	int x = 10;

	for (int s = 0; s < N_SEG; s++) {
		fprintf(out,
			"<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"%d\">%s</text>\n",
			x, y, segs[s].colour, x + 18, y + 12, segs[s].label);
		x += 30 + 7 * (int)strlen(segs[s].label);
	}
	fprintf(
	    out,
	    "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"" CRITICAL
	    "\" stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">critical path</text>\n",
	    x, y, x + 18, y + 12);
}

void bootchart_svg(const struct bootchart *bc, FILE *out)
{
	int rows = (int)(bc->n_phases + bc->n_units);
	int height = BC_SVG_TOP + rows * BC_SVG_ROW + 60;

	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" "
		"data-left=\"%d\" data-plot=\"%d\" data-top=\"%d\" data-row=\"%d\" "
		"data-bar=\"%d\" data-end=\"%lld\">\n"
		"<title>keel boot chart (ms since %s)</title>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		BC_SVG_LEFT + BC_SVG_PLOT + 40, height, BC_SVG_LEFT + BC_SVG_PLOT + 40, height,
		BC_SVG_LEFT, BC_SVG_PLOT, BC_SVG_TOP, BC_SVG_ROW, BC_SVG_BAR, (long long)bc->end,
		bc->machine ? "the kernel started" : "init started");
	axis(out, bc, rows);
	for (unsigned i = 0; i < bc->n_phases; i++) {
		label(out, (int)i, bc->phase[i].name, false);
		bar(out, bc, (int)i, bc->phase[i].start, bc->phase[i].end, SEG_INIT);
	}
	for (unsigned i = 0; i < bc->n_units; i++)
		unit_row(out, bc, &bc->unit[i], (int)(bc->n_phases + i));
	legend(out, height - 40);
	fprintf(out, "</svg>\n");
}
