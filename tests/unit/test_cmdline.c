/* Unit tests for init/cmdline.c: defaults, every option, strictness (a bad
 * value keeps the previous value and names the option), kernel-style word
 * splitting with quotes. */
#include "../../init/cmdline.h"
#include "log.h"
#include "../../init/detect.h"
#include "tap.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

static struct init_config cfg;

static bool apply_ok(const char *word)
{
	struct kerr err = {0, ""};

	return cmdline_apply_word(&cfg, word, &err) == 0 && err.msg[0] == '\0';
}

/* Applies a word that must be rejected; true when the message names what. */
static bool apply_bad(const char *word, const char *what)
{
	struct kerr err = {0, ""};

	return cmdline_apply_word(&cfg, word, &err) < 0 && strstr(err.msg, what) != NULL;
}

static void test_defaults(void)
{
	memset(&cfg, 0xff, sizeof(cfg));
	cmdline_defaults(&cfg);
	CHECK(strcmp(cfg.specdir, "/containers") == 0, "default specdir /containers");
	CHECK(strcmp(cfg.runtime, "/sbin/runc-shim") == 0, "default runtime /sbin/runc-shim");
	CHECK(strcmp(cfg.hostname, "keel") == 0, "default hostname keel");
	CHECK(cfg.logdir[0] == '\0', "default logdir none");
	CHECK(!cfg.debug && cfg.console_echo && !cfg.debug_shell && !cfg.in_container,
	      "default flags: debug 0, echo 1, shell 0, container 0");
}

static void test_good_values(void)
{
	cmdline_defaults(&cfg);
	CHECK(apply_ok("keel.specdir=/srv/specs") && strcmp(cfg.specdir, "/srv/specs") == 0,
	      "keel.specdir sets specdir");
	CHECK(apply_ok("keel.runtime=/usr/bin/crun") && strcmp(cfg.runtime, "/usr/bin/crun") == 0,
	      "keel.runtime sets runtime");
	CHECK(apply_ok("keel.hostname=node-1.example") &&
		  strcmp(cfg.hostname, "node-1.example") == 0,
	      "keel.hostname sets hostname");
	CHECK(apply_ok("keel.logdir=/var/log/keel") && strcmp(cfg.logdir, "/var/log/keel") == 0,
	      "keel.logdir sets logdir");
	CHECK(apply_ok("keel.logdir=") && cfg.logdir[0] == '\0', "empty keel.logdir means none");
	CHECK(apply_ok("keel.debug=1") && cfg.debug, "keel.debug=1");
	CHECK(apply_ok("keel.debug=off") && !cfg.debug, "keel.debug=off");
	CHECK(apply_ok("keel.debug") && cfg.debug, "bare keel.debug means on");
	CHECK(apply_ok("keel.echo=0") && !cfg.console_echo, "keel.echo=0");
	CHECK(apply_ok("keel.shell=yes") && cfg.debug_shell, "keel.shell=yes");
	CHECK(apply_ok("keel.container=true") && cfg.in_container, "keel.container=true");
	CHECK(apply_ok("quiet") && apply_ok("console=ttyS0") && apply_ok("keelx.debug=1"),
	      "words that are not keel.* are ignored");
}

