/* Unit tests for init/sysctl_conf.c's pure parser: good lines, comments and
 * blanks, every rejected form named as FILE:LINE: reason, and the lines after
 * a bad one still parsed. */
#include "../../init/sysctl_conf.h"
#include "tap.h"

#include <string.h>

struct seen {
	unsigned n_set, n_bad;
	struct sysctl_setting set[16];
	char bad[16][400];
};

static void on_setting(const struct sysctl_setting *s, void *ctx)
{
	struct seen *v = ctx;

	if (v->n_set < 16)
		v->set[v->n_set] = *s;
	v->n_set++;
}

static void on_bad(const char *msg, void *ctx)
{
	struct seen *v = ctx;

	if (v->n_bad < 16)
		snprintf(v->bad[v->n_bad], sizeof(v->bad[0]), "%s", msg);
	v->n_bad++;
}

static unsigned parse(const char *text, struct seen *v)
{
	const struct sysctl_conf_cb cb = {on_setting, on_bad, v};

	memset(v, 0, sizeof(*v));
	return sysctl_conf_parse(text, strlen(text), "sysctl.conf", &cb);
}

static void test_good(void)
{
	struct seen v;
	unsigned bad = parse("# hardening\n\nkernel.kptr_restrict = 2\n"
			     "  net.ipv4.conf.all.rp_filter=1  \n"
			     "kernel.core_pattern = |/bin/false a=b\n"
			     "net.ipv4.conf.eth-0.forwarding\t=\t0",
			     &v);

	CHECK(bad == 0 && v.n_set == 4, "4 settings, comments and blank lines skipped");
	CHECK(!strcmp(v.set[0].key, "kernel.kptr_restrict") && !strcmp(v.set[0].value, "2") &&
		  v.set[0].line == 3,
	      "key, value and line number of the first setting");
	CHECK(!strcmp(v.set[1].key, "net.ipv4.conf.all.rp_filter") && !strcmp(v.set[1].value, "1"),
	      "spaces around '=' and at the ends are optional");
	CHECK(!strcmp(v.set[2].value, "|/bin/false a=b"), "a value may hold '=' and spaces");
	CHECK(v.n_set == 4 && !strcmp(v.set[3].key, "net.ipv4.conf.eth-0.forwarding"),
	      "tabs, '-' in a key, last line without newline");
}

static void test_bad(void)
{
	static const struct {
		const char *line, *why;
	} cases[] = {
	    {"kernel.sysrq", "expected 'key = value'"}, {"= 1", "missing key"},
	    {"kernel.sysrq =", "missing value"},	{"kernel..sysrq = 1", "empty part"},
	    {".kernel.sysrq = 1", "empty part"},	{"kernel.sysrq. = 1", "empty part"},
	    {"kernel/sysrq = 1", "key may hold only"},	{"../../etc/x = 1", "empty part"},
	    {"kernel.sysrq = 1\x01", "control"},	{"kernel.sysrq = 1 \xc3\xa9", "non-ASCII"},
	    {"kernel sysrq = 1", "key may hold only"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen v;
		char text[300];

		snprintf(text, sizeof(text), "a.b = 1\n%s\nc.d = 2\n", cases[i].line);
		parse(text, &v);
		CHECK(v.n_bad == 1 && strstr(v.bad[0], "sysctl.conf:2: ") == v.bad[0] &&
			  strstr(v.bad[0], cases[i].why) && v.n_set == 2,
		      "'%s' rejected as line 2 (%s), the lines around it applied", cases[i].line,
		      v.n_bad ? v.bad[0] : "not rejected");
	}
}

static void test_limits(void)
{
	struct seen v;
	char text[1200];

	memset(text, 'k', 600);
	strcpy(text + 600, " = 1\n");
	parse(text, &v);
	CHECK(v.n_bad == 1 && strstr(v.bad[0], "line too long"), "a 600-byte line is rejected");
	memset(text, 'k', 200);
	strcpy(text + 200, " = 1\n");
	parse(text, &v);
	CHECK(v.n_bad == 1 && strstr(v.bad[0], "key too long"), "a 200-byte key is rejected");
	CHECK(parse("a.b = 1\0c.d = 2\n", &v) == 0 && v.n_set == 1,
	      "parsing stops at the given length");
	{
		const struct sysctl_conf_cb cb = {on_setting, on_bad, &v};
		memset(&v, 0, sizeof(v));
		sysctl_conf_parse("a.b = 1\0x\nc.d = 2", 17, "f", &cb);
		CHECK(v.n_bad == 1 && v.n_set == 1 && strstr(v.bad[0], "NUL"),
		      "a NUL byte inside a line is rejected");
	}
}

static void test_path(void)
{
	char p[300];

	sysctl_proc_path("kernel.yama.ptrace_scope", p, sizeof(p));
	CHECK(!strcmp(p, "/proc/sys/kernel/yama/ptrace_scope"), "dotted key -> /proc/sys path");
}

int main(void)
{
	test_good();
	test_bad();
	test_limits();
	test_path();
	return TAP_DONE();
}
