/* Unit tests for lib/: strict integer parsing, signal names, io helpers, errors. */
#include "err.h"
#include "io.h"
#include "log.h"
#include "parse.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_parse_u64(void)
{
	uint64_t v = 0;

	CHECK(parse_u64("42", 100, &v) == 0 && v == 42, "parse_u64 accepts 42");
	CHECK(parse_u64("101", 100, &v) == -ERANGE, "parse_u64 rejects above max");
	CHECK(parse_u64("", 100, &v) == -EINVAL, "parse_u64 rejects empty");
	CHECK(parse_u64("-1", 100, &v) == -EINVAL, "parse_u64 rejects sign");
	CHECK(parse_u64(" 1", 100, &v) == -EINVAL, "parse_u64 rejects leading space");
	CHECK(parse_u64("1x", 100, &v) == -EINVAL, "parse_u64 rejects trailing bytes");
	CHECK(parse_u64("99999999999999999999999", UINT64_MAX, &v) == -ERANGE,
	      "parse_u64 rejects overflow");
}

static void test_parse_long(void)
{
	long v = 0;

	CHECK(parse_long("-5", -10, 10, &v) == 0 && v == -5, "parse_long accepts -5");
	CHECK(parse_long("-", -10, 10, &v) == -EINVAL, "parse_long rejects lone minus");
	CHECK(parse_long("11", -10, 10, &v) == -ERANGE, "parse_long rejects above max");
	CHECK(parse_long("0x10", 0, 100, &v) == -EINVAL, "parse_long rejects hex");
	CHECK(parse_long(NULL, 0, 100, &v) == -EINVAL, "parse_long rejects NULL");
}

static void test_signals(void)
{
	CHECK(signal_from_name("TERM") == SIGTERM, "TERM is SIGTERM");
	CHECK(signal_from_name("sigkill") == SIGKILL, "sigkill is SIGKILL (any case)");
	CHECK(signal_from_name("10") == 10, "numbers pass through");
	CHECK(signal_from_name("0") < 0, "signal 0 rejected");
	CHECK(signal_from_name("NOPE") < 0, "unknown name rejected");
	CHECK(signal_name(SIGUSR2) && strcmp(signal_name(SIGUSR2), "USR2") == 0,
	      "SIGUSR2 is named USR2");
}

static void test_io(void)
{
	char path[] = "/tmp/keel-test-lib-XXXXXX", buf[8];
	char *big = NULL;
	int fd = mkstemp(path);

	CHECK(fd >= 0, "mkstemp");
	CHECK(write_all(fd, "hello world", 11) == 0, "write_all");
	close(fd);
	CHECK(read_file(path, buf, sizeof(buf)) == 7 && strcmp(buf, "hello w") == 0,
	      "read_file truncates to the buffer and terminates");
	CHECK(read_file_alloc(path, 1 << 20, &big) == 11 && strcmp(big, "hello world") == 0,
	      "read_file_alloc reads the whole file");
	free(big);
	CHECK(read_file_alloc(path, 4, &big) == -EFBIG, "read_file_alloc enforces its limit");
	CHECK(write_file("/nonexistent/x", "1") == -ENOENT, "write_file reports -errno");
	unlink(path);
}

static void test_err(void)
{
	struct kerr e = { 0 };
	char buf[600];

	CHECK(kerr_set(&e, ENOENT, "open %s", "x") == -ENOENT, "kerr_set returns -code");
	kerr_wrap(&e, "load %s", "config.json");
	CHECK(strcmp(kerr_str(&e, buf, sizeof(buf)), "load config.json: open x: No such file or "
						       "directory") == 0,
	      "kerr_wrap prepends context");
}

static void test_log_json(void)
{
	char buf[256] = "";
	int p[2];
	ssize_t n;

	CHECK(pipe(p) == 0, "pipe");
	log_setup("t", LOG_WARN, p[1]);
	log_set_json(1);
	log_warn("say \"%s\"\t\\", "hi");
	log_info("not shown");
	log_set_json(0);
	log_err("plain");
	close(p[1]);
	n = read_all(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	buf[n > 0 ? n : 0] = '\0';
	CHECK(strcmp(buf, "{\"level\":\"warning\",\"msg\":\"say \\\"hi\\\"\\u0009\\\\\"}\nt: plain\n") == 0,
	      "json log lines are escaped; levels filter; text mode has the prefix");
	log_setup("test_lib", LOG_INFO, 2);
}

int main(void)
{
	test_parse_u64();
	test_parse_long();
	test_signals();
	test_io();
	test_err();
	test_log_json();
	return TAP_DONE();
}