static void test_bad_values(void)
{
	char huge[PATH_MAX + 40];

	cmdline_defaults(&cfg);
	CHECK(apply_bad("keel.specdir=relative/dir", "keel.specdir") &&
		  strcmp(cfg.specdir, "/containers") == 0,
	      "relative specdir rejected, default kept");
	CHECK(apply_bad("keel.specdir=/a/../etc", "'..'") &&
		  strcmp(cfg.specdir, "/containers") == 0,
	      "specdir with .. rejected");
	CHECK(apply_ok("keel.specdir=/a/..b") && strcmp(cfg.specdir, "/a/..b") == 0,
	      "'..b' is a name, not a parent reference");
	CHECK(apply_bad("keel.specdir", "missing value"), "specdir without value rejected");
	CHECK(apply_bad("keel.hostname=-x", "keel.hostname"), "hostname starting with - rejected");
	CHECK(apply_bad("keel.hostname=a_b", "keel.hostname"), "hostname with _ rejected");
	CHECK(apply_bad("keel.hostname=", "empty"), "empty hostname rejected");
	CHECK(apply_bad(
		  "keel.hostname=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "64") &&
		  strcmp(cfg.hostname, "keel") == 0,
	      "65-byte hostname rejected, default kept");
	CHECK(apply_bad("keel.debug=2", "keel.debug") && !cfg.debug, "keel.debug=2 rejected");
	CHECK(cfg.disk_timeout_s == 10 && apply_ok("keel.disktimeout=30") && cfg.disk_timeout_s == 30,
	      "keel.disktimeout: default 10, =30 taken");
	CHECK(apply_bad("keel.disktimeout=0", "1..600") && apply_bad("keel.disktimeout=601", "1..600") &&
		  apply_bad("keel.disktimeout=5s", "1..600") && cfg.disk_timeout_s == 30,
	      "keel.disktimeout: 0, 601, 5s rejected, the value kept");
	CHECK(apply_bad("keel.debug=", "keel.debug"), "keel.debug= rejected");
	CHECK(apply_bad("keel.nosuch=1", "keel.nosuch: unknown option"), "unknown option named");
	CHECK(apply_bad("keel.", "unknown option"), "empty option name rejected");
	CHECK(apply_bad("keel.specdirx=/a", "unknown option"), "option prefix is not a match");
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	memcpy(huge, "keel.specdir=/", 14);
	cmdline_defaults(&cfg);
	CHECK(apply_bad(huge, "too long") && strcmp(cfg.specdir, "/containers") == 0,
	      "path of PATH_MAX bytes rejected");
}

static void test_text(void)
{
	int bad;

	cmdline_defaults(&cfg);
	bad =
	    cmdline_apply_text(&cfg, "BOOT_IMAGE=/vmlinuz console=ttyS0 keel.debug=1\n"
				     "\tkeel.specdir=\"/srv/my specs\" keel.hostname=box keel.x=1 "
				     "\"keel.runtime=/opt/r s\" quiet\n");
	CHECK(bad == 1, "one bad option counted in text (%d)", bad);
	CHECK(cfg.debug && strcmp(cfg.hostname, "box") == 0, "options split on blanks");
	CHECK(strcmp(cfg.specdir, "/srv/my specs") == 0, "quoted value keeps its blank");
	CHECK(strcmp(cfg.runtime, "/opt/r s") == 0, "quoted whole word");
	CHECK(cmdline_apply_text(&cfg, "") == 0 && cmdline_apply_text(&cfg, "   \n") == 0,
	      "empty text is fine");
	cmdline_defaults(&cfg);
	CHECK(cmdline_apply_text(&cfg, "keel.specdir=/a keel.specdir=rel") == 1 &&
		  strcmp(cfg.specdir, "/a") == 0,
	      "a later bad value does not undo an earlier good one");
}

static void test_argv(void)
{
	char a0[] = "init", a1[] = "keel.shell=1", a2[] = "keel.echo=maybe", a3[] = "single";
	char *argv[] = {a0, a1, a2, a3, NULL};

	cmdline_defaults(&cfg);
	CHECK(cmdline_apply_argv(&cfg, 4, argv) == 1 && cfg.debug_shell && cfg.console_echo,
	      "argv: good applied, bad counted and default kept, argv[0] skipped");
}

/* keel.container: argv of a container's init only, never the machine's. */
static void test_container(void)
{
	cmdline_defaults(&cfg);
	CHECK(cmdline_apply_text(&cfg, "quiet keel.container=1 keel.debug=1") == 1 &&
		  !cfg.in_container && cfg.debug,
	      "keel.container=1 on the kernel command line is refused, the rest applies");
	detect_apply(&cfg, true, "pid:[4026531836]");
	CHECK(!cfg.in_container && init_is_machine(&cfg), "PID 1, initial namespace: the machine");
	cfg.in_container = true; /* keel.container=1 from argv */
	detect_apply(&cfg, true, "pid:[4026531836]");
	CHECK(!cfg.in_container && init_is_machine(&cfg),
	      "keel.container=1 from argv refused for PID 1 of the initial PID namespace");
	cfg.in_container = false;
	detect_apply(&cfg, true, "pid:[4026532001]");
	CHECK(cfg.in_container && !init_is_machine(&cfg), "PID 1 of another namespace: container");
	cfg.in_container = true;
	detect_apply(&cfg, true, NULL);
	CHECK(cfg.in_container, "no /proc to tell: keel.container=1 from argv is believed");
	cfg.in_container = false;
	detect_apply(&cfg, false, "pid:[4026531836]");
	CHECK(cfg.in_container && !init_is_machine(&cfg), "not PID 1: never the machine");
}

int main(void)
{
	/* The warnings of the text/argv tests are expected: keep TAP clean. */
	log_setup("test", LOG_ERR, open("/dev/null", O_WRONLY | O_CLOEXEC));
	test_defaults();
	test_good_values();
	test_bad_values();
	test_text();
	test_argv();
	test_container();
	return TAP_DONE();
}
