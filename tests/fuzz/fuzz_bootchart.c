/* libFuzzer target: keelctl boot's parser of PID 1's "boot" reply
 * (bootchart_parse) and every renderer on what it accepts. It must never
 * crash; what it accepts renders without reading past the model. */
#include "../../init/bootchart.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct bootchart bc;
	char *text = malloc(size + 1), err[160];
	FILE *sink = fopen("/dev/null", "w");

	if (!text || !sink)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (bootchart_parse(text, &bc, err, sizeof(err)) == 0) {
		bootchart_table(&bc, sink);
		bootchart_json(&bc, sink);
		bootchart_svg(&bc, sink);
	}
	fclose(sink);
	free(text);
	return 0;
}
