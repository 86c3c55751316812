/* keelctl: the control client. Sends one request line to PID 1's control
 * socket and copies the answer to stdout; "ERR msg" becomes
 * "keelctl: msg" on stderr and exit status 1. With --json, errors and empty
 * successes are printed as JSON objects too, so scripts parse every outcome. */
#include "control.h"
#include "io.h"
#include "keelctl.h"
#include "log.h"
#include "termsafe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char usage[] = "usage: keelctl [--json] status [NAME]\n"
			    "       keelctl start|stop|restart NAME\n"
			    "       keelctl logs [-f|-t] [-n N] NAME | logs -f --all\n"
			    "       keelctl signal NAME SIG\n"
			    "       keelctl rescan\n"
			    "       keelctl [--json] inspect NAME\n"
			    "       keelctl exec [-t] [-e KEY=VAL]... [-u UID[:GID]] [-w DIR] NAME CMD "
			    "[ARG...]\n"
			    "       keelctl poweroff|reboot|halt\n"
			    "       keelctl boot [--json|--svg]\n";

/* Joins the words into one line. --json may come anywhere; only status
 * output is JSON from the server, the client formats every other outcome. */
static int build_request(int argc, char **argv, char *req, size_t size, bool *json)
{
	size_t len = 0;

	for (int i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (!strcmp(argv[i], "--json")) {
			*json = true;
			continue;
		}
		if (n == 0 || strpbrk(argv[i], " \t\r\n") || len + n + 9 > size)
			return -EINVAL;
		memcpy(req + len, argv[i], n);
		len += n;
		req[len++] = ' ';
	}
	if (!len)
		return -EINVAL;
	if (*json && (!strncmp(req, "status ", 7) || !strncmp(req, "inspect ", 8)))
		len += (size_t)snprintf(req + len, size - len, "--json ");
	req[len - 1] = '\n';
	req[len] = '\0';
	return 0;
}

static void print_json_error(const char *msg)
{
	char buf[JSON_ESCAPED_MAX];

	json_escape(msg, buf, sizeof(buf));
	printf("{\"ok\":false,\"error\":\"%s\"}\n", buf);
}

/* Copies the body to stdout with terminal control sequences of service
 * output shown escaped (a service must not drive root's terminal); NUL
 * bytes pass. Returns the bytes read, or (size_t)-1 when stdout fails. */
static size_t relay_body(int fd)
{
	static char buf[16384], out[TERMSAFE_MAX(sizeof(buf))];
	struct termsafe st = {0};
	size_t body = 0, len;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		if (n <= 0)
			continue;
		len = termsafe_filter(&st, buf, (size_t)n, out);
		if (write_all(STDOUT_FILENO, out, len) < 0)
			return (size_t)-1;
		body += (size_t)n;
	}
	len = termsafe_finish(&st, out);
	return write_all(STDOUT_FILENO, out, len) < 0 ? (size_t)-1 : body;
}

/* Reads the "OK"/"ERR ..." line byte by byte (it is short), then the body. */
static int relay(int fd, bool json)
{
	char head[CONTROL_REQUEST_MAX + 64];
	size_t len = 0, body = 0;
	ssize_t n;

	while (len < sizeof(head) - 1 && (n = read_all(fd, head + len, 1)) == 1 &&
	       head[len] != '\n')
		len++;
	head[len] = '\0';
	if (!strncmp(head, "ERR ", 4)) {
		if (json)
			print_json_error(head + 4);
		else
			fprintf(stderr, "keelctl: %s\n", head + 4);
		return 1;
	}
	if (strcmp(head, "OK") != 0)
		die("unexpected answer from init: '%.80s'", head);
	fflush(stdout);
	if ((body = relay_body(fd)) == (size_t)-1)
		return 1;
	if (json && body == 0)
		printf("{\"ok\":true}\n");
	return 0;
}

int keelctl_main(int argc, char **argv)
{
	char req[CONTROL_REQUEST_MAX];
	bool json = false;
	int fd;

	log_setup("keelctl", LOG_INFO, 2);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "boot"))
		return keelctl_boot_main(argc, argv); /* rendered here, not in PID 1 */
	if (!strcmp(argv[1], "exec"))
		return keelctl_exec_main(argc, argv); /* runs the runtime itself */
	if (build_request(argc, argv, req, sizeof(req), &json) < 0) {
		fprintf(stderr,
			"keelctl: arguments must be non-empty words of at most %d bytes in all\n%s",
			CONTROL_REQUEST_MAX, usage);
		return 2;
	}
	fd = keelctl_connect();
	/* A refused client (not root, too many clients) finds the answer
	 * already waiting and the socket closed: read it rather than die of
	 * SIGPIPE. */
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0 && errno != EPIPE && errno != ECONNRESET)
		die("unable to send the request: %s", strerror(errno));
	return relay(fd, json);
}
