/* runc-shim's hooks parser and sysctl rules: typed hook entries (path,
 * args, env, timeout) per kind, what is refused, and which sysctls each
 * namespace set allows (runc's validation). */
#include "../../runc-shim/config.h"
#include "../../runc-shim/sysctl.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

/* A minimal valid config plus top-level members, namespaces (after the
 * mount one) and members of "linux". */
static int parse3(const char *extra, const char *ns, const char *linux_extra, struct config *c,
		  struct kerr *err)
{
	char json[4096];

	snprintf(json, sizeof(json),
		 "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
		 "\"process\":{\"args\":[\"true\"]},"
		 "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}%s]%s}%s}",
		 ns, linux_extra, extra);
	memset(err, 0, sizeof(*err));
	return config_parse(json, strlen(json), c, err);
}

static int parse(const char *extra, const char *ns, struct config *c, struct kerr *err)
{
	return parse3(extra, ns, "", c, err);
}

static void hooks_parse(void)
{
	struct config c;
	struct kerr err;
	int r = parse(",\"hooks\":{\"prestart\":[{\"path\":\"/bin/a\",\"args\":[\"a\",\"1\"],"
		      "\"env\":[\"K=V\"],\"timeout\":5},{\"path\":\"/bin/b\"}],"
		      "\"poststop\":[{\"path\":\"/bin/c\"}],\"createRuntime\":null}",
		      "", &c, &err);

	CHECK(r == 0, "hooks parse (%s)", r ? err.msg : "ok");
	if (r < 0)
		return;
	CHECK(c.hooks.n[HOOK_PRESTART] == 2 && c.hooks.n[HOOK_POSTSTOP] == 1 &&
		  c.hooks.n[HOOK_CREATE_RUNTIME] == 0,
	      "hooks: counted per kind (null is none)");
	const struct cfg_hook *h = &c.hooks.list[HOOK_PRESTART][0];
	CHECK(!strcmp(h->path, "/bin/a") && h->n_args == 2 && !strcmp(h->args[1], "1") &&
		  h->n_env == 1 && h->timeout == 5,
	      "hooks: path, args, env, timeout");
	h = &c.hooks.list[HOOK_PRESTART][1];
	CHECK(!h->args && !h->env && h->timeout == 0, "hooks: args/env/timeout optional");
	CHECK(!strcmp(config_hook_name(HOOK_START_CONTAINER), "startContainer"), "hook names");
	config_free(&c);
}

static void hooks_bad(void)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
	    {",\"hooks\":{\"prestart\":[{\"path\":\"rel\"}]}", "hooks.prestart[0].path: must be"},
	    {",\"hooks\":{\"poststart\":[{\"args\":[\"x\"]}]}", "hooks.poststart[0].path: missing"},
	    {",\"hooks\":{\"poststop\":[{\"path\":\"/x\",\"timeout\":0}]}",
	     "hooks.poststop[0].timeout"},
	    {",\"hooks\":{\"prestart\":{}}", "hooks.prestart: expected an array"},
	    {",\"hooks\":[]", "hooks: expected an object"},
	};
	struct config c;
	struct kerr err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse(cases[i].json, "", &c, &err);
		CHECK(r < 0 && strstr(err.msg, cases[i].want), "refused: %s (%s)", cases[i].want,
		      err.msg);
		if (r == 0)
			config_free(&c);
	}
	CHECK(parse(",\"hooks\":{\"futureHook\":[]}", "", &c, &err) == 0,
	      "an unknown hook kind is ignored (spec: unknown properties)");
	config_free(&c);
}

static void sysctl_rules(void)
{
	static const struct {
		const char *key, *ns;
		bool ok;
	} cases[] = {
	    {"kernel.shmmax", ",{\"type\":\"ipc\"}", true},
	    {"kernel.shmmax", "", false},
	    {"kernel.sem", ",{\"type\":\"ipc\"}", true},
	    {"fs.mqueue.msg_max", ",{\"type\":\"ipc\"}", true},
	    {"fs.mqueue.msg_max", ",{\"type\":\"uts\"}", false},
	    {"net.ipv4.ip_forward", ",{\"type\":\"network\"}", true},
	    {"net.ipv4.ip_forward", ",{\"type\":\"ipc\"}", false},
	    {"net.ipv4.ip_forward", ",{\"type\":\"network\",\"path\":\"/proc/self/ns/net\"}",
	     false},
	    {"kernel.domainname", ",{\"type\":\"uts\"}", true},
	    {"kernel.hostname", ",{\"type\":\"uts\"}", false},
	    {"vm.swappiness", ",{\"type\":\"ipc\"},{\"type\":\"network\"},{\"type\":\"uts\"}",
	     false},
	    {"kernel.pid_max", ",{\"type\":\"pid\"}", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char sysctl[128];
		struct config c;
		struct kerr err;
		int r;

		snprintf(sysctl, sizeof(sysctl), ",\"sysctl\":{\"%s\":\"1\"}", cases[i].key);
		r = parse3("", cases[i].ns, sysctl, &c, &err);
		CHECK(r == 0, "parses: %s", r ? err.msg : cases[i].key);
		if (r < 0)
			continue;
		r = sysctl_check(&c, &err);
		CHECK((r == 0) == cases[i].ok, "%s with namespaces [mount%s]: %s (%s)",
		      cases[i].key, cases[i].ns, cases[i].ok ? "accepted" : "refused",
		      r ? err.msg : "ok");
		config_free(&c);
	}
}

int main(void)
{
	hooks_parse();
	hooks_bad();
	sysctl_rules();
	return TAP_DONE();
}
