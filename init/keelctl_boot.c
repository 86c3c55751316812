/* keelctl boot [--json|--svg]: asks PID 1 for its boot timeline (plain lines,
 * boottime.c) and renders it here, in the client: PID 1 formats no JSON and
 * no SVG. The model and renderers are bootchart*.c. */
#include "bootchart.h"
#include "control.h"
#include "io.h"
#include "keelctl.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BOOT_REPLY_MAX (1 << 20)

/* The whole answer, NUL-terminated; "OK\n" checked and skipped. */
static char *fetch_timeline(void)
{
	static const char req[] = "boot\n";
	size_t len = 0;
	char *buf = malloc(BOOT_REPLY_MAX);
	int fd = keelctl_connect();
	ssize_t n;

	if (!buf)
		die("out of memory");
	if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) < 0 && errno != EPIPE &&
	    errno != ECONNRESET)
		die("unable to send the request: %s", strerror(errno));
	while (len < BOOT_REPLY_MAX - 1 &&
	       (n = read_all(fd, buf + len, BOOT_REPLY_MAX - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	if (!strncmp(buf, "ERR ", 4))
		die("%.*s", (int)strcspn(buf + 4, "\n"), buf + 4);
	if (strncmp(buf, "OK\n", 3) != 0)
		die("unexpected answer from init: '%.40s'", buf);
	return buf;
}

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
	text = fetch_timeline();
	if (bootchart_parse(text + 3, &bc, err, sizeof(err)) < 0)
		die("%s", err);
	free(text);
	render(&bc, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
